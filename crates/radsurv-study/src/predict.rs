//! Scoring patients with a saved model: clinical values from a CSV, radiomics features either from
//! a `features.csv` written by a study (or `radsurv extract`) or extracted now from a manifest with
//! the model's own parameter file.

use crate::batch::{self, BatchOptions, CaseFeatures};
use crate::cohort::CsvTable;
use crate::error::{Result, StudyError};
use crate::manifest;
use crate::model_file::{ModelFile, Prediction};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the radiomics features of the patients come from.
#[derive(Debug, Clone, Copy)]
pub enum FeatureSource<'a> {
    /// A features CSV with `case_id` and feature columns (and optionally `reader`: rows of the
    /// model's reader are used).
    Csv(&'a Path),
    /// A manifest (see [`crate::manifest`]): features are extracted now.
    Manifest(&'a Path),
}

/// Scores every patient of the clinical CSV; a patient that cannot be scored gets its error
/// message instead (the batch goes on).
///
/// # Errors
/// Files that cannot be read, a missing id column, or invalid extraction parameters in the model.
pub fn predict_patients(
    model: &ModelFile,
    clinical: &Path,
    id_column: &str,
    source: FeatureSource<'_>,
) -> Result<Vec<(String, std::result::Result<Prediction, String>)>> {
    let features = match source {
        FeatureSource::Csv(path) => read_features_csv(path, &model.reader)?,
        FeatureSource::Manifest(path) => extract_from_manifest(path, model)?,
    };
    let table = CsvTable::read(clinical)?;
    let id = table.column(id_column, "--id-column")?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        let patient = table.required(row, id, i + 1)?.to_string();
        let value = |column: &str| {
            table
                .optional_column(column)
                .and_then(|c| table.value(row, c))
                .map(str::to_string)
        };
        let scored = features
            .get(&patient)
            .ok_or_else(|| format!("patient {patient}: no radiomics features"))
            .and_then(|f| f.clone())
            .and_then(|f| {
                let rad = model.rad_score(&|name| {
                    f.names.iter().position(|n| n == name).map(|j| f.values[j])
                })?;
                model.score(&patient, &value, rad)
            });
        out.push((patient, scored));
    }
    Ok(out)
}

type FeatureMap = BTreeMap<String, std::result::Result<CaseFeatures, String>>;

fn read_features_csv(path: &Path, reader: &str) -> Result<FeatureMap> {
    let table = CsvTable::read(path)?;
    let case = table.column("case_id", "--features")?;
    let reader_col = table.optional_column("reader");
    let skip = [Some(case), reader_col];
    let columns: Vec<usize> = (0..table.headers.len())
        .filter(|c| !skip.contains(&Some(*c)))
        .collect();
    let mut out = FeatureMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        if reader_col
            .and_then(|c| table.value(row, c))
            .is_some_and(|r| r != reader)
        {
            continue;
        }
        let id = table.required(row, case, i + 1)?.to_string();
        let values = columns
            .iter()
            .map(|&c| table.value(row, c).and_then(|v| v.parse::<f64>().ok()))
            .collect();
        let names = columns.iter().map(|&c| table.headers[c].clone()).collect();
        out.insert(
            id.clone(),
            Ok(CaseFeatures {
                case_id: id,
                reader: reader.into(),
                names,
                values,
            }),
        );
    }
    Ok(out)
}

fn extract_from_manifest(path: &Path, model: &ModelFile) -> Result<FeatureMap> {
    let settings =
        radsurv_features::Settings::from_yaml_str(&model.extraction_params_yaml, "model.json")
            .map_err(|e| StudyError::config("extraction_params_yaml", e.to_string()))?;
    let entries: Vec<_> = manifest::read_manifest(path)?
        .into_iter()
        .filter(|e| e.reader() == model.reader)
        .collect();
    let outcomes = batch::run(&entries, &settings, BatchOptions::default(), &|_, _| {})?;
    Ok(outcomes
        .iter()
        .map(|o| {
            let features = o.case_features().map_err(|e| e.to_string());
            (o.entry.case_id.clone(), features)
        })
        .collect())
}
