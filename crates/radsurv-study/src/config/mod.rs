//! The study config (YAML): inputs, cohort split, and every analysis choice the seed leaves open.
//!
//! Each choice is a key whose default is the field's standard answer from the literature;
//! [`StudyConfig::choices`] lists them, with the value used and the reference, for
//! `results.json`. Unknown keys are rejected (a typo must not silently fall back to a default), and
//! every value error names its key. Relative paths resolve against the config file's folder.
//!
//! The defaults, with their sources (rendered from [`StudyConfig::choices`] by the test
//! `defaults_table`, so this table cannot drift from the code):
//!
#![doc = include_str!("defaults.md")]

use crate::error::{Result, StudyError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod choices;
mod validate;

/// The seed's PyRadiomics profile: original image, all seven default classes, 1 mm isotropic
/// B-spline resampling and a fixed bin width of 25 HU (`testdata/pyradiomics/params/resampled1mm_bw25.yaml`).
pub const SEED_PARAMS_YAML: &str = "\
# radsurv built-in profile = the seed's extraction settings (PyRadiomics parameter file)
imageType:
  Original: {}
featureClass:
  shape:
  firstorder:
  glcm:
  glrlm:
  glszm:
  gldm:
  ngtdm:
setting:
  binWidth: 25
  interpolator: sitkBSpline
  resampledPixelSpacing: [1, 1, 1]
";

/// The documented example config, `examples/study.yaml`.
pub const EXAMPLE_CONFIG: &str = include_str!("../../../../examples/study.yaml");

/// A whole study: inputs and every analysis choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyConfig {
    /// Manifest CSV of image/mask pairs (columns in [`crate::manifest`]).
    pub manifest: PathBuf,
    /// Clinical table and its covariates.
    pub clinical: ClinicalConfig,
    /// How patients are split into training and validation.
    #[serde(default)]
    pub split: SplitConfig,
    /// Feature extraction settings.
    #[serde(default)]
    pub extraction: ExtractionConfig,
    /// Inter-reader reproducibility filter.
    #[serde(default)]
    pub icc: IccConfig,
    /// Redundancy filter.
    #[serde(default)]
    pub spearman: SpearmanConfig,
    /// LASSO-Cox selection.
    #[serde(default)]
    pub lasso: LassoConfig,
    /// Clinical-model building.
    #[serde(default)]
    pub clinical_model: ClinicalModelConfig,
    /// Evaluation horizons in years (converted with `clinical.time_unit`).
    #[serde(default = "default_horizons")]
    pub horizons_years: Vec<f64>,
    /// Bootstrap settings (paired C comparison).
    #[serde(default)]
    pub bootstrap: BootstrapConfig,
    /// Risk-group rule.
    #[serde(default)]
    pub risk_groups: RiskGroupConfig,
    /// Calibration settings.
    #[serde(default)]
    pub calibration: CalibrationConfig,
    /// Six-and-twelve inputs.
    pub six_and_twelve: SixAndTwelveConfig,
    /// Covariate names whose levels stratify the risk groups (e.g. `bclc`, `afp`, `child_pugh`).
    #[serde(default)]
    pub subgroups: Vec<String>,
    /// Table 1 settings.
    #[serde(default)]
    pub table1: Table1Config,
    /// Folder relative paths resolve against (the config file's folder); not read from YAML.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// The clinical CSV: identifiers, outcome and typed covariates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicalConfig {
    /// Path of the CSV file.
    pub path: PathBuf,
    /// Patient id column (matches the manifest's `case_id`).
    #[serde(default = "default_id")]
    pub id: String,
    /// Index (TACE) date column, ISO `YYYY-MM-DD`.
    #[serde(default = "default_date")]
    pub date: String,
    /// Centre column (optional).
    #[serde(default)]
    pub centre: Option<String>,
    /// Overall-survival time column.
    #[serde(default = "default_time")]
    pub time: String,
    /// Event column (1 = death, 0 = censored).
    #[serde(default = "default_event")]
    pub event: String,
    /// Unit of the time column.
    #[serde(default)]
    pub time_unit: TimeUnit,
    /// Candidate clinical covariates.
    pub covariates: Vec<CovariateConfig>,
    /// What to do with missing covariate values.
    #[serde(default)]
    pub missing: MissingPolicy,
}

