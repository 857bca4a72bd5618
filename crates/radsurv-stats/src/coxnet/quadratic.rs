//! The second-order model of the log partial likelihood at a point: $\ell$, its gradient in
//! $\eta$, and the Hessian applied to vectors and columns in $O(n)$ each.

use nalgebra::DMatrix;

use super::likelihood::{Exponentials, RiskSets, RiskSums};
use super::path::Problem;

/// The second-order model of $\ell$ around $\tilde\eta$: log-likelihood, gradient
/// $g = \partial\ell/\partial\eta$ and the Hessian there.
#[derive(Default)]
pub(super) struct Quadratic {
    pub(super) loglik: f64,
    pub(super) grad: Vec<f64>,
    pub(super) hessian: Hessian,
    /// Kept so that the model is updated without allocating.
    pub(super) risk_sums: RiskSums,
}

impl Quadratic {
    pub(super) fn new(sets: &RiskSets, eta: &[f64]) -> Self {
        let mut model = Quadratic::default();
        model.update(sets, eta);
        model
    }

    /// Moves the model to `eta`, reusing its buffers (it is updated at every outer step).
    pub(super) fn update(&mut self, sets: &RiskSets, eta: &[f64]) {
        let n = sets.len();
        sets.scale(eta, &mut self.hessian.exps, &mut self.risk_sums);
        let Hessian {
            exps,
            cum_a,
            start_b,
        } = &mut self.hessian;
        for v in [&mut self.grad, &mut *cum_a, &mut *start_b] {
            v.resize(n, 0.0);
        }
        // per distinct time: Â and b̂ there, then per row (no per-row branches, so it vectorises)
        let mut a = 0.0;
        start_b.fill(0.0);
        for (&(start, end, d), &s) in sets.groups.iter().zip(&self.risk_sums.sums) {
            if d > 0.0 {
                a += d / s;
                start_b[start] = d / (s * s);
            }
            cum_a[start..end].fill(a);
            a *= exps.step[end - 1];
        }
        for (((g, u), a), delta) in self
            .grad
            .iter_mut()
            .zip(&exps.weight)
            .zip(&*cum_a)
            .zip(&sets.event)
        {
            *g = delta - u * a;
        }
        self.loglik = sets.loglik_scaled(eta, &self.risk_sums);
    }
}

/// $H = -\nabla^2_\eta\ell = \mathrm{diag}(e \circ A) - \sum_k b_k u_k u_k^\top$ at one point, with
/// $e_i = e^{\eta_i}$, $A_i = \sum_{k: t_k \le T_i} d_k/S_k$, $b_k = d_k/S_k^2$ and
/// $u_k = e \circ 1_{R_k}$, applied as $Hv = e \circ (A \circ v - C(v))$ with
/// $C_i(v) = \sum_{k: t_k \le T_i} b_k \sum_{l \in R_k} e_l v_l$, so each product costs $O(n)$.
/// Everything is held on the risk sets' scales ([`Exponentials`]): for row $i$ of group $k$,
/// `cum_a` is $\hat A_i = e^{m_k} A_i$ and $e_iA_i = u_i\hat A_i$; `start_b` is
/// $\hat b_k = d_k/\hat S_k^2$, and $e_iC_i$ is $u_i$ times a running sum rescaled from group to
/// group like $\hat A$.
#[derive(Clone, Default)]
pub(super) struct Hessian {
    pub(super) exps: Exponentials,
    pub(super) cum_a: Vec<f64>,
    /// $\hat b_k$ at the first row of each distinct time $t_k$, 0 elsewhere.
    pub(super) start_b: Vec<f64>,
}

impl Hessian {
    /// `out` $= Hv$ (rows in time order).
    pub(super) fn times(&self, v: &[f64], out: &mut [f64]) {
        self.times_each([v], &mut [out]);
    }

    /// `out[k]` $= Hv_k$ for $K$ vectors at once (rows in time order). $\sum_{l \in R_k} e_l v_l$
    /// is the suffix sum from the first row of $t_k$, so both passes run over rows without
    /// looking at the tie groups (the change of scale between groups is a factor per row, 1
    /// inside a group). Each pass is a chain of dependent operations; $K$ independent chains
    /// side by side keep the processor busy while each waits for its last result.
    pub(super) fn times_each<const K: usize>(&self, v: [&[f64]; K], out: &mut [&mut [f64]; K]) {
        let Exponentials { weight, step } = &self.exps;
        let n = weight.len();
        let mut suffix = [0.0; K];
        for i in (0..n).rev() {
            let (u, r) = (weight[i], step[i]);
            for k in 0..K {
                suffix[k] = suffix[k] * r + u * v[k][i];
                out[k][i] = suffix[k];
            }
        }
        let mut c = [0.0; K];
        for i in 0..n {
            let (u, a, b, r) = (weight[i], self.cum_a[i], self.start_b[i], step[i]);
            for k in 0..K {
                c[k] += b * out[k][i];
                out[k][i] = u * (a * v[k][i] - c[k]);
                c[k] *= r;
            }
        }
    }

    /// $H X_T$ ($n \times |T|$) for the standardised columns $T$ of `problem`, four columns at
    /// a time.
    pub(super) fn times_columns(&self, problem: &Problem, which: &[usize]) -> DMatrix<f64> {
        let n = problem.n;
        let mut out = DMatrix::zeros(n, which.len());
        let mut targets: Vec<&mut [f64]> = out.as_mut_slice().chunks_exact_mut(n).collect();
        let mut quads = targets.chunks_exact_mut(4);
        let mut columns = which.chunks_exact(4);
        for (quad, four) in quads.by_ref().zip(columns.by_ref()) {
            // chunks of exactly four
            if let [a, b, c, d] = quad {
                let v = [0, 1, 2, 3].map(|k| problem.column(four[k]));
                self.times_each(v, &mut [&mut **a, &mut **b, &mut **c, &mut **d]);
            }
        }
        for (target, &j) in quads.into_remainder().iter_mut().zip(columns.remainder()) {
            self.times(problem.column(j), target);
        }
        out
    }
}
