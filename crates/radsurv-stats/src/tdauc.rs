//! Time-dependent ROC AUC, cumulative/dynamic definition, with inverse-probability-of-censoring
//! weights from the marginal (Kaplan–Meier) censoring distribution.
//!
//! # Definition
//! At horizon $t$, cases are subjects with an event by $t$ and controls those still event-free
//! after $t$:
//! $$\widehat{\mathrm{AUC}}(t) = \frac{\sum_{i}\sum_{j} w_i\,w_j\,A_i B_j
//!   \bigl[I(M_i > M_j) + \tfrac12 I(M_i = M_j)\bigr]}{\sum_i w_i A_i\,\sum_j w_j B_j},\qquad
//!   w_i = \frac{1}{\hat G(T_i-)},\; w_j = \frac{1}{\hat G(t)}$$
//! with $A_i = I(T_i \le t, \delta_i = 1)$ (riskRegression, the default) or $I(T_i < t,
//! \delta_i = 1)$ (timeROC), $B_j = I(T_j > t)$, $M$ the marker (higher = higher risk), and
//! $\hat G$ the reverse Kaplan–Meier of the censoring in which events at a time precede the
//! censorings at that time (prodlim's `reverse = TRUE`):
//! $\hat G(u) = \prod_{c \le u}\bigl(1 - \frac{\#\text{censored at } c}{\#\{T \ge c\} - \#\text{events at } c}\bigr)$.
//!
//! # Standard error
//! From the influence function (iid decomposition, Blanche et al. 2013), including the term for
//! the estimated censoring distribution; $\mathrm{se} = \mathrm{sd}(\mathrm{IF})/\sqrt n$ and the
//! 95 % CI is $\widehat{\mathrm{AUC}} \pm z_{0.975}\,\mathrm{se}$. The two references linearise
//! $\hat G$ slightly differently and so give slightly different SEs (≈1e-6–4e-4 here); each case
//! definition reproduces its own reference:
//! * **T ≤ t** (riskRegression `Score(..., metrics = "auc", cens.model = "km", se.fit = TRUE)`):
//!   the Kaplan–Meier influence $f_k(s) = \int_0^s dM^C_k(u)/y(u)$ with
//!   $y(u) = \#\{T \ge u\}/n$, applied to every weight; CI clipped to $[0, 1]$ as `Score` does.
//! * **T < t** (timeROC `timeROC(..., weighting = "marginal", iid = TRUE)`, `inference$vect_sd_1`):
//!   the censoring martingales are built subject by subject in time order (ties broken by input
//!   order, as R's stable `order`), and the control weights are linearised through the
//!   empirical $P(T > t)$, as timeROC's `compute_iid_decomposition_survival`. timeROC does not
//!   clip its CI; radsurv clips it to $[0, 1]$ for both definitions, as an AUC outside that
//!   range does not exist.
//!
//! # Reference
//! Golden file `stats/expected/tdauc/tdauc.csv` (`auc_riskRegression`, `se_riskRegression`,
//! `auc_timeROC`, `se_timeROC`, CIs). scikit-survival's `cumulative_dynamic_auc` weights cases by
//! $1/\hat G(T_i)$ and differs.

use serde::Serialize;

use crate::distributions::z_for_level;
use crate::{Result, StatsError, SurvData};

/// Which subjects count as cases at horizon $t$.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseDefinition {
    /// $T_i \le t$ and an event (riskRegression `Score`; the default).
    #[default]
    AtOrBefore,
    /// $T_i < t$ and an event (timeROC).
    Before,
}

impl std::str::FromStr for CaseDefinition {
    type Err = StatsError;

    /// Parses `"le"` ($T_i \le t$) and `"lt"` ($T_i < t$).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "le" => Ok(CaseDefinition::AtOrBefore),
            "lt" => Ok(CaseDefinition::Before),
            other => Err(StatsError::Degenerate(format!(
                "unknown case definition {other:?} (expected le or lt)"
            ))),
        }
    }
}

/// Options of [`td_auc`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TdAucOptions {
    /// Case definition (and with it the reference whose SE is reproduced).
    pub cases: CaseDefinition,
    /// Confidence level of the interval (0.95).
    pub conf_level: f64,
}

impl Default for TdAucOptions {
    fn default() -> Self {
        TdAucOptions {
            cases: CaseDefinition::AtOrBefore,
            conf_level: 0.95,
        }
    }
}