/// Unit of survival times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days (a year is 365.25 days).
    Days,
    /// Months (a year is 12 months).
    #[default]
    Months,
    /// Years.
    Years,
}

impl TimeUnit {
    /// Length of one year in this unit.
    pub fn per_year(self) -> f64 {
        match self {
            TimeUnit::Days => 365.25,
            TimeUnit::Months => 12.0,
            TimeUnit::Years => 1.0,
        }
    }

    /// Name as written in the config.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }
}

/// A clinical covariate and how it is coded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovariateConfig {
    /// Name used in results and the model file.
    pub name: String,
    /// CSV column (default: `name`).
    #[serde(default)]
    pub column: Option<String>,
    /// How values are coded.
    #[serde(rename = "type")]
    pub kind: CovariateKind,
    /// Reference level of a categorical covariate (required for `categorical`).
    #[serde(default)]
    pub reference: Option<String>,
    /// Cut-off of a continuous covariate: coded 1 when `value >= cutoff` (e.g. AFP ≥ 400) in the Cox
    /// models; Table 1 still summarises the continuous value.
    #[serde(default)]
    pub cutoff: Option<f64>,
    /// Display label (default: `name`).
    #[serde(default)]
    pub label: Option<String>,
    /// Whether the covariate enters univariable screening (default true; false = Table 1 only).
    #[serde(default = "yes")]
    pub candidate: bool,
}

impl CovariateConfig {
    /// The CSV column holding this covariate.
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }

    /// The display label.
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// Covariate coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CovariateKind {
    /// 0/1 (also `no`/`yes`, `false`/`true`).
    Binary,
    /// Levels coded as dummies against `reference`.
    Categorical,
    /// A number, used as is or dichotomised at `cutoff`.
    Continuous,
}

/// Handling of missing clinical values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Stop with an error naming every missing cell.
    #[default]
    Error,
    /// Impute from the training cohort (mean for continuous, most frequent level otherwise),
    /// recorded in `decisions.log`.
    Impute,
}

/// Training/validation split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitConfig {
    /// `date` (before `cutoff` = training) or `column`.
    #[serde(default)]
    pub rule: SplitRule,
    /// Cutoff date (ISO) for `rule: date`; patients with an index date before it train.
    #[serde(default = "default_cutoff")]
    pub cutoff: String,
    /// Column for `rule: column`.
    #[serde(default)]
    pub column: Option<String>,
    /// Value of `column` marking training patients.
    #[serde(default = "default_training_value")]
    pub training_value: String,
    /// Value of `column` marking validation patients.
    #[serde(default = "default_validation_value")]
    pub validation_value: String,
}

impl Default for SplitConfig {
    fn default() -> Self {
        SplitConfig {
            rule: SplitRule::Date,
            cutoff: default_cutoff(),
            column: None,
            training_value: default_training_value(),
            validation_value: default_validation_value(),
        }
    }
}

/// Split rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitRule {
    /// Temporal split at a date (the seed's January 2019).
    #[default]
    Date,
    /// A column naming each patient's cohort.
    Column,
}

/// Feature extraction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractionConfig {
    /// PyRadiomics parameter file; default: [`SEED_PARAMS_YAML`].
    #[serde(default)]
    pub params: Option<PathBuf>,
    /// Feature cache folder; default `<out>/cache`.
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
    /// Reader whose masks build the model (default: the first reader in the manifest).
    #[serde(default)]
    pub primary_reader: Option<String>,
    /// Second reader for the ICC (default: the other reader in the manifest).
    #[serde(default)]
    pub secondary_reader: Option<String>,
}

/// ICC filter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IccConfig {
    /// Shrout–Fleiss ICC form, single rater.
    #[serde(default, rename = "type")]
    pub kind: IccType,
    /// Keep features with ICC ≥ threshold.
    #[serde(default = "default_icc_threshold")]
    pub threshold: f64,
}

impl Default for IccConfig {
    fn default() -> Self {
        IccConfig {
            kind: IccType::default(),
            threshold: default_icc_threshold(),
        }
    }
}

/// ICC form (Shrout & Fleiss 1979), single rater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum IccType {
    /// One-way random effects.
    #[serde(rename = "ICC(1,1)")]
    Icc1,
    /// Two-way random effects, absolute agreement (McGraw–Wong ICC(A,1)).
    #[default]
    #[serde(rename = "ICC(2,1)")]
    Icc2,
    /// Two-way mixed effects, consistency (McGraw–Wong ICC(C,1)).
    #[serde(rename = "ICC(3,1)")]
    Icc3,
}

