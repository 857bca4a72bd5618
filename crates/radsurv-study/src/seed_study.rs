//! The seed study's published findings beside a run's: what `radsurv demo` is expected to
//! reproduce on its synthetic twin of the seed cohort.
//!
//! The published values and their 95 % confidence intervals live in one data file,
//! `data/seed_study.json`, each with the place in the paper (`shared/seed/paper.md`) it comes
//! from; this module only reads the matching numbers out of a [`StudyResults`] and says whether
//! each falls inside the published interval. [`checklist`] adds the checks that are not intervals
//! (which covariates the univariable screening keeps, the combined model ranking first, log-rank
//! significance), so one list says how closely a run reproduces the paper.

use crate::results::{GroupComparison, ModelResults, StudyResults};
use serde::{Deserialize, Serialize};

/// The published findings, as stored in `data/seed_study.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SeedStudy {
    /// The paper.
    pub source: String,
    /// Covariates the paper's univariable screening kept (p < 0.05).
    pub screened_covariates: Screened,
    /// Published values with their intervals.
    pub rows: Vec<PublishedValue>,
    /// The log-rank p-value both risk-group comparisons stayed below.
    pub logrank_p_below: Threshold,
}

/// Covariates kept by the univariable screening.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Screened {
    /// Column names in the demo's clinical table.
    pub names: Vec<String>,
    /// Where in the paper.
    #[serde(rename = "where")]
    pub source: String,
}

/// A threshold the paper's value stayed below.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Threshold {
    /// The threshold.
    pub value: f64,
    /// Where in the paper.
    #[serde(rename = "where")]
    pub source: String,
}

/// One published value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PublishedValue {
    /// Stable key (what [`run_value`] knows how to read).
    pub key: String,
    /// Human-readable name.
    pub label: String,
    /// The published estimate.
    pub value: f64,
    /// Lower end of the published 95 % CI (or of the accepted range).
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// Where in the paper.
    #[serde(rename = "where")]
    pub source: String,
}

/// The published findings shipped with radsurv.
///
/// # Panics
/// Never for the shipped file: a unit test parses it.
#[allow(clippy::expect_used)] // the file is part of the source tree and tested
pub fn published() -> SeedStudy {
    serde_json::from_str(include_str!("../data/seed_study.json"))
        .expect("data/seed_study.json parses (unit-tested)")
}

/// One published value beside the run's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Stable key.
    pub key: String,
    /// Human-readable name.
    pub label: String,
    /// Published estimate.
    pub published: f64,
    /// Published interval, lower end.
    pub lower: f64,
    /// Published interval, upper end.
    pub upper: f64,
    /// Where in the paper.
    pub source: String,
    /// The run's value (`None` when the run has no such number, e.g. a median not reached).
    pub run: Option<f64>,
    /// The run's value lies within the published interval (ends included).
    pub inside: bool,
}

/// Every published value beside the run's.
pub fn compare(seed: &SeedStudy, results: &StudyResults) -> Vec<Comparison> {
    seed.rows
        .iter()
        .map(|row| {
            let run = run_value(&row.key, results);
            Comparison {
                key: row.key.clone(),
                label: row.label.clone(),
                published: row.value,
                lower: row.lower,
                upper: row.upper,
                source: row.source.clone(),
                run,
                inside: run.is_some_and(|v| (row.lower..=row.upper).contains(&v)),
            }
        })
        .collect()
}

/// The run's number for a published key (`None` for an unknown key or a missing number).
pub fn run_value(key: &str, results: &StudyResults) -> Option<f64> {
    let models = &results.models;
    let multivariable_hr = |name: &str| {
        results
            .multivariable
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.estimate.hr)
    };
    let auc = |cohort: Cohort, horizon: &str| {
        let by_cohort = &models.combined.td_auc;
        let map = match cohort {
            Cohort::Training => &by_cohort.training,
            Cohort::Validation => &by_cohort.validation,
        };
        map.get(horizon).map(|a| a.auc)
    };
    let groups = &results.risk_groups;
    match key {
        "hr_afp" => multivariable_hr("afp_ge400"),
        "hr_tumour_number" => multivariable_hr("tumour_number_ge3"),
        "c_combined_training" => Some(models.combined.c_index.training.value),
        "c_combined_validation" => Some(models.combined.c_index.validation.value),
        "c_six_and_twelve_training" => Some(models.six_and_twelve.c_index.training.value),
        "c_six_and_twelve_validation" => Some(models.six_and_twelve.c_index.validation.value),
        "auc_combined_training_1y" => auc(Cohort::Training, "1y"),
        "auc_combined_training_2y" => auc(Cohort::Training, "2y"),
        "auc_combined_training_3y" => auc(Cohort::Training, "3y"),
        "auc_combined_validation_1y" => auc(Cohort::Validation, "1y"),
        "auc_combined_validation_2y" => auc(Cohort::Validation, "2y"),
        "auc_combined_validation_3y" => auc(Cohort::Validation, "3y"),
        "median_high_training" => group_median(&groups.training, "high risk"),
        "median_low_training" => group_median(&groups.training, "low risk"),
        "median_high_validation" => group_median(&groups.validation, "high risk"),
        "median_low_validation" => group_median(&groups.validation, "low risk"),
        "lasso_features" => Some(results.selected_features.len() as f64),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Cohort {
    Training,
    Validation,
}

fn group_median(comparison: &GroupComparison, label: &str) -> Option<f64> {
    comparison
        .groups
        .iter()
        .find(|g| g.label == label)
        .and_then(|g| g.median.value)
}

/// One check of a run against the paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What is checked.
    pub what: String,
    /// The run's side of it, in words.
    pub run: String,
    /// The check holds.
    pub holds: bool,
}

