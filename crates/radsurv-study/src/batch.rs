//! Feature extraction for every entry of a manifest, in parallel, optionally through a cache.
//!
//! One runner serves `radsurv extract --manifest`, the study and `radsurv predict` (and a
//! language binding): [`run`] takes entries, [`extract_manifest`] a manifest path. A failing
//! case never stops the batch: its typed [`CaseError`] is kept and the other cases go on.
//! Outcomes come back in manifest order; a callback sees each case as it finishes.

mod cache;

pub use cache::{sha256_hex, FeatureCache};

use crate::manifest::{read_manifest, ManifestEntry, ManifestError};
use radsurv_features::{Extractor, FeatureError, FeatureVector, Settings};
use radsurv_image::regions::{Image, MaskFile, Region, RegionMask};
use radsurv_image::ImageError;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why one case of a batch failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The image or mask could not be read.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// The features could not be extracted (ROI checks, resampling, settings).
    #[error(transparent)]
    Features(#[from] FeatureError),
    /// An input file could not be read to compute its cache key.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Where the parameter file a features CSV was extracted with is kept: beside it, as
/// `features.params.yaml` for `features.csv`. `predict` warns when it differs from a model's
/// parameters and `extract --resume` refuses to add rows of other parameters.
pub fn params_file_beside(features_csv: &Path) -> PathBuf {
    features_csv.with_extension("params.yaml")
}

/// The settings recorded beside a features CSV: `None` when nothing is recorded there.
///
/// # Errors
/// The recorded file cannot be read or is not a valid parameter file.
pub fn recorded_settings(features_csv: &Path) -> Result<Option<Settings>, FeatureError> {
    let path = params_file_beside(features_csv);
    if !path.exists() {
        return Ok(None);
    }
    Settings::from_params_file(&path).map(Some)
}

/// Whether two settings extract the same features (warnings about the files aside).
pub fn same_extraction(a: &Settings, b: &Settings) -> bool {
    let quiet = |s: &Settings| Settings {
        warnings: Vec::new(),
        ..s.clone()
    };
    quiet(a) == quiet(b)
}

/// Why a batch could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// More threads asked for than [`radsurv_image::limits::THREADS`] allows.
    #[error(transparent)]
    TooManyThreads(#[from] radsurv_image::limits::LimitExceeded),
    /// The worker threads could not be started.
    #[error("cannot start {jobs} extraction threads: {source}")]
    ThreadPool {
        /// Threads asked for.
        jobs: usize,
        /// Rayon's error.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// How a batch runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchOptions<'a> {
    /// Cases extracted at once; `None`: rayon's current pool.
    pub jobs: Option<usize>,
    /// Where finished cases are kept and looked up; `None`: always extract.
    pub cache: Option<FeatureCache<'a>>,
}

/// Features of one case in the form results, caches and bindings keep: names in extraction
/// order and values, `None` for a non-finite value.
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

impl CaseFeatures {
    /// The features of `entry`, non-finite values as `None`.
    pub fn new(entry: &ManifestEntry, features: &FeatureVector) -> Self {
        let (names, values) = features
            .iter()
            .map(|(n, v)| (n.clone(), v.is_finite().then_some(*v)))
            .unzip();
        CaseFeatures {
            case_id: entry.case_id.clone(),
            reader: entry.reader().to_string(),
            names,
            values,
        }
    }
}

/// The outcome of one manifest entry.
#[derive(Debug)]
pub struct CaseOutcome {
    /// The entry.
    pub entry: ManifestEntry,
    /// Features in extraction order, or why the case failed.
    pub result: Result<FeatureVector, CaseError>,
    /// True when served from the cache.
    pub cached: bool,
}

impl CaseOutcome {
    /// The features as [`CaseFeatures`], or the case's error.
    ///
    /// # Errors
    /// The case's [`CaseError`].
    pub fn case_features(&self) -> Result<CaseFeatures, &CaseError> {
        match &self.result {
            Ok(features) => Ok(CaseFeatures::new(&self.entry, features)),
            Err(e) => Err(e),
        }
    }
}

/// How far a batch has come when a case finishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchProgress {
    /// Cases finished, this one included.
    pub done: usize,
    /// Cases in the batch.
    pub total: usize,
}

/// Called once per finished case, from a worker thread.
pub type OnCase<'a> = &'a (dyn Fn(&CaseOutcome, BatchProgress) + Sync);

/// Reads the manifest at `path` and extracts every entry: see [`run`].
///
/// # Errors
/// [`BatchError`] when the manifest cannot be read or the threads cannot start.
pub fn extract_manifest(
    path: &Path,
    settings: &Settings,
    options: BatchOptions<'_>,
    on_case: OnCase<'_>,
) -> Result<Vec<CaseOutcome>, BatchError> {
    run(&read_manifest(path)?, settings, options, on_case)
}

/// Extracts every entry in parallel, using and filling the cache; outcomes in entry order.
///
/// # Errors
/// [`BatchError::ThreadPool`] when `options.jobs` threads cannot be started; a case's failure is
/// its outcome, not an error of the batch.
pub fn run(
    entries: &[ManifestEntry],
    settings: &Settings,
    options: BatchOptions<'_>,
    on_case: OnCase<'_>,
) -> Result<Vec<CaseOutcome>, BatchError> {
    let done = AtomicUsize::new(0);
    let total = entries.len();
    let all = || -> Vec<CaseOutcome> {
        entries
            .par_iter()
            .map(|entry| {
                let outcome = outcome(entry, settings, options.cache.as_ref());
                let done = done.fetch_add(1, Ordering::Relaxed) + 1;
                on_case(&outcome, BatchProgress { done, total });
                outcome
            })
            .collect()
    };
    match options.jobs {
        None => Ok(all()),
        Some(jobs) => {
            radsurv_image::limits::THREADS.check(jobs as f64, "--jobs")?;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.max(1))
                .build()
                .map_err(|source| BatchError::ThreadPool { jobs, source })?;
            Ok(pool.install(all))
        }
    }
}

