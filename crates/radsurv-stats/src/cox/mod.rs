//! Cox proportional-hazards regression, fitted as R's `coxph` does.
//!
//! # Definition
//! With $\eta_i = x_i^\top\beta$, distinct event times $t_k$, $D_k$ the $d_k$ subjects dying at
//! $t_k$ and $R_k$ those at risk, the Efron log partial likelihood is
//! $$\ell(\beta) = \sum_k\Bigl[\sum_{i\in D_k}\eta_i - \sum_{r=0}^{d_k-1}\log\Bigl(
//!   \sum_{j\in R_k}e^{\eta_j} - \frac{r}{d_k}\sum_{i\in D_k}e^{\eta_i}\Bigr)\Bigr]$$
//! and Breslow's drops the $r/d_k$ term. Score $U = \partial\ell/\partial\beta$ and information
//! $\mathcal I = -\partial^2\ell/\partial\beta^2$ follow term by term.
//!
//! # Algorithm (R `coxph.fit` / `coxfit6.c`)
//! Covariates are centred on their means and scaled by $1/\overline{|x - \bar x|}$ (iterations are
//! invariant to both), except columns with values in $\{-1, 0, 1\}$, left as they are with mean 0
//! (R's `nocenter`); the means are also the point at which the centred baseline is reported.
//! Newton–Raphson from $\beta = 0$: $\beta \leftarrow \beta + \mathcal I^{-1}U$;
//! converged when the new $\ell$ is finite and $|1 - \ell_{\text{best}}/\ell_{\text{new}}| \le
//! \varepsilon$. A step that lowers $\ell$, or whose $\ell$, score or information is not finite
//! (the risk scores overflowed), is pulled back towards the last accepted $\beta$, harder each
//! time: after the $h$-th failure in a row the trial point is $(\beta_{\text{new}} + h\beta)/(h+1)$.
//! At most `iter_max` steps; when they run out, the fit is the last accepted $\beta$, with
//! $\ell$ and $\mathcal I$ evaluated there, and `iterations` is `iter_max + 1`, as R reports.
//! `var` $= \mathcal I^{-1}$ at the final $\beta$.
//!
//! # Settings and defaults
//! [`CoxOptions::default`] = `coxph.control()`: `eps = 1e-9`, `iter.max = 20`,
//! `toler.chol = .Machine$double.eps^0.75`, `toler.inf = sqrt(eps)`; ties Efron; 95 % CIs.
//!
//! # Reference
//! R survival 3.5-3 `coxph(Surv(time, status) ~ ..., ties = "efron"|"breslow")`: `coef`,
//! `sqrt(diag(var))`, `loglik`, `score`, `wald.test`, `concordance`, `means`; `basehaz(fit,
//! centered = FALSE)`; `survfit(fit, newdata)`. Golden files `stats/expected/cox/*`.
//! Closed form: survival's `tests/book1.R` (see the unit tests).
//!
//! # Known differences
//! R drops a collinear column (coefficient `NA`) and goes on; we return
//! [`StatsError::Singular`] naming it, so a model is never silently different from the one asked.
//! When the iterations run out, R reports the last accepted coefficients but inverts the
//! information recomputed there without factoring it first, so its standard errors belong to no
//! model; ours are the inverse information at those coefficients, which is what R gives when
//! refitted there with `iter.max = 0` (golden file `stats/expected/cox/sparse_level_coef.csv`).

use serde::{Deserialize, Serialize};

use crate::distributions::{chi_square_upper, z_for_level, z_two_sided};
use crate::linalg::{dot_in_order as dot, solve_symmetric, Ldl};
use crate::surv::{TieGroup, TieGroups};
use crate::{Design, Result, StatsError, SurvData};

/// Handling of tied event times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// Efron's approximation (R's default).
    #[default]
    Efron,
    /// Breslow's approximation (glmnet's, and R's `ties = "breslow"`).
    Breslow,
}

impl Ties {
    /// R's name of the method.
    pub fn name(self) -> &'static str {
        match self {
            Ties::Efron => "efron",
            Ties::Breslow => "breslow",
        }
    }
}

impl std::str::FromStr for Ties {
    type Err = StatsError;