/// Every published interval, then the [`further_checks`]: one list says how closely a run
/// reproduces the paper.
pub fn checklist(seed: &SeedStudy, results: &StudyResults) -> Vec<Check> {
    let intervals = compare(seed, results).into_iter().map(|c| Check {
        what: format!("{} within {}–{}", c.label, c.lower, c.upper),
        run: c
            .run
            .map_or_else(|| "none".to_string(), |v| format!("{v:.3}")),
        holds: c.inside,
    });
    intervals.chain(further_checks(seed, results)).collect()
}

/// The paper's findings that are not intervals: the univariable screening keeps exactly the
/// paper's covariates; the combined model's C is above the clinical, radiomics and Six-and-twelve
/// models' in each cohort; the risk groups differ by log-rank below the paper's p in each cohort.
pub fn further_checks(seed: &SeedStudy, results: &StudyResults) -> Vec<Check> {
    let mut checks = vec![screening_check(seed, results)];
    let m = &results.models;
    for (cohort, pick) in [
        ("training", Cohort::Training),
        ("validation", Cohort::Validation),
    ] {
        let c = |model: &ModelResults| match pick {
            Cohort::Training => model.c_index.training.value,
            Cohort::Validation => model.c_index.validation.value,
        };
        let others = [c(&m.clinical), c(&m.radiomics), c(&m.six_and_twelve)];
        checks.push(Check {
            what: format!("combined C above clinical, radiomics and Six-and-twelve ({cohort})"),
            run: format!(
                "{:.3} vs {:.3}, {:.3}, {:.3}",
                c(&m.combined),
                others[0],
                others[1],
                others[2]
            ),
            holds: others.iter().all(|&o| c(&m.combined) > o),
        });
        let groups = match pick {
            Cohort::Training => &results.risk_groups.training,
            Cohort::Validation => &results.risk_groups.validation,
        };
        let p = groups.logrank.as_ref().map(|l| l.p);
        checks.push(Check {
            what: format!(
                "risk groups differ, log-rank p < {} ({cohort})",
                seed.logrank_p_below.value
            ),
            run: p.map_or_else(|| "no test".to_string(), |p| format!("p = {p:.2e}")),
            holds: p.is_some_and(|p| p < seed.logrank_p_below.value),
        });
    }
    checks
}

/// The multivariable model holds exactly the paper's screened covariates (it is built from the
/// univariable screening, so this is the screening's outcome).
fn screening_check(seed: &SeedStudy, results: &StudyResults) -> Check {
    let mut kept: Vec<&str> = results
        .multivariable
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    kept.sort_unstable();
    let mut wanted: Vec<&str> = seed
        .screened_covariates
        .names
        .iter()
        .map(String::as_str)
        .collect();
    wanted.sort_unstable();
    Check {
        what: format!(
            "univariable screening keeps exactly {}",
            wanted.join(" and ")
        ),
        run: kept.join(", "),
        holds: kept == wanted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_and_every_key_is_known() {
        let seed = published();
        assert!(!seed.rows.is_empty());
        for row in &seed.rows {
            assert!(
                row.lower <= row.value && row.value <= row.upper,
                "{}",
                row.key
            );
        }
        let known = [
            "hr_afp",
            "hr_tumour_number",
            "c_combined_training",
            "c_combined_validation",
            "c_six_and_twelve_training",
            "c_six_and_twelve_validation",
            "auc_combined_training_1y",
            "auc_combined_training_2y",
            "auc_combined_training_3y",
            "auc_combined_validation_1y",
            "auc_combined_validation_2y",
            "auc_combined_validation_3y",
            "median_high_training",
            "median_low_training",
            "median_high_validation",
            "median_low_validation",
            "lasso_features",
        ];
        for row in &seed.rows {
            assert!(known.contains(&row.key.as_str()), "unknown key {}", row.key);
        }
    }
}