/// The AUC at one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TdAuc {
    /// Horizon $t$.
    pub time: f64,
    /// $\widehat{\mathrm{AUC}}(t)$.
    pub auc: f64,
    /// Influence-function standard error.
    pub se: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Number of cases.
    pub n_cases: usize,
    /// Number of controls ($T_j > t$).
    pub n_controls: usize,
    /// $\hat G(t)$, the censoring survival at the horizon.
    pub censoring_survival: f64,
}

/// Cumulative/dynamic time-dependent AUC of `marker` at each horizon, with SE and CI.
///
/// See the module documentation for the formulas. Matches riskRegression `Score` (T ≤ t) or
/// timeROC `timeROC(weighting = "marginal", iid = TRUE)` (T < t).
///
/// # Errors
/// [`StatsError::Degenerate`] for a marker of the wrong length or a horizon with no case or no
/// control; [`StatsError::InvalidValue`] for a non-finite marker value.
pub fn td_auc(
    data: &SurvData,
    marker: &[f64],
    times: &[f64],
    options: &TdAucOptions,
) -> Result<Vec<TdAuc>> {
    if marker.len() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "{} marker values for {} observations",
            marker.len(),
            data.len()
        )));
    }
    if let Some(i) = marker.iter().position(|m| !m.is_finite()) {
        return Err(StatsError::InvalidValue {
            row: i + 1,
            column: "marker".into(),
            reason: format!("marker must be finite, got {}", marker[i]),
        });
    }
    let sorted = Sorted::new(data, marker);
    let z = z_for_level(options.conf_level);
    times
        .iter()
        .map(|&t| {
            let setup = Horizon::new(&sorted, t, options.cases)?;
            let auc = setup.auc();
            let se = match options.cases {
                CaseDefinition::AtOrBefore => setup.se_risk_regression(auc),
                CaseDefinition::Before => setup.se_time_roc(),
            };
            let lower = (auc - z * se).max(0.0);
            let upper = (auc + z * se).min(1.0);
            Ok(TdAuc {
                time: t,
                auc,
                se,
                lower,
                upper,
                n_cases: setup.cases.len(),
                n_controls: setup.controls.len(),
                censoring_survival: setup.g_t,
            })
        })
        .collect()
}

/// The cumulative/dynamic ROC curve at one horizon: one point per distinct marker value.
#[derive(Debug, Clone, PartialEq)]
pub struct RocCurve {
    /// Horizon $t$.
    pub time: f64,
    /// Marker thresholds $c$, decreasing; the first point ($c = +\infty$) is $(0, 0)$.
    pub threshold: Vec<f64>,
    /// $\mathrm{FPR}(c)$ at each threshold.
    pub fpr: Vec<f64>,
    /// IPCW $\mathrm{TPR}(c)$ at each threshold.
    pub tpr: Vec<f64>,
}

/// Points of the cumulative/dynamic ROC curve of `marker` at horizon `t`, with the weights
/// of [`td_auc`]:
/// $$\mathrm{TPR}(c) = \frac{\sum_i w_i A_i\, I(M_i \ge c)}{\sum_i w_i A_i},\qquad
///   \mathrm{FPR}(c) = \frac{\sum_j B_j\, I(M_j \ge c)}{\sum_j B_j}$$
/// ($w_i = 1/\hat G(T_i-)$; the control weights $1/\hat G(t)$ are equal and cancel), as timeROC's
/// `TP`/`FP` tables (there with $M > c$ over the same grid, i.e. shifted by one threshold).
/// The trapezoidal area under these points equals [`td_auc`]'s estimate.
///
/// # Errors
/// As [`td_auc`].
pub fn roc_curve(
    data: &SurvData,
    marker: &[f64],
    t: f64,
    cases: CaseDefinition,
) -> Result<RocCurve> {
    // Validates the marker and the horizon exactly as the AUC does.
    td_auc(
        data,
        marker,
        &[t],
        &TdAucOptions {
            cases,
            conf_level: 0.95,
        },
    )?;
    let sorted = Sorted::new(data, marker);
    let horizon = Horizon::new(&sorted, t, cases)?;
    let case_weight: Vec<(f64, f64)> = horizon
        .cases
        .iter()
        .map(|&i| (sorted.marker[i], 1.0 / sorted.g_minus[i]))
        .collect();
    let total_case: f64 = case_weight.iter().map(|&(_, w)| w).sum();
    let control_marker: Vec<f64> = horizon.controls.iter().map(|&j| sorted.marker[j]).collect();
    let mut thresholds: Vec<f64> = sorted.marker.clone();
    thresholds.sort_by(|a, b| b.total_cmp(a));
    thresholds.dedup();
    let mut curve = RocCurve {
        time: t,
        threshold: vec![f64::INFINITY],
        fpr: vec![0.0],
        tpr: vec![0.0],
    };
    for c in thresholds {
        let tp: f64 = case_weight
            .iter()
            .filter(|&&(m, _)| m >= c)
            .map(|&(_, w)| w)
            .sum();
        let fp = control_marker.iter().filter(|&&m| m >= c).count();
        curve.threshold.push(c);
        curve.tpr.push(tp / total_case);
        curve.fpr.push(fp as f64 / control_marker.len() as f64);
    }
    Ok(curve)
}

