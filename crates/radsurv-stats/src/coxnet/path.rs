//! The path driver: the standardised problem, warm starts and screening along λ, and the
//! proximal Newton (chord) outer steps at one λ with step halving and KKT checks.

use nalgebra::DMatrix;

use super::active_set::{Curvature, Penalty};
use super::anderson::Anderson;
use super::likelihood::RiskSets;
use super::quadratic::Quadratic;
use super::{path_has_converged, positions, same_signs, CoxnetOptions, CoxnetPath};
use crate::linalg::{add_scaled_columns, dots};
use crate::{Design, Result, StatsError, SurvData};

/// The standardised problem: columns (rows in time order) scaled to SD 1 with divisor n.
pub(super) struct Problem {
    pub(super) sets: RiskSets,
    pub(super) n: usize,
    pub(super) p: usize,
    /// Column-major standardised covariates, rows in `sets.order`.
    pub(super) xs: Vec<f64>,
    /// SD (divisor n) of each column; 0 marks a constant column (kept at β = 0).
    pub(super) sd: Vec<f64>,
}

/// What [`Problem::halve_until_descent`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Descent {
    /// The whole step lowered the objective.
    Full,
    /// A halved step did.
    Halved,
    /// No step down to $2^{-30}$ of it did; the start is restored.
    None,
}

/// How [`Problem::solve`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Solved {
    /// Converged on the set.
    Converged,
    /// Coefficients outside the set violated the KKT conditions on the way and joined it.
    SetGrew,
}

/// The estimated remaining change (in `tol`'s measure) at which [`Problem::solve`] checks the
/// coefficients outside the set: close enough to the optimum for the check to be telling, early
/// enough to save the steps of converging twice.
pub(super) const EARLY_KKT_CHANGE: f64 = 1e-6;

/// The step (in `tol`'s measure) below which a whole Newton step with a fresh $G$ lowers the
/// objective unless rounding noise decides (see [`Problem::solve`]).
pub(super) const NEAR_OPTIMUM_CHANGE: f64 = 1e-6;

/// Per-λ working state carried along the path (warm starts).
pub(super) struct State {
    pub(super) beta: Vec<f64>,
    pub(super) eta: Vec<f64>,
    /// Coefficients allowed to move (non-zero at the last λ, or admitted by the strong rule / KKT).
    pub(super) in_set: Vec<bool>,
    /// $\tfrac1n X_s^\top \partial\ell/\partial\eta$ at the current solution, kept up to date for
    /// the coefficients outside the set (the only ones the strong rule and KKT check look at).
    pub(super) score: Vec<f64>,
    /// The second-order model at `eta` (always kept in step with it).
    pub(super) model: Quadratic,
    /// The last Hessian on the set, reused across outer steps and λ while it serves.
    pub(super) curvature: Option<Curvature>,
}

impl Problem {
    pub(super) fn new(x: &Design, data: &SurvData) -> Self {
        let sets = RiskSets::new(data);
        let n = sets.len();
        let p = x.n_cols();
        let mut xs = Vec::with_capacity(n * p);
        let mut sd = Vec::with_capacity(p);
        for col in (0..p).map(|j| x.column(j)) {
            let mean = col.iter().sum::<f64>() / n as f64;
            let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
            let s = var.sqrt();
            let usable = s > 0.0 && s.is_finite();
            sd.push(if usable { s } else { 0.0 });
            xs.extend(
                sets.order
                    .iter()
                    .map(|&i| if usable { (col[i] - mean) / s } else { 0.0 }),
            );
        }
        Problem { sets, n, p, xs, sd }
    }

    pub(super) fn column(&self, j: usize) -> &[f64] {
        &self.xs[j * self.n..(j + 1) * self.n]
    }

