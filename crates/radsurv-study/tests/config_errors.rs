//! Config errors name the key; the example config parses with the documented defaults.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test/bench support: a panic names the failure

use radsurv_study::config::{IccType, LambdaRule, LassoMeasure};
use radsurv_study::StudyConfig;
use std::path::Path;

#[test]
fn example_config_parses_with_the_domain_defaults() {
    let config = StudyConfig::for_synthetic_cohort(Path::new("/cohort")).unwrap();
    assert_eq!(config.icc.kind, IccType::Icc2);
    assert_eq!(config.icc.threshold, 0.75);
    assert_eq!(config.spearman.threshold, 0.9);
    assert_eq!(
        (
            config.lasso.folds,
            config.lasso.measure,
            config.lasso.lambda
        ),
        (10, LassoMeasure::Deviance, LambdaRule::Min)
    );
    assert_eq!(config.horizons(), vec![12.0, 24.0, 36.0]);
    assert_eq!(
        config.resolve(&config.manifest),
        Path::new("/cohort/manifest.csv")
    );
    assert!(
        config.choices().iter().all(|c| c.is_default),
        "{:?}",
        config.choices()
    );
    // Users have the example, not the project's internal notes: it cites the literature.
    assert!(!radsurv_study::config::EXAMPLE_CONFIG.contains("domain.md"));
}

