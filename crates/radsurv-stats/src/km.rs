//! Kaplan–Meier survival curves, Nelson–Aalen cumulative hazard, quantiles (median) with
//! confidence limits, restricted mean, survival at fixed times and reverse-KM follow-up.
//!
//! # Notation
//! $t_1 < \dots < t_m$ the distinct observed times (events **and** censorings), $n_k$ the number
//! at risk just before $t_k$, $d_k$ the events and $c_k$ the censorings at $t_k$.
//!
//! # Settings and defaults
//! [`KmOptions::default`] is R's: `conf.type = "log"`, `conf.int = 0.95`.
//!
//! # Reference
//! R survival 3.5-3: `survfit(Surv(time, status) ~ 1)` (fields `time n.risk n.event n.censor surv
//! std.err lower upper cumhaz std.chaz`), `print(survfit)` / `summary(survfit)$table` (`rmean`,
//! `se(rmean)`, `median`, `0.95LCL`, `0.95UCL`), `quantile.survfit`, `summary(survfit, times,
//! extend = TRUE)`. Golden files: `stats/expected/km/<ds>_{km_table,median,surv_at_times}.csv`.
//!
//! # Known differences
//! None known. Where $\hat S = 0$ the standard error is infinite and the limits are NaN (R: `NA`).

use serde::ser::{Serialize, SerializeStruct};

use crate::distributions::z_for_level;
use crate::surv::TieGroups;
use crate::SurvData;

/// Transformation on which the pointwise confidence interval of $S(t)$ is symmetric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfType {
    /// $\exp(\log\hat S \pm z\,\sigma)$, upper limit capped at 1 (R's default, `"log"`).
    #[default]
    Log,
    /// $\hat S^{\exp(\pm z\,\sigma/\log\hat S)}$ (`"log-log"`; lifelines' default).
    LogLog,
    /// $\hat S \pm z\,\hat S\sigma$ clipped to $[0, 1]$ (`"plain"`).
    Plain,
}

impl std::str::FromStr for ConfType {
    type Err = crate::StatsError;

    /// Parses R's names `"log"`, `"log-log"` and `"plain"`.
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "log" => Ok(ConfType::Log),
            "log-log" => Ok(ConfType::LogLog),
            "plain" => Ok(ConfType::Plain),
            other => Err(crate::StatsError::Degenerate(format!(
                "unknown confidence interval type {other:?} (expected log, log-log or plain)"
            ))),
        }
    }
}

/// Options of [`kaplan_meier`]; `Default` equals R's `survfit` defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmOptions {
    /// Confidence interval transformation.
    pub conf_type: ConfType,
    /// Confidence level (0.95).
    pub conf_level: f64,
}

impl Default for KmOptions {
    fn default() -> Self {
        KmOptions {
            conf_type: ConfType::Log,
            conf_level: 0.95,
        }
    }
}

/// One row of the survival table, at a distinct observed time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmStep {
    /// Time $t_k$.
    pub time: f64,
    /// Number at risk $n_k$.
    pub n_risk: usize,
    /// Events $d_k$.
    pub n_event: usize,
    /// Censorings $c_k$.
    pub n_censor: usize,
    /// $\hat S(t_k)$.
    pub surv: f64,
    /// $\sigma_k$, the Greenwood standard error of $-\log\hat S(t_k)$ (R's `survfit$std.err`).
    pub std_err: f64,
    /// Lower confidence limit of $S(t_k)$ (NaN where $\hat S = 0$).
    pub lower: f64,
    /// Upper confidence limit of $S(t_k)$.
    pub upper: f64,
    /// Nelson–Aalen cumulative hazard $\hat H(t_k) = \sum_{j\le k} d_j/n_j$ (R's `cumhaz`).
    pub cumhaz: f64,
    /// Standard error of $\hat H$: $\bigl(\sum_{j\le k} d_j/n_j^2\bigr)^{1/2}$ (R's `std.chaz`).
    pub std_chaz: f64,
}

impl KmStep {
    /// Greenwood standard error of $\hat S$ itself: $\hat S\,\sigma$ (what `summary` prints).
    pub fn std_err_surv(&self) -> f64 {
        self.surv * self.std_err
    }
}

