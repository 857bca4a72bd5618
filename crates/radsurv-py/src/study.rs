//! Batch extraction, the study and the model file, as the command line runs them.

use crate::{settings_from_json, to_py};
use pyo3::prelude::*;
use radsurv_features::Settings;
use radsurv_study::batch::{self, BatchOptions};
use radsurv_study::feature_table::{self, KeyColumns, RowKey};
use radsurv_study::manifest::{self, ManifestEntry};
use radsurv_study::predict::{predict_patients, FeatureSource};
use radsurv_study::{ModelFile, StudyConfig};
use std::path::PathBuf;

/// One manifest row's outcome: `(case_id, reader, features or None, error message or None)`;
/// `reader` is `None` when the manifest names none.
type CaseRow = (
    String,
    Option<String>,
    Option<Vec<(String, f64)>>,
    Option<String>,
);

/// Settings of a parameter file, or PyRadiomics' defaults.
fn settings_of(params: Option<PathBuf>, params_json: Option<&str>) -> PyResult<Settings> {
    match (params, params_json) {
        (Some(path), _) => Settings::from_params_file(&path).map_err(|e| to_py(&e, None)),
        (None, Some(json)) => settings_from_json(json, "<params>"),
        (None, None) => Ok(Settings::default()),
    }
}

/// Extracts every case of a manifest as `radsurv extract --manifest` does; returns the feature
/// keys (the CSV's feature columns) and one row per case in manifest order.
#[pyfunction]
#[pyo3(signature = (manifest, params=None, params_json=None, jobs=None))]
fn extract_manifest(
    py: Python<'_>,
    manifest: PathBuf,
    params: Option<PathBuf>,
    params_json: Option<&str>,
    jobs: Option<usize>,
) -> PyResult<(Vec<String>, Vec<CaseRow>)> {
    let settings = settings_of(params, params_json)?;
    let options = BatchOptions { jobs, cache: None };
    let outcomes = py
        .detach(|| batch::extract_manifest(&manifest, &settings, options, &|_, _| {}))
        .map_err(|e| to_py(&e, None))?;
    let rows = outcomes
        .into_iter()
        .map(|o| {
            let (features, error) = match o.result {
                Ok(f) => (Some(f), None),
                Err(e) => (None, Some(crate::message(&e))),
            };
            (o.entry.case_id, o.entry.reader, features, error)
        })
        .collect();
    Ok((settings.feature_keys(), rows))
}

/// The CSV text `radsurv extract --manifest` writes for these rows (failed cases left out).
#[pyfunction]
fn features_csv(keys: Vec<String>, rows: Vec<CaseRow>) -> PyResult<String> {
    let columns = KeyColumns {
        reader: rows.iter().any(|(_, reader, _, _)| reader.is_some()),
        region: false,
    };
    let header = feature_table::header(keys, columns);
    let mut text = csv_record(&header)?;
    for (case_id, reader, features, _) in &rows {
        if let Some(features) = features {
            let key = RowKey {
                case_id,
                reader: reader.as_deref(),
                region: None,
            };
            let fields = feature_table::fields(&key, columns, features.iter().map(|(_, v)| *v));
            text.push_str(&csv_record(&fields)?);
        }
    }
    Ok(text)
}

fn csv_record(fields: &[String]) -> PyResult<String> {
    feature_table::csv_record(fields).map_err(|e| to_py(&e, None))
}

/// A manifest entry as Python sees it: `(case_id, image, mask, label, segment, reader)`.
type EntryTuple = (
    String,
    PathBuf,
    PathBuf,
    Option<u32>,
    Option<String>,
    Option<String>,
);

/// The entries of a manifest, in order, with paths resolved against its folder.
#[pyfunction]
fn read_manifest(path: PathBuf) -> PyResult<Vec<EntryTuple>> {
    let entries = manifest::read_manifest(&path).map_err(|e| to_py(&e, None))?;
    Ok(entries
        .into_iter()
        .map(|e| (e.case_id, e.image, e.mask, e.label, e.segment, e.reader))
        .collect())
}

