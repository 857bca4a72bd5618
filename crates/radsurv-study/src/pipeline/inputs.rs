//! Stage [`Stage::LoadInputs`](super::Stage::LoadInputs): the clinical cohort, the manifest, the
//! readers whose segmentations feed the model and the ICC, and the extraction parameters.

use crate::cohort::Cohort;
use crate::config::{StudyConfig, SEED_PARAMS_YAML};
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::manifest::{self, ManifestEntry};

/// What the run reads before extracting anything.
pub(super) struct Inputs {
    /// Every patient of the clinical table.
    pub cohort: Cohort,
    /// Every image/mask pair of the manifest.
    pub entries: Vec<ManifestEntry>,
    /// The reader whose features the models use.
    pub primary_reader: String,
    /// The second reader, for the ICC filter.
    pub secondary_reader: Option<String>,
    /// The extraction parameter file's text (recorded verbatim and hashed).
    pub params_yaml: String,
    /// The parsed extraction parameters.
    pub settings: radsurv_features::Settings,
}

pub(super) fn load(config: &StudyConfig, log: &mut Decisions) -> Result<Inputs> {
    let cohort = Cohort::load(config)?;
    for line in &cohort.imputations {
        log.note("clinical data", line);
    }
    let entries = manifest::read_manifest(&config.resolve(&config.manifest))?;
    let (primary_reader, secondary_reader) = choose_readers(&entries, config, log)?;
    let params_yaml = match &config.extraction.params {
        Some(p) => {
            let path = config.resolve(p);
            std::fs::read_to_string(&path).map_err(|e| StudyError::io(path, e))?
        }
        None => SEED_PARAMS_YAML.to_string(),
    };
    let settings = radsurv_features::Settings::from_yaml_str(&params_yaml, "extraction.params")
        .map_err(|e| StudyError::config("extraction.params", e.to_string()))?;
    for warning in &settings.warnings {
        log.note("extraction parameters", format!("warning: {warning}"));
    }
    Ok(Inputs {
        cohort,
        entries,
        primary_reader,
        secondary_reader,
        params_yaml,
        settings,
    })
}

/// The configured readers, else the first reader of the manifest for the model and the next one
/// for the ICC.
fn choose_readers(
    entries: &[ManifestEntry],
    config: &StudyConfig,
    log: &mut Decisions,
) -> Result<(String, Option<String>)> {
    let readers = manifest::readers(entries);
    let primary = config
        .extraction
        .primary_reader
        .clone()
        .or_else(|| readers.first().cloned())
        .ok_or_else(|| {
            StudyError::degenerate("manifest", "the manifest lists no image/mask pair")
        })?;
    if !readers.contains(&primary) {
        return Err(StudyError::config(
            "extraction.primary_reader",
            format!("reader {primary:?} is not in the manifest (has {readers:?})"),
        ));
    }
    let secondary = config
        .extraction
        .secondary_reader
        .clone()
        .or_else(|| readers.iter().find(|r| **r != primary).cloned());
    log.note(
        "extraction",
        format!(
            "model reader {primary}, ICC reader {}",
            secondary.as_deref().unwrap_or("none")
        ),
    );
    Ok((primary, secondary))
}
