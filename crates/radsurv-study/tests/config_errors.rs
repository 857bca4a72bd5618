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