    /// $X_T^\top$ for the given columns $T$: a $|T| \times n$ matrix, so that $X_T^\top M$ runs
    /// matrixmultiply's packed kernel (nalgebra's `tr_mul` computes one dot product per entry).
    /// Written in order, reading one row of $X_T$ at a time (the $|T|$ columns' current cache
    /// lines stay in cache from one row to the next).
    pub(super) fn transposed_columns(&self, which: &[usize]) -> DMatrix<f64> {
        let columns: Vec<&[f64]> = which.iter().map(|&j| self.column(j)).collect();
        let mut out = Vec::with_capacity(which.len() * self.n);
        for i in 0..self.n {
            out.extend(columns.iter().map(|column| column[i]));
        }
        DMatrix::from_vec(which.len(), self.n, out)
    }

    /// $\tfrac1n x_j^\top g$ for the given columns.
    pub(super) fn score(&self, grad: &[f64], columns: impl Iterator<Item = usize>) -> Vec<f64> {
        let columns: Vec<&[f64]> = columns.map(|j| self.column(j)).collect();
        let mut out = dots(&columns, grad);
        out.iter_mut().for_each(|v| *v /= self.n as f64);
        out
    }

    pub(super) fn lambda_max(&self, alpha: f64) -> f64 {
        let model = Quadratic::new(&self.sets, &vec![0.0; self.n]);
        let score = self.score(&model.grad, 0..self.p);
        score.iter().fold(0.0f64, |m, s| m.max(s.abs())) / alpha.max(1e-3)
    }

    pub(super) fn penalty(beta: &[f64], lambda: f64, alpha: f64) -> f64 {
        lambda
            * beta
                .iter()
                .map(|b| (1.0 - alpha) / 2.0 * b * b + alpha * b.abs())
                .sum::<f64>()
    }

    pub(super) fn path(
        &self,
        lambdas: &[f64],
        opts: &CoxnetOptions,
        early_stop: bool,
    ) -> Result<CoxnetPath> {
        let alpha = opts.alpha;
        let sat = self.sets.saturated_loglik();
        let null_deviance = 2.0 * (sat - self.sets.loglik(&vec![0.0; self.n]));
        let eta = vec![0.0; self.n];
        let model = Quadratic::new(&self.sets, &eta);
        let mut state = State {
            beta: vec![0.0; self.p],
            score: self.score(&model.grad, 0..self.p),
            eta,
            in_set: vec![false; self.p],
            model,
            curvature: None,
        };
        let mut out = CoxnetPath {
            lambda: vec![],
            beta: vec![],
            df: vec![],
            dev_ratio: vec![],
            null_deviance,
            truncated_at: None,
        };
        let mut previous = lambdas[0];
        let mut before_previous: Option<(f64, Vec<f64>)> = None;
        for &lambda in lambdas {
            self.screen(alpha * (2.0 * lambda - previous), &mut state);
            if let Some(before) = before_previous.as_ref().filter(|b| b.0 > previous) {
                let steps = (previous - lambda) / (before.0 - previous);
                self.extrapolate(&before.1, steps, &mut state);
            }
            let last_beta = state.beta.clone();
            let loglik = match self.solve_with_kkt(lambda, opts, &mut state) {
                // As glmnet: keep the solutions for the larger λ and end the path here.
                Err(StatsError::NotConverged { .. }) if !out.lambda.is_empty() => {
                    out.truncated_at = Some(lambda);
                    break;
                }
                result => result?,
            };
            before_previous = Some((previous, last_beta));
            previous = lambda;
            let dev = 2.0 * (sat - loglik);
            out.lambda.push(lambda);
            out.beta.push(
                state
                    .beta
                    .iter()
                    .zip(&self.sd)
                    .map(|(b, s)| if *s > 0.0 { b / s } else { 0.0 })
                    .collect(),
            );
            out.df
                .push(state.beta.iter().filter(|b| **b != 0.0).count());
            out.dev_ratio.push(1.0 - dev / null_deviance);
            if early_stop && path_has_converged(&out.dev_ratio) {
                break;
            }
        }
        Ok(out)
    }