/// Serialised as a row of `summary(survfit)`: its `std_err` is that of $\hat S$
/// ([`KmStep::std_err_surv`]), not the $\sigma$ of the field of that name.
impl Serialize for KmStep {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_struct("KmStep", 8)?;
        row.serialize_field("time", &self.time)?;
        row.serialize_field("n_risk", &self.n_risk)?;
        row.serialize_field("n_event", &self.n_event)?;
        row.serialize_field("n_censor", &self.n_censor)?;
        row.serialize_field("surv", &self.surv)?;
        row.serialize_field("std_err", &self.std_err_surv())?;
        row.serialize_field("lower", &self.lower)?;
        row.serialize_field("upper", &self.upper)?;
        row.end()
    }
}

/// A Kaplan–Meier curve (one stratum).
#[derive(Debug, Clone, PartialEq)]
pub struct KmCurve {
    steps: Vec<KmStep>,
    n: usize,
    events: usize,
    options: KmOptions,
}

/// A quantile of the survival distribution with its confidence limits (NaN when not reached).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvQuantile {
    /// Point estimate.
    pub estimate: f64,
    /// Lower limit (from the lower confidence curve).
    pub lower: f64,
    /// Upper limit (from the upper confidence curve).
    pub upper: f64,
}

/// Restricted mean survival time and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RestrictedMean {
    /// $\int_0^\tau \hat S(t)\,dt$.
    pub rmean: f64,
    /// Its standard error.
    pub se: f64,
    /// The horizon $\tau$.
    pub tau: f64,
}

/// $\hat S$ and its interval at a requested time (R `summary(survfit, times, extend = TRUE)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmAtTime {
    /// Requested time $t$.
    pub time: f64,
    /// Number at risk at $t$: $\#\{i : T_i \ge t\}$.
    pub n_risk: usize,
    /// Events in $(t_{\text{previous request}}, t]$ (from time 0 for the first request).
    pub n_event: usize,
    /// $\hat S(t)$ (the step at the last observed time $\le t$; 1 before the first).
    pub surv: f64,
    /// Greenwood standard error of $\hat S(t)$.
    pub std_err_surv: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// Kaplan–Meier product-limit estimate with Greenwood variance.
///
/// $$\hat S(t) = \prod_{t_k \le t}\Bigl(1 - \frac{d_k}{n_k}\Bigr),\qquad
///   \sigma^2(t) = \operatorname{var}\bigl[-\log\hat S(t)\bigr] = \sum_{t_k \le t}\frac{d_k}{n_k(n_k-d_k)}$$
///
/// with pointwise limits from [`ConfType`] and $z = \Phi^{-1}(1-(1-\text{level})/2)$; the table also
/// carries Nelson–Aalen $\hat H$. Every distinct time, censor-only ones included, gets a row.
///
/// Matches R `survfit(Surv(time, status) ~ 1, conf.type = ...)`: `time n.risk n.event n.censor
/// surv std.err lower upper cumhaz std.chaz`.
pub fn kaplan_meier(data: &SurvData, options: &KmOptions) -> KmCurve {
    let z = z_for_level(options.conf_level);
    let mut steps = Vec::new();
    let (mut surv, mut greenwood, mut cumhaz, mut var_chaz) = (1.0_f64, 0.0_f64, 0.0, 0.0);
    for row in TieGroups::of(data).risk_table() {
        let (n, d) = (row.n_risk as f64, row.n_event as f64);
        surv *= 1.0 - d / n;
        // n == d sends S to 0: the variance of log S is then infinite (R gives Inf, limits NA).
        greenwood += if row.n_event == 0 {
            0.0
        } else if n > d {
            d / (n * (n - d))
        } else {
            f64::INFINITY
        };
        cumhaz += d / n;
        var_chaz += d / (n * n);
        let std_err = greenwood.sqrt();
        let (lower, upper) = confidence_limits(surv, std_err, options.conf_type, z);
        steps.push(KmStep {
            time: row.time,
            n_risk: row.n_risk,
            n_event: row.n_event,
            n_censor: row.n_censor,
            surv,
            std_err,
            lower,
            upper,
            cumhaz,
            std_chaz: var_chaz.sqrt(),
        });
    }
    KmCurve {
        steps,
        n: data.len(),
        events: data.events(),
        options: *options,
    }
}

/// One Kaplan–Meier curve per group, groups in R's factor order (numeric labels sorted as
/// numbers, otherwise as text); labels are `"<name>=<value>"` as R's strata names.
///
/// Matches R `survfit(Surv(time, status) ~ group)` strata.
///
/// # Panics
/// If `group.len() != data.len()` (a caller bug).
#[track_caller]
pub fn kaplan_meier_by_group<S: AsRef<str>>(
    data: &SurvData,
    group: &[S],
    name: &str,
    options: &KmOptions,
) -> Vec<(String, KmCurve)> {
    crate::surv::group_levels(group)
        .into_iter()
        .map(|(level, rows)| {
            (
                format!("{name}={level}"),
                kaplan_meier(&data.subset(&rows), options),
            )
        })
        .collect()
}

