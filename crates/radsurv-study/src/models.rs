//! The four models, fitted on the training cohort: clinical (univariable screening, then
//! multivariable Cox), radiomics (Cox on the rad-score), combined (clinical + rad-score) and the
//! Six-and-twelve score (largest diameter in cm + tumour number; a fixed score, with a Cox fit on
//! it only to turn it into predicted survival for calibration).
//!
//! Linear predictors are centred as R's `predict(coxph, type = "lp")`: $(x - \bar x)^\top\hat\beta$
//! with $\bar x$ the training means; predicted survival is `survfit.coxph` at those covariates.

use crate::cohort::{Cohort, DesignColumn};
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::results::{CoxRow, ModelKey, NotFitted};
use radsurv_stats::cox::{self, CoxFit, CoxOptions};
use radsurv_stats::{Design, SurvData};

/// The name of the rad-score column in design matrices and model files.
pub const RAD_SCORE: &str = "rad_score";

/// A fitted model and its predictions for every patient of the analysed cohort.
#[derive(Debug, Clone)]
pub struct FittedModel {
    /// Which model.
    pub key: ModelKey,
    /// Display name.
    pub label: String,
    /// Design columns from clinical covariates (the rad-score, if used, is last and not listed).
    pub columns: Vec<DesignColumn>,
    /// True when the rad-score is a covariate.
    pub uses_rad_score: bool,
    /// The Cox fit (training).
    pub fit: CoxFit,
    /// Risk score per patient used for discrimination and risk groups (higher = worse): the
    /// centred linear predictor, or the raw Six-and-twelve score.
    pub risk: Vec<f64>,
    /// Predicted S(t) per patient (rows) and horizon (columns).
    pub survival: Vec<Vec<f64>>,
}

/// Univariable screening, multivariable model and the list of screened covariates.
#[derive(Debug, Clone)]
pub struct ClinicalSelection {
    /// Univariable rows (every candidate, training).
    pub univariable: Vec<CoxRow>,
    /// Candidates that could not be fitted, with the reason.
    pub not_fitted: Vec<NotFitted>,
    /// Covariate names entering the multivariable model.
    pub screened: Vec<String>,
}

/// The Cox options used throughout: Efron ties, R's defaults.
pub fn cox_options() -> CoxOptions {
    CoxOptions::default()
}

/// Univariable Cox of each candidate covariate on the training cohort; a covariate passes when
/// its Wald p (the overall Wald test for a multi-level categorical) is below the threshold.
///
/// # Errors
/// A statistics error other than a covariate that does not vary in training (that one is logged
/// and skipped).
pub fn screen_clinical(
    cohort: &Cohort,
    training: &[usize],
    data: &SurvData,
    threshold: f64,
    log: &mut Decisions,
) -> Result<ClinicalSelection> {
    let mut univariable = Vec::new();
    let mut not_fitted = Vec::new();
    let mut screened = Vec::new();
    let mut best: Option<(f64, String)> = None;
    for (cov, _) in cohort.covariates.iter().filter(|(c, _)| c.candidate) {
        let columns = cohort.design_columns(&cov.name);
        let design = match design_of(cohort, &columns, None, training) {
            Ok(d) => d,
            Err(e) => {
                log.note("univariable Cox", format!("{} skipped: {e}", cov.name));
                not_fitted.push(NotFitted {
                    name: cov.name.clone(),
                    label: cov.label().to_string(),
                    reason: why_not_fitted(&e),
                });
                continue;
            }
        };
        let fit = cox::fit(data, &design, &cox_options()).map_err(StudyError::stats(format!(
            "univariable Cox of {}",
            cov.name
        )))?;
        let p = if columns.len() == 1 {
            fit.coefficients()[0].estimate.p
        } else {
            fit.wald_test().p
        };
        for warning in fit.warnings() {
            log.note("univariable Cox", format!("{}: {warning}", cov.name));
        }
        univariable.extend(cox_rows(&fit, &columns));
        if p < threshold {
            screened.push(cov.name.clone());
        }
        if best.as_ref().is_none_or(|(bp, _)| p < *bp) {
            best = Some((p, cov.name.clone()));
        }
        log.note(
            "univariable Cox",
            format!(
                "{}: p = {p:.4}{}",
                cov.name,
                if p < threshold { " (screened in)" } else { "" }
            ),
        );
    }
    if screened.is_empty() {
        let (p, name) = best.ok_or_else(|| {
            StudyError::degenerate("clinical model", "no clinical covariate could be fitted")
        })?;
        log.note(
            "clinical model",
            format!("no covariate had p < {threshold}; using the strongest, {name} (p = {p:.4})"),
        );
        screened.push(name);
    }
    Ok(ClinicalSelection {
        univariable,
        not_fitted,
        screened,
    })
}

/// What a reader of Table 2 needs from a design error: the cell's reason, without the row the
/// check stopped at.
fn why_not_fitted(error: &StudyError) -> String {
    match error {
        StudyError::Stats {
            source: radsurv_stats::StatsError::InvalidValue { reason, .. },
            ..
        } => reason.clone(),
        other => other.to_string(),
    }
}

