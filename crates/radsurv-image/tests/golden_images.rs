//! Every shared PyRadiomics test image reads exactly as SimpleITK reads it (`images/geometry.json`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: panics report failures

use std::collections::BTreeMap;

use radsurv_image::{label_counts, Volume};
use serde_json::Value;

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn check_file(name: &str, expected: &Value, volume: &Volume) {
    let g = volume.geometry();
    let size: Vec<f64> = g.size.iter().map(|&s| s as f64).collect();
    assert_eq!(size, f64s(&expected["size"]), "{name}: size");
    assert_eq!(
        g.spacing.to_vec(),
        f64s(&expected["spacing"]),
        "{name}: spacing"
    );
    assert_eq!(
        g.origin.to_vec(),
        f64s(&expected["origin"]),
        "{name}: origin"
    );
    let direction: Vec<f64> = g.direction.iter().flatten().copied().collect();
    assert_eq!(direction, f64s(&expected["direction"]), "{name}: direction");
    assert_eq!(
        volume.pixel_type().sitk_name(),
        expected["pixel_type"].as_str().unwrap(),
        "{name}"
    );
    let (min, max) = volume.value_range().unwrap();
    assert_eq!(min, expected["min"].as_f64().unwrap(), "{name}: min");
    assert_eq!(max, expected["max"].as_f64().unwrap(), "{name}: max");
    let sum: f64 = volume.to_f64().iter().sum();
    assert_eq!(sum, expected["sum"].as_f64().unwrap(), "{name}: sum");
    if let Some(labels) = expected.get("labels") {
        let want: BTreeMap<i64, usize> = labels
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.as_u64().unwrap() as usize))
            .collect();
        assert_eq!(label_counts(volume), want, "{name}: label counts");
    }
}

#[test]
fn every_shared_image_matches_simpleitk_geometry_json() {
    let dir = radsurv_testdata::data_path("pyradiomics/images");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("geometry.json")).unwrap()).unwrap();
    let files = json.as_object().unwrap();
    assert!(
        files.len() >= 8,
        "geometry.json lists {} files",
        files.len()
    );
    for (name, expected) in files {
        let volume = radsurv_image::read(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        check_file(name, expected, &volume);
    }
}
