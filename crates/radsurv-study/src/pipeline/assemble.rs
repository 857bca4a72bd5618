//! Stage [`Stage::WriteResults`](super::Stage::WriteResults): the stages' outputs assembled into
//! `StudyResults` and the combined model's `ModelFile`.

use super::features::Features;
use super::modelling::Fitted;
use super::radiomics::{Selected, Standardised};
use super::validation::{Described, Evaluated};
use crate::batch;
use crate::cohort::Cohort;
use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::evaluation::{self, CohortData};
use crate::model_file::{BaselinePoint, ModelFeature, ModelFile};
use crate::models::{self, FittedModel};
use crate::results::{
    CohortName, CohortSummary, Cohorts, Estimate, ExtractionSummary, ImageTypeFunnel, Nomogram,
    PatientScore, SelectedFeature, SelectionFunnel, SoftwareInfo, StudyResults,
};
use crate::stat::{self, AxisLabel};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The outputs of the stages after model fitting, which `results.json` takes over.
pub(super) struct Analysis {
    /// Output of the standardisation stage.
    pub standardised: Standardised,
    /// Output of the selection stage.
    pub selected: Selected,
    /// Output of the evaluation stage.
    pub evaluated: Evaluated,
    /// Output of the description stage.
    pub described: Described,
}

/// Every stage's output, in the shape of `results.json`.
pub(super) fn results(
    config: &StudyConfig,
    features: &Features,
    fitted: &Fitted,
    analysis: Analysis,
    log: &mut Decisions,
) -> StudyResults {
    let Analysis {
        standardised,
        selected,
        evaluated,
        described,
    } = analysis;
    let cohort = &features.cohort;
    let cohorts = &features.cohorts;
    let names = &features.extracted.names;
    let threshold = evaluated.models.combined.risk_groups.threshold;
    let excluded = |c: CohortName| features.excluded.get(&c).cloned();
    StudyResults {
        software: SoftwareInfo::current(),
        choices: config.choices(),
        cohorts: Cohorts {
            training: cohort_summary(
                cohort,
                &cohorts.training,
                excluded(CohortName::Training),
                config,
            ),
            validation: cohort_summary(
                cohort,
                &cohorts.validation,
                excluded(CohortName::Validation),
                config,
            ),
        },
        extraction: ExtractionSummary {
            params_sha256: batch::sha256_hex(&features.params_yaml),
            params_yaml: features.params_yaml.clone(),
            cases: features.cases,
            cached: features.cached,
            failed: features.extracted.failed.clone(),
            icc_cases: standardised.icc_cases,
            features_per_case: names.len(),
            params_warnings: features.params_warnings.clone(),
        },
        selection: SelectionFunnel {
            extracted: names.len(),
            after_icc: standardised.icc_kept.len(),
            after_invalid: standardised.standardiser.names.len(),
            after_spearman: selected.spearman_kept.len(),
            selected: selected.features.len(),
            icc: standardised.icc_rows,
            invalid: standardised.invalid,
            spearman_dropped: selected.spearman_dropped,
            by_image_type: funnel_by_image_type(
                names,
                &standardised.icc_kept,
                &standardised.standardiser.names,
                &selected.spearman_kept,
                &selected.features,
            ),
        },
        rad_score_formula: rad_score_formula(&selected.features),
        lasso: selected.lasso,
        selected_features: selected.features,
        univariable: fitted.screening.univariable.clone(),
        univariable_not_fitted: fitted.screening.not_fitted.clone(),
        multivariable: evaluated.models.clinical.coefficients.clone(),
        risk_groups: evaluated.models.combined.risk_groups.clone(),
        models: evaluated.models,
        six_and_twelve_strata: evaluated.strata,
        c_comparisons: evaluated.c_comparisons,
        subgroups: described.subgroups,
        table1: described.table1,
        nomogram: nomogram_of(
            &fitted.combined,
            cohort,
            &selected.rad_score,
            &cohorts.training.rows,
            config,
            log,
        ),
        patients: patient_scores(cohort, &selected.rad_score, fitted.all(), threshold, config),
    }
}