/// Fits a Cox model on the training rows and predicts for every patient.
///
/// `rad_score` (one value per patient) is appended as the last covariate when given.
///
/// # Errors
/// Statistics errors from the fit (singular design, non-convergence).
#[allow(clippy::too_many_arguments)]
pub fn fit_model(
    key: ModelKey,
    label: &str,
    cohort: &Cohort,
    columns: Vec<DesignColumn>,
    rad_score: Option<&[f64]>,
    training: &[usize],
    data: &SurvData,
    horizons: &[f64],
) -> Result<FittedModel> {
    let all: Vec<usize> = (0..cohort.patients.len()).collect();
    let design = design_of(cohort, &columns, rad_score, training)?;
    let fit = cox::fit(data, &design, &cox_options())
        .map_err(StudyError::stats(format!("{label} model")))?;
    let full = design_of_unchecked(cohort, &columns, rad_score, &all)?;
    let (risk, survival) = predict(&fit, &full, horizons)?;
    Ok(FittedModel {
        key,
        label: label.into(),
        columns,
        uses_rad_score: rad_score.is_some(),
        fit,
        risk,
        survival,
    })
}

/// The Six-and-twelve model: the raw score ranks patients; a Cox fit on it gives S(t).
///
/// # Errors
/// Statistics errors from the fit.
pub fn six_and_twelve(
    cohort: &Cohort,
    training: &[usize],
    data: &SurvData,
    horizons: &[f64],
) -> Result<FittedModel> {
    let score: Vec<f64> = cohort
        .diameter_cm
        .iter()
        .zip(&cohort.tumour_count)
        .map(|(d, n)| d + n)
        .collect();
    let names = vec!["six_and_twelve".to_string()];
    let train = Design::new(
        names.clone(),
        vec![training.iter().map(|&i| score[i]).collect()],
    )
    .map_err(StudyError::stats("Six-and-twelve score"))?;
    let fit = cox::fit(data, &train, &cox_options())
        .map_err(StudyError::stats("Six-and-twelve model"))?;
    let full = Design::new_unchecked_variation(names, vec![score.clone()])
        .map_err(StudyError::stats("Six-and-twelve score"))?;
    let (_, survival) = predict(&fit, &full, horizons)?;
    Ok(FittedModel {
        key: ModelKey::SixAndTwelve,
        label: "Six-and-twelve".into(),
        columns: Vec::new(),
        uses_rad_score: false,
        fit,
        risk: score,
        survival,
    })
}

/// Centred linear predictors and predicted survival at the horizons for every design row.
fn predict(fit: &CoxFit, design: &Design, horizons: &[f64]) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    let centre: f64 = fit.means().iter().zip(fit.coef()).map(|(m, b)| m * b).sum();
    let lp = fit
        .linear_predictors(design)
        .map_err(StudyError::stats("linear predictor"))?;
    let risk = lp.iter().map(|v| v - centre).collect();
    let survival = (0..design.n_rows())
        .map(|i| fit.predict_survival(&design.row(i), horizons))
        .collect();
    Ok((risk, survival))
}

/// Design of the given rows, every column required to vary (for fitting).
pub(crate) fn design_of(
    cohort: &Cohort,
    columns: &[DesignColumn],
    rad_score: Option<&[f64]>,
    rows: &[usize],
) -> Result<Design> {
    let (names, values) = design_parts(cohort, columns, rad_score, rows);
    Design::new(names, values).map_err(StudyError::stats("design matrix"))
}

fn design_of_unchecked(
    cohort: &Cohort,
    columns: &[DesignColumn],
    rad_score: Option<&[f64]>,
    rows: &[usize],
) -> Result<Design> {
    let (names, values) = design_parts(cohort, columns, rad_score, rows);
    Design::new_unchecked_variation(names, values).map_err(StudyError::stats("design matrix"))
}

fn design_parts(
    cohort: &Cohort,
    columns: &[DesignColumn],
    rad_score: Option<&[f64]>,
    rows: &[usize],
) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut values: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| {
            let v = cohort.design_values(c);
            rows.iter().map(|&i| v[i]).collect()
        })
        .collect();
    if let Some(score) = rad_score {
        names.push(RAD_SCORE.into());
        values.push(rows.iter().map(|&i| score[i]).collect());
    }
    (names, values)
}

/// Result rows of a fit, labelled from the design columns (the rad-score last, if present).
pub fn cox_rows(fit: &CoxFit, columns: &[DesignColumn]) -> Vec<CoxRow> {
    fit.coefficients()
        .into_iter()
        .enumerate()
        .map(|(j, c)| {
            let label = columns.iter().find(|d| d.name == c.name).map_or_else(
                || {
                    if c.name == RAD_SCORE {
                        "Rad-score (per unit)".to_string()
                    } else {
                        c.name.clone()
                    }
                },
                |d| d.label.clone(),
            );
            CoxRow {
                name: c.name,
                label,
                estimate: c.estimate,
                may_be_infinite: fit.may_be_infinite(j),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test support: a panic names the failure
    use super::*;

    /// Everyone with `x = 1` dies before everyone with `x = 0`: `x`'s coefficient may be
    /// infinite, and its result row says so.
    #[test]
    fn a_row_whose_coefficient_may_be_infinite_is_flagged() {
        let data = SurvData::new(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[1.0; 6], "t", "s").unwrap();
        let design =
            Design::new(vec!["x".into()], vec![vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]]).unwrap();
        let fit = cox::fit(&data, &design, &cox_options()).unwrap();
        let rows = cox_rows(&fit, &[]);
        assert!(rows[0].may_be_infinite);
    }

    /// A design column without variation is reported by its reason alone, not by the row where
    /// the check stopped.
    #[test]
    fn a_covariate_without_variation_is_not_fitted_for_its_reason() {
        let error = Design::new(vec!["hbv".into()], vec![vec![1.0; 4]])
            .map_err(StudyError::stats("design matrix"))
            .unwrap_err();
        let reason = why_not_fitted(&error);
        assert!(reason.contains("single value 1"), "{reason}");
        assert!(!reason.contains("row"), "{reason}");
    }
}