/// Nelson–Aalen cumulative hazard $\hat H(t) = \sum_{t_k\le t} d_k/n_k$ with standard error
/// $\bigl(\sum_{t_k \le t} d_k/n_k^2\bigr)^{1/2}$, as `(time, cumhaz, std_err)` at every distinct time.
///
/// Matches R `survfit(...)$cumhaz` and `$std.chaz`.
pub fn nelson_aalen(data: &SurvData) -> Vec<(f64, f64, f64)> {
    kaplan_meier(data, &KmOptions::default())
        .steps
        .iter()
        .map(|s| (s.time, s.cumhaz, s.std_chaz))
        .collect()
}

/// Median follow-up by the reverse Kaplan–Meier method: the median of the KM curve of the
/// censoring times (status flipped, so a death censors follow-up), with its log-type CI.
///
/// Matches R `quantile(survfit(Surv(time, 1 - status) ~ 1), 0.5)`. (`prodlim(reverse = TRUE)`
/// orders events before censorings at tied times and can differ when a death and a censoring
/// share a time.)
pub fn median_follow_up(data: &SurvData) -> SurvQuantile {
    let reverse = SurvData::from_validated(
        data.time().to_vec(),
        data.status().iter().map(|s| !s).collect(),
    );
    kaplan_meier(&reverse, &KmOptions::default()).quantile(0.5)
}

impl KmCurve {
    /// The survival table, one row per distinct time.
    pub fn steps(&self) -> &[KmStep] {
        &self.steps
    }

    /// Number of subjects.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.events
    }

    /// Options used for the limits.
    pub fn options(&self) -> &KmOptions {
        &self.options
    }

    /// Median survival with confidence limits as `print.survfit` reports them.
    ///
    /// The median is the first $t_k$ with $\hat S(t_k) < 0.5 + \epsilon$
    /// ($\epsilon = \sqrt{\text{machine eps}}$); if $\hat S(t_k)$ equals 0.5 (within $\epsilon$) and the
    /// curve drops later, the midpoint of $t_k$ and the next drop. LCL/UCL apply the same rule to
    /// the lower/upper curves. NaN when never reached.
    ///
    /// Matches R `summary(survfit(...))$table[c("median", "0.95LCL", "0.95UCL")]`.
    pub fn median(&self) -> SurvQuantile {
        let times: Vec<f64> = self.steps.iter().map(|s| s.time).collect();
        let pick = |f: fn(&KmStep) -> f64| {
            let y: Vec<f64> = self.steps.iter().map(f).collect();
            first_below_half(&times, &y)
        };
        SurvQuantile {
            estimate: pick(|s| s.surv),
            lower: pick(|s| s.lower),
            upper: pick(|s| s.upper),
        }
    }

    /// Quantile $p$ of the event-time distribution: the first time $1-\hat S(t) \ge p$ (to within
    /// $\epsilon=\sqrt{\text{machine eps}}$); where $1-\hat S$ equals $p$ over an interval, its
    /// midpoint; with limits from the lower/upper curves.
    ///
    /// Matches R `quantile(survfit(...), probs = p, conf.int = TRUE)` (`quantile`, `lower`, `upper`).
    pub fn quantile(&self, p: f64) -> SurvQuantile {
        let mut x = vec![0.0];
        x.extend(self.steps.iter().map(|s| s.time));
        let curve = |f: fn(&KmStep) -> f64| {
            let mut y = vec![0.0];
            y.extend(self.steps.iter().map(|s| 1.0 - f(s)));
            find_quantile(&x, &y, p)
        };
        SurvQuantile {
            estimate: curve(|s| s.surv),
            lower: curve(|s| s.lower),
            upper: curve(|s| s.upper),
        }
    }

    /// Restricted mean survival $\int_0^\tau\hat S(t)\,dt$ and its standard error
    /// $$\operatorname{se}^2 = \sum_{k:\,t_k\le\tau}\frac{d_k}{n_k(n_k-d_k)}\Bigl(\int_{t_k}^\tau \hat S(t)\,dt\Bigr)^2$$
    /// (terms with $n_k = d_k$ dropped).
    ///
    /// Matches R `summary(survfit(...))$table[c("rmean", "se(rmean)")]`; R's default
    /// (`survfit.rmean = "common"`) takes $\tau$ = the largest observed time over all strata.
    pub fn restricted_mean(&self, tau: f64) -> RestrictedMean {
        let kept: Vec<&KmStep> = self.steps.iter().filter(|s| s.time <= tau).collect();
        // Areas of the rectangles between consecutive kept times, ending at tau.
        let mut prev_time = 0.0;
        let mut prev_surv = 1.0;
        let mut areas = Vec::with_capacity(kept.len() + 1);
        for s in &kept {
            areas.push((s.time - prev_time) * prev_surv);
            prev_time = s.time;
            prev_surv = s.surv;
        }
        areas.push((tau - prev_time) * prev_surv);
        let rmean: f64 = areas.iter().sum();
        let mut tail = 0.0;
        let mut var = 0.0;
        for (k, s) in kept.iter().enumerate().rev() {
            tail += areas[k + 1];
            if s.n_risk > s.n_event {
                let (n, d) = (s.n_risk as f64, s.n_event as f64);
                var += d / (n * (n - d)) * tail * tail;
            }
        }
        RestrictedMean {
            rmean,
            se: var.sqrt(),
            tau,
        }
    }

    /// Largest observed time (the default horizon of [`KmCurve::restricted_mean`]).
    pub fn max_time(&self) -> f64 {
        self.steps.last().map_or(0.0, |s| s.time)
    }

    /// $\hat S$ with standard error and limits at each requested time (sorted ascending),
    /// carrying the last value beyond the end of follow-up.
    ///
    /// Matches R `summary(survfit(...), times = times, extend = TRUE)`: `time n.risk n.event surv
    /// std.err lower upper`.
    pub fn at_times(&self, times: &[f64]) -> Vec<KmAtTime> {
        let mut previous = f64::NEG_INFINITY;
        times
            .iter()
            .map(|&t| {
                let upto = self.steps.partition_point(|s| s.time <= t);
                let first_at_or_after = self.steps.partition_point(|s| s.time < t);
                let n_risk = self.steps.get(first_at_or_after).map_or(0, |s| s.n_risk);
                let n_event = self
                    .steps
                    .iter()
                    .filter(|s| s.time > previous && s.time <= t)
                    .map(|s| s.n_event)
                    .sum();
                previous = t;
                let (surv, std_err_surv, lower, upper) = match upto.checked_sub(1) {
                    Some(k) => {
                        let s = &self.steps[k];
                        (s.surv, s.std_err_surv(), s.lower, s.upper)
                    }
                    None => (1.0, 0.0, 1.0, 1.0),
                };
                KmAtTime {
                    time: t,
                    n_risk,
                    n_event,
                    surv,
                    std_err_surv,
                    lower,
                    upper,
                }
            })
            .collect()
    }
}

