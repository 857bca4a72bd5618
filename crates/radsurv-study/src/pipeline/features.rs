//! Stage [`Stage::ExtractFeatures`](super::Stage::ExtractFeatures): features of both readers'
//! segmentations, the analysed patients (those with features from the model's reader) and their
//! survival data per cohort.

use super::inputs::Inputs;
use super::Progress;
use crate::batch::{self, BatchOptions, CaseFeatures, CaseOutcome, FeatureCache};
use crate::cohort::Cohort;
use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::evaluation::CohortData;
use crate::feature_table;
use crate::manifest::ManifestEntry;
use crate::results::{ByCohort, CohortName, FailedCase};
use crate::selection::FeatureColumns;
use radsurv_stats::SurvData;
use std::collections::BTreeMap;
use std::path::Path;

/// The analysed patients and their features.
pub(super) struct Features {
    /// The patients with features from the model's reader.
    pub cohort: Cohort,
    /// Training and validation rows of `cohort`, with their survival data.
    pub cohorts: ByCohort<CohortData>,
    /// Patients left out for want of features, per cohort.
    pub excluded: BTreeMap<CohortName, Vec<String>>,
    /// Extracted features by reader and patient.
    pub extracted: Extracted,
    /// The model reader's features, one column per feature, rows as `cohort`.
    pub primary: FeatureColumns,
    /// Image/mask pairs attempted.
    pub cases: usize,
    /// Pairs whose features came from the cache.
    pub cached: usize,
    /// The model reader.
    pub primary_reader: String,
    /// The extraction parameter file's text.
    pub params_yaml: String,
    /// The parameter file's warnings.
    pub params_warnings: Vec<String>,
}

/// The features that came out of extraction, by reader and patient.
pub(super) struct Extracted {
    /// Feature names, in extraction order.
    pub names: Vec<String>,
    /// The model reader's features by patient.
    pub primary: BTreeMap<String, CaseFeatures>,
    /// The ICC reader's features by patient.
    pub secondary: BTreeMap<String, CaseFeatures>,
    /// Every extracted case (for `features.csv`).
    pub all: Vec<CaseFeatures>,
    /// Cases whose extraction failed.
    pub failed: Vec<FailedCase>,
}

pub(super) fn extract(
    config: &StudyConfig,
    out_dir: &Path,
    inputs: Inputs,
    progress: &(dyn Fn(Progress) + Sync),
    log: &mut Decisions,
) -> Result<Features> {
    let Inputs {
        cohort,
        entries,
        primary_reader,
        secondary_reader,
        params_yaml,
        settings,
    } = inputs;
    let wanted: Vec<ManifestEntry> = entries
        .iter()
        .filter(|e| cohort.patients.iter().any(|p| p.id == e.case_id))
        .filter(|e| e.reader() == primary_reader || Some(e.reader()) == secondary_reader.as_deref())
        .cloned()
        .collect();
    let cache_dir = config
        .extraction
        .cache_dir
        .as_ref()
        .map_or_else(|| out_dir.join("cache"), |d| config.resolve(d));
    let options = BatchOptions {
        jobs: None,
        cache: Some(FeatureCache {
            dir: &cache_dir,
            params_text: &params_yaml,
        }),
    };
    let outcomes = batch::run(&wanted, &settings, options, &|_, p| {
        progress(Progress::Extraction {
            done: p.done,
            total: p.total,
        })
    })?;
    let extracted = collect_features(&outcomes, &settings.feature_keys(), &primary_reader, log)?;
    let (cohort, excluded) = analysed_patients(cohort, &extracted, &primary_reader, log);
    let primary = columns_for_ids(&extracted.primary, &patient_ids(&cohort), &extracted.names);
    let cohorts = cohort_data(&cohort)?;
    Ok(Features {
        cohort,
        cohorts,
        excluded,
        primary,
        cases: outcomes.len(),
        cached: outcomes.iter().filter(|o| o.cached).count(),
        extracted,
        primary_reader,
        params_yaml,
        params_warnings: settings.warnings.iter().map(ToString::to_string).collect(),
    })
}

