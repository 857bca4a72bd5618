//! The statistics this pipeline needs, each a thin call into `radsurv-stats` (no statistic is
//! computed in this crate). Results come back in this crate's result types.
//!
//! A method that `radsurv-stats` does not provide yet returns [`StudyError::Degenerate`] naming
//! it, so the pipeline stops at that step with a clear message rather than computing it here.

use crate::config::IccType;
use crate::error::{Result, StudyError};
use crate::results::{CIndex, Estimate};
use radsurv_stats::SurvData;

fn not_in_stats(method: &str) -> StudyError {
    StudyError::degenerate(method, "radsurv-stats does not provide this method yet")
}

/// Arithmetic mean and sample SD (divisor n − 1, as R `mean`/`sd`).
pub(crate) fn mean_sd(_values: &[f64]) -> Result<(f64, f64)> {
    Err(not_in_stats("mean and SD"))
}

/// Median, first and third quartile (R `quantile(type = 7)`).
pub(crate) fn quartiles(_values: &[f64]) -> Result<[f64; 3]> {
    Err(not_in_stats("quartiles"))
}

/// ICC of one feature between two readers (`a[i]`, `b[i]` the same subject), with 95 % CI.
pub(crate) fn icc(_a: &[f64], _b: &[f64], _kind: IccType) -> Result<Estimate> {
    Err(not_in_stats("ICC"))
}

/// Spearman's rho.
pub(crate) fn spearman(_a: &[f64], _b: &[f64]) -> Result<f64> {
    Err(not_in_stats("Spearman correlation"))
}

/// Harrell's C of a risk score (higher = shorter survival) with its 95 % CI.
pub(crate) fn harrell_c(data: &SurvData, risk: &[f64]) -> Result<CIndex> {
    let c = radsurv_stats::concordance::harrell(data, risk)
        .map_err(StudyError::stats("Harrell's C"))?;
    Ok(CIndex {
        value: c.c,
        se: c.se,
        lower: c.lower,
        upper: c.upper,
    })
}

/// Median (R `median`).
pub(crate) fn median(values: &[f64]) -> Result<f64> {
    quartiles(values).map(|q| q[1])
}

/// LASSO-Cox cross-validation on the training cohort: the summary for results and the
/// coefficients (one per design column) at the chosen λ.
pub(crate) fn lasso_cv(
    _x: &radsurv_stats::Design,
    _data: &SurvData,
    _config: &crate::config::LassoConfig,
) -> Result<(crate::results::LassoSummary, Vec<f64>)> {
    Err(not_in_stats("LASSO-Cox cross-validation"))
}

/// Time-dependent AUC at each horizon (cumulative/dynamic, marginal KM-IPCW, cases T ≤ t) with
/// its ROC curve.
pub(crate) fn td_auc(
    _data: &SurvData,
    _risk: &[f64],
    _times: &[f64],
) -> Result<Vec<(crate::results::TdAuc, crate::results::RocCurve)>> {
    Err(not_in_stats("time-dependent AUC"))
}

/// Calibration at horizon `time`: patients grouped by quantiles of predicted S(time), mean
/// predicted against KM observed.
pub(crate) fn calibration(
    _data: &SurvData,
    _predicted: &[f64],
    _time: f64,
    _groups: usize,
) -> Result<crate::results::Calibration> {
    Err(not_in_stats("calibration"))
}

/// Shapiro–Wilk p-value.
pub(crate) fn shapiro_wilk_p(_values: &[f64]) -> Result<f64> {
    Err(not_in_stats("Shapiro–Wilk test"))
}

/// Two-sample t-test (pooled variance, as SPSS's equal-variance row): (t, p).
pub(crate) fn t_test(_a: &[f64], _b: &[f64]) -> Result<(f64, f64)> {
    Err(not_in_stats("t-test"))
}

/// Mann–Whitney U test (normal approximation, continuity correction): (Z, p).
pub(crate) fn mann_whitney(_a: &[f64], _b: &[f64]) -> Result<(f64, f64)> {
    Err(not_in_stats("Mann–Whitney test"))
}

/// Pearson chi-square test of a contingency table (rows = levels, columns = cohorts): (χ², p).
pub(crate) fn chi_square(_counts: &[Vec<usize>]) -> Result<(f64, f64)> {
    Err(not_in_stats("chi-square test"))
}
