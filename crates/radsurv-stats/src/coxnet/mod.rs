//! Penalised Cox regression (LASSO / elastic net) on glmnet's scale: the whole λ path by
//! coordinate descent with warm starts and strong rules.
//!
//! # Objective (exactly glmnet's `family = "cox"`)
//! $$\min_\beta\; -\frac1n\,\ell_{\mathrm{Breslow}}(\beta) +
//!   \lambda\Bigl[\tfrac{1-\alpha}{2}\lVert\beta\rVert_2^2 + \alpha\lVert\beta\rVert_1\Bigr],\qquad
//!   \ell_{\mathrm{Breslow}}(\beta) = \sum_{k}\Bigl[\sum_{i \in D_k} \eta_i - d_k \log\sum_{j\in R_k} e^{\eta_j}\Bigr]$$
//! with $\eta = X_s\beta$, $D_k$ the $d_k$ events at the $k$-th distinct event time $t_k$ and
//! $R_k = \{j : T_j \ge t_k\}$ (a censoring tied with an event is at risk). glmnet normalises
//! observation weights to sum to 1, so the log-likelihood enters divided by $n$; we checked this
//! against glmnet's λ_max and paths (`stats/expected/glmnet/`).
//!
//! # Notation
//! $X_s$ the covariates centred and scaled by their SD with divisor $n$ (glmnet's
//! `standardize = TRUE`); the penalty applies to $\beta$ on that scale and coefficients are
//! reported on the original scale, $\beta_j/\mathrm{sd}_j$.
//!
//! # Settings and defaults ([`CoxnetOptions`], `Default` = glmnet's)
//! `alpha = 1`; `nlambda = 100`; `lambda_min_ratio = 1e-2` if $n < p$ else `1e-4` (glmnet's
//! `ifelse(nobs < nvars, 0.01, 1e-4)`: $n = p$ takes 1e-4);
//! $\lambda_{\max} = \max_j |\tfrac1n \partial\ell/\partial\beta_j(0)| / \max(\alpha, 10^{-3})$ and
//! $\lambda_l = \lambda_{\max} r^{l-1}$, $r = \text{ratio}^{1/(\text{nlambda}-1)}$. The path stops early,
//! as glmnet's coxnet does, once $l \ge 5$ and
//! $(\mathrm{dr}_l - \mathrm{dr}_{l-4})/\mathrm{dr}_l < 10^{-3}$ or $\mathrm{dr}_l > 0.99$
//! ($\mathrm{dr}$ the deviance ratio).
//!
//! # Algorithm
//! The optimisation is a proximal Newton method (Lee, Sun & Saunders 2014, SIAM J. Optim. 24)
//! rather than the diagonal-weight IRLS of Simon, Friedman, Hastie & Tibshirani (2011, J. Stat.
//! Softw. 39(5)), because the optimum is wanted to 1e-8 and the diagonal model converges too
//! slowly near the unpenalised end of the path. Around the current $\tilde\beta$ the negative
//! log partial likelihood is replaced by its second-order model
//! $-c^\top\delta + \tfrac12\delta^\top G\delta$, $c = X_s^\top g/n$, $G = X_s^\top H X_s/n$,
//! $g = \partial\ell/\partial\eta$, $H = -\partial^2\ell/\partial\eta^2$ ($HX_S$ in $O(ns)$ from
//! risk-set suffix sums, then $G$ by packed matrix products over the blocks on and below the
//! diagonal, $\approx ns^2/2$), and the penalised model is minimised exactly by a primal active-set
//! method (Osborne, Presnell & Turlach 2000): with the signs of the non-zero coefficients fixed it
//! is a linear system for the correction to the model's centre (a Cholesky factor updated in
//! place as coefficients leave or join, `linalg::UpdatableCholesky`, and built by a blocked
//! factorisation when most of the support changed), and coefficients leave or join the support
//! until the KKT conditions hold; cyclic coordinate descent with the soft-threshold update
//! $b_j \leftarrow S(q_j + G_{jj}b_j,\ \lambda\alpha)/(G_{jj} + \lambda(1-\alpha))$ is the fallback.
//! An outer step that raises the penalised objective is halved. $G$ is reused across outer steps
//! and λ until forming it again is expected to cost less than the extra steps a stale one needs
//! (the chord method: any positive definite $G$ keeps the optimum as fixed point), and the chord
//! iterates are extrapolated by Anderson acceleration (Walker & Ni 2011). Along the path we warm
//! start (on the secant through the last two solutions while the signs stay) and screen with the
//! sequential
//! strong rule (Tibshirani et al. 2012, JRSS-B 74): only $|\tfrac1n\nabla_j\ell| \ge
//! \alpha(2\lambda_l - \lambda_{l-1})$ and the non-zero coefficients are updated (glmnet keeps
//! every coefficient that was ever active; near separation a sixth of those are zero again, and
//! $G$'s cost grows with the square of the set: `Problem::screen`), then the KKT
//! conditions are checked on all others (once on the way, when the remaining change is under
//! $10^{-6}$, so that a missed coefficient joins before convergence, and at the end).
//! Convergence: the estimated remaining
//! $\max_j G_{jj}(\Delta\beta_j)^2$ (the last step, scaled by the observed contraction) $<$ `tol`
//! (default $10^{-16}$), far tighter than glmnet's `thresh = 1e-7` (which glmnet scales by the null
//! deviance); or, where rounding is coarser than that, when a whole Newton step with a fresh $G$
//! needs halving within $10^{-6}$ of the optimum or cannot descend at all (near separation, where
//! the predictors spread over hundreds and $G$ is ill-conditioned, the gradient's rounding alone
//! makes steps of ~$10^{-11}$ that the objective cannot see).
//!
//! # Numerics
//! The exponentials $e^{\eta_i}$ and risk-set sums are held relative to a shift per risk set
//! (`Exponentials`): the largest $\eta$ overall while that keeps every sum above $10^{-100}$,
//! else each risk set's own largest, so the gradient, the Hessian and $\ell$ neither overflow
//! nor underflow however far apart the predictors are. A non-finite $\ell$ is a failed fit, never a
//! NaN in the output: as when a fit does not converge, the path ends before that λ
//! (`CoxnetPath::truncated_at`, as glmnet returns the solutions for the larger λ), or, at the
//! first λ, the fit is an error.
//!
//! # Reference
//! R `glmnet(x, Surv(time, status), family = "cox")` (glmnet 4.1-6): `lambda`, `beta`,
//! `dev.ratio`, `nulldev`, `df`. Golden: `stats/expected/glmnet/<ds>_{path,coef_path_tight}.csv`.
//!
//! # Known differences
//! * Ties on day scales: glmnet puts a censoring tied with an event into the risk set by adding
//!   `100*eps` to censored times, which is lost for times ≥ 256; on day-scale data glmnet then
//!   deviates from the Breslow likelihood (shared data README, gotcha 1). We always use the
//!   standard Breslow risk sets, which equal glmnet on times < 256 (e.g. years).
//! * Convergence: glmnet's defaults leave coefficients far from the optimum (its `thresh` is
//!   relative to the null deviance); we converge to the optimum, so at small λ we differ from
//!   glmnet's fits, even from the shared `*_coef_path_tight.csv`, by more than from glmnet rerun
//!   with a much smaller `thresh` (figures in `benches/README.md`).
//! * Path length: the early stop is evaluated on our exact deviance ratios; glmnet's are those of
//!   its inexact fits, so our path can be a λ shorter, or near separation (n ≈ p) longer, where
//!   glmnet's fits stall far from the optimum and trigger its stop. CV λ.min and λ.1se agree.
//! * Speed: each outer step costs $O(ns + s^2)$ and forming $G$ $O(ns^2)$, so with n ≈ p the
//!   end of the path (hundreds of non-zero coefficients) dominates. The dense kernels have an
//!   AVX build chosen at run time (`linalg`). Targets are ratios to R on the same machine; the
//!   measured ratios are in `benches/README.md` (`scripts/bench_coxnet_vs_glmnet.sh`).

