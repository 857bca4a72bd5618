//! The five texture classes against PyRadiomics on every shared case: the default profile
//! (`shared/data/pyradiomics/expected/features_default.csv`: no resampling, bin width 25,
//! label 1) and the upstream baselines that need no other preprocessing
//! (`baseline_configs.csv`: `combined`, `flatRegion`).
//!
//! The ROI is prepared here as PyRadiomics does for these profiles: mask = label 1 (optionally
//! re-segmented by a lower bound), crop to its bounding box, bin
//! $= \lfloor x/W \rfloor - \lfloor \min/W \rfloor + 1$.
#![allow(clippy::unwrap_used)] // test helpers: a panic names the broken reference file

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use radsurv_features::roi::{DiscretisedRoi, FeatureName, TextureSettings};
use radsurv_features::{glcm, gldm, glrlm, glszm, ngtdm};
use radsurv_testdata::{data_path, Table, Tolerance};

/// A texture class: PyRadiomics key prefix, feature list and compute function.
type Class = (
    &'static str,
    &'static [FeatureName],
    fn(&DiscretisedRoi, &TextureSettings) -> Vec<f64>,
);

const CLASSES: [Class; 5] = [
    ("glcm", glcm::FEATURES, glcm::compute),
    ("gldm", gldm::FEATURES, gldm::compute),
    ("glrlm", glrlm::FEATURES, glrlm::compute),
    ("glszm", glszm::FEATURES, glszm::compute),
    ("ngtdm", ngtdm::FEATURES, ngtdm::compute),
];

/// A gzip-encoded little-endian NRRD volume: `(sizes [nx, ny, nz], spacing [sx, sy, sz], voxels)`.
fn read_nrrd(path: &Path) -> ([usize; 3], [f64; 3], Vec<f64>) {
    let bytes = std::fs::read(path).unwrap();
    let split = bytes.windows(2).position(|w| w == b"\n\n").unwrap();
    let header = std::str::from_utf8(&bytes[..split]).unwrap();
    let field = |key: &str| {
        header
            .lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")))
            .unwrap_or_else(|| panic!("{}: no {key}", path.display()))
    };
    assert_eq!(field("encoding"), "gzip");
    assert_eq!(field("endian"), "little");
    let sizes: Vec<usize> = field("sizes")
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    let directions: Vec<Vec<f64>> = field("space directions")
        .split_whitespace()
        .map(|v| {
            v.trim_matches(|c| c == '(' || c == ')')
                .split(',')
                .map(|c| c.parse().unwrap())
                .collect()
        })
        .collect();
    let spacing = [0, 1, 2].map(|a| directions[a].iter().map(|c| c * c).sum::<f64>().sqrt());
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&bytes[split + 2..])
        .read_to_end(&mut raw)
        .unwrap();
    let voxels: Vec<f64> = match field("type") {
        "short" => raw
            .chunks_exact(2)
            .map(|b| f64::from(i16::from_le_bytes([b[0], b[1]])))
            .collect(),
        "unsigned short" => raw
            .chunks_exact(2)
            .map(|b| f64::from(u16::from_le_bytes([b[0], b[1]])))
            .collect(),
        "int" => raw
            .chunks_exact(4)
            .map(|b| f64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            .collect(),
        other => panic!("{}: unsupported type {other}", path.display()),
    };
    assert_eq!(voxels.len(), sizes.iter().product::<usize>());
    ([sizes[0], sizes[1], sizes[2]], spacing, voxels)
}

/// How a test prepares the ROI of a shared case (the PyRadiomics settings that matter here).
#[derive(Clone, Copy)]
struct Profile {
    bin_width: f64,
    /// `resegmentRange: [low]` in absolute mode: ROI voxels below `low` leave the mask.
    resegment_low: Option<f64>,
}

const DEFAULT_PROFILE: Profile = Profile {
    bin_width: 25.0,
    resegment_low: None,
};

/// The ROI of a shared case: label 1 (re-segmented if asked), bounding-box crop, fixed bin width.
fn roi(case: &str, profile: Profile) -> DiscretisedRoi {
    let (size, spacing, image) =
        read_nrrd(&data_path(&format!("pyradiomics/images/{case}_image.nrrd")));
    let (_, _, label) = read_nrrd(&data_path(&format!("pyradiomics/images/{case}_label.nrrd")));
    let [nx, ny, _] = size;
    let inside =
        |i: usize| label[i] == 1.0 && profile.resegment_low.map_or(true, |low| image[i] >= low);
    let (mut lo, mut hi) = ([usize::MAX; 3], [0usize; 3]);
    for i in (0..label.len()).filter(|&i| inside(i)) {
        let zyx = [i / (nx * ny), (i / nx) % ny, i % nx];
        for a in 0..3 {
            lo[a] = lo[a].min(zyx[a]);
            hi[a] = hi[a].max(zyx[a]);
        }
    }
    let dims = [0, 1, 2].map(|a| hi[a] - lo[a] + 1);
    let mut values = Vec::new();
    let mut mask = Vec::new();
    for z in lo[0]..=hi[0] {
        for y in lo[1]..=hi[1] {
            for x in lo[2]..=hi[2] {
                let i = x + nx * (y + ny * z);
                values.push(image[i]);
                mask.push(inside(i));
            }
        }
    }
    let min = values
        .iter()
        .zip(&mask)
        .filter(|(_, &m)| m)
        .map(|(&v, _)| v)
        .fold(f64::INFINITY, f64::min);
    let first_bin = (min / profile.bin_width).floor();
    let levels = values
        .iter()
        .zip(&mask)
        .map(|(&v, &m)| {
            if m {
                ((v / profile.bin_width).floor() - first_bin + 1.0) as u32
            } else {
                0
            }
        })
        .collect();
    DiscretisedRoi {
        dims,
        levels,
        mask,
        spacing: [spacing[2], spacing[1], spacing[0]],
    }
}

