//! Stages [`Stage::EvaluateModels`](super::Stage::EvaluateModels) and
//! [`Stage::DescribeCohorts`](super::Stage::DescribeCohorts): every model in both cohorts, the
//! paired C-index comparisons, the Six-and-twelve strata, the subgroup analyses and Table 1.

use super::features::Features;
use super::modelling::Fitted;
use crate::cohort::Cohort;
use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::evaluation::{self, CohortData};
use crate::models::FittedModel;
use crate::results::{
    ByCohort, CComparison, CIndex, GroupComparison, ModelKey, Models, StrataResults,
    SubgroupResult, Table1Row,
};
use crate::{stat, table1};

/// Every model evaluated in both cohorts.
pub(super) struct Evaluated {
    /// Discrimination, calibration and risk groups per model.
    pub models: Models,
    /// The combined model's C against every other model's, per cohort.
    pub c_comparisons: Vec<CComparison>,
    /// Survival and C-index of the Six-and-twelve strata.
    pub strata: StrataResults,
}

/// The cohort descriptions.
pub(super) struct Described {
    /// Risk groups within each clinical subgroup.
    pub subgroups: Vec<SubgroupResult>,
    /// Table 1 (empty when it could not be computed; the log says why).
    pub table1: Vec<Table1Row>,
}

pub(super) fn evaluate(
    config: &StudyConfig,
    features: &Features,
    fitted: &Fitted,
    log: &mut Decisions,
) -> Result<Evaluated> {
    let cohorts = &features.cohorts;
    let models = Models {
        clinical: evaluation::evaluate(&fitted.clinical, cohorts, config, log)?,
        radiomics: evaluation::evaluate(&fitted.radiomics, cohorts, config, log)?,
        combined: evaluation::evaluate(&fitted.combined, cohorts, config, log)?,
        six_and_twelve: evaluation::evaluate(&fitted.six, cohorts, config, log)?,
    };
    let c_comparisons = compare_c(
        &fitted.combined,
        &[&fitted.clinical, &fitted.radiomics, &fitted.six],
        cohorts,
        config,
    )?;
    let strata = strata(&fitted.six, cohorts, config)?;
    Ok(Evaluated {
        models,
        c_comparisons,
        strata,
    })
}

pub(super) fn describe(
    config: &StudyConfig,
    features: &Features,
    fitted: &Fitted,
    evaluated: &Evaluated,
    log: &mut Decisions,
) -> Result<Described> {
    let threshold = evaluated.models.combined.risk_groups.threshold;
    let subgroups = subgroup_results(
        &features.cohort,
        &fitted.combined,
        threshold,
        &features.cohorts,
        config,
    )?;
    let table1 = table1::table1(&features.cohort, config).unwrap_or_else(|e| {
        log.note("Table 1", format!("not computed: {e}"));
        Vec::new()
    });
    Ok(Described { subgroups, table1 })
}

fn compare_c(
    combined: &FittedModel,
    others: &[&FittedModel],
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
) -> Result<Vec<CComparison>> {
    let mut out = Vec::new();
    for c in [&cohorts.training, &cohorts.validation] {
        for other in others {
            let cmp = radsurv_stats::concordance::compare_bootstrap(
                &c.surv,
                &evaluation::pick(&combined.risk, &c.rows),
                &evaluation::pick(&other.risk, &c.rows),
                &Default::default(),
                config.bootstrap.replicates,
                config.bootstrap.seed,
            )
            .map_err(StudyError::stats("paired C comparison"))?;
            out.push(CComparison {
                cohort: c.name,
                model_a: ModelKey::Combined,
                model_b: other.key,
                difference: cmp.difference,
                lower: cmp.lower,
                upper: cmp.upper,
                p: cmp.p,
            });
        }
    }
    Ok(out)
}

fn strata(
    six: &FittedModel,
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
) -> Result<StrataResults> {
    let [low, high] = [
        config.six_and_twelve.cutoffs[0],
        config.six_and_twelve.cutoffs[1],
    ];
    let names = [
        format!("≤ {low}"),
        format!("> {low} and ≤ {high}"),
        format!("> {high}"),
    ];
    let level = |s: f64| {
        if s <= low {
            0
        } else if s <= high {
            1
        } else {
            2
        }
    };
    let order: Vec<&str> = names.iter().map(String::as_str).collect();
    let per = |c: &CohortData| -> Result<(GroupComparison, CIndex)> {
        let scores = evaluation::pick(&six.risk, &c.rows);
        let labels: Vec<&str> = scores.iter().map(|&s| order[level(s)]).collect();
        let stratum: Vec<f64> = scores.iter().map(|&s| level(s) as f64).collect();
        Ok((
            evaluation::compare_groups(&c.surv, &labels, &order, config)?,
            stat::harrell_c(
                &c.surv,
                &stratum,
                &format!("the Six-and-twelve strata in the {:?} cohort", c.name),
            )?,
        ))
    };
    let (ts, tc) = per(&cohorts.training)?;
    let (vs, vc) = per(&cohorts.validation)?;
    Ok(StrataResults {
        cutoffs: config.six_and_twelve.cutoffs.clone(),
        survival: ByCohort {
            training: ts,
            validation: vs,
        },
        c_index: ByCohort {
            training: tc,
            validation: vc,
        },
    })
}

fn subgroup_results(
    cohort: &Cohort,
    combined: &FittedModel,
    threshold: f64,
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
) -> Result<Vec<SubgroupResult>> {
    let mut out = Vec::new();
    for name in &config.subgroups {
        let Some(levels) = cohort.display_levels(name) else {
            continue;
        };
        let label = cohort
            .covariates
            .iter()
            .find(|(cov, _)| &cov.name == name)
            .map_or(name.as_str(), |(cov, _)| cov.label());
        let mut distinct: Vec<&String> = levels.iter().collect();
        distinct.sort();
        distinct.dedup();
        for c in [&cohorts.training, &cohorts.validation] {
            for level in &distinct {
                let rows: Vec<usize> = (0..c.rows.len())
                    .filter(|&k| &levels[c.rows[k]] == *level)
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let risk: Vec<f64> = rows.iter().map(|&k| combined.risk[c.rows[k]]).collect();
                let comparison =
                    evaluation::risk_groups(&c.surv.subset(&rows), &risk, threshold, config)?;
                out.push(SubgroupResult {
                    variable: name.clone(),
                    label: label.to_string(),
                    level: (*level).clone(),
                    cohort: c.name,
                    comparison,
                });
            }
        }
    }
    Ok(out)
}
