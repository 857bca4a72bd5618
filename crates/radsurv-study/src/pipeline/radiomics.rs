//! Stages [`Stage::Standardise`](super::Stage::Standardise) and
//! [`Stage::SelectFeatures`](super::Stage::SelectFeatures): from extracted features to the
//! rad-score (ICC filter, invalid features, imputation and z-score on the training cohort; Spearman
//! redundancy filter; LASSO-Cox).

use super::features::{columns_for_ids, Features};
use crate::config::{LambdaRule, LassoConfig, LassoMeasure, StudyConfig};
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::models;
use crate::results::{DroppedFeature, IccRow, LassoSummary, SelectedFeature, SpearmanDrop};
use crate::selection::{self, FeatureColumns, Standardiser};
use crate::stat;
use radsurv_stats::Design;

/// The z-scored features that passed the ICC and validity filters.
pub(super) struct Standardised {
    /// Patients with both readers' features.
    pub icc_cases: usize,
    /// The ICC of every feature.
    pub icc_rows: Vec<IccRow>,
    /// Features kept by the ICC filter.
    pub icc_kept: Vec<String>,
    /// Training means and SDs of the valid features.
    pub standardiser: Standardiser,
    /// Features dropped as invalid, with the reason.
    pub invalid: Vec<DroppedFeature>,
    /// The z-scored valid features of every analysed patient.
    pub z: FeatureColumns,
}

/// The LASSO-Cox selection and the rad-score.
pub(super) struct Selected {
    /// Features kept by the Spearman filter (the LASSO's candidates).
    pub spearman_kept: Vec<String>,
    /// Features dropped by the Spearman filter.
    pub spearman_dropped: Vec<SpearmanDrop>,
    /// The LASSO-Cox path and cross-validation.
    pub lasso: LassoSummary,
    /// Features with a non-zero coefficient at the chosen λ.
    pub features: Vec<SelectedFeature>,
    /// The rad-score of every analysed patient.
    pub rad_score: Vec<f64>,
}

pub(super) fn standardise(
    config: &StudyConfig,
    features: &Features,
    log: &mut Decisions,
) -> Result<Standardised> {
    let extracted = &features.extracted;
    let names = &extracted.names;
    let icc_ids: Vec<String> = features
        .cohort
        .patients
        .iter()
        .map(|p| p.id.clone())
        .filter(|id| extracted.secondary.contains_key(id))
        .collect();
    let (icc_rows, icc_kept) = if icc_ids.len() >= 3 {
        let a = columns_for_ids(&extracted.primary, &icc_ids, names);
        let b = columns_for_ids(&extracted.secondary, &icc_ids, names);
        selection::icc_filter(&a, &b, config)?
    } else {
        log.note(
            "ICC",
            format!(
                "only {} patients have both readers: ICC filter skipped",
                icc_ids.len()
            ),
        );
        (Vec::new(), names.clone())
    };
    for row in icc_rows.iter().filter(|r| !r.kept) {
        log.note(
            "ICC",
            format!(
                "{} dropped: ICC {} < {}",
                row.feature,
                row.icc.map_or("undefined".into(), |v| format!("{v:.3}")),
                config.icc.threshold
            ),
        );
    }
    let training = &features.cohorts.training.rows;
    let (standardiser, invalid) = Standardiser::fit(&features.primary.select(&icc_kept), training)?;
    for d in &invalid {
        log.note(
            "invalid features",
            format!("{} dropped: {}", d.feature, d.reason),
        );
    }
    let z = standardiser.apply(&features.primary);
    Ok(Standardised {
        icc_cases: icc_ids.len(),
        icc_rows,
        icc_kept,
        standardiser,
        invalid,
        z,
    })
}