/// The rad-score as a reader writes it: one space either side of every operator, a minus sign
/// (U+2212) for negative numbers, and `+ m` rather than `− −m` for a negative training mean.
/// The funnel's counts per image type (the output key's prefix, see
/// [`radsurv_features::image_type_of_key`]), image types in extraction order. A feature name that
/// is not an extraction key counts under `other`.
fn funnel_by_image_type(
    extracted: &[String],
    after_icc: &[String],
    after_invalid: &[String],
    after_spearman: &[String],
    selected: &[SelectedFeature],
) -> Vec<ImageTypeFunnel> {
    fn image_type(name: &str) -> &str {
        radsurv_features::image_type_of_key(name).unwrap_or("other")
    }
    fn per_type<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
        let mut counts = HashMap::new();
        for name in names {
            *counts.entry(image_type(name)).or_insert(0) += 1;
        }
        counts
    }
    fn names(list: &[String]) -> HashMap<&str, usize> {
        per_type(list.iter().map(String::as_str))
    }
    let stages = [
        names(extracted),
        names(after_icc),
        names(after_invalid),
        names(after_spearman),
        per_type(selected.iter().map(|f| f.name.as_str())),
    ];
    let mut order: Vec<&str> = extracted.iter().map(|n| image_type(n)).collect();
    let mut seen = HashSet::new();
    order.retain(|ty| seen.insert(*ty));
    let count = |stage: usize, ty: &str| stages[stage].get(ty).copied().unwrap_or(0);
    order
        .into_iter()
        .map(|ty| ImageTypeFunnel {
            image_type: ty.to_string(),
            extracted: count(0, ty),
            after_icc: count(1, ty),
            after_invalid: count(2, ty),
            after_spearman: count(3, ty),
            selected: count(4, ty),
        })
        .collect()
}

fn rad_score_formula(features: &[SelectedFeature]) -> String {
    let mut formula = "rad_score =".to_string();
    for (k, f) in features.iter().enumerate() {
        // The first term's sign is the number's own; later ones are operators.
        let (sign, gap) = match (k, f.coefficient < 0.0) {
            (0, true) => (" −", ""),
            (0, false) => ("", " "),
            (_, true) => (" −", " "),
            (_, false) => (" +", " "),
        };
        let centre = if f.mean < 0.0 { '+' } else { '−' };
        formula.push_str(&format!(
            "{sign}{gap}{:.6} × ({} {centre} {:.6}) / {:.6}",
            f.coefficient.abs(),
            f.name,
            f.mean.abs(),
            f.sd
        ));
    }
    formula
}

fn nomogram_of(
    combined: &FittedModel,
    cohort: &Cohort,
    rad_score: &[f64],
    training: &[usize],
    config: &StudyConfig,
    log: &mut Decisions,
) -> Option<Nomogram> {
    let horizons: Vec<(String, f64)> = config
        .horizon_keys()
        .into_iter()
        .zip(config.horizons())
        .collect();
    let mut labels: Vec<AxisLabel> = combined
        .columns
        .iter()
        .map(|c| AxisLabel {
            label: c.label.clone(),
            indicator: c.coding.is_indicator(),
        })
        .collect();
    labels.push(AxisLabel {
        label: "Rad-score".into(),
        indicator: false,
    });
    let built = models::design_of(cohort, &combined.columns, Some(rad_score), training)
        .and_then(|design| stat::nomogram(&combined.fit, &design, &labels, &horizons));
    built
        .map_err(|e| log.note("nomogram", format!("not built: {e}")))
        .ok()
}

fn patient_scores(
    cohort: &Cohort,
    rad_score: &[f64],
    models: [&FittedModel; 4],
    threshold: f64,
    config: &StudyConfig,
) -> Vec<PatientScore> {
    let [clinical, radiomics, combined, six] = models;
    let keys = config.horizon_keys();
    cohort
        .patients
        .iter()
        .enumerate()
        .map(|(i, p)| PatientScore {
            id: p.id.clone(),
            cohort: p.cohort,
            time: p.time,
            event: p.event,
            rad_score: rad_score[i],
            clinical_lp: clinical.risk[i],
            radiomics_lp: radiomics.risk[i],
            combined_lp: combined.risk[i],
            six_and_twelve: six.risk[i],
            risk_group: if combined.risk[i] > threshold {
                "high".into()
            } else {
                "low".into()
            },
            survival: keys
                .iter()
                .cloned()
                .zip(combined.survival[i].iter().copied())
                .collect(),
        })
        .collect()
}