/// Reverse Kaplan–Meier $\hat G$ with events before censorings at tied times, as
/// `(censoring time, G after it)` steps.
pub fn censoring_survival(data: &SurvData) -> Vec<(f64, f64)> {
    let mut steps = Vec::new();
    let mut g = 1.0;
    for row in crate::surv::TieGroups::of(data).risk_table() {
        if row.n_censor > 0 {
            let at_risk = (row.n_risk - row.n_event) as f64;
            g *= 1.0 - row.n_censor as f64 / at_risk;
            steps.push((row.time, g));
        }
    }
    steps
}

/// Data sorted by time (stable: ties keep input order), with $\hat G(T_i-)$.
struct Sorted {
    time: Vec<f64>,
    event: Vec<bool>,
    marker: Vec<f64>,
    /// $\hat G(T_i-)$.
    g_minus: Vec<f64>,
    g_steps: Vec<(f64, f64)>,
}

impl Sorted {
    fn new(data: &SurvData, marker: &[f64]) -> Self {
        let mut order: Vec<usize> = (0..data.len()).collect();
        order.sort_by(|&a, &b| data.time()[a].total_cmp(&data.time()[b]));
        let g_steps = censoring_survival(data);
        let time: Vec<f64> = order.iter().map(|&i| data.time()[i]).collect();
        let g_minus = time
            .iter()
            .map(|&t| step_value(&g_steps, t, true))
            .collect();
        Sorted {
            event: order.iter().map(|&i| data.status()[i]).collect(),
            marker: order.iter().map(|&i| marker[i]).collect(),
            time,
            g_minus,
            g_steps,
        }
    }

    fn n(&self) -> usize {
        self.time.len()
    }
}

/// $\hat G$ at `t` (`left`: just before `t`).
fn step_value(steps: &[(f64, f64)], t: f64, left: bool) -> f64 {
    let k = if left {
        steps.partition_point(|&(c, _)| c < t)
    } else {
        steps.partition_point(|&(c, _)| c <= t)
    };
    k.checked_sub(1).map_or(1.0, |k| steps[k].1)
}

/// Cases, controls and weights at one horizon (indices into [`Sorted`]).
struct Horizon<'a> {
    data: &'a Sorted,
    t: f64,
    cases: Vec<usize>,
    controls: Vec<usize>,
    g_t: f64,
    /// $C_i = \sum_{j} w_j K_{ij}$ for each case.
    case_sums: Vec<f64>,
    /// $R_j = \sum_{i} w_i K_{ij}$ for each control.
    control_sums: Vec<f64>,
}

