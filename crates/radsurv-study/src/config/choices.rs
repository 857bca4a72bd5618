//! The choices a study records in `results.json` and states in its Methods: every configurable
//! key with its value, default and rationale, and the fixed conventions a number depends on.

use super::{
    default_horizons, BootstrapConfig, CalibrationConfig, ClinicalModelConfig, IccConfig,
    LassoConfig, MissingPolicy, RiskGroupConfig, SpearmanConfig, SplitConfig, SplitRule,
    StudyConfig, Table1Config, TimeUnit,
};
use crate::results::Choice;
use serde::Serialize;

/// A setting's value as the config file spells it (its serde name), else its Debug text.
fn spelled<T: Serialize + std::fmt::Debug>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{value:?}"),
    }
}

/// The split rule as a reader states it.
fn split_rule(split: &SplitConfig) -> String {
    match split.rule {
        SplitRule::Date => format!("date < {}", split.cutoff),
        SplitRule::Column => format!("column {:?}", split.column.as_deref().unwrap_or("")),
    }
}

/// A convention the pipeline always follows (not configurable), recorded with the choices.
fn convention(key: &str, value: &str, rationale: &str) -> Choice {
    Choice {
        key: key.into(),
        value: value.into(),
        is_default: true,
        rationale: rationale.into(),
    }
}