    /// The set for the next λ: the non-zero coefficients and those whose score passes the
    /// strong rule's `threshold`. Zero coefficients of the last set whose scores fall short
    /// leave it, on the same terms as those outside it, because near separation many
    /// coefficients ever active are zero again and $G$'s cost grows with the square of the set.
    /// Whatever leaves is checked with the rest against the KKT conditions, so the solutions do
    /// not change; one that comes back costs a round of outer steps, which on balance is
    /// cheaper than keeping the zeros (`benches/README.md`).
    pub(super) fn screen(&self, threshold: f64, state: &mut State) {
        let zero_in_set = positions(self.p, |j| state.in_set[j] && state.beta[j] == 0.0);
        let score = self.score(&state.model.grad, zero_in_set.iter().copied());
        for (&j, v) in zero_in_set.iter().zip(score) {
            state.score[j] = v;
        }
        for j in 0..self.p {
            state.in_set[j] =
                self.sd[j] > 0.0 && (state.beta[j] != 0.0 || state.score[j].abs() >= threshold);
        }
    }

    /// Moves the warm start along the path's secant: $\beta \leftarrow \beta + t(\beta - \beta_{\text{before}})$,
    /// when that keeps every sign (the path is smooth between changes of the support), so that
    /// the first step at the new λ starts $O(\Delta\lambda^2)$ rather than $O(\Delta\lambda)$ away.
    pub(super) fn extrapolate(&self, before: &[f64], t: f64, state: &mut State) {
        let target: Vec<f64> = state
            .beta
            .iter()
            .zip(before)
            .map(|(b, a)| b + t * (b - a))
            .collect();
        if !same_signs(&target, &state.beta) || !same_signs(before, &state.beta) {
            return;
        }
        let all: Vec<usize> = (0..self.p).collect();
        self.move_to(&all, &target, state);
    }

    /// Solves at one λ on the screened set, adds KKT violators, repeats; returns $\ell$ (an
    /// error, never a NaN, if it is not finite).
    pub(super) fn solve_with_kkt(
        &self,
        lambda: f64,
        opts: &CoxnetOptions,
        state: &mut State,
    ) -> Result<f64> {
        loop {
            let outcome = self.solve(lambda, opts, state)?;
            if !state.model.loglik.is_finite() {
                return Err(StatsError::NotConverged {
                    method: "coxnet".into(),
                    detail: format!("the log-likelihood is not finite at lambda {lambda}"),
                });
            }
            if outcome == Solved::Converged && !self.admit_violators(lambda, opts.alpha, state) {
                return Ok(state.model.loglik);
            }
        }
    }

    /// Checks the KKT conditions $|\tfrac1n x_j^\top g| \le \lambda\alpha$ of the coefficients
    /// outside the set at the current point, admits the violators to the set and returns whether
    /// there were any. The scores are kept for the strong rule at the next λ.
    pub(super) fn admit_violators(&self, lambda: f64, alpha: f64, state: &mut State) -> bool {
        let outside = positions(self.p, |j| !state.in_set[j] && self.sd[j] > 0.0);
        let score = self.score(&state.model.grad, outside.iter().copied());
        let threshold = alpha * lambda;
        let mut violated = false;
        for (&j, &v) in outside.iter().zip(&score) {
            state.score[j] = v;
            if v.abs() > threshold {
                state.in_set[j] = true;
                violated = true;
            }
        }
        violated
    }