use crate::linalg::add_scaled_columns;
use crate::{Design, Result, StatsError, SurvData};

/// Linear predictor $x_i^\top\beta$ of every row of `x` (original scale; zero coefficients
/// skipped, so sparse LASSO solutions are cheap).
pub fn linear_predictor(x: &Design, beta: &[f64]) -> Vec<f64> {
    let columns: Vec<(&[f64], f64)> = beta
        .iter()
        .enumerate()
        .take(x.n_cols())
        .filter(|(_, b)| **b != 0.0)
        .map(|(j, &b)| (x.column(j), b))
        .collect();
    let mut lp = vec![0.0; x.n_rows()];
    add_scaled_columns(&mut lp, &columns);
    lp
}

/// Options of [`coxnet`]; `Default` equals glmnet's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxnetOptions {
    /// Elastic-net mixing $\alpha \in [0, 1]$ (1 = LASSO).
    pub alpha: f64,
    /// Number of λ values before early stopping.
    pub nlambda: usize,
    /// $\lambda_{\min}/\lambda_{\max}$; `None` = 1e-2 if $n < p$ else 1e-4 (as glmnet).
    pub lambda_min_ratio: Option<f64>,
    /// A user λ sequence (decreasing); replaces the generated one and disables early stopping.
    pub lambda: Option<Vec<f64>>,
    /// Convergence tolerance on $\max_j h_j(\Delta\beta_j)^2$.
    pub tol: f64,
    /// Maximum work per λ: outer (Newton) steps plus fallback coordinate sweeps.
    pub max_sweeps: usize,
}