impl IccType {
    /// Name as written in the config.
    pub fn name(self) -> &'static str {
        match self {
            IccType::Icc1 => "ICC(1,1)",
            IccType::Icc2 => "ICC(2,1)",
            IccType::Icc3 => "ICC(3,1)",
        }
    }
}

/// Spearman redundancy filter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpearmanConfig {
    /// Pairs with |rho| > threshold are redundant.
    #[serde(default = "default_spearman_threshold")]
    pub threshold: f64,
    /// Which member of a redundant pair is dropped.
    #[serde(default)]
    pub rule: SpearmanRule,
}

impl Default for SpearmanConfig {
    fn default() -> Self {
        SpearmanConfig {
            threshold: default_spearman_threshold(),
            rule: SpearmanRule::default(),
        }
    }
}

/// Which feature of a redundant pair is dropped (both rules are deterministic; see `selection`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpearmanRule {
    /// The one with the larger mean |rho| to all remaining features (`caret::findCorrelation`'s idea).
    #[default]
    MeanAbsCorrelation,
    /// The one with the weaker univariable Cox association (smaller |z|).
    WeakerUnivariableCox,
}

/// LASSO-Cox selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LassoConfig {
    /// Cross-validation folds.
    #[serde(default = "default_folds")]
    pub folds: usize,
    /// CV measure.
    #[serde(default)]
    pub measure: LassoMeasure,
    /// λ rule.
    #[serde(default)]
    pub lambda: LambdaRule,
    /// Seed of the fold assignment.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

impl Default for LassoConfig {
    fn default() -> Self {
        LassoConfig {
            folds: default_folds(),
            measure: LassoMeasure::default(),
            lambda: LambdaRule::default(),
            seed: default_seed(),
        }
    }
}

/// `cv.glmnet(family = "cox")` measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LassoMeasure {
    /// Partial-likelihood deviance (glmnet's default).
    #[default]
    #[serde(rename = "deviance")]
    Deviance,
    /// Harrell's C.
    #[serde(rename = "C")]
    C,
}

/// Which λ of the CV curve is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LambdaRule {
    /// The λ with the best CV measure.
    #[default]
    #[serde(rename = "min")]
    Min,
    /// The largest λ within one SE of the best (may select no feature, a known property of λ.1se).
    #[serde(rename = "1se")]
    OneSe,
}

/// Clinical model building.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClinicalModelConfig {
    /// Univariable Wald p below which a covariate enters the multivariable model.
    #[serde(default = "default_screening_p")]
    pub screening_p: f64,
}

impl Default for ClinicalModelConfig {
    fn default() -> Self {
        ClinicalModelConfig {
            screening_p: default_screening_p(),
        }
    }
}

/// Bootstrap settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapConfig {
    /// Replicates.
    #[serde(default = "default_replicates")]
    pub replicates: usize,
    /// Seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

impl Default for BootstrapConfig {
    fn default() -> Self {
        BootstrapConfig {
            replicates: default_replicates(),
            seed: default_seed(),
        }
    }
}

/// Risk-group rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskGroupConfig {
    /// How the threshold is chosen.
    #[serde(default)]
    pub rule: RiskGroupRule,
}

/// Risk-group threshold rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskGroupRule {
    /// Median linear predictor of the training cohort, applied unchanged to validation.
    #[default]
    TrainingMedian,
}

/// Calibration settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationConfig {
    /// Groups by quantile of predicted S(t).
    #[serde(default = "default_calibration_groups")]
    pub groups: usize,
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        CalibrationConfig {
            groups: default_calibration_groups(),
        }
    }
}

/// Six-and-twelve score inputs (Wang et al., J Hepatol 2019).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SixAndTwelveConfig {
    /// Column with the largest tumour diameter in cm.
    pub diameter_cm: String,
    /// Column with the number of tumours.
    pub tumour_count: String,
    /// Stratum boundaries (≤ 6, > 6 and ≤ 12, > 12).
    #[serde(default = "default_six_twelve_cutoffs")]
    pub cutoffs: Vec<f64>,
}