    /// Proximal Newton on the screened set: each outer step minimises the penalised second-order
    /// model of $-\ell/n$ exactly ([`Curvature::minimise`]), then a step-halving safeguard on the
    /// true penalised objective. Converged when the estimated distance of the last chord image
    /// from the fixed point, in $\max_j G_{jj}(\Delta\beta_j)^2$, is under `tol`
    /// ([`remaining_change`]).
    ///
    /// The Hessian $G$ is kept while it still works (the chord variant of Newton's method): any
    /// positive definite $G$ has the optimum as its fixed point, and a $G$ from a nearby point
    /// converges almost as fast, while forming it costs $O(ns^2)$ against $O(ns)$ for the gradient.
    /// It grows with the set ([`Curvature::extend`]) and is formed again when a step had to be
    /// halved or when that is expected to pay ([`Self::fresh_hessian_pays`]). The chord iterates
    /// converge linearly and are extrapolated by [`Anderson`] acceleration; convergence is still
    /// judged on the plain chord step, and the last step taken is that step.
    ///
    /// Once the estimated remaining change is under [`EARLY_KKT_CHANGE`] the coefficients
    /// outside the set are checked against the KKT conditions, once: violators found there join
    /// the set before convergence ([`Solved::SetGrew`]) rather than after it, when the caller's
    /// check would restart the iteration from a converged point.
    pub(super) fn solve(
        &self,
        lambda: f64,
        opts: &CoxnetOptions,
        state: &mut State,
    ) -> Result<Solved> {
        let n = self.n as f64;
        let alpha = opts.alpha;
        let set = positions(self.p, |j| state.in_set[j]);
        if set.is_empty() {
            return Ok(Solved::Converged);
        }
        if let Some(curvature) = state.curvature.as_mut() {
            curvature.restrict(&set);
            if curvature.set != set {
                curvature.extend(self, &set);
            }
        }
        let mut sweeps = 0;
        let mut last_change = f64::INFINITY;
        let mut anderson = Anderson::default();
        let mut start_eta = Vec::new();
        let mut checked_early = false;
        while sweeps <= opts.max_sweeps {
            let objective = -state.model.loglik / n + Self::penalty(&state.beta, lambda, alpha);
            let fresh = state.curvature.is_none();
            let curvature = state
                .curvature
                .get_or_insert_with(|| Curvature::new(self, &state.model, &set));
            let score = self.score(&state.model.grad, set.iter().copied());
            let start: Vec<f64> = set.iter().map(|&j| state.beta[j]).collect();
            let budget = opts.max_sweeps - sweeps;
            let (target, used) =
                curvature.minimise(&score, &start, Penalty { lambda, alpha }, opts.tol, budget);
            sweeps += used.max(1);
            let change = target
                .iter()
                .zip(&start)
                .enumerate()
                .map(|(k, (t, s))| curvature.diagonal(k) * (t - s).powi(2))
                .fold(0.0, f64::max);
            // a step this small is taken as it is: the objective's change is then rounding noise
            let remaining = remaining_change(change, last_change);
            if remaining < opts.tol {
                self.move_to(&set, &target, state);
                return Ok(Solved::Converged);
            }
            start_eta.clone_from(&state.eta);
            self.move_to(&set, &anderson.next(&start, &target), state);
            // a step under ~1e-12 of the objective changes it by rounding noise only: checking
            // it for descent would halve it (and discard G) for nothing
            let descent = if change > 1e-12 * objective.abs() {
                self.halve_until_descent(objective, lambda, alpha, &set, &start, &start_eta, state)
            } else {
                Descent::Full
            };
            // An exact Newton step that has to be shortened this close to the optimum (where
            // the model is accurate and a whole step always descends), or that cannot lower the
            // objective at all, is rounding noise: the gradient's rounding, through an
            // ill-conditioned G, makes a step of that size that the objective cannot see (near
            // separation, where the predictors spread over hundreds). The point is the optimum
            // to working precision.
            if fresh
                && (descent == Descent::None
                    || (descent == Descent::Halved && change < NEAR_OPTIMUM_CHANGE))
            {
                return Ok(Solved::Converged);
            }
            if descent != Descent::Full
                || self.fresh_hessian_pays(set.len(), change / last_change, change, opts.tol)
            {
                state.curvature = None;
                anderson = Anderson::default();
            }
            last_change = change;
            if !checked_early && remaining < EARLY_KKT_CHANGE {
                checked_early = true;
                if self.admit_violators(lambda, alpha, state) {
                    return Ok(Solved::SetGrew);
                }
            }
        }
        Err(StatsError::NotConverged {
            method: "coxnet".into(),
            detail: format!("at lambda {lambda} within {} sweeps", opts.max_sweeps),
        })
    }