/// Pointwise limits of $S$ given $\sigma$ = se of $\log S$, as R's `survfit_confint`.
fn confidence_limits(surv: f64, std_err: f64, conf_type: ConfType, z: f64) -> (f64, f64) {
    if surv == 0.0 {
        return (f64::NAN, f64::NAN);
    }
    match conf_type {
        ConfType::Log => {
            let half = z * std_err;
            ((surv.ln() - half).exp(), (surv.ln() + half).exp().min(1.0))
        }
        ConfType::LogLog => {
            if surv == 1.0 {
                return (f64::NAN, f64::NAN);
            }
            let half = z * std_err / surv.ln();
            let centre = (-surv.ln()).ln();
            (
                (-(centre - half).exp()).exp(),
                (-(centre + half).exp()).exp(),
            )
        }
        ConfType::Plain => {
            let half = z * std_err * surv;
            // R's pmax/pmin keep NaN; f64::max would turn it into the bound.
            let clip =
                |v: f64, f: fn(f64, f64) -> f64, b: f64| if v.is_nan() { v } else { f(v, b) };
            (
                clip(surv - half, f64::max, 0.0),
                clip(surv + half, f64::min, 1.0),
            )
        }
    }
}

/// `print.survfit`'s rule for the median of a (possibly NaN-holding) decreasing curve `y`.
fn first_below_half(x: &[f64], y: &[f64]) -> f64 {
    let tol = f64::EPSILON.sqrt();
    let kept: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(_, &v)| !v.is_nan() && v < 0.5 + tol)
        .map(|(&a, &b)| (a, b))
        .collect();
    let Some(&(x0, y0)) = kept.first() else {
        return f64::NAN;
    };
    if (y0 - 0.5).abs() < tol {
        if let Some(&(x1, _)) = kept.iter().find(|(_, v)| *v < y0) {
            return (x0 + x1) / 2.0;
        }
    }
    x0
}

