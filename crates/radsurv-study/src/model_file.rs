//! `model.json`: everything needed to score a new patient with the combined model, and `predict`.
//!
//! Scoring a patient (TRIPOD 15a, the full model equation):
//! 1. features extracted with `extraction.params_yaml`; each selected feature is imputed with the
//!    training mean when non-finite and z-scored: $z_j = (x_j - m_j)/s_j$;
//! 2. rad-score $= \sum_j \beta_j z_j$ (LASSO coefficients);
//! 3. clinical covariates coded as `columns[k].coding` says;
//! 4. linear predictor $\eta = \sum_k \gamma_k (v_k - \bar v_k)$ over the combined model's
//!    covariates (clinical columns, then the rad-score), centred at the training means as R's
//!    `predict(coxph, type = "lp")`;
//! 5. $S(t \mid x) = \exp\{-H_0(t)\,e^{\eta}\}$ with the centred Breslow/Efron baseline cumulative
//!    hazard $H_0$ at each horizon (R `survfit(coxph, newdata)`, as `CoxFit::predict_survival`);
//! 6. risk group: `high` when $\eta >$ `risk_threshold` (the training median), else `low`.

use crate::cohort::DesignColumn;
use crate::error::{Result, StudyError};
use crate::results::SoftwareInfo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The saved combined model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Program that wrote the model.
    pub software: SoftwareInfo,
    /// Unit of times and horizons.
    pub time_unit: String,
    /// Feature extraction parameters (PyRadiomics parameter file text).
    pub extraction_params_yaml: String,
    /// Reader whose masks the model was built on.
    pub reader: String,
    /// Selected features with training mean, SD and LASSO coefficient.
    pub features: Vec<ModelFeature>,
    /// Clinical design columns of the combined model, in coefficient order.
    pub columns: Vec<DesignColumn>,
    /// Combined-model coefficients: one per column, then the rad-score's.
    pub coefficients: Vec<f64>,
    /// Training means of the combined model's covariates (same order), for centring.
    pub means: Vec<f64>,
    /// Centred baseline cumulative hazard $H_0(t)$ at each horizon.
    pub baseline: Vec<BaselinePoint>,
    /// Risk threshold on the centred linear predictor (training median).
    pub risk_threshold: f64,
    /// Levels of each categorical clinical CSV column seen in training, reference first: a
    /// patient with another level cannot be scored (R's `predict` refuses a new factor level).
    #[serde(default)]
    pub categorical_levels: BTreeMap<String, Vec<String>>,
    /// The combined model's Cox fit warnings (no convergence, a coefficient that may be
    /// infinite): every prediction from such a model carries them. Empty for a clean fit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fit_warnings: Vec<String>,
}

/// A selected radiomics feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFeature {
    /// PyRadiomics feature key.
    pub name: String,
    /// Training mean (imputation value and z-score centre).
    pub mean: f64,
    /// Training SD.
    pub sd: f64,
    /// LASSO coefficient on the z-score.
    pub coefficient: f64,
}

/// Baseline at one horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselinePoint {
    /// Result key (`1y`).
    pub key: String,
    /// Horizon in `time_unit`.
    pub time: f64,
    /// Centred baseline cumulative hazard.
    pub cumhaz: f64,
    /// Baseline survival $S_0(t) = e^{-H_0(t)}$ at the training covariate means.
    pub survival: f64,
}

/// One scored patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Patient id.
    pub id: String,
    /// Rad-score.
    pub rad_score: f64,
    /// Centred linear predictor of the combined model.
    pub linear_predictor: f64,
    /// `high` or `low`.
    pub risk_group: String,
    /// S(t) per horizon, in `baseline` order.
    pub survival: Vec<f64>,
    /// Selected features whose value was missing or not finite and was replaced by the
    /// training mean.
    pub imputed: Vec<String>,
}

