//! The statistics this pipeline needs, each a thin call into `radsurv-stats` (no statistic is
//! computed in this crate). Results come back in this crate's result types.

use crate::config::IccType;
use crate::error::{Result, StudyError};
use crate::results::{CIndex, Estimate};
use radsurv_stats::SurvData;

/// Arithmetic mean and sample SD (divisor n − 1, as R `mean`/`sd`).
pub(crate) fn mean_sd(values: &[f64]) -> Result<(f64, f64)> {
    use radsurv_stats::describe::{mean, sd};
    let mean = mean(values).map_err(StudyError::stats("mean"))?;
    Ok((mean, sd(values).map_err(StudyError::stats("SD"))?))
}

/// Median, first and third quartile (R `quantile(type = 7)`).
pub(crate) fn quartiles(values: &[f64]) -> Result<[f64; 3]> {
    use radsurv_stats::describe::quantile;
    let q = |p| quantile(values, p).map_err(StudyError::stats("quartiles"));
    Ok([q(0.25)?, q(0.5)?, q(0.75)?])
}

/// ICC of one feature between two readers (`a[i]`, `b[i]` the same subject), with 95 % CI.
pub(crate) fn icc(a: &[f64], b: &[f64], kind: IccType) -> Result<Estimate> {
    use radsurv_stats::icc::{icc, IccType as Form};
    let form = match kind {
        IccType::Icc1 => Form::Icc1,
        IccType::Icc2 => Form::Icc2,
        IccType::Icc3 => Form::Icc3,
    };
    let table = icc(&[a.to_vec(), b.to_vec()]).map_err(StudyError::stats("ICC"))?;
    let row = table
        .get(form)
        .ok_or_else(|| StudyError::degenerate("ICC", "form not computed"))?;
    Ok(Estimate {
        value: finite(row.icc),
        lower: finite(row.lower),
        upper: finite(row.upper),
    })
}

/// Spearman's rho.
pub(crate) fn spearman(a: &[f64], b: &[f64]) -> Result<f64> {
    radsurv_stats::correlation::spearman(a, b)
        .map(|c| c.estimate)
        .map_err(StudyError::stats("Spearman correlation"))
}

/// Harrell's C of a risk score (higher = shorter survival) with its 95 % CI; `of` names the
/// score and cohort in an error.
pub(crate) fn harrell_c(data: &SurvData, risk: &[f64], of: &str) -> Result<CIndex> {
    let c = radsurv_stats::concordance::harrell(data, risk)
        .map_err(StudyError::stats(format!("Harrell's C of {of}")))?;
    Ok(CIndex {
        value: c.c,
        se: c.se,
        lower: c.lower,
        upper: c.upper,
    })
}

/// Median (R `median`).
pub(crate) fn median(values: &[f64]) -> Result<f64> {
    radsurv_stats::describe::median(values).map_err(StudyError::stats("median"))
}

/// LASSO-Cox cross-validation on the training cohort: the summary for results and the
/// coefficients (one per design column) at the chosen λ.
pub(crate) fn lasso_cv(
    x: &radsurv_stats::Design,
    data: &SurvData,
    config: &crate::config::LassoConfig,
) -> Result<(crate::results::LassoSummary, Vec<f64>)> {
    use crate::config::{LambdaRule, LassoMeasure};
    use radsurv_stats::cv::{cv_coxnet, CvMeasure, CvOptions, Folds};
    let options = CvOptions {
        measure: match config.measure {
            LassoMeasure::Deviance => CvMeasure::Deviance,
            LassoMeasure::C => CvMeasure::C,
        },
        folds: Folds::Seeded {
            k: config.folds,
            seed: config.seed,
        },
        path: radsurv_stats::coxnet::CoxnetOptions::default(),
    };
    let cv =
        cv_coxnet(x, data, &options).map_err(StudyError::stats("LASSO-Cox cross-validation"))?;
    let (chosen, lambda_chosen, beta) = match config.lambda {
        LambdaRule::Min => ("min", cv.lambda_min, cv.coef_min().to_vec()),
        LambdaRule::OneSe => ("1se", cv.lambda_1se, cv.coef_1se().to_vec()),
    };
    let paths = x
        .names()
        .iter()
        .enumerate()
        .map(|(j, name)| crate::results::CoefficientPath {
            feature: name.clone(),
            coefficients: cv.fit.beta.iter().map(|b| b[j]).collect(),
        })
        .collect();
    let summary = crate::results::LassoSummary {
        measure: match config.measure {
            LassoMeasure::Deviance => "deviance".into(),
            LassoMeasure::C => "C".into(),
        },
        folds: config.folds,
        seed: config.seed,
        foldid: cv.foldid.clone(),
        lambda: cv.lambda.clone(),
        cvm: cv.cvm.clone(),
        cvsd: cv.cvsd.clone(),
        nzero: cv.nzero.clone(),
        lambda_min: cv.lambda_min,
        lambda_1se: cv.lambda_1se,
        chosen: chosen.into(),
        lambda_chosen,
        paths,
        path_truncated_at: cv.fit.truncated_at,
    };
    Ok((summary, beta))
}

/// Time-dependent AUC at each horizon (cumulative/dynamic, marginal KM-IPCW, cases T ≤ t as
/// riskRegression) with its influence-function CI.
pub(crate) fn td_auc(
    data: &SurvData,
    risk: &[f64],
    times: &[f64],
) -> Result<Vec<crate::results::TdAuc>> {
    use radsurv_stats::tdauc::{td_auc, TdAucOptions};
    let points = td_auc(data, risk, times, &TdAucOptions::default())
        .map_err(StudyError::stats("time-dependent AUC"))?;
    Ok(points
        .into_iter()
        .map(|p| crate::results::TdAuc {
            time: p.time,
            auc: p.auc,
            se: finite(p.se),
            lower: finite(p.lower),
            upper: finite(p.upper),
        })
        .collect())
}

