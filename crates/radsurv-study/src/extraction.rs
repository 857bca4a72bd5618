//! Feature extraction for every image/mask pair of the manifest, in parallel, with a cache.
//!
//! The cache key is SHA-256 over the image file, the mask file, the parameter file text, the
//! label and the radsurv version, so a re-run with the same inputs reads
//! `<cache>/<key>.json` instead of re-extracting, and any change of inputs or software misses.
//! A failing case never stops the batch: its error is kept and the other cases go on.

use crate::cohort::CsvTable;
use crate::error::{Result, StudyError};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One image/mask pair of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    /// Patient id (matches the clinical table).
    pub case_id: String,
    /// Image file.
    pub image: PathBuf,
    /// Mask file.
    pub mask: PathBuf,
    /// Reader who drew the mask (`A` when the manifest has no `reader` column).
    pub reader: String,
    /// Mask label (`1` when the manifest has no `label` column).
    pub label: u32,
}

/// Reads a manifest `case_id,image,mask[,reader][,label]`; relative paths resolve against the
/// manifest's folder.
///
/// # Errors
/// [`StudyError::UnknownColumn`] for a missing required column, [`StudyError::InvalidValue`] for an
/// empty cell or a bad label, with its row.
pub fn read_manifest(path: &Path) -> Result<Vec<ManifestEntry>> {
    let table = CsvTable::read(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let case = table.column("case_id", "manifest")?;
    let image = table.column("image", "manifest")?;
    let mask = table.column("mask", "manifest")?;
    let reader = table.optional_column("reader");
    let label = table.optional_column("label");
    let mut entries = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        let r = i + 1;
        let label_value = match label.and_then(|c| table.value(row, c).map(|v| (c, v))) {
            Some((c, v)) => v.parse::<u32>().map_err(|_| {
                table.invalid(
                    r,
                    c,
                    format!("expected a positive integer label, got {v:?}"),
                )
            })?,
            None => 1,
        };
        entries.push(ManifestEntry {
            case_id: table.required(row, case, r)?.to_string(),
            image: base.join(table.required(row, image, r)?),
            mask: base.join(table.required(row, mask, r)?),
            reader: reader
                .and_then(|c| table.value(row, c))
                .unwrap_or("A")
                .to_string(),
            label: label_value,
        });
    }
    Ok(entries)
}

/// The readers of a manifest in order of first appearance.
pub fn readers(entries: &[ManifestEntry]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in entries {
        if !out.contains(&e.reader) {
            out.push(e.reader.clone());
        }
    }
    out
}

/// Features of one case: names in extraction order and values (`None` for a non-finite value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFeatures {
    /// Patient id.
    pub case_id: String,
    /// Reader.
    pub reader: String,
    /// Feature names (PyRadiomics keys).
    pub names: Vec<String>,
    /// Values; `None` where the extractor returned NaN or infinity.
    pub values: Vec<Option<f64>>,
}

/// The outcome of extracting one manifest entry.
#[derive(Debug)]
pub struct CaseOutcome {
    /// The entry.
    pub entry: ManifestEntry,
    /// Features, or the error as text.
    pub result: std::result::Result<CaseFeatures, String>,
    /// True when served from the cache.
    pub cached: bool,
}