/// Each case's features, by reader; a case whose features are not the parameter file's keys
/// fails with the reason.
impl Extracted {
    /// Keeps one case's features under its reader.
    fn add(&mut self, features: CaseFeatures, primary_reader: bool) {
        let by_patient = if primary_reader {
            &mut self.primary
        } else {
            &mut self.secondary
        };
        by_patient.insert(features.case_id.clone(), features.clone());
        self.all.push(features);
    }
}

fn collect_features(
    outcomes: &[CaseOutcome],
    expected: &[String],
    primary: &str,
    log: &mut Decisions,
) -> Result<Extracted> {
    let mut out = Extracted {
        names: expected.to_vec(),
        primary: BTreeMap::new(),
        secondary: BTreeMap::new(),
        all: Vec::new(),
        failed: Vec::new(),
    };
    for o in outcomes {
        let failure = match o.case_features() {
            Err(e) => Some(e.to_string()),
            Ok(f) => {
                match feature_table::keys_mismatch(expected, f.names.iter().map(String::as_str)) {
                    Some(reason) => Some(reason),
                    None => {
                        out.add(f, o.entry.reader() == primary);
                        None
                    }
                }
            }
        };
        if let Some(error) = failure {
            log.note(
                "extraction",
                format!(
                    "case {} reader {} failed: {error}",
                    o.entry.case_id,
                    o.entry.reader()
                ),
            );
            out.failed.push(FailedCase {
                case_id: o.entry.case_id.clone(),
                reader: o.entry.reader().to_string(),
                error,
            });
        }
    }
    if out.primary.is_empty() {
        return Err(StudyError::degenerate(
            "feature extraction",
            "no case of the primary reader was extracted",
        ));
    }
    Ok(out)
}

/// The patients with features from the model's reader; the others are excluded and logged.
fn analysed_patients(
    cohort: Cohort,
    extracted: &Extracted,
    primary_reader: &str,
    log: &mut Decisions,
) -> (Cohort, BTreeMap<CohortName, Vec<String>>) {
    let analysed_rows: Vec<usize> = (0..cohort.patients.len())
        .filter(|&i| extracted.primary.contains_key(&cohort.patients[i].id))
        .collect();
    let mut excluded = BTreeMap::<CohortName, Vec<String>>::new();
    for p in &cohort.patients {
        if !extracted.primary.contains_key(&p.id) {
            excluded.entry(p.cohort).or_default().push(p.id.clone());
            log.note(
                "cohort",
                format!(
                    "patient {} excluded: no features from reader {primary_reader}",
                    p.id
                ),
            );
        }
    }
    (cohort.subset(&analysed_rows), excluded)
}

fn cohort_data(cohort: &Cohort) -> Result<ByCohort<CohortData>> {
    let surv_all = surv_of(cohort)?;
    let of = |name: CohortName| {
        let rows = cohort.rows_of(name);
        CohortData {
            name,
            surv: surv_all.subset(&rows),
            rows,
        }
    };
    Ok(ByCohort {
        training: of(CohortName::Training),
        validation: of(CohortName::Validation),
    })
}

fn patient_ids(cohort: &Cohort) -> Vec<String> {
    cohort.patients.iter().map(|p| p.id.clone()).collect()
}

/// Feature columns of the patients `ids` (NaN where a patient or value is missing).
pub(super) fn columns_for_ids(
    features: &BTreeMap<String, CaseFeatures>,
    ids: &[String],
    names: &[String],
) -> FeatureColumns {
    let columns = (0..names.len())
        .map(|j| {
            ids.iter()
                .map(|id| {
                    features
                        .get(id)
                        .and_then(|f| f.values[j])
                        .unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect();
    FeatureColumns {
        names: names.to_vec(),
        columns,
    }
}

fn surv_of(cohort: &Cohort) -> Result<SurvData> {
    let time: Vec<f64> = cohort.patients.iter().map(|p| p.time).collect();
    let status: Vec<f64> = cohort
        .patients
        .iter()
        .map(|p| f64::from(u8::from(p.event)))
        .collect();
    SurvData::new(&time, &status, "time", "event").map_err(StudyError::stats("survival data"))
}