/// Table 1 settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table1Config {
    /// Shapiro–Wilk p below which a continuous variable is summarised as median (Q1, Q3) and
    /// compared by Mann–Whitney instead of mean ± SD and the t-test.
    #[serde(default = "default_alpha")]
    pub normality_alpha: f64,
}

impl Default for Table1Config {
    fn default() -> Self {
        Table1Config {
            normality_alpha: default_alpha(),
        }
    }
}

fn default_id() -> String {
    "id".into()
}
fn default_date() -> String {
    "tace_date".into()
}
fn default_time() -> String {
    "os_months".into()
}
fn default_event() -> String {
    "os_event".into()
}
fn default_cutoff() -> String {
    "2019-01-01".into()
}
fn default_training_value() -> String {
    "training".into()
}
fn default_validation_value() -> String {
    "validation".into()
}
fn default_icc_threshold() -> f64 {
    0.75
}
fn default_spearman_threshold() -> f64 {
    0.9
}
fn default_folds() -> usize {
    10
}
fn default_seed() -> u64 {
    20190101
}
fn default_screening_p() -> f64 {
    0.05
}
fn default_horizons() -> Vec<f64> {
    vec![1.0, 2.0, 3.0]
}
fn default_replicates() -> usize {
    1000
}
fn default_calibration_groups() -> usize {
    3
}
fn default_six_twelve_cutoffs() -> Vec<f64> {
    vec![6.0, 12.0]
}
fn default_alpha() -> f64 {
    0.05
}
fn yes() -> bool {
    true
}

impl StudyConfig {
    /// Reads and validates a config file; relative paths resolve against its folder.
    ///
    /// # Errors
    /// [`StudyError::Io`], [`StudyError::ConfigSyntax`] (unknown or mistyped key, with its
    /// location) or [`StudyError::ConfigValue`] naming the key.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| StudyError::io(path, e))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::from_yaml(&text, &base).map_err(|err| match err {
            StudyError::ConfigSyntax { message, .. } => StudyError::ConfigSyntax {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// The example config `examples/study.yaml` (the seed's analysis on a `radsurv synth` cohort)
    /// with its paths resolved against `dir`, the synthetic cohort's folder.
    ///
    /// # Errors
    /// As [`StudyConfig::from_yaml`] (the example is tested to parse).
    pub fn for_synthetic_cohort(dir: &Path) -> Result<Self> {
        Self::from_yaml(EXAMPLE_CONFIG, dir)
    }

    /// Parses and validates config text; relative paths resolve against `base_dir`.
    ///
    /// # Errors
    /// As [`StudyConfig::from_file`].
    pub fn from_yaml(text: &str, base_dir: &Path) -> Result<Self> {
        let mut config: StudyConfig =
            serde_saphyr::from_str(text).map_err(|e| StudyError::ConfigSyntax {
                path: PathBuf::from("<config>"),
                message: e.to_string(),
            })?;
        config.base_dir = base_dir.to_path_buf();
        config.validate()?;
        Ok(config)
    }

    /// The config as YAML (written next to the results, so a run can be repeated).
    ///
    /// # Errors
    /// [`StudyError::ConfigSyntax`] if serialisation fails.
    pub fn to_yaml(&self) -> Result<String> {
        serde_saphyr::to_string(self).map_err(|e| StudyError::ConfigSyntax {
            path: PathBuf::from("<config>"),
            message: e.to_string(),
        })
    }

    /// The files the study reads besides the config: manifest, clinical table and parameter
    /// file, resolved.
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut files = vec![
            self.resolve(&self.manifest),
            self.resolve(&self.clinical.path),
        ];
        files.extend(self.extraction.params.as_deref().map(|p| self.resolve(p)));
        files
    }

    /// A path from the config, resolved against [`StudyConfig::base_dir`].
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// Evaluation horizons in the study's time unit.
    pub fn horizons(&self) -> Vec<f64> {
        let per_year = self.clinical.time_unit.per_year();
        self.horizons_years.iter().map(|y| y * per_year).collect()
    }

    /// Result keys of the horizons: `1y`, `2y`, `3y` (`1.5y` for fractional years).
    pub fn horizon_keys(&self) -> Vec<String> {
        self.horizons_years
            .iter()
            .map(|y| format!("{y}y"))
            .collect()
    }
}

/// A calendar date as the config (`split.cutoff`) and the clinical table write it, ISO
/// `YYYY-MM-DD`; `None` if malformed or not
/// a real day.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}