impl ModelFile {
    /// Reads a model file.
    ///
    /// # Errors
    /// [`StudyError::Io`] or [`StudyError::Json`].
    pub fn read(path: &Path) -> Result<ModelFile> {
        let text = std::fs::read_to_string(path).map_err(|e| StudyError::io(path, e))?;
        if text.trim().is_empty() {
            return Err(StudyError::InvalidModel {
                path: path.to_path_buf(),
                reason: "the file is empty".into(),
            });
        }
        let model: ModelFile = serde_json::from_str(&text).map_err(|source| StudyError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        model.check().map_err(|reason| StudyError::InvalidModel {
            path: path.to_path_buf(),
            reason,
        })?;
        Ok(model)
    }

    /// Why scores from this model would be wrong, if they would: every number a score depends
    /// on must be finite, the coefficients and means must match the columns plus the
    /// rad-score, SDs must be positive, cumulative hazards non-negative and non-decreasing in
    /// time, and the extraction parameters must be a valid parameter file.
    fn check(&self) -> std::result::Result<(), String> {
        let terms = self.columns.len() + 1;
        for (field, n) in [
            ("coefficients", self.coefficients.len()),
            ("means", self.means.len()),
        ] {
            if n != terms {
                return Err(format!(
                    "`{field}` has {n} values, the model has {terms} terms ({} clinical columns and the rad-score)",
                    self.columns.len()
                ));
            }
        }
        let finite = |field: &str, values: &[f64]| match values.iter().find(|v| !v.is_finite()) {
            Some(v) => Err(format!("`{field}` holds {v}, not a finite number")),
            None => Ok(()),
        };
        finite("coefficients", &self.coefficients)?;
        finite("means", &self.means)?;
        finite("risk_threshold", &[self.risk_threshold])?;
        if self.features.is_empty() {
            return Err("`features` is empty: the model has no rad-score".into());
        }
        for f in &self.features {
            finite(&format!("features[{:?}]", f.name), &[f.mean, f.coefficient])?;
            if !(f.sd.is_finite() && f.sd > 0.0) {
                return Err(format!(
                    "`features[{:?}].sd` is {}, it must be positive",
                    f.name, f.sd
                ));
            }
        }
        let mut previous: Option<&BaselinePoint> = None;
        for b in &self.baseline {
            if !(b.time.is_finite() && b.time > 0.0) {
                return Err(format!(
                    "`baseline[{:?}].time` is {}, it must be positive",
                    b.key, b.time
                ));
            }
            if !(b.cumhaz.is_finite() && b.cumhaz >= 0.0) {
                return Err(format!(
                    "`baseline[{:?}].cumhaz` is {}, a cumulative hazard is finite and ≥ 0",
                    b.key, b.cumhaz
                ));
            }
            if let Some(p) = previous.filter(|p| p.time <= b.time && p.cumhaz > b.cumhaz) {
                return Err(format!(
                    "`baseline` cumulative hazard falls from {} at {} to {} at {}",
                    p.cumhaz, p.time, b.cumhaz, b.time
                ));
            }
            previous = Some(b);
        }
        if self.baseline.is_empty() {
            return Err("`baseline` is empty: no horizon to predict survival at".into());
        }
        radsurv_features::Settings::from_yaml_str(
            &self.extraction_params_yaml,
            "extraction_params_yaml",
        )
        .map(|_| ())
        .map_err(|e| format!("`extraction_params_yaml`: {e}"))
    }

    /// Writes the model file (pretty JSON).
    ///
    /// # Errors
    /// [`StudyError::Io`] or [`StudyError::Json`].
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|source| StudyError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        crate::files::write_atomically(path, text.as_bytes())
    }

    /// Rad-score from raw feature values looked up by name, and the features whose value was
    /// missing (`Some(None)`) or not finite and was replaced by the training mean.
    ///
    /// # Errors
    /// A message naming a selected feature that `value_of` does not know at all.
    pub fn rad_score(
        &self,
        value_of: &dyn Fn(&str) -> Option<Option<f64>>,
    ) -> std::result::Result<(f64, Vec<String>), String> {
        let mut imputed = Vec::new();
        let mut score = 0.0;
        for f in &self.features {
            let raw =
                value_of(&f.name).ok_or_else(|| format!("feature {:?} is missing", f.name))?;
            let x = match raw.filter(|v| v.is_finite()) {
                Some(x) => x,
                None => {
                    imputed.push(f.name.clone());
                    f.mean
                }
            };
            score += f.coefficient * (x - f.mean) / f.sd;
        }
        Ok((score, imputed))
    }

    /// The clinical CSV columns the model reads, each once, in coefficient order.
    pub fn clinical_columns(&self) -> Vec<&str> {
        let mut columns: Vec<&str> = Vec::new();
        for c in &self.columns {
            if !columns.contains(&c.source_column.as_str()) {
                columns.push(&c.source_column);
            }
        }
        columns
    }

    /// Scores one patient from clinical values looked up by CSV column (`None`: the cell is
    /// empty) and a rad-score with the features imputed for it.
    ///
    /// # Errors
    /// A message naming the column whose value is empty, invalid or a categorical level the
    /// model was not trained on (with the known levels).
    pub fn score(
        &self,
        id: &str,
        clinical_value: &dyn Fn(&str) -> Option<String>,
        rad_score: (f64, Vec<String>),
    ) -> std::result::Result<Prediction, String> {
        let (rad_score, imputed) = rad_score;
        for column in self.clinical_columns() {
            let raw =
                clinical_value(column).ok_or_else(|| format!("column {column:?} is empty"))?;
            self.check_level(column, &raw)?;
        }
        let mut x = Vec::with_capacity(self.coefficients.len());
        for column in &self.columns {
            let raw = clinical_value(&column.source_column)
                .ok_or_else(|| format!("column {:?} is empty", column.source_column))?;
            x.push(
                column
                    .encode(&raw)
                    .map_err(|e| format!("column {:?}: {e}", column.source_column))?,
            );
        }
        x.push(rad_score);
        let lp: f64 = x
            .iter()
            .zip(&self.means)
            .zip(&self.coefficients)
            .map(|((v, m), b)| (v - m) * b)
            .sum();
        let survival = self
            .baseline
            .iter()
            .map(|b| (-b.cumhaz * lp.exp()).exp())
            .collect();
        Ok(Prediction {
            id: id.into(),
            rad_score,
            linear_predictor: lp,
            risk_group: if lp > self.risk_threshold {
                "high".into()
            } else {
                "low".into()
            },
            survival,
            imputed,
        })
    }

    /// A categorical value must be one of the levels seen in training: scoring another as the
    /// reference level would be silently wrong.
    fn check_level(&self, column: &str, raw: &str) -> std::result::Result<(), String> {
        match self.categorical_levels.get(column) {
            Some(levels) if !levels.iter().any(|l| l == raw.trim()) => Err(format!(
                "column {column:?}: level {:?} was not seen in training (known levels: {})",
                raw.trim(),
                levels.join(", ")
            )),
            _ => Ok(()),
        }
    }
}