fn outcome(
    entry: &ManifestEntry,
    settings: &Settings,
    cache: Option<&FeatureCache<'_>>,
) -> CaseOutcome {
    let finish = |result, cached| CaseOutcome {
        entry: entry.clone(),
        result,
        cached,
    };
    let Some(cache) = cache else {
        return finish(extract_entry(entry, settings), false);
    };
    let key = match cache.key(entry, settings) {
        Ok(key) => key,
        Err(e) => return finish(Err(e), false),
    };
    if let Some(hit) = cache.read(&key) {
        return finish(Ok(hit), true);
    }
    let result = extract_entry(entry, settings);
    if let Ok(features) = &result {
        cache.write(&key, &CaseFeatures::new(entry, features));
    }
    finish(result, false)
}

/// Extracts one entry: its image, its region's mask, and the label that marks the region.
///
/// Image and mask files are read at the same time (inflating a gzip volume is serial work);
/// an error of the image is reported before one of the mask, as if read one after the other.
///
/// # Errors
/// [`CaseError`] when a file cannot be read or the extractor rejects the case.
pub fn extract_entry(
    entry: &ManifestEntry,
    settings: &Settings,
) -> Result<FeatureVector, CaseError> {
    let (image, file) = rayon::join(|| Image::read(&entry.image), || MaskFile::open(&entry.mask));
    let image = image?;
    let mask = load_mask(entry, file?, &image, settings)?;
    let extractor = region_extractor(mask.label, settings)?;
    // the case's volumes are not needed afterwards: the extractor releases them early
    Ok(extractor.extract_owned(image.volume, mask.volume)?)
}

/// Extracts the features of one region mask of an image.
///
/// # Errors
/// [`CaseError::Features`] when the extractor rejects the case.
pub fn extract_region(
    image: &Image,
    mask: &RegionMask,
    settings: &Settings,
) -> Result<FeatureVector, CaseError> {
    let extractor = region_extractor(mask.label, settings)?;
    Ok(extractor.extract(&image.volume, &mask.volume)?)
}

/// The extractor for a region marked by `label`: the settings with that label.
fn region_extractor(label: i64, settings: &Settings) -> Result<Extractor, CaseError> {
    let label = u32::try_from(label).map_err(|_| ImageError::InvalidSetting {
        reason: format!("label {label} is not a non-negative 32-bit integer"),
    })?;
    Ok(if label == settings.label {
        Extractor::new(settings.clone())
    } else {
        Extractor::new(Settings {
            label,
            ..settings.clone()
        })
    })
}

