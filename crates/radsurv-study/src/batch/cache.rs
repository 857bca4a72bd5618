//! The feature cache: `<dir>/<key>.json` per extracted case.
//!
//! The key is SHA-256 over the image file, the mask file, the parameter file text, the label,
//! the segment (when one is named) and the radsurv version, so a re-run with the same inputs
//! reads the file instead of re-extracting, and any change of inputs or software misses.

use super::{effective_label, CaseError, CaseFeatures};
use crate::manifest::ManifestEntry;
use radsurv_features::{FeatureVector, Settings};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A folder of extracted cases, keyed by their inputs.
#[derive(Debug, Clone, Copy)]
pub struct FeatureCache<'a> {
    /// The folder (created on first write).
    pub dir: &'a Path,
    /// The parameter file's text, part of every key.
    pub params_text: &'a str,
}

impl FeatureCache<'_> {
    /// SHA-256 (hex) of the entry's inputs.
    pub(super) fn key(
        &self,
        entry: &ManifestEntry,
        settings: &Settings,
    ) -> Result<String, CaseError> {
        let mut hasher = Sha256::new();
        for path in [&entry.image, &entry.mask] {
            let bytes = std::fs::read(path).map_err(|source| CaseError::Io {
                path: path.clone(),
                source,
            })?;
            hasher.update(Sha256::digest(&bytes));
        }
        hasher.update(Sha256::digest(self.params_text.as_bytes()));
        hasher.update(effective_label(entry, settings).to_le_bytes());
        if let Some(segment) = &entry.segment {
            hasher.update(Sha256::digest(segment.as_bytes()));
        }
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        Ok(hex(&hasher.finalize()))
    }

    /// The cached features under `key`; `None` when absent or unreadable.
    pub(super) fn read(&self, key: &str) -> Option<FeatureVector> {
        let text = std::fs::read_to_string(self.dir.join(format!("{key}.json"))).ok()?;
        let features: CaseFeatures = serde_json::from_str(&text).ok()?;
        // The same files may serve another case id or reader: only names and values are kept.
        Some(
            features
                .names
                .into_iter()
                .zip(features.values.into_iter().map(|v| v.unwrap_or(f64::NAN)))
                .collect(),
        )
    }

    /// Stores a case under `key`; a cache that cannot be written only costs a re-extraction.
    pub(super) fn write(&self, key: &str, features: &CaseFeatures) {
        let _ = self.try_write(&format!("{key}.json"), features);
    }

    fn try_write(&self, name: &str, features: &CaseFeatures) -> std::io::Result<()> {
        std::fs::create_dir_all(self.dir)?;
        let tmp = self.dir.join(format!("{name}.tmp{}", std::process::id()));
        let json = serde_json::to_vec(features).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, json)?;
        std::fs::rename(tmp, self.dir.join(name))
    }
}

/// SHA-256 of a text, hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_names_and_turns_missing_values_into_nan() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FeatureCache {
            dir: dir.path(),
            params_text: "p",
        };
        let entry = ManifestEntry::new("P1", "i".into(), "m".into());
        let features: FeatureVector = vec![("f".into(), 1.5), ("g".into(), f64::INFINITY)];
        cache.write("k", &CaseFeatures::new(&entry, &features));
        let back = cache.read("k").unwrap();
        assert_eq!(back[0], ("f".to_string(), 1.5));
        assert!(back[1].1.is_nan());
        assert!(cache.read("other").is_none());
    }

    #[test]
    fn key_changes_with_params_label_and_segment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.bin");
        std::fs::write(&file, "bytes").unwrap();
        let settings = Settings::default();
        let entry = ManifestEntry::new("P1", file.clone(), file);
        let key = |params_text, entry: &ManifestEntry| {
            let cache = FeatureCache {
                dir: dir.path(),
                params_text,
            };
            cache.key(entry, &settings).unwrap()
        };
        let base = key("p", &entry);
        assert_ne!(base, key("q", &entry));
        let relabelled = ManifestEntry {
            label: Some(2),
            ..entry.clone()
        };
        assert_ne!(base, key("p", &relabelled));
        let explicit_default = ManifestEntry {
            label: Some(settings.label),
            ..entry.clone()
        };
        assert_eq!(base, key("p", &explicit_default));
        let segment = ManifestEntry {
            segment: Some("s".into()),
            ..entry.clone()
        };
        assert_ne!(base, key("p", &segment));
    }
}