/// Extracts one manifest entry as a batch does; a failure is the row's error, not an exception.
#[pyfunction]
#[pyo3(signature = (entry, params=None, params_json=None))]
fn extract_entry(
    py: Python<'_>,
    entry: EntryTuple,
    params: Option<PathBuf>,
    params_json: Option<&str>,
) -> PyResult<CaseRow> {
    let settings = settings_of(params, params_json)?;
    let (case_id, image, mask, label, segment, reader) = entry;
    let entry = ManifestEntry {
        label,
        segment,
        reader,
        ..ManifestEntry::new(case_id, image, mask)
    };
    let result = py.detach(|| batch::extract_entry(&entry, &settings));
    Ok(match result {
        Ok(features) => (entry.case_id, entry.reader, Some(features), None),
        Err(e) => (entry.case_id, entry.reader, None, Some(crate::message(&e))),
    })
}

/// Runs the study of a config file into `out_dir`, which must not hold an input and must be
/// new or empty unless `force` (as `radsurv study --force`); returns the results as JSON text.
#[pyfunction]
#[pyo3(signature = (config, out_dir, force=false))]
fn run_study(py: Python<'_>, config: PathBuf, out_dir: PathBuf, force: bool) -> PyResult<String> {
    py.detach(|| {
        let study = StudyConfig::from_file(&config).map_err(|e| to_py(&e, None))?;
        radsurv_study::outputs::check_study_output(&study, &config, &out_dir, force)
            .map_err(|e| to_py(&e, None))?;
        let results = radsurv_study::run_study(&study, &out_dir, &|_| {})
            .map_err(|e| to_py(&e, Some(&format!("study {}", config.display()))))?;
        serde_json::to_string(&results)
            .map_err(|e| crate::RadsurvValueError::new_err(e.to_string()))
    })
}

/// One scored patient: `(id, (rad_score, linear_predictor, risk_group, survival, imputed) or
/// None, error message or None)`.
type Scored = (
    String,
    Option<(f64, f64, String, Vec<f64>, Vec<String>)>,
    Option<String>,
);

/// A model file written by a study.
#[pyclass(frozen, module = "radsurv._native")]
struct NativeModel {
    model: ModelFile,
}

#[pymethods]
impl NativeModel {
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        let model = ModelFile::read(&path).map_err(|e| to_py(&e, None))?;
        Ok(NativeModel { model })
    }

    /// The survival columns' keys (`surv_<key>`), in output order.
    fn horizons(&self) -> Vec<String> {
        self.model.baseline.iter().map(|b| b.key.clone()).collect()
    }

    /// Scores the patients of a clinical CSV as `radsurv predict` does, with features from a
    /// features CSV or extracted now from a manifest: the run's warnings and each patient.
    #[pyo3(signature = (clinical, id_column, features=None, manifest=None))]
    fn predict(
        &self,
        py: Python<'_>,
        clinical: PathBuf,
        id_column: &str,
        features: Option<PathBuf>,
        manifest: Option<PathBuf>,
    ) -> PyResult<(Vec<String>, Vec<Scored>)> {
        let source = match (&features, &manifest) {
            (Some(f), _) => FeatureSource::Csv(f),
            (None, Some(m)) => FeatureSource::Manifest(m),
            (None, None) => {
                return Err(crate::RadsurvValueError::new_err(
                    "give features or manifest",
                ))
            }
        };
        let scored = py
            .detach(|| predict_patients(&self.model, &clinical, id_column, source))
            .map_err(|e| to_py(&e, None))?;
        let patients = scored
            .patients
            .into_iter()
            .map(|(id, r)| match r {
                Ok(p) => (
                    id,
                    Some((
                        p.rad_score,
                        p.linear_predictor,
                        p.risk_group,
                        p.survival,
                        p.imputed,
                    )),
                    None,
                ),
                Err(e) => (id, None, Some(e)),
            })
            .collect();
        Ok((scored.warnings, patients))
    }
}

/// Adds this module's functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(run_study, m)?)?;
    m.add_function(wrap_pyfunction!(features_csv, m)?)?;
    m.add_function(wrap_pyfunction!(read_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(extract_entry, m)?)?;
    m.add_class::<NativeModel>()?;
    Ok(())
}