/// Extracts every entry in parallel, using and filling the cache.
///
/// `extract` computes the named features of one (image, mask, label); `params_text` is the
/// parameter file's text (part of the cache key); `on_done` is called once per finished case with
/// the number finished so far. Outcomes come back in manifest order.
pub fn extract_all<F>(
    entries: &[ManifestEntry],
    params_text: &str,
    cache_dir: Option<&Path>,
    extract: F,
    on_done: &(dyn Fn(usize, usize) + Sync),
) -> Vec<CaseOutcome>
where
    F: Fn(&Path, &Path, u32) -> std::result::Result<Vec<(String, f64)>, String> + Sync,
{
    let done = AtomicUsize::new(0);
    let total = entries.len();
    entries
        .par_iter()
        .map(|entry| {
            let outcome = extract_one(entry, params_text, cache_dir, &extract);
            on_done(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            outcome
        })
        .collect()
}

fn extract_one<F>(
    entry: &ManifestEntry,
    params_text: &str,
    cache_dir: Option<&Path>,
    extract: &F,
) -> CaseOutcome
where
    F: Fn(&Path, &Path, u32) -> std::result::Result<Vec<(String, f64)>, String>,
{
    let key = match cache_key(entry, params_text) {
        Ok(k) => k,
        Err(e) => {
            return CaseOutcome {
                entry: entry.clone(),
                result: Err(e.to_string()),
                cached: false,
            }
        }
    };
    if let Some(hit) = cache_dir.and_then(|d| read_cache(&d.join(format!("{key}.json")), entry)) {
        return CaseOutcome {
            entry: entry.clone(),
            result: Ok(hit),
            cached: true,
        };
    }
    let result = extract(&entry.image, &entry.mask, entry.label).map(|pairs| {
        let (names, values): (Vec<String>, Vec<Option<f64>>) = pairs
            .into_iter()
            .map(|(n, v)| (n, v.is_finite().then_some(v)))
            .unzip();
        CaseFeatures {
            case_id: entry.case_id.clone(),
            reader: entry.reader.clone(),
            names,
            values,
        }
    });
    if let (Ok(features), Some(dir)) = (&result, cache_dir) {
        // A cache that cannot be written only costs a re-extraction next time.
        let _ = write_cache(dir, &format!("{key}.json"), features);
    }
    CaseOutcome {
        entry: entry.clone(),
        result,
        cached: false,
    }
}

/// Extracts one case with radsurv-features, using the manifest's label when it differs from the
/// parameter file's.
///
/// # Errors
/// The feature extractor's error, as text.
pub fn extract_features(
    settings: &radsurv_features::Settings,
    image: &Path,
    mask: &Path,
    label: u32,
) -> std::result::Result<Vec<(String, f64)>, String> {
    let relabelled;
    let settings = if label == settings.label {
        settings
    } else {
        relabelled = radsurv_features::Settings {
            label,
            ..settings.clone()
        };
        &relabelled
    };
    radsurv_features::extract_case(image, mask, settings).map_err(|e| e.to_string())
}

/// SHA-256 (hex) of image bytes, mask bytes, parameter text, label and radsurv version.
///
/// # Errors
/// [`StudyError::Io`] when a file cannot be read.
pub fn cache_key(entry: &ManifestEntry, params_text: &str) -> Result<String> {
    let mut hasher = Sha256::new();
    for path in [&entry.image, &entry.mask] {
        let bytes = std::fs::read(path).map_err(|e| StudyError::io(path, e))?;
        hasher.update(Sha256::digest(&bytes));
    }
    hasher.update(Sha256::digest(params_text.as_bytes()));
    hasher.update(entry.label.to_le_bytes());
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    Ok(hex(&hasher.finalize()))
}

/// SHA-256 of a text, hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn read_cache(path: &Path, entry: &ManifestEntry) -> Option<CaseFeatures> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut features: CaseFeatures = serde_json::from_str(&text).ok()?;
    // The same files may serve another case id or reader: the key covers content only.
    features.case_id = entry.case_id.clone();
    features.reader = entry.reader.clone();
    Some(features)
}

fn write_cache(dir: &Path, name: &str, features: &CaseFeatures) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("{name}.tmp{}", std::process::id()));
    std::fs::write(
        &tmp,
        serde_json::to_vec(features).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(tmp, dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_hit_skips_extraction_and_failures_do_not_stop_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            p
        };
        let entry = |id: &str, image: PathBuf| ManifestEntry {
            case_id: id.into(),
            image,
            mask: write("m.bin", "mask"),
            reader: "A".into(),
            label: 1,
        };
        let entries = vec![
            entry("p1", write("i1.bin", "one")),
            entry("p2", write("bad.bin", "two")),
        ];
        let calls = AtomicUsize::new(0);
        let extract = |image: &Path, _: &Path, _: u32| {
            calls.fetch_add(1, Ordering::Relaxed);
            if image.ends_with("bad.bin") {
                Err("broken".to_string())
            } else {
                Ok(vec![("f".to_string(), 1.5), ("g".to_string(), f64::NAN)])
            }
        };
        let cache = dir.path().join("cache");
        let first = extract_all(&entries, "p", Some(&cache), extract, &|_, _| {});
        assert!(first[0].result.is_ok() && first[1].result.is_err());
        let second = extract_all(&entries, "p", Some(&cache), extract, &|_, _| {});
        assert!(second[0].cached && !second[1].cached);
        assert_eq!(calls.load(Ordering::Relaxed), 3);
        let features = second[0].result.as_ref().unwrap();
        assert_eq!(features.values, vec![Some(1.5), None]);
        let other_params = extract_all(&entries[..1], "q", Some(&cache), extract, &|_, _| {});
        assert!(!other_params[0].cached);
    }
}