impl Default for CoxnetOptions {
    fn default() -> Self {
        CoxnetOptions {
            alpha: 1.0,
            nlambda: 100,
            lambda_min_ratio: None,
            lambda: None,
            tol: 1e-16,
            max_sweeps: 100_000,
        }
    }
}

/// A fitted coefficient path.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxnetPath {
    /// λ values, decreasing.
    pub lambda: Vec<f64>,
    /// Coefficients on the original scale, one vector of length $p$ per λ.
    pub beta: Vec<Vec<f64>>,
    /// Non-zero coefficients per λ (glmnet `df`).
    pub df: Vec<usize>,
    /// $1 - \mathrm{dev}/\mathrm{nulldev}$ per λ (glmnet `dev.ratio`).
    pub dev_ratio: Vec<f64>,
    /// Null deviance, $2(\ell_{\mathrm{sat}} - \ell(0))$ (glmnet `nulldev`).
    pub null_deviance: f64,
    /// The λ at which the solver hit its sweep limit, if any: the path ends before it, as glmnet
    /// returns "solutions for larger lambdas" (typically near saturation when $p \gtrsim n$).
    pub truncated_at: Option<f64>,
}

/// Fits the penalised Cox path; see the module doc for objective, λ rules and algorithm.
///
/// Matches R `glmnet(x, Surv(time, status), family = "cox", alpha, nlambda, lambda.min.ratio)`:
/// `lambda`, `as.matrix(beta)`, `df`, `dev.ratio`, `nulldev`.
///
/// # Errors
/// [`StatsError::Degenerate`] when rows differ from the survival data, there are no events,
/// `alpha` is outside [0, 1], or a user λ is not positive and decreasing.
pub fn coxnet(x: &Design, data: &SurvData, opts: &CoxnetOptions) -> Result<CoxnetPath> {
    check_inputs(x, data, opts)?;
    let problem = Problem::new(x, data);
    let lambdas = match &opts.lambda {
        Some(l) => l.clone(),
        None => {
            let ratio =
                opts.lambda_min_ratio
                    .unwrap_or(if data.len() < x.n_cols() { 1e-2 } else { 1e-4 });
            lambda_sequence(problem.lambda_max(opts.alpha), ratio, opts.nlambda)
        }
    };
    let early_stop = opts.lambda.is_none();
    problem.path(&lambdas, opts, early_stop)
}

/// The Breslow deviance $2(\ell_{\mathrm{sat}} - \ell(\eta))$ of a linear predictor, with
/// $\ell_{\mathrm{sat}} = -\sum_k d_k\log d_k$ over distinct event times.
///
/// Matches R `glmnet::coxnet.deviance(pred = eta, y = Surv(time, status))` (unit weights).
///
/// # Errors
/// [`StatsError::Degenerate`] when `eta` has a different length than the data.
pub fn breslow_deviance(data: &SurvData, eta: &[f64]) -> Result<f64> {
    if eta.len() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "{} linear predictors for {} observations",
            eta.len(),
            data.len()
        )));
    }
    Ok(DevianceEvaluator::new(data).deviance(eta))
}