    /// Parses R's names `"efron"` and `"breslow"`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "efron" => Ok(Ties::Efron),
            "breslow" => Ok(Ties::Breslow),
            other => Err(StatsError::Degenerate(format!(
                "unknown ties method {other:?} (expected efron or breslow)"
            ))),
        }
    }
}

/// Fitting options; `Default` equals `coxph.control()` with `ties = "efron"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoxOptions {
    /// Tie handling.
    pub ties: Ties,
    /// Convergence threshold on the relative change of the log-likelihood (`eps`).
    pub eps: f64,
    /// Maximum Newton–Raphson iterations (`iter.max`).
    pub iter_max: usize,
    /// Relative pivot tolerance declaring a column singular (`toler.chol`).
    pub toler_chol: f64,
    /// Relative threshold of the divergence check (`toler.inf`).
    pub toler_inf: f64,
    /// Confidence level of the hazard-ratio intervals.
    pub conf_level: f64,
}

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            eps: 1e-9,
            iter_max: 20,
            toler_chol: f64::EPSILON.powf(0.75),
            toler_inf: 1e-9_f64.sqrt(),
            conf_level: 0.95,
        }
    }
}

/// One row of the coefficient table: a covariate's name and its Wald estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxCoefficient {
    /// Covariate name.
    pub name: String,
    /// The coefficient, its hazard ratio and their Wald inference.
    #[serde(flatten)]
    pub estimate: WaldEstimate,
}

/// A coefficient with its Wald standard error, hazard ratio, interval and test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WaldEstimate {
    /// $\hat\beta_j$.
    pub coef: f64,
    /// $\operatorname{se}_j = \sqrt{[\mathcal I^{-1}]_{jj}}$.
    pub se: f64,
    /// Hazard ratio $e^{\hat\beta_j}$.
    pub hr: f64,
    /// $e^{\hat\beta_j - z\,\operatorname{se}_j}$.
    pub hr_lower: f64,
    /// $e^{\hat\beta_j + z\,\operatorname{se}_j}$.
    pub hr_upper: f64,
    /// Wald $z = \hat\beta_j/\operatorname{se}_j$.
    pub z: f64,
    /// Two-sided Wald p-value $2\Phi(-|z|)$.
    pub p: f64,
}

impl WaldEstimate {
    /// The estimate of `coef` with standard error `se`, at confidence level `conf_level`.
    pub fn new(coef: f64, se: f64, conf_level: f64) -> Self {
        let zq = z_for_level(conf_level);
        let z = coef / se;
        WaldEstimate {
            coef,
            se,
            hr: coef.exp(),
            hr_lower: (coef - zq * se).exp(),
            hr_upper: (coef + zq * se).exp(),
            z,
            p: z_two_sided(z),
        }
    }
}

/// A $\chi^2$ test of all coefficients being 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GlobalTest {
    /// Statistic.
    pub statistic: f64,
    /// Degrees of freedom (number of coefficients).
    pub df: usize,
    /// Upper-tail p-value.
    pub p: f64,
}

/// A fitted Cox model.
#[derive(Debug, Clone, PartialEq)]
pub struct CoxFit {
    names: Vec<String>,
    coef: Vec<f64>,
    var: Vec<Vec<f64>>,
    means: Vec<f64>,
    loglik_null: f64,
    loglik: f64,
    score_stat: f64,
    iterations: usize,
    converged: bool,
    warnings: Vec<String>,
    /// Columns whose coefficient may be infinite (R's "Loglik converged before variable").
    diverging: Vec<usize>,
    n: usize,
    events: usize,
    options: CoxOptions,
    /// Distinct observed times and the cumulative baseline hazard at the covariate means.
    baseline: Vec<(f64, f64)>,
    concordance: crate::concordance::Concordance,
}

