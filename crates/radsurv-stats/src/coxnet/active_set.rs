//! The penalised quadratic model on a set of coefficients: $G = X_S^\top H X_S/n$, minimised
//! exactly by a primal active-set method (Osborne, Presnell & Turlach 2000) on an updatable
//! Cholesky factor, with cyclic coordinate descent as the fallback.

use nalgebra::DMatrix;

use super::path::Problem;
use super::quadratic::{Hessian, Quadratic};
use super::{positions, signs, soft_threshold};
use crate::linalg::{dots, UpdatableCholesky};

/// λ and α of the elastic-net penalty $P(b) = \lambda[\alpha\lVert b\rVert_1 + \tfrac{1-\alpha}2\lVert b\rVert_2^2]$.
#[derive(Clone, Copy)]
pub(super) struct Penalty {
    pub(super) lambda: f64,
    pub(super) alpha: f64,
}

impl Penalty {
    pub(super) fn l1(self) -> f64 {
        self.lambda * self.alpha
    }

    pub(super) fn ridge(self) -> f64 {
        self.lambda * (1.0 - self.alpha)
    }
}

/// The Hessian $G = X_S^\top H X_S/n$ on the screened set $S$ and the solver of the penalised
/// model $\min_b\; -c^\top(b-\beta^0) + \tfrac12(b-\beta^0)^\top G(b-\beta^0) + P(b)$,
/// $c = X_S^\top g/n$.
pub(super) struct Curvature {
    /// $S$ (column indices, ascending).
    pub(super) set: Vec<usize>,
    /// The $H$ that $G$ was formed with, kept so that $G$ can grow with $S$.
    pub(super) hessian: Hessian,
    /// $G$, column-major $s \times s$.
    pub(super) gram: Vec<f64>,
    /// The factor of $G_{AA} + \text{ridge}\,I$ for the last support $A$ (positions in $S$).
    pub(super) factor: UpdatableCholesky,
    /// The ridge that `factor` includes.
    pub(super) factor_ridge: f64,
    /// What [`Self::regularise`] added to $G$'s diagonal (0 until it was needed).
    pub(super) shift: f64,
}

impl Curvature {
    /// $G = X_S^\top (H X_S)/n$ at the model's point: $O(ns)$ for $HX_S$, then matrix products
    /// for the blocks of columns on and below the diagonal only (about half the $ns^2$ work
    /// for large $s$); the upper triangle is their mirror, so $G$ is exactly symmetric.
    ///
    /// Each block's product packs its rows of $X_S^\top$ again, and its diagonal square is
    /// computed whole: blocks of $w$ columns waste about $w/2s$ of the work on the square's upper
    /// half. So 128 columns for $s \ge 512$, at most 1/8 wasted, and 64 below, where wider
    /// blocks cost more than they save (`benches/README.md`).
    pub(super) fn new(problem: &Problem, model: &Quadratic, set: &[usize]) -> Self {
        let (x_t, hx) = (
            problem.transposed_columns(set),
            model.hessian.times_columns(problem, set),
        );
        let s = set.len();
        let block = if s >= 512 { 128 } else { 64 };
        let mut gram = DMatrix::zeros(s, s);
        for first in (0..s).step_by(block) {
            let width = block.min(s - first);
            gram.view_mut((first, first), (s - first, width)).gemm(
                1.0,
                &x_t.rows(first, s - first),
                &hx.columns(first, width),
                0.0,
            );
        }
        gram.fill_upper_triangle_with_lower_triangle();
        gram /= problem.n as f64;
        Curvature {
            set: set.to_vec(),
            hessian: model.hessian.clone(),
            gram: gram.data.into(),
            factor: UpdatableCholesky::default(),
            factor_ridge: 0.0,
            shift: 0.0,
        }
    }

    /// Drops the columns of $S$ that are not in `set` from $G$ and from the factor.
    pub(super) fn restrict(&mut self, set: &[usize]) {
        let s_old = self.size();
        let kept = positions(s_old, |k| set.binary_search(&self.set[k]).is_ok());
        if kept.len() == s_old {
            return;
        }
        let mut gram = Vec::with_capacity(kept.len() * kept.len());
        for &c in &kept {
            let column = self.column(c);
            gram.extend(kept.iter().map(|&r| column[r]));
        }
        let mut new_position = vec![usize::MAX; s_old];
        for (position, &k) in kept.iter().enumerate() {
            new_position[k] = position;
        }
        let dropped = positions(self.factor.variables().len(), |r| {
            new_position[self.factor.variables()[r]] == usize::MAX
        });
        for &r in dropped.iter().rev() {
            self.factor.remove(r);
        }
        self.factor.rename(&new_position);
        self.set = kept.iter().map(|&k| self.set[k]).collect();
        self.gram = gram;
    }

