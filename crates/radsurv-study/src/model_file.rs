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
}

impl ModelFile {
    /// Reads a model file.
    ///
    /// # Errors
    /// [`StudyError::Io`] or [`StudyError::Json`].
    pub fn read(path: &Path) -> Result<ModelFile> {
        let text = std::fs::read_to_string(path).map_err(|e| StudyError::io(path, e))?;
        serde_json::from_str(&text).map_err(|source| StudyError::Json {
            path: path.to_path_buf(),
            source,
        })
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
        std::fs::write(path, text).map_err(|e| StudyError::io(path, e))
    }

    /// Rad-score from raw feature values looked up by name (`None` or non-finite → training mean).
    ///
    /// # Errors
    /// A message naming a selected feature that `value_of` does not know at all.
    pub fn rad_score(
        &self,
        value_of: &dyn Fn(&str) -> Option<Option<f64>>,
    ) -> std::result::Result<f64, String> {
        self.features.iter().try_fold(0.0, |acc, f| {
            let raw =
                value_of(&f.name).ok_or_else(|| format!("feature {:?} is missing", f.name))?;
            let x = raw.filter(|v| v.is_finite()).unwrap_or(f.mean);
            Ok(acc + f.coefficient * (x - f.mean) / f.sd)
        })
    }

    /// Scores one patient from clinical values looked up by CSV column and a rad-score.
    ///
    /// # Errors
    /// A message naming the column whose value is missing or invalid.
    pub fn score(
        &self,
        id: &str,
        clinical_value: &dyn Fn(&str) -> Option<String>,
        rad_score: f64,
    ) -> std::result::Result<Prediction, String> {
        let mut x = Vec::with_capacity(self.coefficients.len());
        for column in &self.columns {
            let raw = clinical_value(&column.source_column).ok_or_else(|| {
                format!("patient {id}: column {:?} is missing", column.source_column)
            })?;
            x.push(
                column
                    .encode(&raw)
                    .map_err(|e| format!("patient {id}: column {:?}: {e}", column.source_column))?,
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
        })
    }
}
