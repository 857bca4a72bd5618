//! Calibration of predicted survival at a horizon $u$: predicted $S(u\mid x)$ against the
//! Kaplan–Meier estimate in groups of similar prediction, apparent and bootstrap
//! optimism-corrected.
//!
//! # Grouped calibration ([`grouped`])
//! Subjects are ranked by predicted $\hat S(u\mid x_i)$ (ties by row order), group
//! $= \lceil g\,\mathrm{rank}/n\rceil$; per group the mean prediction is compared with the group's
//! Kaplan–Meier $\hat S(u)$, Greenwood SE and log-type 95 % CI (R `summary(survfit, times = u,
//! extend = TRUE)`), except past a group's last follow-up time with its KM above 0: there no one
//! is at risk, R carries the last value forward, and we report it as not estimable (NaN) instead.
//! Golden: `stats/expected/calibration/<ds>_grouped_u<u>.csv`.
//!
//! # Bootstrap optimism correction ([`bootstrap`], `rms::calibrate(cmethod = "KM")`-like)
//! Cut points are `unique(quantile(c(0, 1, pred), seq(0, 1, length = g + 1)))` (R type-7
//! quantiles, $g = \lfloor n/m\rfloor$); a subject falls in $[c_k, c_{k+1})$ (last interval
//! closed), as `Hmisc::cut2(pred, cuts)`. For each group the index is
//! $\text{KM}(u) - \overline{\hat S}(u)$ (rms `what = "observed-predicted"`); the KM is the last
//! step at or before $u + 10^{-6}$ with the SE of $\log\hat S$ (rms `groupkm`). Each of $B$
//! bootstrap samples refits the Cox model, evaluates the index on the sample (training) and on
//! the original data (test), with the original cut points; optimism = mean(training − test),
//! corrected index = apparent − optimism, corrected KM = KM − optimism.
//!
//! # Known differences
//! * rms draws bootstrap rows with R's RNG; we use ChaCha8 seeded by `seed`, so training/test/
//!   optimism agree only statistically. The apparent columns (`KM`, `std.err`, group sizes) are
//!   deterministic and match exactly.
//! * rms `cph` stops Newton–Raphson at `eps = 1e-4` (coxph: 1e-9), so its `mean.predicted` differs
//!   from ours by up to the effect of that looser convergence (lung 3e-8, pbc ~1e-5 relative);
//!   the grouped table, built from `coxph`, matches to 1e-9.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::cox::{self, CoxOptions};
use crate::km::{kaplan_meier, KmOptions};
use crate::{Design, Result, StatsError, SurvData};

/// One group of [`grouped`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CalibrationGroup {
    /// Group number, 1 = lowest predicted survival.
    pub group: usize,
    /// Subjects in the group.
    pub n: usize,
    /// Smallest prediction in the group.
    pub pred_min: f64,
    /// Largest prediction in the group.
    pub pred_max: f64,
    /// Mean predicted $\hat S(u)$.
    pub mean_predicted: f64,
    /// Kaplan–Meier $\hat S(u)$ of the group; NaN (with its SE and limits) when $u$ lies past
    /// the group's last follow-up time and its KM is above 0 (no one is at risk at $u$).
    pub observed: f64,
    /// Greenwood SE of the observed $\hat S(u)$.
    pub observed_se: f64,
    /// Lower log-type 95 % limit.
    pub observed_lower: f64,
    /// Upper log-type 95 % limit.
    pub observed_upper: f64,
    /// Number at risk at $u$.
    pub n_risk: usize,
    /// Events with $T \le u$.
    pub events: usize,
}