    /// Grows $S$ to `set` (a superset) with the same $H$: only the new rows and columns of $G$
    /// are formed, and $G$ stays a principal submatrix of one positive semi-definite matrix.
    pub(super) fn extend(&mut self, problem: &Problem, set: &[usize]) {
        // each position of `set`: Ok(its index in the old set) or Err(its index among the added)
        let mut added = Vec::new();
        let slots: Vec<std::result::Result<usize, usize>> = set
            .iter()
            .map(|j| {
                self.set.binary_search(j).map_err(|_| {
                    added.push(*j);
                    added.len() - 1
                })
            })
            .collect();
        // the new columns of G, rows in `set` order: x_k^T (H x_j)/n, the score of H x_j (a few
        // columns at a time, so dot products in place beat a transposed copy of X_S)
        let mut hx = vec![0.0; problem.n];
        let fresh: Vec<Vec<f64>> = added
            .iter()
            .map(|&j| {
                self.hessian.times(problem.column(j), &mut hx);
                problem.score(&hx, set.iter().copied())
            })
            .collect();
        let (s_old, s) = (self.set.len(), set.len());
        // an old column is its old entries in order with the new rows slotted in: copied as
        // runs between the (few) new rows
        let inserted: Vec<(usize, usize)> = slots
            .iter()
            .enumerate()
            .filter_map(|(position, slot)| slot.err().map(|a| (position, a)))
            .collect();
        let mut gram = Vec::with_capacity(s * s);
        for (c, slot) in slots.iter().enumerate() {
            match *slot {
                Ok(kc) => {
                    let old = &self.gram[kc * s_old..(kc + 1) * s_old];
                    let mut taken = 0;
                    for &(position, a) in &inserted {
                        let run = position - (gram.len() - c * s);
                        gram.extend_from_slice(&old[taken..taken + run]);
                        taken += run;
                        gram.push(fresh[a][c]);
                    }
                    gram.extend_from_slice(&old[taken..]);
                }
                Err(ac) => gram.extend_from_slice(&fresh[ac]),
            }
        }
        // the factor's variables are positions in S, which the new columns shift
        let mut new_position = vec![0; s_old];
        for (c, slot) in slots.iter().enumerate() {
            if let Ok(k) = *slot {
                new_position[k] = c;
            }
        }
        for (c, slot) in slots.iter().enumerate() {
            if slot.is_err() {
                gram[c * s + c] += self.shift;
            }
        }
        self.factor.rename(&new_position);
        self.set = set.to_vec();
        self.gram = gram;
    }

    pub(super) fn size(&self) -> usize {
        self.set.len()
    }

    /// $G_{kk}$.
    pub(super) fn diagonal(&self, k: usize) -> f64 {
        self.gram[k * self.size() + k]
    }

    pub(super) fn column(&self, k: usize) -> &[f64] {
        let s = self.size();
        &self.gram[k * s..(k + 1) * s]
    }

    /// The model's minimiser and the coordinate sweeps used. An active-set method
    /// ([`Self::active_set`]) from the start's signs finds it in a few exact solves along the
    /// path; coordinate descent (each update $O(s)$ through $q = c - G(b - \beta^0)$) is the
    /// fallback, handing over to the active-set method at each new sign pattern, and otherwise
    /// running until its changes are under `tol`.
    pub(super) fn minimise(
        &mut self,
        c: &[f64],
        start: &[f64],
        penalty: Penalty,
        tol: f64,
        max_sweeps: usize,
    ) -> (Vec<f64>, usize) {
        if let Some(exact) = self.active_set(c, start, start, penalty) {
            return (exact, 0);
        }
        let mut b = start.to_vec();
        let mut q = c.to_vec();
        let mut sweeps = 0;
        let mut tried = signs(start);
        while sweeps < max_sweeps {
            sweeps += 1;
            if self.sweep(&mut b, &mut q, penalty) < tol {
                break;
            }
            if signs(&b) != tried {
                if let Some(exact) = self.active_set(c, start, &b, penalty) {
                    return (exact, sweeps);
                }
                tried = signs(&b);
            }
        }
        (b, sweeps)
    }