/// Reference values `case -> feature key -> value` of one configuration.
type Reference = BTreeMap<String, BTreeMap<String, f64>>;

/// `features_default.csv`.
fn default_reference() -> Reference {
    let table = Table::read(&data_path("pyradiomics/expected/features_default.csv"));
    let mut out = Reference::new();
    for r in table.records() {
        out.entry(r["case"].to_string()).or_default().insert(
            r["feature"].to_string(),
            radsurv_testdata::parse_f64(r["value"]),
        );
    }
    out
}

/// One configuration of `baseline_configs.csv`.
fn baseline_reference(config: &str) -> Reference {
    let table = Table::read(&data_path("pyradiomics/expected/baseline_configs.csv"));
    let mut out = Reference::new();
    for r in table
        .records()
        .into_iter()
        .filter(|r| r["config"] == config)
    {
        out.entry(r["case"].to_string()).or_default().insert(
            r["feature"].to_string(),
            radsurv_testdata::parse_f64(r["value"]),
        );
    }
    out
}

/// Compares every non-deprecated texture feature of every case with `reference`, printing the
/// worst relative difference per class; returns the number of values compared. Classes absent
/// from a baseline are skipped (the upstream `combined` baseline holds only GLCM and GLRLM).
fn check(
    label: &str,
    reference: &Reference,
    profile: Profile,
    settings: &TextureSettings,
) -> usize {
    let tolerance = Tolerance::new(1e-6, 1e-9);
    let mut worst: BTreeMap<&str, (f64, String)> = BTreeMap::new();
    let mut compared = 0;
    for (case, expected) in reference {
        let roi = roi(case, profile);
        for (class, features, compute) in CLASSES {
            let values = compute(&roi, settings);
            assert_eq!(values.len(), features.len());
            let ours: BTreeMap<String, f64> = features
                .iter()
                .zip(&values)
                .filter(|(f, _)| !f.deprecated)
                .map(|(f, &v)| (format!("original_{class}_{}", f.name), v))
                .collect();
            let theirs: BTreeMap<&String, f64> = expected
                .iter()
                .filter(|(k, _)| k.starts_with(&format!("original_{class}_")))
                .map(|(k, &v)| (k, v))
                .collect();
            if theirs.is_empty() {
                continue; // the upstream baseline of this configuration omits the class
            }
            assert_eq!(
                ours.keys().collect::<Vec<_>>(),
                theirs.keys().copied().collect::<Vec<_>>(),
                "{label} {case} {class}: feature set differs from the reference"
            );
            for (key, &value) in &ours {
                let expected = theirs[key];
                tolerance.check(&format!("{label} {case} {key}"), value, expected);
                let rel = (value - expected).abs() / expected.abs().max(1e-300);
                let entry = worst.entry(class).or_insert((0.0, String::new()));
                if rel > entry.0 {
                    *entry = (rel, format!("{case} {key}"));
                }
                compared += 1;
            }
        }
    }
    for (class, (rel, at)) in &worst {
        eprintln!("{label} {class}: worst relative difference {rel:.2e} ({at})");
    }
    eprintln!("{label}: {compared} values compared");
    compared
}

/// Texture features per case: GLCM 24, GLDM 14, GLRLM 16, GLSZM 16, NGTDM 5.
const TEXTURE_FEATURES: usize = 24 + 14 + 16 + 16 + 5;

#[test]
fn texture_classes_match_pyradiomics_default_profile() {
    let reference = default_reference();
    let n = check(
        "default",
        &reference,
        DEFAULT_PROFILE,
        &TextureSettings::default(),
    );
    assert_eq!(n, 4 * TEXTURE_FEATURES);
}

/// Upstream `_combined` baseline: `weightingNorm: no_weighting` (angles summed before features).
#[test]
fn texture_classes_match_pyradiomics_combined_weighting() {
    let reference = baseline_reference("combined");
    let settings = TextureSettings {
        weighting_norm: Some("no_weighting".into()),
        ..Default::default()
    };
    let n = check("combined", &reference, DEFAULT_PROFILE, &settings);
    assert_eq!(n, reference.len() * (24 + 16));
}

/// Upstream `_flatRegion` baseline: bin width 5000 and `resegmentRange: [0]` give one grey level.
#[test]
fn texture_classes_match_pyradiomics_flat_region() {
    let reference = baseline_reference("flatRegion");
    let profile = Profile {
        bin_width: 5000.0,
        resegment_low: Some(0.0),
    };
    let n = check(
        "flatRegion",
        &reference,
        profile,
        &TextureSettings::default(),
    );
    assert_eq!(n, reference.len() * TEXTURE_FEATURES);
}

/// Wall time of each class on lung1 (median of 21 runs); informative only, run with
/// `cargo test --release -p radsurv-features --test texture_golden -- --ignored --nocapture`.
#[test]
#[ignore]
fn texture_class_timing_on_lung1() {
    let roi = roi("lung1", DEFAULT_PROFILE);
    eprintln!(
        "lung1 box {:?}, {} ROI voxels, {} levels",
        roi.dims,
        roi.voxel_count(),
        roi.max_level()
    );
    for (class, _, compute) in CLASSES {
        let mut times: Vec<f64> = (0..21)
            .map(|_| {
                let start = std::time::Instant::now();
                std::hint::black_box(compute(
                    std::hint::black_box(&roi),
                    &TextureSettings::default(),
                ));
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        eprintln!("{class}: {:.3} ms", times[times.len() / 2]);
    }
}