/// Fits a Cox model by Newton–Raphson on the Efron or Breslow partial likelihood.
///
/// Matches R `coxph(Surv(time, status) ~ x1 + ... + xp, ties = ...)` with `coxph.control()`
/// defaults: same iterations, same convergence rule and step halving.
///
/// # Errors
/// [`StatsError::Degenerate`] when the design and outcome lengths differ or there is no event;
/// [`StatsError::Singular`] naming the first collinear column. A diverging coefficient or
/// non-convergence is not an error: see [`CoxFit::warnings`] (as R warns).
pub fn fit(data: &SurvData, design: &Design, options: &CoxOptions) -> Result<CoxFit> {
    if design.n_rows() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "design has {} rows, survival data {}",
            design.n_rows(),
            data.len()
        )));
    }
    if data.events() == 0 {
        return Err(StatsError::Degenerate(
            "Cox model needs at least one event".into(),
        ));
    }
    let problem = Problem::new(data, design, options.ties);
    let p = problem.p;
    let singular = |i: usize| StatsError::Singular {
        column: design.names()[i].clone(),
    };

    let mut beta = vec![0.0; p];
    let start = problem.evaluate(&beta);
    let loglik_null = start.loglik;
    let chol = Ldl::factor(&start.info, options.toler_chol).map_err(singular)?;
    let step = chol.solve(&start.score);
    let score_stat = dot(&step, &start.score);
    let mut newbeta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    let mut loglik = loglik_null;
    let mut failed_in_a_row = 0u32;
    let mut iterations = options.iter_max + 1;
    let mut at_convergence = None;
    for iter in 1..=options.iter_max {
        let trial = problem.evaluate(&newbeta);
        let finite = trial.is_finite();
        if finite && (1.0 - loglik / trial.loglik).abs() <= options.eps {
            iterations = iter;
            beta.clone_from(&newbeta);
            at_convergence = Some(trial);
            break;
        }
        if !finite || trial.loglik < loglik {
            failed_in_a_row += 1;
            let h = f64::from(failed_in_a_row);
            newbeta = newbeta
                .iter()
                .zip(&beta)
                .map(|(n, b)| (n + h * b) / (h + 1.0))
                .collect();
        } else {
            failed_in_a_row = 0;
            loglik = trial.loglik;
            let step = Ldl::factor(&trial.info, options.toler_chol)
                .map_err(singular)?
                .solve(&trial.score);
            beta.clone_from(&newbeta);
            newbeta = newbeta.iter().zip(&step).map(|(n, s)| n + s).collect();
        }
    }
    if options.iter_max == 0 {
        // No iteration: report the initial values, as coxph(iter.max = 0).
        iterations = 0;
    }
    let converged = at_convergence.is_some();
    let last = at_convergence.unwrap_or_else(|| problem.evaluate(&beta));
    let final_chol = Ldl::factor(&last.info, options.toler_chol).map_err(singular)?;
    let var_scaled = final_chol.inverse();
    // Back to the original covariate scale.
    let s = &problem.scale;
    let coef: Vec<f64> = beta.iter().zip(s).map(|(b, s)| b * s).collect();
    let var: Vec<Vec<f64>> = (0..p)
        .map(|j| (0..p).map(|k| var_scaled[j][k] * s[j] * s[k]).collect())
        .collect();
    let score: Vec<f64> = last.score.iter().zip(s).map(|(u, s)| u / s).collect();

    let mut warnings = Vec::new();
    let mut diverging = Vec::new();
    if !converged && options.iter_max > 1 {
        warnings.push("Ran out of iterations and did not converge".to_string());
    } else if options.iter_max > 1 {
        diverging = (0..p)
            .filter(|&j| {
                let inf = (0..p).map(|k| score[k] * var[k][j]).sum::<f64>().abs();
                inf > options.eps && inf > options.toler_inf * coef[j].abs()
            })
            .collect();
        if !diverging.is_empty() {
            let names: Vec<&str> = diverging
                .iter()
                .map(|&j| design.names()[j].as_str())
                .collect();
            warnings.push(format!(
                "Loglik converged before variable {}; coefficient may be infinite (separation?)",
                names.join(",")
            ));
        }
    }

    let lp: Vec<f64> = (0..data.len())
        .map(|i| dot(&design.row(i), &coef))
        .collect();
    let concordance = crate::concordance::harrell(data, &lp)?;
    let baseline = problem.baseline_hazard(&beta);
    Ok(CoxFit {
        names: design.names().to_vec(),
        coef,
        var,
        means: problem.means.clone(),
        loglik_null,
        loglik: last.loglik,
        score_stat,
        iterations,
        converged,
        warnings,
        diverging,
        n: data.len(),
        events: data.events(),
        options: *options,
        baseline,
        concordance,
    })
}

