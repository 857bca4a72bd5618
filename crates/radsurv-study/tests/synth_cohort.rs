//! The synthetic cohort is what it claims (issue 5): byte-identical for a seed whatever the thread
//! count, Table 1's proportions, the planted survival, and valid image/mask pairs.
#![allow(clippy::expect_used)] // test helpers outside #[test] functions may panic on setup errors

use radsurv_image::{check_geometry, PixelType};
use radsurv_stats::km::{kaplan_meier, KmOptions};
use radsurv_stats::SurvData;
use radsurv_study::synth::{generate, SynthConfig};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The default cohort (168 patients, default seed), generated once per test run.
fn default_cohort() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("synth_cohort_default");
        generate(&SynthConfig::default(), &dir).expect("default cohort generates");
        dir
    })
}

/// `clinical.csv` (or any CSV) as rows of column → value.
fn read_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("csv opens");
    reader
        .deserialize()
        .map(|row| row.expect("csv row parses"))
        .collect()
}

/// SHA-256 of every file under `root`, keyed by relative path.
fn hash_tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("dir lists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let digest = Sha256::digest(std::fs::read(&path).expect("file reads"));
                let relative = path
                    .strip_prefix(root)
                    .expect("under root")
                    .display()
                    .to_string();
                out.insert(relative, format!("{digest:x}"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn generate_with_threads(
    config: &SynthConfig,
    threads: usize,
) -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| generate(config, dir.path()))
        .expect("cohort generates");
    let hashes = hash_tree(dir.path());
    (dir, hashes)
}

#[test]
fn same_seed_gives_identical_files_whatever_the_thread_count() {
    let config = SynthConfig {
        patients: 9,
        reader_b_patients: 3,
        ..SynthConfig::default()
    };
    let (_one, single) = generate_with_threads(&config, 1);
    let (_three, multi) = generate_with_threads(&config, 3);
    // 9 images + 9 reader A + 3 reader B masks + clinical, manifest, truth.
    assert_eq!(single.len(), 24, "{:?}", single.keys());
    assert_eq!(single, multi);

    let other_seed = SynthConfig {
        seed: config.seed + 1,
        ..config
    };
    let (_other, different) = generate_with_threads(&other_seed, 2);
    assert_ne!(single["clinical.csv"], different["clinical.csv"]);
    assert_ne!(
        single["images/P001.nii.gz"],
        different["images/P001.nii.gz"]
    );
}

#[test]
fn zero_patients_is_a_typed_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SynthConfig {
        patients: 0,
        ..SynthConfig::default()
    };
    let err = generate(&config, dir.path()).expect_err("no cohort without patients");
    assert!(err.to_string().contains("patients"), "{err}");
}

/// Share of rows whose `column` equals `value`.
fn share(rows: &[BTreeMap<String, String>], column: &str, value: &str) -> f64 {
    rows.iter().filter(|r| r[column] == value).count() as f64 / rows.len() as f64
}

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[test]
fn table1_proportions_match_the_seed() {
    let rows = read_rows(&default_cohort().join("clinical.csv"));
    assert_eq!(rows.len(), 168);
    // (column, level, share in the seed's Table 1, overall column)
    let expected = [
        ("gender", "male", 141.0 / 168.0),
        ("afp_ge400", "1", 59.0 / 168.0),
        ("tbil_ge17", "1", 63.0 / 168.0),
        ("hbv", "1", 129.0 / 168.0),
        ("tumour_number_ge3", "1", 113.0 / 168.0),
        ("morphology", "circular", 96.0 / 168.0),
        ("morphology", "irregular", 44.0 / 168.0),
        ("morphology", "peritumoral_enhancement", 28.0 / 168.0),
        ("bclc", "B", 119.0 / 168.0),
        ("child_pugh", "B", 23.0 / 168.0),
        ("tace_type", "DEB-TACE", 33.0 / 168.0),
    ];
    for (column, level, seed_share) in expected {
        let ours = share(&rows, column, level);
        assert!(
            (ours - seed_share).abs() <= 0.03,
            "{column} = {level}: {ours:.3} vs seed {seed_share:.3}"
        );
    }

    let ages: Vec<f64> = rows.iter().map(|r| r["age"].parse().unwrap()).collect();
    let mean = ages.iter().sum::<f64>() / ages.len() as f64;
    let sd =
        (ages.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (ages.len() - 1) as f64).sqrt();
    assert!((mean - 56.06).abs() < 2.5, "age mean {mean:.2} vs 56.06");
    assert!((sd - 12.59).abs() < 2.5, "age SD {sd:.2} vs 12.59");
    assert!(ages.iter().all(|a| (18.0..=75.0).contains(a)));

    let mut diameters: Vec<f64> = rows
        .iter()
        .map(|r| r["tl_diameter_cm"].parse().unwrap())
        .collect();
    diameters.sort_by(f64::total_cmp);
    let (q1, median, q3) = (
        quantile(&diameters, 0.25),
        quantile(&diameters, 0.5),
        quantile(&diameters, 0.75),
    );
    assert!(
        (median - 4.9).abs() <= 0.3,
        "diameter median {median} vs 4.9"
    );
    assert!(
        (q1 - 4.2).abs() <= 0.3 && (q3 - 5.5).abs() <= 0.3,
        "diameter IQR {q1}–{q3} vs 4.2–5.5"
    );

    let training = rows
        .iter()
        .filter(|r| r["tace_date"].as_str() < "2019-01-01")
        .count();
    assert!(
        (109..=115).contains(&training),
        "{training} training patients vs the seed's 112"
    );
    assert!(rows
        .iter()
        .all(|r| ("2016-01-01".."2024-01-01").contains(&r["tace_date"].as_str())));

    for r in &rows {
        let count: u32 = r["tumour_count"].parse().unwrap();
        assert_eq!(r["tumour_number_ge3"] == "1", count >= 3, "{}", r["id"]);
        let largest: f64 = r["largest_diameter_cm"].parse().unwrap();
        let target: f64 = r["tl_diameter_cm"].parse().unwrap();
        assert!(largest >= target, "{}", r["id"]);
    }
}

