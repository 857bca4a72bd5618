//! Scoring patients with a saved model: clinical values from a CSV, radiomics features either from
//! a `features.csv` written by a study (or `radsurv extract`) or extracted now from a manifest with
//! the model's own parameter file.

use crate::batch::{self, BatchOptions, CaseFeatures};
use crate::cohort::CsvTable;
use crate::error::{Result, StudyError};
use crate::model_file::{ModelFile, Prediction};
use crate::{feature_table, manifest};
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

/// The scores of a clinical CSV's patients.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictions {
    /// Each patient's prediction, or why it cannot be scored (the batch goes on).
    pub patients: Vec<(String, std::result::Result<Prediction, String>)>,
    /// Said once for the whole run: the model's own fit warnings, and features extracted with
    /// other settings than the model's.
    pub warnings: Vec<String>,
}

/// Scores every patient of the clinical CSV.
///
/// # Errors
/// Files that cannot be read, a missing id column, a clinical column or selected feature the
/// model needs that a file lacks (each reported once, not per patient), a patient id repeated
/// in the clinical table or a case repeated (for the model's reader) in the features CSV.
pub fn predict_patients(
    model: &ModelFile,
    clinical: &Path,
    id_column: &str,
    source: FeatureSource<'_>,
) -> Result<Predictions> {
    let mut warnings = model_fit_warnings(model);
    let features = match source {
        FeatureSource::Csv(path) => {
            warnings.extend(extraction_warning(model, path)?);
            read_features_csv(path, model)?
        }
        FeatureSource::Manifest(path) => extract_from_manifest(path, model)?,
    };
    let table = CsvTable::read(clinical)?;
    let id = table.column(id_column, "--id-column")?;
    for column in model.clinical_columns() {
        table.column(column, "model.json columns")?;
    }
    let mut patients = Vec::with_capacity(table.rows.len());
    let mut seen = std::collections::BTreeSet::new();
    for (i, row) in table.rows.iter().enumerate() {
        let patient = table.required(row, id, i + 1)?.to_string();
        if !seen.insert(patient.clone()) {
            return Err(table.invalid(i + 1, id, format!("duplicate patient id {patient:?}")));
        }
        let value = |column: &str| {
            table
                .optional_column(column)
                .and_then(|c| table.value(row, c))
                .map(str::to_string)
        };
        let scored = features
            .get(&patient)
            .ok_or_else(|| "no radiomics features".to_string())
            .and_then(|f| f.clone())
            .and_then(|f| {
                let rad = model.rad_score(&|name| {
                    f.names.iter().position(|n| n == name).map(|j| f.values[j])
                })?;
                model.score(&patient, &value, rad)
            });
        patients.push((patient, scored));
    }
    Ok(Predictions { patients, warnings })
}

/// The combined model's Cox fit warnings: every score from the model inherits them.
fn model_fit_warnings(model: &ModelFile) -> Vec<String> {
    model
        .fit_warnings
        .iter()
        .map(|w| {
            format!(
                "the model's Cox fit warned \"{w}\", so its scores are not reliable estimates; \
                 refit it (more patients, or fewer covariates) before using them"
            )
        })
        .collect()
}

/// A warning when the features CSV records other extraction settings than the model's, or
/// records none.
fn extraction_warning(model: &ModelFile, features_csv: &Path) -> Result<Option<String>> {
    let beside = batch::params_file_beside(features_csv);
    let recorded = batch::recorded_settings(features_csv)
        .map_err(|e| StudyError::config("features parameter file", e.to_string()))?;
    let model_settings = model_settings(model)?;
    Ok(match recorded {
        None => Some(format!(
            "{} does not record its extraction parameters (no {} beside it): \
             scores are right only if it was extracted with the model's (model.json \
             `extraction_params_yaml`)",
            features_csv.display(),
            beside.display()
        )),
        Some(s) if !batch::same_extraction(&s, &model_settings) => Some(format!(
            "{} was extracted with other parameters ({}) than the model's \
             (model.json `extraction_params_yaml`): scores may be wrong; extract again with \
             the model's parameters or use --manifest",
            features_csv.display(),
            beside.display()
        )),
        Some(_) => None,
    })
}

fn model_settings(model: &ModelFile) -> Result<radsurv_features::Settings> {
    radsurv_features::Settings::from_yaml_str(&model.extraction_params_yaml, "model.json")
        .map_err(|e| StudyError::config("extraction_params_yaml", e.to_string()))
}

type FeatureMap = BTreeMap<String, std::result::Result<CaseFeatures, String>>;

/// The model's features of each case in the CSV (rows of the model's reader). An empty or
/// non-finite cell is `None` (imputed and reported); text in a cell makes the case unscorable.
fn read_features_csv(path: &Path, model: &ModelFile) -> Result<FeatureMap> {
    let table = CsvTable::read(path)?;
    let case = table.column("case_id", "--features")?;
    let reader_col = table.optional_column("reader");
    let columns = model
        .features
        .iter()
        .map(|f| table.column(&f.name, "model.json features"))
        .collect::<Result<Vec<usize>>>()?;
    let mut out = FeatureMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        if reader_col
            .and_then(|c| table.value(row, c))
            .is_some_and(|r| feature_table::key_text(r) != model.reader)
        {
            continue;
        }
        let id = feature_table::key_text(table.required(row, case, i + 1)?).to_string();
        if out.contains_key(&id) {
            return Err(table.invalid(
                i + 1,
                case,
                format!("case {id:?} has a second row for reader {:?}", model.reader),
            ));
        }
        let values = columns
            .iter()
            .map(|&c| feature_cell(table.value(row, c), &table.headers[c], path, i + 1))
            .collect::<std::result::Result<Vec<_>, String>>();
        let names = columns.iter().map(|&c| table.headers[c].clone()).collect();
        let features = values.map(|values| CaseFeatures {
            case_id: id.clone(),
            reader: model.reader.clone(),
            names,
            values,
        });
        out.insert(id, features);
    }
    Ok(out)
}

/// An empty cell or a non-finite number is `None`; text that is not a number is an error
/// naming the file, row and column.
fn feature_cell(
    cell: Option<&str>,
    column: &str,
    path: &Path,
    row: usize,
) -> std::result::Result<Option<f64>, String> {
    match cell {
        None => Ok(None),
        Some(text) => match text.trim().parse::<f64>() {
            Ok(x) => Ok(x.is_finite().then_some(x)),
            Err(_) => Err(format!(
                "{}: row {row}, column {column:?}: {text:?} is not a number",
                path.display()
            )),
        },
    }
}

fn extract_from_manifest(path: &Path, model: &ModelFile) -> Result<FeatureMap> {
    let settings = model_settings(model)?;
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