/// One Cox model per design column (univariable screening), each on all rows.
///
/// Matches R `coxph(Surv(time, status) ~ x_j)` for each $j$.
///
/// # Errors
/// As [`fit`].
pub fn univariable(data: &SurvData, design: &Design, options: &CoxOptions) -> Result<Vec<CoxFit>> {
    (0..design.n_cols())
        .map(|j| {
            let single = Design::new_unchecked_variation(
                vec![design.names()[j].clone()],
                vec![design.column(j).to_vec()],
            )?;
            fit(data, &single, options)
        })
        .collect()
}

impl CoxFit {
    /// Covariate names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// $\hat\beta$.
    pub fn coef(&self) -> &[f64] {
        &self.coef
    }

    /// $\mathcal I(\hat\beta)^{-1}$ (R's `vcov(fit)`).
    pub fn var(&self) -> &[Vec<f64>] {
        &self.var
    }

    /// Covariate means used for centring (R's `fit$means`).
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// Number of observations.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.events
    }

    /// Options used.
    pub fn options(&self) -> &CoxOptions {
        &self.options
    }

    /// $\ell(0)$ (R `fit$loglik[1]`).
    pub fn loglik_null(&self) -> f64 {
        self.loglik_null
    }

    /// $\ell(\hat\beta)$ (R `fit$loglik[2]`).
    pub fn loglik(&self) -> f64 {
        self.loglik
    }

    /// Newton–Raphson iterations made (R `fit$iter`).
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether the convergence rule was met within `iter_max`.
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// Warnings as R gives them: non-convergence, or a coefficient that may be infinite
    /// (monotone likelihood, e.g. separation).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether column `j`'s coefficient may be infinite (monotone likelihood, e.g. every death of
    /// one group before the other's first), as R warns; its HR and CI then describe where the
    /// iterations stopped, not an estimate.
    pub fn may_be_infinite(&self, j: usize) -> bool {
        self.diverging.contains(&j)
    }

    /// Harrell's C of the linear predictor with its IJ standard error (R `fit$concordance`).
    pub fn concordance(&self) -> &crate::concordance::Concordance {
        &self.concordance
    }

    /// Coefficient table: $\hat\beta$, se, HR with CI $e^{\hat\beta \pm z\,\mathrm{se}}$, Wald
    /// $z$ and $p = 2\Phi(-|z|)$, as `summary(coxph)`.
    pub fn coefficients(&self) -> Vec<CoxCoefficient> {
        self.names
            .iter()
            .enumerate()
            .map(|(j, name)| CoxCoefficient {
                name: name.clone(),
                estimate: WaldEstimate::new(
                    self.coef[j],
                    self.var[j][j].sqrt(),
                    self.options.conf_level,
                ),
            })
            .collect()
    }

    /// Likelihood-ratio test $2(\ell(\hat\beta) - \ell(0))$ on $p$ df (R `summary(fit)$logtest`).
    pub fn lr_test(&self) -> GlobalTest {
        self.chi_square(2.0 * (self.loglik - self.loglik_null))
    }

    /// Wald test $\hat\beta^\top \mathcal I^{-1}(\hat\beta)^{-1}\hat\beta$ (R `fit$wald.test`).
    pub fn wald_test(&self) -> GlobalTest {
        let stat = solve_symmetric(&self.var, &self.coef).map_or(f64::NAN, |x| dot(&x, &self.coef));
        self.chi_square(stat)
    }

    /// Score (log-rank) test $U(0)^\top\mathcal I(0)^{-1}U(0)$ (R `fit$score`).
    pub fn score_test(&self) -> GlobalTest {
        self.chi_square(self.score_stat)
    }

    fn chi_square(&self, stat: f64) -> GlobalTest {
        let df = self.coef.len();
        GlobalTest {
            statistic: stat,
            df,
            p: chi_square_upper(stat, df as f64),
        }
    }

    /// Uncentred linear predictor $x^\top\hat\beta$ of one covariate row (in `names` order).
    ///
    /// # Panics
    /// If `x.len()` differs from the number of coefficients (a caller bug).
    #[track_caller]
    pub fn linear_predictor(&self, x: &[f64]) -> f64 {
        assert_eq!(
            x.len(),
            self.coef.len(),
            "covariate row has the wrong length"
        );
        dot(x, &self.coef)
    }

    /// Uncentred linear predictors of every row of `design` (R `X %*% coef(fit)`).
    ///
    /// # Errors
    /// [`StatsError::Degenerate`] when the design's column names differ from the fit's.
    pub fn linear_predictors(&self, design: &Design) -> Result<Vec<f64>> {
        if design.names() != self.names.as_slice() {
            return Err(StatsError::Degenerate(format!(
                "design columns {:?} differ from the model's {:?}",
                design.names(),
                self.names
            )));
        }
        Ok((0..design.n_rows())
            .map(|i| dot(&design.row(i), &self.coef))
            .collect())
    }

    /// Cumulative baseline hazard at each distinct observed time.
    ///
    /// Breslow: $\hat H_0(t) = \sum_{t_k\le t} d_k / \sum_{j\in R_k} e^{\tilde\eta_j}$; Efron:
    /// increments $\sum_{r=0}^{d_k-1} 1/\bigl(\sum_{R_k} e^{\tilde\eta_j} - \frac{r}{d_k}\sum_{D_k}e^{\tilde\eta_i}\bigr)$,
    /// with $\tilde\eta = (x - \bar x)^\top\hat\beta$ (the curve at the covariate means, `centered =
    /// TRUE`); `centered = false` rescales to $x = 0$ by $e^{-\bar x^\top\hat\beta}$.
    ///
    /// Matches R `basehaz(fit, centered)` (= `survfit(fit)$cumhaz`, same ties method).
    pub fn baseline_cumhaz(&self, centered: bool) -> Vec<(f64, f64)> {
        let factor = if centered {
            1.0
        } else {
            (-dot(&self.means, &self.coef)).exp()
        };
        self.baseline
            .iter()
            .map(|&(t, h)| (t, h * factor))
            .collect()
    }

    /// Predicted survival $S(t\mid x) = \exp\{-\hat H_0(t)\,e^{(x-\bar x)^\top\hat\beta}\}$ at each
    /// time, with $\hat H_0$ the centred baseline (a step function; 0 before the first time).
    ///
    /// Matches R `summary(survfit(fit, newdata = x), times)$surv`.
    ///
    /// # Panics
    /// If `x.len()` differs from the number of coefficients (a caller bug).
    #[track_caller]
    pub fn predict_survival(&self, x: &[f64], times: &[f64]) -> Vec<f64> {
        assert_eq!(
            x.len(),
            self.coef.len(),
            "covariate row has the wrong length"
        );
        let centred_lp: f64 = x
            .iter()
            .zip(&self.means)
            .zip(&self.coef)
            .map(|((x, m), b)| (x - m) * b)
            .sum();
        let risk = centred_lp.exp();
        times
            .iter()
            .map(|&t| (-self.cumhaz_at(t) * risk).exp())
            .collect()
    }

    /// Centred cumulative baseline hazard at time $t$ (right-continuous step function).
    pub fn cumhaz_at(&self, t: f64) -> f64 {
        let k = self.baseline.partition_point(|&(time, _)| time <= t);
        k.checked_sub(1).map_or(0.0, |k| self.baseline[k].1)
    }
}

