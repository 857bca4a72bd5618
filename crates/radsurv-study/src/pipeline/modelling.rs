//! Stage [`Stage::FitModels`](super::Stage::FitModels): clinical screening and the clinical,
//! radiomics, combined and Six-and-twelve Cox models on the training cohort.

use super::features::Features;
use super::radiomics::Selected;
use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::error::Result;
use crate::models::{self, ClinicalSelection, FittedModel};
use crate::results::ModelKey;

/// The fitted models.
pub(super) struct Fitted {
    /// Univariable screening of the clinical candidates.
    pub screening: ClinicalSelection,
    /// Multivariable Cox of the screened clinical variables.
    pub clinical: FittedModel,
    /// Cox on the rad-score alone.
    pub radiomics: FittedModel,
    /// Cox on the clinical variables plus the rad-score.
    pub combined: FittedModel,
    /// The Six-and-twelve score.
    pub six: FittedModel,
}

impl Fitted {
    /// The four models in report order: clinical, radiomics, combined, Six-and-twelve.
    pub fn all(&self) -> [&FittedModel; 4] {
        [&self.clinical, &self.radiomics, &self.combined, &self.six]
    }
}

pub(super) fn fit(
    config: &StudyConfig,
    features: &Features,
    selected: &Selected,
    log: &mut Decisions,
) -> Result<Fitted> {
    let cohort = &features.cohort;
    let training = &features.cohorts.training.rows;
    let train_surv = &features.cohorts.training.surv;
    let rad_score = &selected.rad_score;
    let horizons = config.horizons();
    let screening = models::screen_clinical(
        cohort,
        training,
        train_surv,
        config.clinical_model.screening_p,
        log,
    )?;
    let clinical_columns: Vec<_> = screening
        .screened
        .iter()
        .flat_map(|n| cohort.design_columns(n))
        .collect();
    let clinical = models::fit_model(
        ModelKey::Clinical,
        "Clinical",
        cohort,
        clinical_columns.clone(),
        None,
        training,
        train_surv,
        &horizons,
    )?;
    let radiomics = models::fit_model(
        ModelKey::Radiomics,
        "Radiomics",
        cohort,
        Vec::new(),
        Some(rad_score),
        training,
        train_surv,
        &horizons,
    )?;
    let combined = models::fit_model(
        ModelKey::Combined,
        "Clinical-radiomics",
        cohort,
        clinical_columns,
        Some(rad_score),
        training,
        train_surv,
        &horizons,
    )?;
    let six = models::six_and_twelve(cohort, training, train_surv, &horizons)?;
    for model in [&clinical, &radiomics, &combined, &six] {
        note_fit_warnings(model, log);
    }
    Ok(Fitted {
        screening,
        clinical,
        radiomics,
        combined,
        six,
    })
}

/// R prints a Cox fit's warnings (no convergence, a coefficient that may be infinite) to the
/// console; the decisions log carries them, so a model that needs a second look says so.
fn note_fit_warnings(model: &models::FittedModel, log: &mut Decisions) {
    for warning in model.fit.warnings() {
        log.note("Cox models", format!("{} model: {warning}", model.label));
    }
}