/// `quantile.survfit`'s rule: where a horizontal line at `p` meets the increasing step curve
/// `y` = $1-S$ (with `y[0] = 0` at `x[0] = 0`); NaN entries are ignored.
fn find_quantile(x: &[f64], y: &[f64], p: f64) -> f64 {
    let tol = f64::EPSILON.sqrt();
    let x_max = x[x.len() - 1];
    if y.iter().filter(|v| !v.is_nan()).all(|&v| v < p) {
        return f64::NAN;
    }
    // Drop repeated y values (censor-only steps), keeping the first time each level is reached.
    let mut xs = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for (&a, &b) in x.iter().zip(y) {
        let seen = ys.iter().any(|&v| v == b || (v.is_nan() && b.is_nan()));
        if !seen {
            xs.push(a);
            ys.push(b);
        }
    }
    let first_at_or_above = |shift: f64| -> Option<usize> { step_index(&ys, shift, p) };
    let quant = match (first_at_or_above(tol), first_at_or_above(-tol)) {
        (Some(i1), Some(i2)) => (xs[i1] + xs[i2]) / 2.0,
        _ => f64::NAN,
    };
    match ys.last() {
        Some(&last) if !last.is_nan() && (p - last).abs() < tol => {
            first_at_or_above(tol).map_or(f64::NAN, |i1| (xs[i1] + x_max) / 2.0)
        }
        _ => quant,
    }
}

/// R `approx(y + shift, seq_along(y), p, method = "constant", f = 1)`: the index of the first
/// knot at or above `p` (knots sorted, NaN dropped, tied knots averaged as `ties = mean`), or
/// `None` outside the knots' range.
fn step_index(y: &[f64], shift: f64, p: f64) -> Option<usize> {
    let mut knots: Vec<(f64, usize)> = y
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_nan())
        .map(|(i, &v)| (v + shift, i))
        .collect();
    knots.sort_by(|a, b| a.0.total_cmp(&b.0));
    let first = knots.first()?;
    let last = knots.last()?;
    if p < first.0 || p > last.0 {
        return None;
    }
    let k = knots.partition_point(|&(v, _)| v < p);
    let level = knots[k].0;
    let tied: Vec<usize> = knots
        .iter()
        .filter(|(v, _)| *v == level)
        .map(|&(_, i)| i)
        .collect();
    // `ties = mean` averages tied indices; R then truncates the fractional index.
    Some(tied.iter().sum::<usize>() / tied.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_curve() {
        // Events at 1, 2, 2, 4 and a censoring at 3: S = 4/5, 4/5 * 2/4, 2/5, 0.
        let d = SurvData::new(
            &[1.0, 2.0, 2.0, 3.0, 4.0],
            &[1.0, 1.0, 1.0, 0.0, 1.0],
            "t",
            "s",
        )
        .unwrap();
        let km = kaplan_meier(&d, &KmOptions::default());
        let s: Vec<f64> = km.steps().iter().map(|s| s.surv).collect();
        assert_eq!(s, vec![0.8, 0.4, 0.4, 0.0]);
        assert_eq!(km.steps()[1].n_risk, 4);
        assert!(km.steps()[3].std_err.is_infinite() && km.steps()[3].lower.is_nan());
        // S = 0.4 < 0.5 first at t = 2.
        assert_eq!(km.median().estimate, 2.0);
        assert_eq!(km.quantile(0.5).estimate, 2.0);
    }

    #[test]
    fn median_follow_up_is_the_median_of_the_censoring_curve() {
        // Censorings at 2, 4, 6 and deaths at 1, 3, 5: follow-up KM drops at 2, 4, 6.
        let d = SurvData::new(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
            "t",
            "s",
        )
        .unwrap();
        // G(2) = 4/5, G(4) = 4/5 * 2/3 = 8/15 > 1/2, G(6) = 0: median at 6.
        assert_eq!(median_follow_up(&d).estimate, 6.0);
        assert_eq!("log-log".parse::<ConfType>().unwrap(), ConfType::LogLog);
    }

    #[test]
    fn median_on_a_flat_at_one_half_is_a_midpoint() {
        let d = SurvData::new(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 1.0, 1.0], "t", "s").unwrap();
        let km = kaplan_meier(&d, &KmOptions::default());
        assert_eq!(km.median().estimate, 2.5);
        assert_eq!(km.quantile(0.5).estimate, 2.5);
    }
}