    /// Whether forming $G$ afresh is expected to cost less than going on with the current one.
    /// A chord step that shrank the change by $\rho$ needs about
    /// $\ln(\text{tol}/\text{change})/\ln\rho$ more steps, each $\approx 2ns + 3s^2 + 50n$
    /// operations (gradient and linear predictor, model solve, exponentials); a fresh $G$ costs
    /// $\approx ns^2/8 + s^3/6 + ns$ (the packed products run about four times faster per
    /// operation than the steps' loops; factorisation; transposed copy) and then shrinks the
    /// change by about $10^{-3}$ per step. So small problems refresh $G$ often and large ones
    /// rarely. A step that did not shrink the change always refreshes; otherwise the costs
    /// decide (the constants' provenance is in `benches/README.md`).
    pub(super) fn fresh_hessian_pays(
        &self,
        s: usize,
        contraction: f64,
        change: f64,
        tol: f64,
    ) -> bool {
        const FRESH_CONTRACTION: f64 = 1e-3;
        if contraction >= 1.0 {
            return true;
        }
        let (n, s) = (self.n as f64, s as f64);
        let steps = |rho: f64| (tol / change).ln() / rho.ln();
        let saved = steps(contraction) - steps(FRESH_CONTRACTION);
        let step_cost = 2.0 * n * s + 3.0 * s * s + 50.0 * n;
        saved * step_cost > n * s * s / 8.0 + s * s * s / 6.0 + n * s
    }

    /// Sets $\beta_S$ to `target`, updates $\eta$ by $X_S\Delta\beta_S$ and the model there.
    pub(super) fn move_to(&self, set: &[usize], target: &[f64], state: &mut State) {
        let mut moves = Vec::with_capacity(set.len());
        for (&j, &b) in set.iter().zip(target) {
            let delta = b - state.beta[j];
            if delta != 0.0 {
                state.beta[j] = b;
                moves.push((self.column(j), delta));
            }
        }
        add_scaled_columns(&mut state.eta, &moves);
        state.model.update(&self.sets, &state.eta);
    }

    /// Halves the outer step while the penalised objective went up (a safeguard: the quadratic
    /// model can overshoot far from the optimum).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn halve_until_descent(
        &self,
        objective: f64,
        lambda: f64,
        alpha: f64,
        set: &[usize],
        start_beta: &[f64],
        start_eta: &[f64],
        state: &mut State,
    ) -> Descent {
        let n = self.n as f64;
        for halvings in 0..30 {
            let new = -state.model.loglik / n + Self::penalty(&state.beta, lambda, alpha);
            if new <= objective + 1e-15 * objective.abs() {
                return if halvings == 0 {
                    Descent::Full
                } else {
                    Descent::Halved
                };
            }
            for (&j, s) in set.iter().zip(start_beta) {
                state.beta[j] = 0.5 * (state.beta[j] + s);
            }
            for (e, s) in state.eta.iter_mut().zip(start_eta) {
                *e = 0.5 * (*e + s);
            }
            state.model.update(&self.sets, &state.eta);
        }
        for (&j, &s) in set.iter().zip(start_beta) {
            state.beta[j] = s;
        }
        state.eta.copy_from_slice(start_eta);
        state.model.update(&self.sets, &state.eta);
        Descent::None
    }
}

/// The estimated distance (in the squared measure of `change`) from the chord image just
/// computed to the fixed point. A linear iteration that shrinks its steps by $\rho$ (squared)
/// leaves $\sum_{k\ge1}\rho^{k/2}$ times the last step, i.e. $\text{change}\,\rho/(1-\sqrt\rho)^2$
/// (e.g. Ortega & Rheinboldt 1970, §12.1). ρ comes from the last two steps and is taken as at least
/// $10^{-3}$ (what a fresh $G$ gives) so that one lucky step cannot end the iteration; with no
/// estimate yet (first step) the step itself is the estimate.
pub(super) fn remaining_change(change: f64, last_change: f64) -> f64 {
    let rho = (change / last_change).max(1e-3);
    if !last_change.is_finite() || rho >= 0.5 {
        return change;
    }
    change * rho / (1.0 - rho.sqrt()).powi(2)
}