#[test]
fn bclc_stage_follows_tumour_burden_without_copying_tumour_number() {
    let rows = read_rows(&default_cohort().join("clinical.csv"));
    let stage_b_share = |multinodular: bool| {
        let group: Vec<_> = rows
            .iter()
            .filter(|r| (r["tumour_number_ge3"] == "1") == multinodular)
            .collect();
        group.iter().filter(|r| r["bclc"] == "B").count() as f64 / group.len() as f64
    };
    let (with, without) = (stage_b_share(true), stage_b_share(false));
    assert!(
        with > without + 0.05,
        "stage B in {with:.2} of patients with ≥ 3 tumours, {without:.2} of the others"
    );
    assert!(
        with < 0.95 && without > 0.3,
        "stage is nearly a copy of tumour number: {with:.2} vs {without:.2}"
    );
}

#[test]
fn survival_has_median_near_25_months_and_77_percent_events() {
    let rows = read_rows(&default_cohort().join("clinical.csv"));
    let time: Vec<f64> = rows
        .iter()
        .map(|r| r["os_months"].parse().unwrap())
        .collect();
    let status: Vec<f64> = rows
        .iter()
        .map(|r| r["os_event"].parse().unwrap())
        .collect();
    let data = SurvData::new(&time, &status, "os_months", "os_event").expect("valid survival data");
    let km = kaplan_meier(&data, &KmOptions::default());
    let median = km.median().estimate;
    assert!(
        (21.0..=29.0).contains(&median),
        "KM median OS {median:.1} months vs the seed's 25.0"
    );
    let event_fraction = data.events() as f64 / data.len() as f64;
    assert!(
        (0.73..=0.81).contains(&event_fraction),
        "event fraction {event_fraction:.3}"
    );
    assert!(time.iter().all(|&t| t > 0.0));
}

#[test]
fn every_case_has_an_int16_image_and_label1_masks_on_its_grid() {
    let root = default_cohort();
    let manifest = read_rows(&root.join("manifest.csv"));
    assert_eq!(manifest.iter().filter(|r| r["reader"] == "A").count(), 168);
    assert_eq!(manifest.iter().filter(|r| r["reader"] == "B").count(), 40);
    for row in &manifest {
        let image = radsurv_image::nifti::read(root.join(&row["image"])).expect("image reads");
        let mask = radsurv_image::nifti::read(root.join(&row["mask"])).expect("mask reads");
        let case = format!("{} reader {}", row["case_id"], row["reader"]);
        assert_eq!(image.pixel_type(), PixelType::I16, "{case}");
        assert_eq!(mask.pixel_type(), PixelType::U8, "{case}");
        let g = image.geometry();
        assert!(
            g.size[0] <= 160 && g.size[1] <= 160 && g.size[2] <= 30,
            "{case}: size {:?}",
            g.size
        );
        // NIfTI stores spacing as f32: 0.8 mm reads back as 0.800000012.
        assert!(
            (0.6 - 1e-6..=0.8 + 1e-6).contains(&g.spacing[0]) && (g.spacing[2] - 5.0).abs() < 1e-6,
            "{case}: spacing {:?}",
            g.spacing
        );
        check_geometry(g, mask.geometry(), 1e-6).unwrap_or_else(|e| panic!("{case}: {e}"));
        let values = mask.to_f64();
        assert!(
            values.iter().all(|&v| v == 0.0 || v == 1.0),
            "{case}: labels other than 0/1"
        );
        assert!(values.contains(&1.0), "{case}: empty mask");
        let (lo, hi) = image.value_range().expect("non-empty image");
        assert!(
            (-1024.0..).contains(&lo) && (200.0..=3071.0).contains(&hi),
            "{case}: HU range {lo}..{hi}"
        );
    }
}