    /// One cyclic pass of soft-threshold updates; returns the largest $G_{kk}(\Delta b_k)^2$.
    pub(super) fn sweep(&self, b: &mut [f64], q: &mut [f64], penalty: Penalty) -> f64 {
        let mut max_change: f64 = 0.0;
        for k in 0..self.size() {
            let h = self.diagonal(k);
            if h <= 0.0 {
                continue;
            }
            let new = soft_threshold(q[k] + h * b[k], penalty.l1()) / (h + penalty.ridge());
            let delta = new - b[k];
            if delta != 0.0 {
                b[k] = new;
                for (qi, g) in q.iter_mut().zip(self.column(k)) {
                    *qi -= g * delta;
                }
                max_change = max_change.max(h * delta * delta);
            }
        }
        max_change
    }

    /// A primal active-set method for the model (the LASSO analogue of Lawson & Hanson's NNLS,
    /// Osborne, Presnell & Turlach 2000), from the feasible point `from`, for the model centred
    /// at `start` ($\beta^0$). With the signs $\sigma$ of the support $A$ fixed the model is a
    /// smooth quadratic, minimised exactly by $b_A = \beta^0_A + d_A$,
    /// $(G_{AA} + \rho I)\,d_A = c_A - \lambda\alpha\,\sigma_A - \rho\beta^0_A + G_{AB}\beta^0_B$
    /// ($\rho = \lambda(1-\alpha)$, $B$ the coefficients of $\beta^0$ that left the support):
    /// solving for the correction needs no $G\beta^0$, and $B$ is small. The method moves
    /// towards that minimiser until a coefficient reaches zero (it leaves $A$), or takes it whole
    /// and then admits the zero coefficients that violate $|q_k| \le \lambda\alpha$,
    /// $q = c - G(b - \beta^0)$, with the signs of $q_k$; it stops when none does. All violators
    /// join at once (one solve instead of one per coefficient: a third fewer solves at
    /// n = p = 1000) until an admitted coefficient would at once move against its sign; from then
    /// on the largest violator joins alone, as in the original method. `None` when a
    /// factorisation fails or the method stalls (the caller falls back to coordinate descent).
    pub(super) fn active_set(
        &mut self,
        c: &[f64],
        start: &[f64],
        from: &[f64],
        penalty: Penalty,
    ) -> Option<Vec<f64>> {
        let s = self.size();
        let mut b = from.to_vec();
        let mut sign = signs(from);
        let mut admitted = Vec::new();
        let mut one_at_a_time = false;
        for _ in 0..(2 * s + 10) {
            let support = positions(s, |k| sign[k] != 0);
            let support = self.factor_for(&support, penalty.ridge())?;
            let left = positions(s, |k| sign[k] == 0 && start[k] != 0.0);
            let mut target: Vec<f64> = support
                .iter()
                .map(|&k| {
                    let from_left: f64 = left.iter().map(|&j| self.column(j)[k] * start[j]).sum();
                    c[k] - penalty.l1() * f64::from(sign[k]) - penalty.ridge() * start[k]
                        + from_left
                })
                .collect();
            self.factor.solve(&mut target);
            for (v, &k) in target.iter_mut().zip(&support) {
                *v += start[k];
            }
            let (mut step, mut blocking) = (1.0, None);
            for (&k, &v) in support.iter().zip(target.iter()) {
                if !v.is_finite() {
                    return None;
                }
                if v * f64::from(sign[k]) <= 0.0 {
                    let t = b[k] / (b[k] - v);
                    if t < step {
                        (step, blocking) = (t, Some(k));
                    }
                }
            }
            // an admitted coefficient that would at once move against its sign: alone, the
            // method stalls; in a batch, the batch was too greedy and admissions go one by one
            if blocking.is_some_and(|k| step == 0.0 && admitted.contains(&k)) {
                if admitted.len() == 1 {
                    return None;
                }
                one_at_a_time = true;
            }
            for (&k, &v) in support.iter().zip(target.iter()) {
                b[k] += step * (v - b[k]);
            }
            if let Some(k) = blocking {
                (b[k], sign[k]) = (0.0, 0);
                admitted.clear();
                continue;
            }
            // (G_k(b - β⁰) as a dot product over all of S: contiguous, so it vectorises)
            let threshold = penalty.l1() * (1.0 + 1e-10);
            let moved: Vec<f64> = b.iter().zip(start).map(|(b, s)| b - s).collect();
            let zero = positions(s, |k| sign[k] == 0);
            let columns: Vec<&[f64]> = zero.iter().map(|&k| self.column(k)).collect();
            let mut violators: Vec<(usize, f64)> = zero
                .iter()
                .zip(dots(&columns, &moved))
                .map(|(&k, g_moved)| (k, c[k] - g_moved))
                .filter(|(_, q)| q.abs() > threshold)
                .collect();
            if violators.is_empty() {
                return Some(b);
            }
            if one_at_a_time {
                violators.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
                violators.truncate(1);
            }
            admitted.clear();
            for (k, q) in violators {
                sign[k] = if q > 0.0 { 1 } else { -1 };
                admitted.push(k);
            }
        }
        None
    }