/// The mask of an entry's region on the image grid, from its opened mask file: the named (or
/// only) segment or ROI of a `.seg.nrrd`, RTSTRUCT or SEG; for a label map the map itself with
/// the entry's label, else the settings' label.
///
/// # Errors
/// [`ImageError`] when the file cannot be read, has no such region, or does not fit the image.
pub fn load_mask(
    entry: &ManifestEntry,
    file: MaskFile,
    image: &Image,
    settings: &Settings,
) -> Result<RegionMask, ImageError> {
    if let MaskFile::LabelMap(volume) = file {
        if entry.segment.is_some() {
            return Err(ImageError::InvalidSetting {
                reason: "a label map has no named segments or ROIs: choose its region by label"
                    .into(),
            }
            .in_file(&entry.mask));
        }
        return Ok(RegionMask {
            volume,
            label: i64::from(effective_label(entry, settings)),
        });
    }
    if entry.label.is_some() {
        return Err(ImageError::InvalidSetting {
            reason: format!(
                "a label applies to label maps; this {} is chosen from by segment or ROI",
                file.format()
            ),
        }
        .in_file(&entry.mask));
    }
    let region = file.select(entry.segment.as_deref(), &entry.mask)?;
    file.mask(&region, image)
}

/// One entry per region of the entry's mask, for extracting every ROI of a case: a label map's
/// labels (by `label`), the segments or ROIs of a `.seg.nrrd`, RTSTRUCT or SEG (by `segment`:
/// the name, or the number when another region has the same name).
///
/// # Errors
/// [`ImageError`] when the mask cannot be read.
pub fn region_entries(entry: &ManifestEntry) -> Result<Vec<(Region, ManifestEntry)>, ImageError> {
    let file = MaskFile::open(&entry.mask)?;
    let regions = file.regions();
    let label_map = matches!(file, MaskFile::LabelMap(_));
    let unique = |name: &str| regions.iter().filter(|r| r.name == name).count() == 1;
    regions
        .iter()
        .map(|region| {
            let mut one = entry.clone();
            if label_map {
                one.label = Some(u32::try_from(region.number).map_err(|_| {
                    ImageError::InvalidSetting {
                        reason: format!("label {} is not a 32-bit label", region.number),
                    }
                    .in_file(&entry.mask)
                })?);
            } else {
                one.label = None;
                one.segment = Some(if unique(&region.name) {
                    region.name.clone()
                } else {
                    region.number.to_string()
                });
            }
            Ok((region.clone(), one))
        })
        .collect()
}

/// The label an entry is extracted with.
pub(crate) fn effective_label(entry: &ManifestEntry, settings: &Settings) -> u32 {
    entry.label.unwrap_or(settings.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_do_not_stop_the_batch_and_outcomes_keep_manifest_order() {
        let dir = tempfile::tempdir().unwrap();
        let image = radsurv_testdata::data_path("pyradiomics/images/lung1_image.nrrd");
        let mask = radsurv_testdata::data_path("pyradiomics/images/lung1_label.nrrd");
        let entries = vec![
            ManifestEntry::new("missing", dir.path().join("nothing.nrrd"), mask.clone()),
            ManifestEntry::new("lung1", image, mask),
        ];
        let settings =
            Settings::from_yaml_str("featureClass:\n  firstorder: [Mean]\n", "test").unwrap();
        let seen = AtomicUsize::new(0);
        let outcomes = run(&entries, &settings, BatchOptions::default(), &|_, p| {
            assert_eq!(p.total, 2);
            seen.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
        assert_eq!(seen.load(Ordering::Relaxed), 2);
        assert!(matches!(outcomes[0].result, Err(CaseError::Image(_))));
        let features = outcomes[1].case_features().unwrap();
        assert_eq!(features.names, ["original_firstorder_Mean"]);

        let cache = FeatureCache {
            dir: &dir.path().join("cache"),
            params_text: "firstorder Mean",
        };
        let options = BatchOptions {
            jobs: Some(1),
            cache: Some(cache),
        };
        let first = run(&entries, &settings, options, &|_, _| {}).unwrap();
        let second = run(&entries, &settings, options, &|_, _| {}).unwrap();
        assert!(!first[1].cached && second[1].cached && !second[0].cached);
        assert_eq!(
            second[1].result.as_ref().unwrap(),
            first[1].result.as_ref().unwrap()
        );
    }
}
