//! The study's results as serde types: what `results.json` holds and what the report reads.
//!
//! Every number here was computed by `radsurv-stats`; these types only carry them. Key paths are
//! part of the public contract: `cohorts.{training,validation}.{n,events}`,
//! `selected_features[].{name,coefficient}`,
//! `models.{clinical,radiomics,combined,six_and_twelve}.c_index.{training,validation}.{value,lower,upper}`,
//! `models.*.td_auc.{training,validation}.{1y,2y,3y}.{auc,lower,upper}`,
//! `risk_groups.{threshold,training,validation}`, `univariable`, `multivariable`.
//!
//! Quantities that R reports as `NA` (a median that is not reached, an upper bound that does not
//! exist) are `None` and serialise as JSON `null`; no NaN or infinity ever reaches the file.

pub use radsurv_stats::cox::WaldEstimate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything one study run produced, as written to `results.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyResults {
    /// Program name and version that produced the results.
    pub software: SoftwareInfo,
    /// Every statistical choice the seed leaves open, with the value used, and the fixed conventions a number depends on.
    pub choices: Vec<Choice>,
    /// Training and validation cohort summaries.
    pub cohorts: Cohorts,
    /// Feature extraction: cases, failures, cache use, parameters.
    pub extraction: ExtractionSummary,
    /// The feature-selection funnel (extracted → valid → ICC → Spearman → LASSO).
    pub selection: SelectionFunnel,
    /// LASSO-Cox cross-validation and coefficient path.
    pub lasso: LassoSummary,
    /// Features with non-zero LASSO coefficient at the chosen λ, in feature order.
    pub selected_features: Vec<SelectedFeature>,
    /// How the rad-score is computed, as text a reader can apply.
    pub rad_score_formula: String,
    /// Univariable Cox of every clinical candidate (and the rad-score), training cohort.
    pub univariable: Vec<CoxRow>,
    /// Clinical candidates the univariable screening could not fit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub univariable_not_fitted: Vec<NotFitted>,
    /// Multivariable Cox of the screened clinical variables, training cohort.
    pub multivariable: Vec<CoxRow>,
    /// Per-model performance: `clinical`, `radiomics`, `combined`, `six_and_twelve`.
    pub models: Models,
    /// Risk groups of the combined model (cut at the training median, applied unchanged).
    pub risk_groups: RiskGroups,
    /// Six-and-twelve strata (≤6, >6 and ≤12, >12): KM per stratum, log-rank, C of the strata.
    pub six_and_twelve_strata: StrataResults,
    /// Paired comparison of Harrell's C: combined model against each other model, per cohort.
    pub c_comparisons: Vec<CComparison>,
    /// Combined-model risk groups within clinical subgroups (e.g. BCLC A / B), per cohort.
    pub subgroups: Vec<SubgroupResult>,
    /// Table 1: baseline characteristics by cohort.
    pub table1: Vec<Table1Row>,
    /// Nomogram of the combined model (points scale per predictor, total points → S(t)).
    pub nomogram: Option<Nomogram>,
    /// Every analysed patient's scores (also `tables/predictions.csv`).
    pub patients: Vec<PatientScore>,
}

/// One analysed patient's scores under every model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatientScore {
    /// Patient id.
    pub id: String,
    /// Cohort.
    pub cohort: CohortName,
    /// Survival time.
    pub time: f64,
    /// True for death.
    pub event: bool,
    /// Rad-score.
    pub rad_score: f64,
    /// Centred linear predictor of the clinical model.
    pub clinical_lp: f64,
    /// Centred linear predictor of the radiomics model.
    pub radiomics_lp: f64,
    /// Centred linear predictor of the combined model.
    pub combined_lp: f64,
    /// Six-and-twelve score.
    pub six_and_twelve: f64,
    /// Combined-model risk group (`high` or `low`).
    pub risk_group: String,
    /// Combined-model predicted S(t) per horizon key.
    pub survival: BTreeMap<String, f64>,
}

/// Name and version of the program that wrote a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareInfo {
    /// Always `"radsurv"`.
    pub name: String,
    /// Crate version (`CARGO_PKG_VERSION`).
    pub version: String,
}

impl SoftwareInfo {
    /// This build of radsurv.
    pub fn current() -> Self {
        SoftwareInfo {
            name: "radsurv".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// One recorded analysis choice: config key, the value used, and where its default comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Config key path, e.g. `icc.type`.
    pub key: String,
    /// The value used in this run, as text.
    pub value: String,
    /// True when the value is the documented default.
    pub is_default: bool,
    /// Why this default, citing the literature (e.g. `Koo & Li, J Chiropr Med 2016`).
    pub rationale: String,
}

/// Training and validation cohorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohorts {
    /// Patients before the split cutoff (model development).
    pub training: CohortSummary,
    /// Patients after the split cutoff (temporal validation).
    pub validation: CohortSummary,
}

/// Size, events and follow-up of one cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortSummary {
    /// Patients analysed (after excluding failed extractions).
    pub n: usize,
    /// Deaths.
    pub events: usize,
    /// Earliest index (TACE) date, ISO `YYYY-MM-DD`.
    pub first_date: Option<String>,
    /// Latest index (TACE) date, ISO `YYYY-MM-DD`.
    pub last_date: Option<String>,
    /// Patients per centre.
    pub centres: BTreeMap<String, usize>,
    /// Median overall survival with 95 % CI (KM), in the study's time unit.
    pub median_os: Estimate,
    /// Median follow-up by reverse Kaplan–Meier, in the study's time unit.
    pub median_follow_up: Estimate,
    /// Patients excluded because their extraction failed.
    pub excluded: Vec<String>,
}

/// A point estimate with a 95 % CI; `None` where R reports `NA`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: Option<f64>,
    /// Lower 95 % limit.
    pub lower: Option<f64>,
    /// Upper 95 % limit.
    pub upper: Option<f64>,
}

impl Estimate {
    /// No value and no limits: the quantity has no finite estimate (a hazard ratio whose Cox
    /// coefficient may be infinite).
    pub fn not_estimable() -> Self {
        Estimate {
            value: None,
            lower: None,
            upper: None,
        }
    }
}

/// Feature extraction outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractionSummary {
    /// The PyRadiomics parameter file used, verbatim (IBSI reporting).
    pub params_yaml: String,
    /// SHA-256 of `params_yaml` (part of the cache key).
    pub params_sha256: String,
    /// Image/mask pairs extracted (both readers).
    pub cases: usize,
    /// Pairs served from the cache instead of being re-extracted.
    pub cached: usize,
    /// Pairs whose extraction failed; those patients are excluded.
    pub failed: Vec<FailedCase>,
    /// Patients with masks from both readers (the ICC set).
    pub icc_cases: usize,
    /// Number of features per case.
    pub features_per_case: usize,
    /// The parameter file's warnings (an unknown key, ignored as PyRadiomics ignores it; a LoG
    /// sigma that gives no image): a typo there changes the features without an error.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params_warnings: Vec<String>,
}

/// A case whose extraction failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedCase {
    /// Patient id.
    pub case_id: String,
    /// Reader whose mask was used.
    pub reader: String,
    /// The error, as text.
    pub error: String,
}

/// How many features survive each selection step, and the per-feature evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionFunnel {
    /// Features extracted per case.
    pub extracted: usize,
    /// After the ICC filter.
    pub after_icc: usize,
    /// After removing invalid (non-finite everywhere / constant) features.
    pub after_invalid: usize,
    /// After the Spearman redundancy filter.
    pub after_spearman: usize,
    /// With a non-zero LASSO coefficient.
    pub selected: usize,
    /// ICC of every extracted feature (reader A vs B).
    pub icc: Vec<IccRow>,
    /// Features removed as invalid, with the reason.
    pub invalid: Vec<DroppedFeature>,
    /// Features removed by the Spearman filter, with the partner that was kept.
    pub spearman_dropped: Vec<SpearmanDrop>,
    /// The same counts for each image type (original, each LoG sigma, each wavelet band, …), in
    /// the order the extraction writes them.
    #[serde(default)]
    pub by_image_type: Vec<ImageTypeFunnel>,
}

/// The selection funnel's counts for the features of one image type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageTypeFunnel {
    /// PyRadiomics' image-type name, e.g. `original`, `log-sigma-3-0-mm-3D`, `wavelet-LLH`.
    pub image_type: String,
    /// Features extracted per case.
    pub extracted: usize,
    /// After the ICC filter.
    pub after_icc: usize,
    /// After removing invalid features.
    pub after_invalid: usize,
    /// After the Spearman redundancy filter.
    pub after_spearman: usize,
    /// With a non-zero LASSO coefficient.
    pub selected: usize,
}

/// ICC of one feature between readers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IccRow {
    /// Feature name (PyRadiomics key).
    pub feature: String,
    /// ICC value; `None` when undefined (e.g. constant feature).
    pub icc: Option<f64>,
    /// Lower 95 % limit.
    pub lower: Option<f64>,
    /// Upper 95 % limit.
    pub upper: Option<f64>,
    /// True when the feature passed the threshold.
    pub kept: bool,
}

/// A feature dropped for a stated reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedFeature {
    /// Feature name.
    pub feature: String,
    /// Why it was dropped.
    pub reason: String,
}

/// A feature dropped by the Spearman filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpearmanDrop {
    /// Feature removed.
    pub feature: String,
    /// Feature of the pair that was kept.
    pub kept: String,
    /// Spearman's rho of the pair (training cohort).
    pub rho: f64,
}

/// LASSO-Cox cross-validation: the λ path, CV curve and coefficient paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LassoSummary {
    /// `deviance` or `C`.
    pub measure: String,
    /// Number of folds.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Fold of each training patient (1-based, training order).
    pub foldid: Vec<usize>,
    /// λ sequence (decreasing).
    pub lambda: Vec<f64>,
    /// Mean CV measure per λ.
    pub cvm: Vec<f64>,
    /// Standard error of the CV measure per λ.
    pub cvsd: Vec<f64>,
    /// Non-zero coefficients per λ.
    pub nzero: Vec<usize>,
    /// λ minimising the CV deviance (maximising C).
    pub lambda_min: f64,
    /// Largest λ within one SE of the optimum.
    pub lambda_1se: f64,
    /// `min` or `1se`: which one was used.
    pub chosen: String,
    /// The λ used.
    pub lambda_chosen: f64,
    /// Coefficient path of every candidate feature (one value per λ).
    pub paths: Vec<CoefficientPath>,
    /// The λ at which the full-data path stopped because the solver did not converge (the path
    /// then ends before it, as glmnet's does); `None` for a complete path.
    #[serde(default)]
    pub path_truncated_at: Option<f64>,
}

/// One feature's LASSO coefficient along the λ path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoefficientPath {
    /// Feature name.
    pub feature: String,
    /// Coefficient at each λ of [`LassoSummary::lambda`].
    pub coefficients: Vec<f64>,
}

/// A selected radiomics feature with what is needed to apply it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectedFeature {
    /// Feature name (PyRadiomics key).
    pub name: String,
    /// LASSO coefficient on the z-scored feature.
    pub coefficient: f64,
    /// Training mean used for the z-score.
    pub mean: f64,
    /// Training SD used for the z-score.
    pub sd: f64,
}

/// A clinical candidate the univariable screening could not fit, and why (e.g. a single value
/// in the training cohort).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotFitted {
    /// Covariate name (config name).
    pub name: String,
    /// Human-readable label.
    pub label: String,
    /// Why it could not be fitted.
    pub reason: String,
}

/// One covariate row of a Cox model table (Table 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxRow {
    /// Covariate name (config name, plus `=level` for a categorical dummy).
    pub name: String,
    /// Human-readable label, e.g. `AFP ≥ 400 (ref: < 400)`.
    pub label: String,
    /// β with its standard error, hazard ratio, 95 % interval and Wald test.
    #[serde(flatten)]
    pub estimate: WaldEstimate,
    /// The coefficient may be infinite (monotone likelihood, e.g. no death in one group), as R's
    /// `coxph` warns: the estimate is where the iterations stopped, not a hazard ratio.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub may_be_infinite: bool,
}

/// The four evaluated models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Models {
    /// Multivariable Cox of the screened clinical variables.
    pub clinical: ModelResults,
    /// Cox on the rad-score alone.
    pub radiomics: ModelResults,
    /// Cox on the clinical variables plus the rad-score.
    pub combined: ModelResults,
    /// Six-and-twelve score (largest diameter in cm + tumour number), continuous.
    pub six_and_twelve: ModelResults,
}

impl Models {
    /// The models with their result keys, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ModelResults)> {
        [
            ("clinical", &self.clinical),
            ("radiomics", &self.radiomics),
            ("combined", &self.combined),
            ("six_and_twelve", &self.six_and_twelve),
        ]
        .into_iter()
    }
}

/// A value per cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByCohort<T> {
    /// Training cohort.
    pub training: T,
    /// Validation cohort.
    pub validation: T,
}

/// Performance of one model in both cohorts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelResults {
    /// Display name, e.g. `Clinical-radiomics`.
    pub label: String,
    /// Fitted coefficients (training); empty for a fixed score such as Six-and-twelve.
    pub coefficients: Vec<CoxRow>,
    /// Harrell's C with 95 % CI.
    pub c_index: ByCohort<CIndex>,
    /// Time-dependent AUC per horizon key (`1y`, `2y`, `3y`).
    pub td_auc: ByCohort<BTreeMap<String, TdAuc>>,
    /// Time-dependent ROC curves per horizon key.
    pub roc: ByCohort<BTreeMap<String, RocCurve>>,
    /// Calibration per horizon key (predicted vs observed survival).
    pub calibration: ByCohort<BTreeMap<String, Calibration>>,
    /// KM by risk group (training-median cut), median OS per group, log-rank.
    pub risk_groups: RiskGroups,
    /// The Cox fit's warnings, as R prints them (no convergence, a coefficient that may be
    /// infinite); empty for a clean fit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fit_warnings: Vec<String>,
}

/// Harrell's C with its standard error and 95 % CI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CIndex {
    /// C.
    pub value: f64,
    /// Standard error (infinitesimal jackknife, as `survival::concordance`).
    pub se: f64,
    /// Lower 95 % limit.
    pub lower: f64,
    /// Upper 95 % limit.
    pub upper: f64,
}

/// Time-dependent (cumulative/dynamic) AUC at one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TdAuc {
    /// Horizon in the study's time unit.
    pub time: f64,
    /// AUC.
    pub auc: f64,
    /// Standard error; `None` when not estimable.
    pub se: Option<f64>,
    /// Lower 95 % limit.
    pub lower: Option<f64>,
    /// Upper 95 % limit.
    pub upper: Option<f64>,
}

/// A time-dependent ROC curve (false- and true-positive rate per threshold, increasing FPR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    /// Horizon in the study's time unit.
    pub time: f64,
    /// False-positive rates.
    pub fpr: Vec<f64>,
    /// True-positive rates.
    pub tpr: Vec<f64>,
}

/// Calibration at one horizon: groups of patients by predicted S(t).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Horizon in the study's time unit.
    pub time: f64,
    /// One point per group, ordered by predicted survival.
    pub groups: Vec<CalibrationPoint>,
}

/// One calibration group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPoint {
    /// Patients in the group.
    pub n: usize,
    /// Mean predicted S(t).
    pub predicted: f64,
    /// Observed S(t) by Kaplan–Meier.
    pub observed: f64,
    /// Lower 95 % limit of the observed value.
    pub lower: Option<f64>,
    /// Upper 95 % limit of the observed value.
    pub upper: Option<f64>,
}

/// High/low risk groups cut at a fixed threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskGroups {
    /// Threshold on the model's linear predictor (training median); high risk is `> threshold`.
    pub threshold: f64,
    /// Training cohort.
    pub training: GroupComparison,
    /// Validation cohort (same threshold).
    pub validation: GroupComparison,
}

/// Survival compared between groups of one cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupComparison {
    /// One KM curve per group.
    pub groups: Vec<GroupSurvival>,
    /// Log-rank test across the groups; `None` with fewer than two non-empty groups.
    pub logrank: Option<LogRank>,
    /// Hazard ratio of the later group against the first (Cox on the group), with 95 % CI, for two
    /// groups; its value is `None` when not estimable (a group without deaths, or separation).
    pub hazard_ratio: Option<Estimate>,
}

/// One group's Kaplan–Meier curve and median OS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSurvival {
    /// Group label, e.g. `low risk`.
    pub label: String,
    /// Patients.
    pub n: usize,
    /// Deaths.
    pub events: usize,
    /// Median OS with 95 % CI (log transform, as `survfit`).
    pub median: Estimate,
    /// Hazard ratio against the comparison's first group (Cox on indicators of every later group,
    /// treatment coding); `None` for the first group and outside comparisons; its value is `None`
    /// when not estimable (a group without deaths, or separation).
    #[serde(default)]
    pub hazard_ratio: Option<Estimate>,
    /// The KM step function.
    pub km: KmCurve,
}

/// A Kaplan–Meier step function with pointwise 95 % CI and a number-at-risk table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmCurve {
    /// Distinct times.
    pub time: Vec<f64>,
    /// At risk just before each time.
    pub n_risk: Vec<usize>,
    /// Events at each time.
    pub n_event: Vec<usize>,
    /// Censored at each time.
    pub n_censor: Vec<usize>,
    /// S(t).
    pub surv: Vec<f64>,
    /// Lower 95 % limit (`None` where undefined).
    pub lower: Vec<Option<f64>>,
    /// Upper 95 % limit.
    pub upper: Vec<Option<f64>>,
    /// Number at risk at regular times (for the table under a KM plot).
    pub at_risk: Vec<AtRisk>,
}

/// Number at risk at one time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AtRisk {
    /// Time.
    pub time: f64,
    /// Patients still at risk.
    pub n: usize,
}

/// Log-rank test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogRank {
    /// Chi-square statistic.
    pub chisq: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// p-value.
    pub p: f64,
}

/// Six-and-twelve strata per cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrataResults {
    /// Stratum boundaries used (6 and 12).
    pub cutoffs: Vec<f64>,
    /// KM per stratum and log-rank, per cohort.
    pub survival: ByCohort<GroupComparison>,
    /// Harrell's C of the 3-level stratum (ties count ½), per cohort.
    pub c_index: ByCohort<CIndex>,
}

/// Paired comparison of two models' C in one cohort.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CComparison {
    /// `training` or `validation`.
    pub cohort: CohortName,
    /// Model key of the reference (always `combined`).
    pub model_a: ModelKey,
    /// Model key compared against.
    pub model_b: ModelKey,
    /// C of `model_a` minus C of `model_b`.
    pub difference: f64,
    /// Lower 95 % limit of the difference.
    pub lower: f64,
    /// Upper 95 % limit of the difference.
    pub upper: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// A cohort, as a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortName {
    /// Development cohort.
    Training,
    /// Validation cohort.
    Validation,
}

/// A model, as a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKey {
    /// Clinical model.
    Clinical,
    /// Radiomics model.
    Radiomics,
    /// Combined clinical-radiomics model.
    Combined,
    /// Six-and-twelve score.
    SixAndTwelve,
}

/// Combined-model risk groups within one level of a clinical subgroup variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupResult {
    /// Subgroup variable (config covariate name).
    pub variable: String,
    /// The variable's configured label (its name when it has none), as tables and figures show it.
    pub label: String,
    /// Level, e.g. `B` or `≥ 400`.
    pub level: String,
    /// Cohort.
    pub cohort: CohortName,
    /// KM of the low/high risk groups within the subgroup, log-rank.
    pub comparison: GroupComparison,
}

/// One row of Table 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table1Row {
    /// Variable label.
    pub variable: String,
    /// Level for a categorical row (`None` for the variable's header or a continuous row).
    pub level: Option<String>,
    /// Overall summary, e.g. `56.06 ± 12.59`, `4.9 (4.2, 5.5)` or `141 (83.93)`.
    pub overall: String,
    /// Training cohort summary.
    pub training: String,
    /// Validation cohort summary.
    pub validation: String,
    /// Test used (`t-test`, `Mann–Whitney`, `chi-square`, `Fisher`), on the variable's row.
    pub test: Option<String>,
    /// Test statistic (t, Z or χ²).
    pub statistic: Option<f64>,
    /// p-value.
    pub p: Option<f64>,
}

/// A points nomogram of the combined model, as `rms::nomogram` draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nomogram {
    /// Points per unit of linear predictor (the widest-range covariate spans 100 points).
    pub scale: f64,
    /// Centred linear predictor at zero total points.
    pub intercept: f64,
    /// One points axis per covariate, in model order.
    pub covariates: Vec<NomogramAxis>,
    /// Ticks of the total-points axis.
    pub total_points_axis: Vec<f64>,
    /// Linear-predictor axis (values and their positions in total points).
    pub lp_axis: NomogramScale,
    /// Survival-probability axis per horizon key (`1y`, ...).
    pub survival_axes: BTreeMap<String, NomogramScale>,
}

/// The points axis of one covariate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NomogramAxis {
    /// Covariate name (design column).
    pub name: String,
    /// Display label.
    pub label: String,
    /// Whether the covariate is a 0/1 indicator (binary, dichotomised or one level of a
    /// categorical covariate), whose two values read "no" and "yes", as in Table 1.
    #[serde(default)]
    pub indicator: bool,
    /// Axis values.
    pub values: Vec<f64>,
    /// Points at each value.
    pub points: Vec<f64>,
}

/// A function axis: tick values and where they fall on the total-points scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NomogramScale {
    /// Tick values (linear predictor or survival probability).
    pub values: Vec<f64>,
    /// Their positions in total points.
    pub points: Vec<f64>,
}