/// Grouped calibration at horizon `u` in `groups` equal-size groups of predicted survival.
///
/// $$\text{group}_i = \lceil g\,\mathrm{rank}(\hat S_i)/n\rceil,\qquad
///   \text{predicted}_k = \overline{\hat S(u\mid x)}_{k},\quad
///   \text{observed}_k = \hat S^{\mathrm{KM}}_k(u)$$
///
/// Matches the R reference script (`rank(ties.method = "first")`, `summary(survfit(...), times =
/// u, extend = TRUE)` per group).
///
/// # Errors
/// [`StatsError::Degenerate`] for predictions of the wrong length, `groups` of 0 or more than
/// $n$; [`StatsError::InvalidValue`] for a prediction outside $[0, 1]$.
pub fn grouped(
    data: &SurvData,
    predicted: &[f64],
    u: f64,
    groups: usize,
) -> Result<Vec<CalibrationGroup>> {
    check_predictions(data, predicted)?;
    let n = data.len();
    if groups == 0 || groups > n {
        return Err(StatsError::Degenerate(format!(
            "{groups} groups for {n} subjects"
        )));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| predicted[a].total_cmp(&predicted[b]));
    let mut members = vec![Vec::new(); groups];
    for (r, &i) in order.iter().enumerate() {
        // ceiling(g * rank / n) with rank = r + 1, in exact integer arithmetic.
        let g = (groups * (r + 1)).div_ceil(n);
        members[g - 1].push(i);
    }
    members
        .iter()
        .enumerate()
        .map(|(k, rows)| {
            if rows.is_empty() {
                return Err(StatsError::Degenerate(format!(
                    "calibration group {} is empty",
                    k + 1
                )));
            }
            let preds: Vec<f64> = rows.iter().map(|&i| predicted[i]).collect();
            let sub = data.subset(rows);
            let mut at = kaplan_meier(&sub, &KmOptions::default()).at_times(&[u])[0];
            let last_follow_up = sub.time().iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if u > last_follow_up && at.surv > 0.0 {
                at.surv = f64::NAN;
                at.std_err_surv = f64::NAN;
                at.lower = f64::NAN;
                at.upper = f64::NAN;
            }
            Ok(CalibrationGroup {
                group: k + 1,
                n: rows.len(),
                pred_min: preds.iter().copied().fold(f64::INFINITY, f64::min),
                pred_max: preds.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                mean_predicted: mean(&preds),
                observed: at.surv,
                observed_se: at.std_err_surv,
                observed_lower: at.lower,
                observed_upper: at.upper,
                n_risk: at.n_risk,
                events: sub
                    .time()
                    .iter()
                    .zip(sub.status())
                    .filter(|(&t, &s)| s && t <= u)
                    .count(),
            })
        })
        .collect()
}

/// Settings of [`bootstrap`]; `m` and `b` as `rms::calibrate`'s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    /// Horizon $u$.
    pub u: f64,
    /// Average subjects per group $m$ ($g = \lfloor n/m\rfloor$ groups).
    pub m: usize,
    /// Bootstrap repetitions $B$.
    pub b: usize,
    /// Seed of the ChaCha8 generator drawing the samples.
    pub seed: u64,
    /// Options of the Cox refits.
    pub cox: CoxOptions,
}

/// One interval of predicted survival in [`bootstrap`] (rms `calibrate` row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationInterval {
    /// Apparent index KM − mean predicted (`index.orig`).
    pub index_orig: f64,
    /// Mean index on the bootstrap samples (`training`).
    pub training: f64,
    /// Mean index of the bootstrap models on the original data (`test`).
    pub test: f64,
    /// training − test (`mean.optimism`).
    pub mean_optimism: f64,
    /// index_orig − optimism (`mean.corrected`).
    pub mean_corrected: f64,
    /// Repetitions in which the interval could be evaluated (`n`).
    pub n_reps: usize,
    /// Mean predicted $\hat S(u)$ (`mean.predicted`).
    pub mean_predicted: f64,
    /// Apparent group Kaplan–Meier $\hat S(u)$ (`KM`).
    pub km: f64,
    /// KM − optimism (`KM.corrected`).
    pub km_corrected: f64,
    /// SE of $\log\hat S(u)$ of the group KM (`std.err`).
    pub std_err: f64,
    /// Subjects in the interval.
    pub n: usize,
}

/// Bootstrap optimism-corrected calibration of a Cox model at horizon `u`, as
/// `rms::calibrate(cph(...), cmethod = "KM", u, m, B)` (see the module documentation).
///
/// # Errors
/// As [`cox::fit`] for the original model; [`StatsError::Degenerate`] when an apparent group
/// cannot be estimated (fewer than 2 subjects or $u$ beyond its follow-up). Bootstrap samples
/// whose refit fails are skipped, as rms does.
pub fn bootstrap(
    data: &SurvData,
    design: &Design,
    options: &BootstrapOptions,
) -> Result<Vec<CalibrationInterval>> {
    let n = data.len();
    let fit = cox::fit(data, design, &options.cox)?;
    let predict = |f: &cox::CoxFit, x: &Design| -> Vec<f64> {
        (0..x.n_rows())
            .map(|i| f.predict_survival(&x.row(i), &[options.u])[0])
            .collect()
    };
    let apparent_pred = predict(&fit, design);
    let g = (n / options.m.max(1)).max(1);
    let cuts = quantile_cuts(&apparent_pred, g);
    let apparent = group_km(data, &apparent_pred, &cuts, options.u);
    let mut orig = Vec::with_capacity(apparent.len());
    for (k, a) in apparent.iter().enumerate() {
        match a {
            Some(a) => orig.push(*a),
            None => {
                return Err(StatsError::Degenerate(format!(
                    "calibration interval {} has fewer than 2 subjects or ends before u = {}",
                    k + 1,
                    options.u
                )))
            }
        }
    }

    let groups = orig.len();
    let (mut train_sum, mut test_sum, mut reps) =
        (vec![0.0; groups], vec![0.0; groups], vec![0; groups]);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    for _ in 0..options.b {
        let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let (sample, x) = (data.subset(&rows), design.subset(&rows));
        // rms skips samples with fewer than 5 events or a failed fit.
        if sample.events() < 5 {
            continue;
        }
        let Ok(boot) = cox::fit(&sample, &x, &options.cox) else {
            continue;
        };
        let train = group_km(&sample, &predict(&boot, &x), &cuts, options.u);
        let test = group_km(data, &predict(&boot, design), &cuts, options.u);
        for k in 0..groups {
            if let (Some(tr), Some(te)) = (train[k], test[k]) {
                train_sum[k] += tr.km - tr.mean_predicted;
                test_sum[k] += te.km - te.mean_predicted;
                reps[k] += 1;
            }
        }
    }
    Ok(orig
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let r = reps[k] as f64;
            let (training, test) = (train_sum[k] / r, test_sum[k] / r);
            let optimism = training - test;
            let index_orig = a.km - a.mean_predicted;
            CalibrationInterval {
                index_orig,
                training,
                test,
                mean_optimism: optimism,
                mean_corrected: index_orig - optimism,
                n_reps: reps[k],
                mean_predicted: a.mean_predicted,
                km: a.km,
                km_corrected: a.km - optimism,
                std_err: a.std_err,
                n: a.n,
            }
        })
        .collect())
}