#[test]
fn unknown_and_invalid_keys_are_named() {
    let base = radsurv_study::config::EXAMPLE_CONFIG;
    let typo = base.replace("  threshold: 0.75", "  treshold: 0.75");
    let err = StudyConfig::from_yaml(&typo, Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(err.contains("treshold"), "{err}");
    let bad = base.replace("  threshold: 0.75", "  threshold: 1.5");
    let err = StudyConfig::from_yaml(&bad, Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(err.contains("icc.threshold"), "{err}");
    let no_ref = base.replace(
        "type: categorical, reference: A, label: BCLC stage",
        "type: categorical, label: BCLC stage",
    );
    let err = StudyConfig::from_yaml(&no_ref, Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(err.contains("clinical.covariates[8].reference"), "{err}");
    let bad_date = base.replace("cutoff: 2019-01-01", "cutoff: 2019-13-01");
    let err = StudyConfig::from_yaml(&bad_date, Path::new("."))
        .unwrap_err()
        .to_string();
    assert!(err.contains("split.cutoff"), "{err}");
}

/// The recorded choices read as the config file spells them, cite the literature rather than an
/// internal note, and include the fixed conventions the numbers depend on.
#[test]
fn choices_use_config_spellings_cite_literature_and_record_conventions() {
    let config = StudyConfig::for_synthetic_cohort(Path::new("/cohort")).unwrap();
    let choices = config.choices();
    let value = |key: &str| {
        choices
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.value.as_str())
            .unwrap_or_else(|| panic!("no choice {key}"))
    };
    assert_eq!(value("spearman.rule"), "mean_abs_correlation");
    assert_eq!(value("lasso.lambda"), "min");
    assert_eq!(value("risk_groups.rule"), "training_median");
    assert_eq!(value("horizons_years"), "1, 2, 3");
    for c in &choices {
        assert!(
            !c.rationale.contains("domain.md"),
            "{}: {}",
            c.key,
            c.rationale
        );
        assert!(
            !["MeanAbsCorrelation", "Min", "TrainingMedian", "Stop", "["]
                .iter()
                .any(|debug| c.value.starts_with(debug)),
            "{}: {}",
            c.key,
            c.value
        );
    }
    for key in [
        "table1.normality_rule",
        "table1.t_test",
        "table1.mann_whitney",
        "table1.chi_square",
        "td_auc.definition",
        "c_index.score",
    ] {
        assert!(!value(key).is_empty());
    }
    assert!(value("table1.chi_square").contains("without continuity correction"));
    assert!(value("table1.mann_whitney").contains("with continuity correction"));
    assert!(value("table1.t_test").contains("pooled"));
}

/// A config over `clinical.csv` in `dir` with one categorical covariate whose reference is
/// `reference`, missing covariate values imputed.
fn clinical_config(dir: &Path, reference: &str) -> StudyConfig {
    let yaml = format!(
        "manifest: manifest.csv
clinical:
  path: clinical.csv
  id: id
  date: tace_date
  time: os_months
  event: os_event
  time_unit: months
  missing: impute
  covariates:
    - {{ name: gender, type: categorical, reference: {reference} }}
six_and_twelve:
  diameter_cm: diameter
  tumour_count: count
split:
  rule: date
  cutoff: 2019-01-01
"
    );
    StudyConfig::from_yaml(&yaml, dir).unwrap()
}

const CLINICAL: &str = "id,tace_date,os_months,os_event,gender,diameter,count
P1,2018-01-02,12.5,1,male,5.5,2
P2,2019-03-04,30,0,female,8,4
P3,2018-06-01,7,1,female,3,1
";

/// Loads a cohort whose clinical table is `clinical`, with the gender reference level
/// `reference`.
fn load_cohort(
    clinical: &str,
    reference: &str,
) -> Result<radsurv_study::cohort::Cohort, radsurv_study::StudyError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clinical.csv"), clinical).unwrap();
    radsurv_study::cohort::Cohort::load(&clinical_config(dir.path(), reference))
}

/// Why loading that cohort fails.
fn cohort_error(clinical: &str, reference: &str) -> String {
    load_cohort(clinical, reference).unwrap_err().to_string()
}

#[test]
fn a_reference_level_the_data_lack_is_named_not_called_collinearity() {
    let err = cohort_error(CLINICAL, "Female");
    assert!(
        err.contains("clinical.covariates[0].reference")
            && err.contains("\"Female\"")
            && err.contains("female, male"),
        "{err}"
    );
    assert!(!err.contains("collinear"), "{err}");
}

#[test]
fn an_empty_required_cell_is_not_offered_imputation() {
    let err = cohort_error(
        &CLINICAL.replace("2019-03-04,30,", "2019-03-04,,"),
        "female",
    );
    assert!(
        err.contains("row 2") && err.contains("\"os_months\"") && err.contains("never imputed"),
        "{err}"
    );
    assert!(!err.contains("missing: impute"), "{err}");
}

#[test]
fn a_required_cell_that_reads_nan_is_named_as_written() {
    let err = cohort_error(
        &CLINICAL.replace("2019-03-04,30,", "2019-03-04,NaN,"),
        "female",
    );
    assert!(
        err.contains("row 2") && err.contains("missing (\"NaN\")"),
        "{err}"
    );
}

#[test]
fn an_empty_clinical_table_is_named_empty() {
    let err = cohort_error("", "female");
    assert!(
        err.contains("clinical.csv") && err.contains("the file is empty"),
        "{err}"
    );
}

#[test]
fn a_cohort_without_a_death_is_named_before_any_model_is_fitted() {
    let err = cohort_error(CLINICAL, "female");
    assert!(
        err.contains("no death in the Validation cohort")
            && err.contains("\"os_event\"")
            && err.contains("all 1 of its rows"),
        "{err}"
    );
    let with_a_death = CLINICAL.replace("2019-03-04,30,0,", "2019-03-04,30,1,");
    assert!(load_cohort(&with_a_death, "female").is_ok());
}

#[test]
fn a_date_in_another_format_is_quoted_in_the_error() {
    let err = cohort_error(&CLINICAL.replace("2018-01-02", "02/01/2018"), "female");
    assert!(
        err.contains("row 1") && err.contains("YYYY-MM-DD, got \"02/01/2018\""),
        "{err}"
    );
}

#[test]
fn a_column_named_twice_is_an_error_not_a_guess() {
    let twice: String = CLINICAL
        .lines()
        .enumerate()
        .map(|(i, line)| format!("{line},{}\n", if i == 0 { "count" } else { "9" }))
        .collect();
    let err = cohort_error(&twice, "female");
    assert!(err.contains("\"count\" appears twice"), "{err}");
}