/// Log-likelihood, score and information at one $\beta$ (scaled covariates).
struct Evaluation {
    loglik: f64,
    score: Vec<f64>,
    info: Vec<Vec<f64>>,
}

impl Evaluation {
    /// False when a risk score overflowed somewhere in the sums.
    fn is_finite(&self) -> bool {
        self.loglik.is_finite()
            && self.score.iter().all(|u| u.is_finite())
            && self.info.iter().flatten().all(|v| v.is_finite())
    }
}

/// The data of a fit, sorted by time, centred and scaled.
struct Problem {
    p: usize,
    /// Row-major $n\times p$ centred, scaled covariates in time order.
    x: Vec<f64>,
    time: Vec<f64>,
    status: Vec<bool>,
    means: Vec<f64>,
    scale: Vec<f64>,
    ties: Ties,
    /// The runs of equal times, as positions of the time order.
    groups: Vec<TieGroup>,
}

impl Problem {
    fn new(data: &SurvData, design: &Design, ties: Ties) -> Self {
        let (n, p) = (data.len(), design.n_cols());
        let tie_groups = TieGroups::of(data);
        let order = tie_groups.order();
        let mut means = Vec::with_capacity(p);
        let mut scale = Vec::with_capacity(p);
        let mut x = vec![0.0; n * p];
        for j in 0..p {
            let col = design.column(j);
            // coxph(nocenter = c(-1, 0, 1)): indicator-like columns are neither centred nor
            // scaled and report mean 0; others are centred and scaled by 1 / mean |x - mean|.
            let indicator = col.iter().all(|&v| v == -1.0 || v == 0.0 || v == 1.0);
            let mean = if indicator {
                0.0
            } else {
                col.iter().sum::<f64>() / n as f64
            };
            let mad = col.iter().map(|v| (v - mean).abs()).sum::<f64>();
            let s = if indicator || mad == 0.0 {
                1.0
            } else {
                n as f64 / mad
            };
            for (r, &i) in order.iter().enumerate() {
                x[r * p + j] = (col[i] - mean) * s;
            }
            means.push(mean);
            scale.push(s);
        }
        Problem {
            p,
            x,
            time: order.iter().map(|&i| data.time()[i]).collect(),
            status: order.iter().map(|&i| data.status()[i]).collect(),
            means,
            scale,
            ties,
            groups: tie_groups.groups().to_vec(),
        }
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }

    /// Groups of equal times, from the largest time down, as position ranges.
    fn time_groups_descending(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.groups.iter().rev().map(|g| g.start..g.end)
    }

    fn evaluate(&self, beta: &[f64]) -> Evaluation {
        let p = self.p;
        let mut loglik = 0.0;
        let mut score = vec![0.0; p];
        let mut info = vec![vec![0.0; p]; p];
        let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
        for group in self.time_groups_descending() {
            let (mut d0, mut d1, mut d2) = (0.0, vec![0.0; p], vec![vec![0.0; p]; p]);
            let mut deaths = 0usize;
            for i in group {
                let xi = self.row(i);
                let eta = dot(xi, beta);
                let risk = eta.exp();
                accumulate(&mut s0, &mut s1, &mut s2, xi, risk);
                if self.status[i] {
                    deaths += 1;
                    loglik += eta;
                    for (u, x) in score.iter_mut().zip(xi) {
                        *u += x;
                    }
                    accumulate(&mut d0, &mut d1, &mut d2, xi, risk);
                }
            }
            for r in 0..deaths {
                let f = match self.ties {
                    Ties::Efron => r as f64 / deaths as f64,
                    Ties::Breslow => 0.0,
                };
                let denom = s0 - f * d0;
                loglik -= denom.ln();
                let mean: Vec<f64> = (0..p).map(|j| (s1[j] - f * d1[j]) / denom).collect();
                for j in 0..p {
                    score[j] -= mean[j];
                    for k in 0..p {
                        info[j][k] += (s2[j][k] - f * d2[j][k]) / denom - mean[j] * mean[k];
                    }
                }
            }
        }
        Evaluation {
            loglik,
            score,
            info,
        }
    }

    /// Centred cumulative baseline hazard at each distinct time (ascending), as `agsurv`.
    fn baseline_hazard(&self, beta: &[f64]) -> Vec<(f64, f64)> {
        let mut increments = Vec::new();
        let mut s0 = 0.0;
        for group in self.time_groups_descending() {
            let t = self.time[group.start];
            let (mut d0, mut deaths) = (0.0, 0usize);
            for i in group {
                let risk = dot(self.row(i), beta).exp();
                s0 += risk;
                if self.status[i] {
                    deaths += 1;
                    d0 += risk;
                }
            }
            let hazard: f64 = (0..deaths)
                .map(|r| {
                    let f = match self.ties {
                        Ties::Efron => r as f64 / deaths as f64,
                        Ties::Breslow => 0.0,
                    };
                    1.0 / (s0 - f * d0)
                })
                .sum();
            increments.push((t, hazard));
        }
        increments.reverse();
        let mut cumulative = 0.0;
        increments
            .into_iter()
            .map(|(t, h)| {
                cumulative += h;
                (t, cumulative)
            })
            .collect()
    }
}

fn accumulate(s0: &mut f64, s1: &mut [f64], s2: &mut [Vec<f64>], x: &[f64], w: f64) {
    *s0 += w;
    for j in 0..x.len() {
        s1[j] += w * x[j];
        for k in 0..x.len() {
            s2[j][k] += w * x[j] * x[k];
        }
    }
}

#[cfg(test)]
mod tests;