impl StudyConfig {
    /// Every analysis choice with its value, for `results.json`, and the fixed conventions a
    /// number depends on.
    pub fn choices(&self) -> Vec<Choice> {
        let d = StudyConfig::defaults_for_choices();
        let choice = |key: &str, value: String, default: String, rationale: &str| Choice {
            key: key.into(),
            is_default: value == default,
            value,
            rationale: rationale.into(),
        };
        let years: Vec<String> = self.horizons_years.iter().map(f64::to_string).collect();
        let default_years: Vec<String> = d.horizons_years.iter().map(f64::to_string).collect();
        vec![
            choice(
                "split",
                split_rule(&self.split),
                split_rule(&SplitConfig::default()),
                "seed: January 2019 cutoff",
            ),
            choice(
                "extraction.params",
                self.extraction.params.as_ref().map_or("built-in seed profile".into(), |p| {
                    p.display().to_string()
                }),
                "built-in seed profile".into(),
                "seed: PyRadiomics, 1 mm B-spline resampling, bin width 25 HU",
            ),
            choice(
                "icc.type",
                self.icc.kind.name().into(),
                d.icc.kind.name().into(),
                "two-way random, absolute agreement, single rater (Koo & Li, J Chiropr Med 2016)",
            ),
            choice(
                "icc.threshold",
                self.icc.threshold.to_string(),
                d.icc.threshold.to_string(),
                "seed: ICC ≥ 0.75 (good reproducibility)",
            ),
            choice(
                "spearman.threshold",
                self.spearman.threshold.to_string(),
                d.spearman.threshold.to_string(),
                "seed: |rho| > 0.9 is redundant",
            ),
            choice(
                "spearman.rule",
                spelled(&self.spearman.rule),
                spelled(&d.spearman.rule),
                "drop the pair member with the larger mean |rho| (Kuhn, caret::findCorrelation)",
            ),
            choice(
                "lasso.measure",
                spelled(&self.lasso.measure),
                spelled(&d.lasso.measure),
                "cv.glmnet(family = \"cox\") offers no AUC; deviance is its default (Simon et al., J Stat Softw 2011)",
            ),
            choice(
                "lasso.lambda",
                spelled(&self.lasso.lambda),
                spelled(&d.lasso.lambda),
                "lambda.min, as glmnet reports it (Friedman, Hastie & Tibshirani, J Stat Softw 2010); lambda.1se can select no feature",
            ),
            choice(
                "lasso.folds",
                self.lasso.folds.to_string(),
                d.lasso.folds.to_string(),
                "seed: 10-fold cross-validation",
            ),
            choice(
                "lasso.seed",
                self.lasso.seed.to_string(),
                d.lasso.seed.to_string(),
                "fold seed and fold ids recorded so the cross-validation can be repeated (TRIPOD 10b)",
            ),
            choice(
                "clinical_model.screening_p",
                self.clinical_model.screening_p.to_string(),
                d.clinical_model.screening_p.to_string(),
                "seed: univariable p < 0.05, then multivariable Cox with all screened variables",
            ),
            choice(
                "horizons_years",
                years.join(", "),
                default_years.join(", "),
                "seed: 1, 2 and 3-year OS",
            ),
            choice(
                "bootstrap.replicates",
                self.bootstrap.replicates.to_string(),
                d.bootstrap.replicates.to_string(),
                "paired bootstrap comparison of C on the same patients (Harrell, Regression Modeling Strategies 2015)",
            ),
            choice(
                "risk_groups.rule",
                spelled(&self.risk_groups.rule),
                spelled(&d.risk_groups.rule),
                "cut-off fixed on the training cohort and applied unchanged to validation (Altman & Royston, Stat Med 2000)",
            ),
            choice(
                "calibration.groups",
                self.calibration.groups.to_string(),
                d.calibration.groups.to_string(),
                "groups of about n/3 patients (Harrell, rms::calibrate)",
            ),
            choice(
                "clinical.time_unit",
                self.clinical.time_unit.name().into(),
                TimeUnit::default().name().into(),
                "seed reports OS in months",
            ),
            choice(
                "clinical.missing",
                spelled(&self.clinical.missing),
                spelled(&MissingPolicy::default()),
                "seed: complete clinical data was an inclusion criterion",
            ),
            choice(
                "table1.normality_alpha",
                self.table1.normality_alpha.to_string(),
                d.table1.normality_alpha.to_string(),
                "seed: t-test if normal else Mann–Whitney; Shapiro–Wilk decides",
            ),
            convention(
                "table1.normality_rule",
                "Shapiro–Wilk in each cohort separately; the t-test only when neither rejects",
                "one rule for both cohorts, so a variable is summarised the same way in each column",
            ),
            convention(
                "table1.t_test",
                "pooled-variance (Student) two-sample t-test",
                "the seed's SPSS independent-samples t-test row with equal variances assumed",
            ),
            convention(
                "table1.mann_whitney",
                "normal approximation with continuity correction",
                "R wilcox.test(correct = TRUE), the default",
            ),
            convention(
                "table1.chi_square",
                "Pearson χ² without continuity correction",
                "SPSS's Pearson Chi-Square row, which the seed reports",
            ),
            convention(
                "td_auc.definition",
                "cumulative/dynamic: cases die at or before t, controls are alive after t; inverse probability of censoring weights from the marginal Kaplan–Meier of censoring",
                "riskRegression::Score and timeROC (Blanche et al., Stat Med 2013)",
            ),
            convention(
                "c_index.score",
                "every model's C is computed from its continuous score (linear predictor, or the Six-and-twelve sum); the strata C of the Six-and-twelve uses its three strata as the score",
                "the two differ because the strata tie patients the continuous score separates",
            ),
        ]
    }

    fn defaults_for_choices() -> ChoiceDefaults {
        ChoiceDefaults {
            icc: IccConfig::default(),
            spearman: SpearmanConfig::default(),
            lasso: LassoConfig::default(),
            clinical_model: ClinicalModelConfig::default(),
            horizons_years: default_horizons(),
            bootstrap: BootstrapConfig::default(),
            risk_groups: RiskGroupConfig::default(),
            calibration: CalibrationConfig::default(),
            table1: Table1Config::default(),
        }
    }
}

/// Defaults of the choice keys (for [`StudyConfig::choices`]).
struct ChoiceDefaults {
    icc: IccConfig,
    spearman: SpearmanConfig,
    lasso: LassoConfig,
    clinical_model: ClinicalModelConfig,
    horizons_years: Vec<f64>,
    bootstrap: BootstrapConfig,
    risk_groups: RiskGroupConfig,
    calibration: CalibrationConfig,
    table1: Table1Config,
}