fn cohort_summary(
    cohort: &Cohort,
    c: &CohortData,
    excluded: Option<Vec<String>>,
    config: &StudyConfig,
) -> CohortSummary {
    let patients: Vec<_> = c.rows.iter().map(|&i| &cohort.patients[i]).collect();
    let mut centres = BTreeMap::new();
    for p in &patients {
        if let Some(centre) = &p.centre {
            *centres.entry(centre.clone()).or_insert(0) += 1;
        }
    }
    let group = evaluation::group_survival("all", &c.surv, config);
    let follow_up = radsurv_stats::km::median_follow_up(&c.surv);
    CohortSummary {
        n: c.surv.len(),
        events: c.surv.events(),
        first_date: patients.iter().map(|p| p.date).min().map(|d| d.to_string()),
        last_date: patients.iter().map(|p| p.date).max().map(|d| d.to_string()),
        centres,
        median_os: group.median,
        median_follow_up: Estimate {
            value: evaluation::finite(follow_up.estimate),
            lower: evaluation::finite(follow_up.lower),
            upper: evaluation::finite(follow_up.upper),
        },
        excluded: excluded.unwrap_or_default(),
    }
}

pub(super) fn model_file(
    results: &StudyResults,
    combined: &FittedModel,
    params_yaml: &str,
    reader: &str,
    config: &StudyConfig,
) -> ModelFile {
    let baseline = config
        .horizon_keys()
        .into_iter()
        .zip(config.horizons())
        .map(|(key, time)| {
            let cumhaz = combined.fit.cumhaz_at(time);
            BaselinePoint {
                key,
                time,
                cumhaz,
                survival: (-cumhaz).exp(),
            }
        })
        .collect();
    ModelFile {
        software: SoftwareInfo::current(),
        time_unit: config.clinical.time_unit.name().into(),
        extraction_params_yaml: params_yaml.into(),
        reader: reader.into(),
        features: results
            .selected_features
            .iter()
            .map(|f| ModelFeature {
                name: f.name.clone(),
                mean: f.mean,
                sd: f.sd,
                coefficient: f.coefficient,
            })
            .collect(),
        columns: combined.columns.clone(),
        coefficients: combined.fit.coef().to_vec(),
        means: combined.fit.means().to_vec(),
        baseline,
        risk_threshold: results.risk_groups.threshold,
        categorical_levels: categorical_levels(&combined.columns, config),
        fit_warnings: combined.fit.warnings().to_vec(),
    }
}

/// Reference level and coded levels of each categorical covariate in the model, by CSV column.
fn categorical_levels(
    columns: &[crate::cohort::DesignColumn],
    config: &StudyConfig,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for covariate in &config.clinical.covariates {
        let Some(reference) = covariate.reference.as_ref() else {
            continue;
        };
        let coded: Vec<String> = columns
            .iter()
            .filter(|c| c.covariate == covariate.name)
            .filter_map(|c| match &c.coding {
                crate::cohort::Coding::Level { level } => Some(level.clone()),
                _ => None,
            })
            .collect();
        if !coded.is_empty() {
            let levels = std::iter::once(reference.clone()).chain(coded).collect();
            out.insert(covariate.column().to_string(), levels);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(name: &str, coefficient: f64, mean: f64) -> SelectedFeature {
        SelectedFeature {
            name: name.into(),
            coefficient,
            mean,
            sd: 2.0,
        }
    }

    #[test]
    fn the_rad_score_formula_spaces_every_sign_alike() {
        let formula = rad_score_formula(&[
            feature("a", -0.5, 1.0),
            feature("b", 0.25, -3.0),
            feature("c", -0.125, 0.5),
        ]);
        assert_eq!(
            formula,
            "rad_score = −0.500000 × (a − 1.000000) / 2.000000 \
             + 0.250000 × (b + 3.000000) / 2.000000 \
             − 0.125000 × (c − 0.500000) / 2.000000"
        );
        let positive_first = rad_score_formula(&[feature("a", 0.5, 1.0)]);
        assert_eq!(
            positive_first,
            "rad_score = 0.500000 × (a − 1.000000) / 2.000000"
        );
    }
}