pub(super) fn select(
    config: &StudyConfig,
    features: &Features,
    standardised: &Standardised,
    log: &mut Decisions,
) -> Result<Selected> {
    let training = &features.cohorts.training.rows;
    let train_surv = &features.cohorts.training.surv;
    let z = &standardised.z;
    let z_train = z.rows(training);
    let cox_strength = |j: usize| -> Result<f64> {
        let design = Design::new(
            vec![z_train.names[j].clone()],
            vec![z_train.columns[j].clone()],
        )
        .map_err(StudyError::stats("univariable Cox of a feature"))?;
        let fit = radsurv_stats::cox::fit(train_surv, &design, &models::cox_options())
            .map_err(StudyError::stats("univariable Cox of a feature"))?;
        Ok(fit.coefficients()[0].estimate.z.abs())
    };
    let (spearman_kept, spearman_dropped) =
        selection::spearman_filter(&z_train, config, &cox_strength)?;
    for d in &spearman_dropped {
        log.note(
            "Spearman",
            format!(
                "{} dropped: |rho| = {:.3} with {} (kept)",
                d.feature,
                d.rho.abs(),
                d.kept
            ),
        );
    }
    let candidates = z.select(&spearman_kept);
    let train_design = Design::new(candidates.names.clone(), candidates.rows(training).columns)
        .map_err(StudyError::stats("LASSO design"))?;
    let (lasso, beta) = stat::lasso_cv(&train_design, train_surv, &config.lasso)?;
    log.note(
        "LASSO-Cox",
        format!(
            "λ.{} = {} chosen (λ.min = {}, λ.1se = {})",
            lasso.chosen, lasso.lambda_chosen, lasso.lambda_min, lasso.lambda_1se
        ),
    );
    if let Some(lambda) = lasso.path_truncated_at {
        log.note(
            "LASSO-Cox",
            format!("the λ path ends before λ = {lambda}: the solver did not converge there"),
        );
    }
    let selected = selected_features(&candidates, &beta, &standardised.standardiser);
    if selected.is_empty() {
        return Err(StudyError::degenerate(
            "LASSO-Cox",
            format!(
                "no feature has a non-zero coefficient at λ.{}; {}",
                lasso.chosen,
                no_feature_hint(&config.lasso)
            ),
        ));
    }
    for f in &selected {
        log.note(
            "LASSO-Cox",
            format!("{} selected, coefficient {}", f.name, f.coefficient),
        );
    }
    let full_design =
        Design::new_unchecked_variation(candidates.names.clone(), candidates.columns.clone())
            .map_err(StudyError::stats("rad-score"))?;
    let rad_score = radsurv_stats::coxnet::linear_predictor(&full_design, &beta);
    Ok(Selected {
        spearman_kept,
        spearman_dropped,
        lasso,
        features: selected,
        rad_score,
    })
}

/// What to change when LASSO keeps no feature: a hint never suggests the setting already in use.
/// λ.1se is the sparser rule, so from there λ.min is the next step; at λ.min cross-validation
/// found no feature that beats the model without features, which only more training patients or
/// the other CV measure can change.
fn no_feature_hint(lasso: &LassoConfig) -> String {
    match lasso.lambda {
        LambdaRule::OneSe => "try `lasso.lambda: min`".to_string(),
        LambdaRule::Min => {
            let other = match lasso.measure {
                LassoMeasure::Deviance => "C",
                LassoMeasure::C => "deviance",
            };
            format!(
                "cross-validation finds no feature that improves on the model without features, \
                 so the training cohort shows no radiomic signal it can confirm; more training \
                 patients, or `lasso.measure: {other}`, may change that"
            )
        }
    }
}

/// The candidates with a non-zero LASSO coefficient, with their training mean and SD.
fn selected_features(
    candidates: &FeatureColumns,
    beta: &[f64],
    standardiser: &Standardiser,
) -> Vec<SelectedFeature> {
    candidates
        .names
        .iter()
        .zip(beta)
        .filter(|(_, b)| **b != 0.0)
        .map(|(name, b)| {
            let k = standardiser
                .names
                .iter()
                .position(|n| n == name)
                .unwrap_or(0);
            SelectedFeature {
                name: name.clone(),
                coefficient: *b,
                mean: standardiser.means[k],
                sd: standardiser.sds[k],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_feature_hint_suggests_a_setting_other_than_the_one_in_use() {
        for measure in [LassoMeasure::Deviance, LassoMeasure::C] {
            let at = |lambda| LassoConfig {
                lambda,
                measure,
                ..LassoConfig::default()
            };
            let from_1se = no_feature_hint(&at(LambdaRule::OneSe));
            assert!(from_1se.contains("`lasso.lambda: min`"), "{from_1se}");
            let from_min = no_feature_hint(&at(LambdaRule::Min));
            assert!(!from_min.contains("lasso.lambda"), "{from_min}");
            let current = match measure {
                LassoMeasure::Deviance => "`lasso.measure: deviance`",
                LassoMeasure::C => "`lasso.measure: C`",
            };
            assert!(!from_min.contains(current), "{from_min}");
        }
    }
}