/// Apparent KM of one interval (rms `groupkm` row).
#[derive(Debug, Clone, Copy)]
struct GroupKm {
    mean_predicted: f64,
    km: f64,
    std_err: f64,
    n: usize,
}

/// `unique(quantile(c(0, 1, pred), seq(0, 1, length = g + 1)))` with R's type-7 quantiles.
fn quantile_cuts(pred: &[f64], g: usize) -> Vec<f64> {
    let mut values: Vec<f64> = pred.to_vec();
    values.push(0.0);
    values.push(1.0);
    values.sort_by(f64::total_cmp);
    let last = (values.len() - 1) as f64;
    let mut cuts: Vec<f64> = Vec::with_capacity(g + 1);
    for k in 0..=g {
        let h = last * k as f64 / g as f64;
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        let q = values[lo] + (h - lo as f64) * (values[hi] - values[lo]);
        if !cuts.contains(&q) {
            cuts.push(q);
        }
    }
    cuts
}

/// Per interval of `cuts` (`Hmisc::cut2(x, cuts)`: $[c_k, c_{k+1})$, the last closed), the mean
/// prediction and the KM at `u` (`None` for < 2 subjects or `u` past the group's last time).
fn group_km(data: &SurvData, pred: &[f64], cuts: &[f64], u: f64) -> Vec<Option<GroupKm>> {
    // cut2 shifts each cut down by half the smallest gap between distinct values (and cuts).
    let mut distinct: Vec<f64> = pred
        .iter()
        .map(|&p| if p.abs() < 1e-10 { 0.0 } else { p })
        .collect();
    distinct.extend_from_slice(cuts);
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let half_gap = distinct
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min)
        / 2.0;
    let intervals = cuts.len().saturating_sub(1);
    let mut members = vec![Vec::new(); intervals];
    for (i, &p) in pred.iter().enumerate() {
        let p = if p.abs() < 1e-10 { 0.0 } else { p };
        // R cut(x, k2): (k2[k], k2[k+1]] with k2 = cuts - half_gap except the last.
        let upper = |k: usize| {
            if k + 1 == intervals {
                cuts[k + 1]
            } else {
                cuts[k + 1] - half_gap
            }
        };
        if let Some(k) = (0..intervals).find(|&k| p > cuts[k] - half_gap && p <= upper(k)) {
            members[k].push(i);
        }
    }
    members
        .iter()
        .map(|rows| {
            if rows.len() < 2 {
                return None;
            }
            let preds: Vec<f64> = rows.iter().map(|&i| pred[i]).collect();
            let km = kaplan_meier(&data.subset(rows), &KmOptions::default());
            let steps = km.steps();
            let last = steps.last()?;
            if u > last.time + 1e-6 && last.surv > 0.0 {
                return None;
            }
            let at = steps.partition_point(|s| s.time <= u + 1e-6);
            let (surv, se) = at
                .checked_sub(1)
                .map_or((1.0, 0.0), |k| (steps[k].surv, steps[k].std_err));
            Some(GroupKm {
                mean_predicted: mean(&preds),
                km: surv,
                std_err: se,
                n: rows.len(),
            })
        })
        .collect()
}

fn check_predictions(data: &SurvData, predicted: &[f64]) -> Result<()> {
    if predicted.len() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "{} predictions for {} subjects",
            predicted.len(),
            data.len()
        )));
    }
    if let Some(i) = predicted.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(StatsError::InvalidValue {
            row: i + 1,
            column: "predicted survival".into(),
            reason: format!("must lie in [0, 1], got {}", predicted[i]),
        });
    }
    Ok(())
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}
