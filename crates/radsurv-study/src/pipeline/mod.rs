//! `run_study`: the whole seed analysis from a config, writing the study folder.
//!
//! The run is a sequence of named stages, each a function from the previous stages' typed outputs
//! to its own (the seed's Methods, in order): [`Stage::LoadInputs`] (cohort, manifest, readers,
//! extraction parameters) → [`Stage::ExtractFeatures`] (both readers, parallel, cached) →
//! [`Stage::Standardise`] (ICC filter, invalid features, imputation, z-score on training) →
//! [`Stage::SelectFeatures`] (Spearman filter, LASSO-Cox, rad-score) → [`Stage::FitModels`]
//! (clinical screening, clinical, radiomics, combined and Six-and-twelve models) →
//! [`Stage::EvaluateModels`] (every model in both cohorts, paired C comparisons, strata) →
//! [`Stage::DescribeCohorts`] (subgroups, Table 1) → [`Stage::WriteResults`].

mod assemble;
mod features;
mod inputs;
mod modelling;
mod radiomics;
mod validation;

use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::outputs;
use crate::results::StudyResults;
use std::path::Path;

/// Progress of a study run, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A pipeline stage started (`index` of `total`, 1-based).
    Step {
        /// Stage number.
        index: usize,
        /// Number of stages.
        total: usize,
        /// What the stage does.
        name: &'static str,
    },
    /// Feature extraction finished `done` of `total` image/mask pairs.
    Extraction {
        /// Pairs finished.
        done: usize,
        /// Pairs in total.
        total: usize,
    },
}

/// The stages of a study run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Clinical table, manifest, readers and extraction parameters.
    LoadInputs,
    /// Features of every image/mask pair of both readers.
    ExtractFeatures,
    /// ICC filter, invalid-feature removal, imputation and z-score.
    Standardise,
    /// Spearman filter, LASSO-Cox and the rad-score.
    SelectFeatures,
    /// Clinical, radiomics, combined and Six-and-twelve Cox models.
    FitModels,
    /// Discrimination, calibration and risk groups of every model in both cohorts.
    EvaluateModels,
    /// Subgroup analyses and Table 1.
    DescribeCohorts,
    /// `results.json`, `model.json`, tables and log.
    WriteResults,
}

impl Stage {
    /// Every stage, in run order.
    pub const ALL: [Stage; 8] = [
        Stage::LoadInputs,
        Stage::ExtractFeatures,
        Stage::Standardise,
        Stage::SelectFeatures,
        Stage::FitModels,
        Stage::EvaluateModels,
        Stage::DescribeCohorts,
        Stage::WriteResults,
    ];

    /// What the stage does, for a progress display.
    pub fn name(self) -> &'static str {
        match self {
            Stage::LoadInputs => "loading cohort",
            Stage::ExtractFeatures => "extracting features",
            Stage::Standardise => "ICC, imputation and z-score",
            Stage::SelectFeatures => "Spearman filter and LASSO-Cox",
            Stage::FitModels => "clinical, radiomics and combined models",
            Stage::EvaluateModels => "evaluating models",
            Stage::DescribeCohorts => "Table 1 and subgroups",
            Stage::WriteResults => "writing results",
        }
    }

    fn progress(self) -> Progress {
        Progress::Step {
            index: Stage::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1,
            total: Stage::ALL.len(),
            name: self.name(),
        }
    }
}

/// Runs the study and writes `results.json`, `features.csv`, `tables/*.csv`, `model.json`,
/// `decisions.log` and `config.yaml` into `out_dir`.
///
/// Cases whose extraction fails are excluded, listed in `results.extraction.failed` and the log.
///
/// # Errors
/// Any [`StudyError`]: config, clinical data, a pipeline stage that cannot proceed, or writing.
pub fn run_study(
    config: &StudyConfig,
    out_dir: &Path,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<StudyResults> {
    let start = |stage: Stage| progress(stage.progress());
    let mut log = Decisions::default();
    std::fs::create_dir_all(out_dir).map_err(|e| StudyError::io(out_dir, e))?;

    start(Stage::LoadInputs);
    let inputs = inputs::load(config, &mut log)?;
    start(Stage::ExtractFeatures);
    let features = features::extract(config, out_dir, inputs, progress, &mut log)?;
    start(Stage::Standardise);
    let standardised = radiomics::standardise(config, &features, &mut log)?;
    start(Stage::SelectFeatures);
    let selected = radiomics::select(config, &features, &standardised, &mut log)?;
    start(Stage::FitModels);
    let models = modelling::fit(config, &features, &selected, &mut log)?;
    start(Stage::EvaluateModels);
    let evaluated = validation::evaluate(config, &features, &models, &mut log)?;
    start(Stage::DescribeCohorts);
    let described = validation::describe(config, &features, &models, &evaluated, &mut log)?;
    start(Stage::WriteResults);
    let analysis = assemble::Analysis {
        standardised,
        selected,
        evaluated,
        described,
    };
    let results = assemble::results(config, &features, &models, analysis, &mut log);
    let model = assemble::model_file(
        &results,
        &models.combined,
        &features.params_yaml,
        &features.primary_reader,
        config,
    );
    outputs::write_all(
        out_dir,
        config,
        &results,
        &model,
        &features.extracted.all,
        &features.extracted.names,
        &log,
    )?;
    Ok(results)
}