    /// Brings the factor of $G_{AA} + \text{ridge}\,I$ to the support $A$ (positions in $S$)
    /// and returns $A$ in factor order. The active-set method changes $A$ one coefficient at a
    /// time, so the factor is updated (each change $O(m^2)$) rather than formed anew ($O(m^3/3)$),
    /// unless more than half of $A$ changed. `None` when $G_{AA}$ is not positive definite.
    pub(super) fn factor_for(&mut self, support: &[usize], ridge: f64) -> Option<Vec<usize>> {
        while !self.update_factor(support, ridge) {
            if !self.regularise() {
                return None;
            }
        }
        Some(self.factor.variables().to_vec())
    }

    /// The body of [`Self::factor_for`]; false when $G_{AA} + \text{ridge}\,I$ is not
    /// numerically positive definite.
    pub(super) fn update_factor(&mut self, support: &[usize], ridge: f64) -> bool {
        if ridge != self.factor_ridge {
            (self.factor, self.factor_ridge) = (UpdatableCholesky::default(), ridge);
        }
        let variables = self.factor.variables();
        let stale = positions(variables.len(), |j| {
            support.binary_search(&variables[j]).is_err()
        });
        let kept = self.factor.variables().len() - stale.len();
        let s = self.size();
        if 2 * (stale.len() + support.len() - kept) > support.len() {
            let gram = &self.gram;
            return match UpdatableCholesky::from_entries(support, |u, v| gram[v * s + u], ridge) {
                Some(factor) => {
                    self.factor = factor;
                    true
                }
                None => false,
            };
        }
        for &j in stale.iter().rev() {
            self.factor.remove(j);
        }
        let mut present = vec![false; s];
        for &k in self.factor.variables() {
            present[k] = true;
        }
        for &k in support.iter().filter(|&&k| !present[k]) {
            let column: Vec<f64> = self
                .factor
                .variables()
                .iter()
                .map(|&u| self.gram[k * s + u])
                .collect();
            if !self.factor.push(k, &column, self.gram[k * s + k] + ridge) {
                return false;
            }
        }
        true
    }

    /// Adds $\delta$ to $G$'s diagonal after $G_{AA}$ proved numerically singular (near
    /// separation, with nearly as many non-zero coefficients as rows). $G + \delta I$ is positive
    /// definite, and any positive definite matrix keeps the optimum as the outer iteration's
    /// fixed point, so only the rate of convergence changes; without it the model fell back to
    /// coordinate descent, which took 80,000 sweeps on an n = p = 300 path. The shift starts at
    /// $10^{-12}$ of the largest diagonal entry and grows a hundredfold per failure; false once it
    /// would pass $10^{-4}$ of it. The factor is rebuilt from the shifted $G$.
    pub(super) fn regularise(&mut self) -> bool {
        let s = self.size();
        let top = (0..s).map(|k| self.diagonal(k)).fold(0.0, f64::max);
        let total = if self.shift == 0.0 {
            1e-12 * top
        } else {
            100.0 * self.shift
        };
        if !(total > 0.0 && total <= 1e-4 * top) {
            return false;
        }
        for k in 0..s {
            self.gram[k * s + k] += total - self.shift;
        }
        self.shift = total;
        self.factor = UpdatableCholesky::default();
        true
    }
}