impl<'a> Horizon<'a> {
    fn new(data: &'a Sorted, t: f64, definition: CaseDefinition) -> Result<Self> {
        let is_case = |i: usize| {
            data.event[i]
                && match definition {
                    CaseDefinition::AtOrBefore => data.time[i] <= t,
                    CaseDefinition::Before => data.time[i] < t,
                }
        };
        let cases: Vec<usize> = (0..data.n()).filter(|&i| is_case(i)).collect();
        let controls: Vec<usize> = (0..data.n()).filter(|&j| data.time[j] > t).collect();
        if cases.is_empty() || controls.is_empty() {
            return Err(StatsError::Degenerate(format!(
                "time-dependent AUC at t = {t}: {} cases and {} controls (both must be > 0)",
                cases.len(),
                controls.len()
            )));
        }
        let g_t = step_value(&data.g_steps, t, false);
        let w_t = 1.0 / g_t;
        let kernel = |i: usize, j: usize| {
            let (a, b) = (data.marker[i], data.marker[j]);
            if a > b {
                1.0
            } else if a == b {
                0.5
            } else {
                0.0
            }
        };
        let case_sums = cases
            .iter()
            .map(|&i| controls.iter().map(|&j| w_t * kernel(i, j)).sum())
            .collect();
        let control_sums = controls
            .iter()
            .map(|&j| cases.iter().map(|&i| kernel(i, j) / data.g_minus[i]).sum())
            .collect();
        Ok(Horizon {
            data,
            t,
            cases,
            controls,
            g_t,
            case_sums,
            control_sums,
        })
    }

    fn case_weight(&self, i: usize) -> f64 {
        1.0 / self.data.g_minus[i]
    }

    fn auc(&self) -> f64 {
        let num: f64 = self
            .cases
            .iter()
            .zip(&self.case_sums)
            .map(|(&i, c)| self.case_weight(i) * c)
            .sum();
        let mu_case: f64 = self.cases.iter().map(|&i| self.case_weight(i)).sum();
        let mu_control = self.controls.len() as f64 / self.g_t;
        num / (mu_case * mu_control)
    }

    /// riskRegression's influence function: fixed-weight part plus the Kaplan–Meier censoring
    /// term with $f_k(s) = I(T_k \le s, \delta_k = 0)/y(T_k) - \sum_{u \le \min(s, T_k)} c(u)/(n\,y(u)^2)$.
    fn se_risk_regression(&self, auc: f64) -> f64 {
        let d = self.data;
        let n = d.n();
        let nf = n as f64;
        let w_t = 1.0 / self.g_t;
        let mu_case: f64 = self.cases.iter().map(|&i| self.case_weight(i)).sum();
        let mu_control = self.controls.len() as f64 * w_t;
        let mu = mu_case * mu_control / (nf * nf);
        let total: f64 = self
            .cases
            .iter()
            .zip(&self.case_sums)
            .map(|(&i, c)| self.case_weight(i) * c)
            .sum();

        // Fixed-weight (conservative) part.
        let mut influence = vec![0.0; n];
        for (&i, &c) in self.cases.iter().zip(&self.case_sums) {
            let w = self.case_weight(i);
            influence[i] = (w / nf * c - auc * w / nf * mu_control) / mu;
        }
        for (&j, &r) in self.controls.iter().zip(&self.control_sums) {
            influence[j] = (w_t / nf * r - auc * w_t / nf * mu_case) / mu;
        }

        // Censoring part: cumulative n * sum c(u) / Y(u)^2 over distinct times.
        let rows = crate::surv::TieGroups::new(&d.time, &d.event).risk_table();
        let mut mc = Vec::with_capacity(rows.len());
        let mut acc = 0.0;
        for r in &rows {
            acc += r.n_censor as f64 * nf / (r.n_risk as f64).powi(2);
            mc.push((r.time, acc, r.n_risk as f64));
        }
        let mc_before = |s: f64| {
            let k = mc.partition_point(|&(u, _, _)| u < s);
            k.checked_sub(1).map_or(0.0, |k| mc[k].1)
        };
        let mc_at = |s: f64| {
            let k = mc.partition_point(|&(u, _, _)| u <= s);
            k.checked_sub(1).map_or((0.0, nf), |k| (mc[k].1, mc[k].2))
        };
        // f_k(s) for s >= T_k, and for s just before T_l.
        let f_after = |k: usize| {
            let (m, y) = mc_at(d.time[k]);
            let jump = if d.event[k] { 0.0 } else { nf / y };
            jump - m
        };
        let f_horizon = |k: usize| {
            if d.time[k] <= self.t {
                f_after(k)
            } else {
                -mc_at(self.t).0
            }
        };
        // Per case l: (T_l, w_l, C_l, f just before T_l for subjects still at risk then).
        let case_terms: Vec<(f64, f64, f64, f64)> = self
            .cases
            .iter()
            .zip(&self.case_sums)
            .map(|(&l, &c)| (d.time[l], self.case_weight(l), c, -mc_before(d.time[l])))
            .collect();
        for (k, value) in influence.iter_mut().enumerate() {
            let fk = f_after(k);
            let (mut nu_c, mut mu_c) = (0.0, 0.0);
            for &(t_l, w, c, f_before) in &case_terms {
                let f = if d.time[k] < t_l { fk } else { f_before };
                nu_c += w * c * f;
                mu_c += w * f * mu_control;
            }
            let ft = f_horizon(k);
            nu_c = (nu_c + ft * total) / (nf * nf);
            mu_c = (mu_c + ft * mu_case * mu_control) / (nf * nf);
            *value += (nu_c - auc * mu_c) / mu;
        }
        sample_sd(&influence) / nf.sqrt()
    }

