//! PyRadiomics' image types: every value of `expected/features_filters.csv` (PyRadiomics 3.0.1,
//! three parameter files, four cases) reproduced within rel 1e-6 (abs 1e-9 near zero), with the
//! same feature names in the same order.
//!
//! Reference data: `testdata/pyradiomics/expected/features_filters.csv` (see its README).
#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use radsurv_features::{Extractor, Settings};
use radsurv_image::Volume;
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};
use std::collections::{BTreeMap, HashMap};

const TOLERANCE: Tolerance = Tolerance {
    rel: 1e-6,
    abs: 1e-9,
};

fn case_volumes(case: &str) -> (Volume, Volume) {
    let read = |kind: &str| {
        radsurv_image::read(data_path(&format!("pyradiomics/images/{case}_{kind}.nrrd"))).unwrap()
    };
    (read("image"), read("label"))
}

/// Expected `(feature, value)` rows per `(case, params)`, in file order.
fn expected() -> BTreeMap<(String, String), Vec<(String, f64)>> {
    let table = Table::read(&data_path("pyradiomics/expected/features_filters.csv"));
    let (case, params) = (table.col("case"), table.col("params"));
    let (feature, value) = (table.col("feature"), table.col("value"));
    let mut out: BTreeMap<(String, String), Vec<(String, f64)>> = BTreeMap::new();
    for row in &table.rows {
        out.entry((row[case].clone(), row[params].clone()))
            .or_default()
            .push((row[feature].clone(), parse_f64(&row[value])));
    }
    out
}

/// The image type of a feature name: its first component up to the class, with the LoG sigma
/// and wavelet band dropped (`log-sigma`, `wavelet`, `lbp-3D`).
fn image_family(feature: &str) -> String {
    let image = feature.split('_').next().unwrap_or(feature);
    match image {
        i if i.starts_with("log-sigma") => "log".into(),
        i if i.starts_with("wavelet") => "wavelet".into(),
        i if i.starts_with("lbp-3D") => "lbp-3D".into(),
        i => i.into(),
    }
}

/// Compares one parameter file on the given cases; returns failure lines and fills the worst
/// relative difference per image family.
fn compare_params(
    params: &str,
    cases: &[&str],
    worst: &mut BTreeMap<String, (f64, String)>,
    compared: &mut usize,
) -> Vec<String> {
    let expected = expected();
    let settings =
        Settings::from_params_file(&data_path(&format!("pyradiomics/params/{params}"))).unwrap();
    let extractor = Extractor::new(settings);
    let mut failures = Vec::new();
    for case in cases {
        let want = &expected[&(case.to_string(), params.to_string())];
        let (image, mask) = case_volumes(case);
        let ours = match extractor.extract(&image, &mask) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{case}/{params}: extraction failed: {e}"));
                continue;
            }
        };
        let names: Vec<&str> = ours.iter().map(|(k, _)| k.as_str()).collect();
        let theirs: Vec<&str> = want.iter().map(|(k, _)| k.as_str()).collect();
        if names != theirs {
            let missing: Vec<_> = theirs.iter().filter(|n| !names.contains(n)).collect();
            let extra: Vec<_> = names.iter().filter(|n| !theirs.contains(n)).collect();
            failures.push(format!(
                "{case}/{params}: names or order differ; missing {missing:?}, extra {extra:?}"
            ));
        }
        let ours: HashMap<&str, f64> = ours.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        for (name, value) in want {
            let Some(&got) = ours.get(name.as_str()) else {
                continue;
            };
            *compared += 1;
            let rel = (got - value).abs() / value.abs().max(f64::MIN_POSITIVE);
            let entry = worst.entry(image_family(name)).or_default();
            if (got - value).abs() > TOLERANCE.abs && rel > entry.0 {
                *entry = (rel, format!("{case} {name}"));
            }
            if !TOLERANCE.accepts(got, *value) {
                failures.push(format!(
                    "{case}/{params}: {name}: ours {got:e} vs PyRadiomics {value:e} (rel {rel:e})"
                ));
            }
        }
    }
    failures
}

fn assert_params_match(params: &str, cases: &[&str]) {
    let (mut worst, mut compared) = (BTreeMap::new(), 0);
    let failures = compare_params(params, cases, &mut worst, &mut compared);
    eprintln!("{params}: {compared} values compared");
    for (family, (rel, at)) in &worst {
        eprintln!("  {family}: worst rel diff {rel:e} ({at})");
    }
    assert!(
        failures.is_empty(),
        "{params}: {} mismatches:\n{}",
        failures.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}

const CASES: [&str; 4] = ["brain1", "breast1", "lung1", "prostate_phantom"];

#[test]
fn example_ct_profile_matches_pyradiomics() {
    assert_params_match("filters_exampleCT.yaml", &CASES);
}

#[test]
fn paper_profile_matches_pyradiomics() {
    assert_params_match("filters_paper.yaml", &CASES);
}

#[test]
fn default_profile_matches_pyradiomics() {
    assert_params_match("filters_default.yaml", &CASES);
}

/// Bit-identical filtered features whatever the rayon pool size.
#[test]
fn filtered_values_do_not_depend_on_the_thread_count() {
    let (image, mask) = case_volumes("breast1");
    let settings =
        Settings::from_params_file(&data_path("pyradiomics/params/filters_paper.yaml")).unwrap();
    let extractor = Extractor::new(settings);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| extractor.extract(&image, &mask).unwrap())
            .into_iter()
            .map(|(k, v)| (k, v.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(3));
}
