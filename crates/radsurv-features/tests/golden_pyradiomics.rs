//! Every value PyRadiomics computed for the shared cases, reproduced within rel 1e-6 (abs 1e-9 near
//! zero), plus completeness (our feature list equals PyRadiomics', both ways) and determinism.
//!
//! Reference data: `testdata/pyradiomics/expected/` (see its README).
#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use radsurv_features::{Extractor, FeatureVector, Settings};
use radsurv_image::Volume;
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};
use std::collections::{BTreeMap, HashMap};

const TOLERANCE: Tolerance = Tolerance {
    rel: 1e-6,
    abs: 1e-9,
};

/// Image and mask of a shared case.
fn case_volumes(case: &str) -> (Volume, Volume) {
    let image =
        radsurv_image::read(data_path(&format!("pyradiomics/images/{case}_image.nrrd"))).unwrap();
    let mask =
        radsurv_image::read(data_path(&format!("pyradiomics/images/{case}_label.nrrd"))).unwrap();
    (image, mask)
}

fn params(file: &str) -> Settings {
    Settings::from_params_file(&data_path(&format!("pyradiomics/params/{file}"))).unwrap()
}

/// Expected `(feature, value)` rows per key column value(s), in file order.
fn expected_by(table: &Table, key_cols: &[&str]) -> BTreeMap<Vec<String>, Vec<(String, f64)>> {
    let keys: Vec<usize> = key_cols.iter().map(|c| table.col(c)).collect();
    let (feature, value) = (table.col("feature"), table.col("value"));
    let mut out: BTreeMap<Vec<String>, Vec<(String, f64)>> = BTreeMap::new();
    for row in &table.rows {
        let key = keys.iter().map(|&k| row[k].clone()).collect();
        out.entry(key)
            .or_default()
            .push((row[feature].clone(), parse_f64(&row[value])));
    }
    out
}

/// Compares every expected value; returns failure lines, and counts compared values and the
/// worst relative difference into `stats`.
fn compare(
    context: &str,
    ours: &FeatureVector,
    expected: &[(String, f64)],
    stats: &mut Stats,
) -> Vec<String> {
    let ours: HashMap<&str, f64> = ours.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let mut failures = Vec::new();
    for (name, want) in expected {
        let Some(&got) = ours.get(name.as_str()) else {
            failures.push(format!("{context}: {name} missing from our output"));
            continue;
        };
        stats.compared += 1;
        let rel = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
        if (got - want).abs() > TOLERANCE.abs && rel > stats.worst.0 {
            stats.worst = (rel, format!("{context} {name}"));
        }
        if !TOLERANCE.accepts(got, *want) {
            failures.push(format!(
                "{context}: {name}: ours {got:e} vs PyRadiomics {want:e} (rel diff {rel:e})"
            ));
        }
    }
    failures
}

#[derive(Default)]
struct Stats {
    compared: usize,
    worst: (f64, String),
}

fn assert_no_failures(label: &str, failures: Vec<String>, stats: &Stats) {
    eprintln!(
        "{label}: {} values compared, worst rel diff {:e} ({})",
        stats.compared, stats.worst.0, stats.worst.1
    );
    assert!(
        failures.is_empty(),
        "{label}: {} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn profile_matches(expected_file: &str, settings: &Settings) {
    let table = Table::read(&data_path(&format!("pyradiomics/expected/{expected_file}")));
    let extractor = Extractor::new(settings.clone());
    let (mut failures, mut stats) = (Vec::new(), Stats::default());
    for (key, expected) in expected_by(&table, &["case"]) {
        let (image, mask) = case_volumes(&key[0]);
        match extractor.extract(&image, &mask) {
            Ok(ours) => failures.extend(compare(&key[0], &ours, &expected, &mut stats)),
            Err(e) => failures.push(format!("{}: extraction failed: {e}", key[0])),
        }
    }
    assert_no_failures(expected_file, failures, &stats);
}

#[test]
fn default_profile_matches_pyradiomics() {
    profile_matches("features_default.csv", &Settings::default());
}

#[test]
fn resampled_1mm_profile_matches_pyradiomics() {
    profile_matches(
        "features_resampled1mm_bw25.csv",
        &params("resampled1mm_bw25.yaml"),
    );
}

#[test]
fn every_baseline_configuration_matches_pyradiomics() {
    let table = Table::read(&data_path("pyradiomics/expected/baseline_configs.csv"));
    let (mut failures, mut stats) = (Vec::new(), Stats::default());
    let mut volumes: HashMap<String, (Volume, Volume)> = HashMap::new();
    for (key, expected) in expected_by(&table, &["case", "config", "params"]) {
        let (case, params_file) = (&key[0], &key[2]);
        let (image, mask) = volumes
            .entry(case.clone())
            .or_insert_with(|| case_volumes(case));
        let context = format!("{case}/{}", key[1]);
        match Extractor::new(params(params_file)).extract(image, mask) {
            Ok(ours) => failures.extend(compare(&context, &ours, &expected, &mut stats)),
            Err(e) => failures.push(format!("{context}: extraction failed: {e}")),
        }
    }
    assert_no_failures("baseline_configs.csv", failures, &stats);
}

/// Our default feature list equals PyRadiomics' for every case, in both directions and in order.
#[test]
fn feature_list_is_complete_both_ways() {
    let table = Table::read(&data_path("pyradiomics/expected/features_default.csv"));
    let ours = Settings::default().feature_keys();
    for (key, expected) in expected_by(&table, &["case"]) {
        let theirs: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
        let missing: Vec<&&str> = theirs
            .iter()
            .filter(|n| !ours.iter().any(|o| o == *n))
            .collect();
        let extra: Vec<&String> = ours
            .iter()
            .filter(|o| !theirs.contains(&o.as_str()))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, extra {extra:?}",
            key[0]
        );
        assert_eq!(
            ours, theirs,
            "{}: output order differs from PyRadiomics'",
            key[0]
        );
    }
}

/// Bit-identical values across runs and rayon pool sizes.
#[test]
fn values_are_identical_across_runs_and_thread_counts() {
    let (image, mask) = case_volumes("breast1");
    let extractor = Extractor::new(params("resampled1mm_bw25.yaml"));
    let bits = |v: FeatureVector| {
        v.into_iter()
            .map(|(k, x)| (k, x.to_bits()))
            .collect::<Vec<_>>()
    };
    let first = bits(extractor.extract(&image, &mask).unwrap());
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let again = pool.install(|| bits(extractor.extract(&image, &mask).unwrap()));
        assert_eq!(first, again, "{threads} threads");
    }
}