/// Breslow deviance of many linear predictors on one data set (sorted once).
pub(crate) struct DevianceEvaluator {
    sets: RiskSets,
    saturated: f64,
}

impl DevianceEvaluator {
    pub(crate) fn new(data: &SurvData) -> Self {
        let sets = RiskSets::new(data);
        let saturated = sets.saturated_loglik();
        DevianceEvaluator { sets, saturated }
    }

    /// $2(\ell_{\mathrm{sat}} - \ell(\eta))$; `eta` in data order, of the data's length.
    pub(crate) fn deviance(&self, eta: &[f64]) -> f64 {
        let sorted: Vec<f64> = self.sets.order.iter().map(|&i| eta[i]).collect();
        2.0 * (self.saturated - self.sets.loglik(&sorted))
    }
}

fn check_inputs(x: &Design, data: &SurvData, opts: &CoxnetOptions) -> Result<()> {
    if x.n_rows() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "{} covariate rows for {} observations",
            x.n_rows(),
            data.len()
        )));
    }
    if data.events() == 0 {
        return Err(StatsError::Degenerate(
            "no events: the Cox model is undefined".into(),
        ));
    }
    if !(0.0..=1.0).contains(&opts.alpha) {
        return Err(StatsError::Degenerate(format!(
            "alpha must be in [0, 1], got {}",
            opts.alpha
        )));
    }
    if let Some(l) = &opts.lambda {
        let ok = !l.is_empty()
            && l.iter().all(|v| v.is_finite() && *v >= 0.0)
            && l.windows(2).all(|w| w[0] > w[1]);
        if !ok {
            return Err(StatsError::Degenerate(
                "lambda must be non-negative and strictly decreasing".into(),
            ));
        }
    } else if opts.nlambda < 2 {
        return Err(StatsError::Degenerate("nlambda must be at least 2".into()));
    }
    Ok(())
}

/// $\lambda_l = \lambda_{\max} r^{l-1}$ with $r = \mathrm{ratio}^{1/(\mathrm{nlambda}-1)}$.
///
/// glmnet's Fortran forms the exponent $1/(\mathrm{nlambda}-1)$ in single precision; we do the same
/// so that the λ values agree to the last digits (with a double exponent they differ by ~1e-10
/// relative at λ_2, growing along the path), which keeps λ.min/λ.1se comparisons exact.
fn lambda_sequence(lambda_max: f64, ratio: f64, nlambda: usize) -> Vec<f64> {
    let exponent = f64::from(1.0f32 / (nlambda - 1) as f32);
    let r = ratio.powf(exponent);
    (0..nlambda)
        .map(|l| lambda_max * r.powi(l as i32))
        .collect()
}

mod active_set;
mod anderson;
mod likelihood;
mod path;
mod quadratic;
#[cfg(test)]
mod tests;

use likelihood::RiskSets;
use path::Problem;

/// The indices in `0..len` where `keep` holds, allocated once (`collect` on a filter grows its
/// vector step by step, and this runs in the solver's inner loops).
fn positions(len: usize, keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut out = Vec::with_capacity(len);
    out.extend((0..len).filter(|&k| keep(k)));
    out
}

/// Whether two coefficient vectors have the same sign pattern (compared without building it).
fn same_signs(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| sign(*x) == sign(*y))
}

/// The sign (−1, 0, 1) of a coefficient.
fn sign(v: f64) -> i8 {
    if v > 0.0 {
        1
    } else if v < 0.0 {
        -1
    } else {
        0
    }
}

/// The sign pattern (−1, 0, 1) of a coefficient vector.
fn signs(b: &[f64]) -> Vec<i8> {
    b.iter().map(|&v| sign(v)).collect()
}

/// glmnet's coxnet path stop: after ≥ 5 λ, a deviance-ratio gain under 1e-3 over the last 4
/// steps (relative), or a deviance ratio above 0.99.
fn path_has_converged(dev_ratio: &[f64]) -> bool {
    let m = dev_ratio.len();
    if m < 5 {
        return false;
    }
    let last = dev_ratio[m - 1];
    (last - dev_ratio[m - 5]) / last < 1e-3 || last > 0.99
}

fn soft_threshold(u: f64, t: f64) -> f64 {
    if u > t {
        u - t
    } else if u < -t {
        u + t
    } else {
        0.0
    }
}