/// Time-dependent ROC curve points at horizon `time` (cases T ≤ t, IPCW as the AUC).
pub(crate) fn roc_curve(
    data: &SurvData,
    risk: &[f64],
    time: f64,
) -> Result<crate::results::RocCurve> {
    use radsurv_stats::tdauc::{roc_curve, CaseDefinition};
    let curve = roc_curve(data, risk, time, CaseDefinition::AtOrBefore)
        .map_err(StudyError::stats("time-dependent ROC curve"))?;
    Ok(crate::results::RocCurve {
        time: curve.time,
        fpr: curve.fpr,
        tpr: curve.tpr,
    })
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Calibration at horizon `time`: patients grouped by quantiles of predicted S(time), mean
/// predicted against KM observed.
pub(crate) fn calibration(
    data: &SurvData,
    predicted: &[f64],
    time: f64,
    groups: usize,
) -> Result<crate::results::Calibration> {
    let groups = radsurv_stats::calibration::grouped(data, predicted, time, groups)
        .map_err(StudyError::stats("calibration"))?;
    if let Some(g) = groups.iter().find(|g| g.observed.is_nan()) {
        return Err(StudyError::degenerate(
            "calibration",
            format!(
                "group {} has no one at risk at the horizon (its follow-up ends earlier): its \
                 observed survival is not estimable",
                g.group
            ),
        ));
    }
    Ok(crate::results::Calibration {
        time,
        groups: groups
            .into_iter()
            .map(|g| crate::results::CalibrationPoint {
                n: g.n,
                predicted: g.mean_predicted,
                observed: g.observed,
                lower: finite(g.observed_lower),
                upper: finite(g.observed_upper),
            })
            .collect(),
    })
}

/// How one covariate's nomogram axis is labelled: its display label, and whether it is a 0/1
/// indicator.
pub(crate) struct AxisLabel {
    pub label: String,
    pub indicator: bool,
}

/// The rms-style points nomogram of a fitted Cox model, axes from its training design.
pub(crate) fn nomogram(
    fit: &radsurv_stats::cox::CoxFit,
    design: &radsurv_stats::Design,
    labels: &[AxisLabel],
    horizons: &[(String, f64)],
) -> Result<crate::results::Nomogram> {
    use radsurv_stats::nomogram::{nomogram, NomogramOptions};
    let options = NomogramOptions {
        survival_times: horizons.iter().map(|(_, t)| *t).collect(),
        ..NomogramOptions::default()
    };
    let n = nomogram(fit, design, &options).map_err(StudyError::stats("nomogram"))?;
    let scale = |a: &radsurv_stats::nomogram::ValueAxis| crate::results::NomogramScale {
        values: a.values.clone(),
        points: a.points.clone(),
    };
    Ok(crate::results::Nomogram {
        scale: n.scale,
        intercept: n.intercept,
        covariates: n
            .covariates
            .iter()
            .zip(labels)
            .map(|(a, axis)| crate::results::NomogramAxis {
                name: a.name.clone(),
                label: axis.label.clone(),
                indicator: axis.indicator,
                values: a.values.clone(),
                points: a.points.clone(),
            })
            .collect(),
        total_points_axis: n.total_points_axis.clone(),
        lp_axis: scale(&n.lp_axis),
        survival_axes: horizons
            .iter()
            .map(|(k, _)| k.clone())
            .zip(n.survival_axes.iter().map(|(_, a)| scale(a)))
            .collect(),
    })
}

/// Shapiro–Wilk p-value (R `shapiro.test`).
pub(crate) fn shapiro_wilk_p(values: &[f64]) -> Result<f64> {
    radsurv_stats::normality::shapiro_wilk(values)
        .map(|sw| sw.p_value)
        .map_err(StudyError::stats("Shapiro–Wilk test"))
}

/// Two-sample t-test (pooled variance, as SPSS's equal-variance row): (t, p).
pub(crate) fn t_test(a: &[f64], b: &[f64]) -> Result<(f64, f64)> {
    radsurv_stats::ttest::t_test(a, b, true)
        .map(|t| (t.t, t.p))
        .map_err(StudyError::stats("t-test"))
}

/// Mann–Whitney U test (normal approximation, continuity correction): (Z, p).
pub(crate) fn mann_whitney(a: &[f64], b: &[f64]) -> Result<(f64, f64)> {
    radsurv_stats::wilcoxon::mann_whitney(a, b, true)
        .map(|w| (w.z, w.p))
        .map_err(StudyError::stats("Mann–Whitney test"))
}

/// Pearson chi-square test of a contingency table (rows = levels, columns = cohorts), without
/// Yates' correction (SPSS's "Pearson Chi-Square" row, as the seed reports): (χ², p).
pub(crate) fn chi_square(counts: &[Vec<usize>]) -> Result<(f64, f64)> {
    let table: Vec<Vec<f64>> = counts
        .iter()
        .map(|r| r.iter().map(|&c| c as f64).collect())
        .collect();
    radsurv_stats::chisq::chisq_test(&table, false)
        .map(|c| (c.statistic, c.p))
        .map_err(StudyError::stats("chi-square test"))
}