    /// timeROC's iid decomposition (`compute_iid_decomposition_survival`, AUC*).
    fn se_time_roc(&self) -> f64 {
        let d = self.data;
        let n = d.n();
        let nf = n as f64;
        let w_t = 1.0 / self.g_t;
        // h_ij = K_ij / (G(T_i-) G(t)); hat h = sum h / n^2.
        let col: Vec<f64> = self
            .cases
            .iter()
            .zip(&self.case_sums)
            .map(|(&i, c)| c / d.g_minus[i])
            .collect();
        let row: Vec<f64> = self.control_sums.iter().map(|r| r * w_t).collect();
        let h_sum: f64 = col.iter().sum();
        let h_hat = h_sum / (nf * nf);
        let f01: f64 = self.cases.iter().map(|&i| 1.0 / (d.g_minus[i] * nf)).sum();
        let st = self.controls.len() as f64 * w_t / nf;
        let p_after = self.controls.len() as f64 / nf;
        let scale = f01 * st;

        // a_i multiplies the martingale integral of case i in the k-sum.
        let mut a = vec![0.0; n];
        for (&i, &c) in self.cases.iter().zip(&col) {
            a[i] = c / nf - h_hat / f01 / d.g_minus[i];
        }
        let mi_weighted = martingale_integrals_weighted(&d.time, &d.event, &a);

        // hatIF_k = (L1_k + L2_k + L3_k) / n, the three sums of timeROC's decomposition.
        let a_total: f64 = a.iter().sum();
        let mut row_sum = vec![0.0; n];
        for (&j, &r) in self.controls.iter().zip(&row) {
            row_sum[j] = r;
        }
        let mut col_sum = vec![0.0; n];
        let mut dit = vec![0.0; n];
        for (&i, &c) in self.cases.iter().zip(&col) {
            col_sum[i] = c;
            dit[i] = 1.0 / d.g_minus[i];
        }
        let influence: Vec<f64> = (0..n)
            .map(|k| {
                let l1 = a_total + mi_weighted[k];
                let l2 = row_sum[k] - nf * h_hat;
                let after = if d.time[k] > self.t {
                    1.0 / p_after
                } else {
                    0.0
                };
                let l3 = col_sum[k] - nf * h_hat * (after + (dit[k] - f01) / f01);
                (l1 + l2 + l3) / scale / nf
            })
            .collect();
        sample_sd(&influence) / nf.sqrt()
    }
}

/// For each subject $k$: $\sum_r a_r\,MI_{rk}$ with timeROC's martingale integrals
/// $MI_{rk} = \sum_{s \le r} \Delta\hat M^C_k(s) / ((n - s + 1)/n)$ over time positions.
fn martingale_integrals_weighted(time: &[f64], event: &[bool], a: &[f64]) -> Vec<f64> {
    let n = time.len();
    let nf = n as f64;
    // Censoring cumulative hazard by position: Lambda_r = sum_{s<=r} cens_s / (n - s + 1).
    let mut lambda = Vec::with_capacity(n);
    let mut acc = 0.0;
    for (s, &died) in event.iter().enumerate() {
        if !died {
            acc += 1.0 / (n - s) as f64;
        }
        lambda.push(acc);
    }
    (0..n)
        .map(|k| {
            let mut total = 0.0;
            let mut integral = 0.0;
            let mut previous = 0.0;
            for r in 0..n {
                let counting = if !event[k] && time[k] <= time[r] {
                    1.0
                } else {
                    0.0
                };
                let m = counting - lambda[r.min(k)];
                integral += (m - previous) / ((n - r) as f64 / nf);
                previous = m;
                total += a[r] * integral;
            }
            total
        })
        .collect()
}

fn sample_sd(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}
