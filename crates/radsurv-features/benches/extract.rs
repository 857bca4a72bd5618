//! Criterion benches of the extraction stages on the shared PyRadiomics cases:
//! `cargo bench -p radsurv-features --bench extract`. The whole-process comparison with
//! PyRadiomics is `scripts/bench_extract_vs_pyradiomics.sh`.
//! * `read/<case>`: image and label NRRD (gzip inflate dominates on lung1);
//! * `resample/<case>`: the paper's 1 mm B-spline resampling (prefilter and interpolation);
//! * `features/<case>`: the 107 default features on PyRadiomics' own 1 mm image and mask, so
//!   the feature classes alone.
#![allow(clippy::unwrap_used, missing_docs)] // bench setup: a failure should panic with the cause

use criterion::{criterion_group, criterion_main, Criterion};
use radsurv_features::{Extractor, Settings};
use radsurv_image::resample::{resample_image_and_mask, ResampleSettings};
use radsurv_image::Volume;
use radsurv_testdata::data_path;

const CASES: [&str; 4] = ["brain1", "breast1", "lung1", "prostate_phantom"];

fn read(relative: &str) -> Volume {
    radsurv_image::read(data_path(relative)).unwrap()
}

fn stages(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    group.sample_size(10);
    for case in CASES {
        let image_path = data_path(&format!("pyradiomics/images/{case}_image.nrrd"));
        let mask_path = data_path(&format!("pyradiomics/images/{case}_label.nrrd"));
        group.bench_function(format!("read/{case}"), |b| {
            b.iter(|| {
                let image = radsurv_image::read(&image_path).unwrap();
                let mask = radsurv_image::read(&mask_path).unwrap();
                (image, mask)
            })
        });
        let (image, mask) = (
            read(&format!("pyradiomics/images/{case}_image.nrrd")),
            read(&format!("pyradiomics/images/{case}_label.nrrd")),
        );
        let settings = ResampleSettings::default();
        group.bench_function(format!("resample/{case}"), |b| {
            b.iter(|| resample_image_and_mask(&image, &mask, &settings).unwrap())
        });
        let image_1mm = read(&format!("pyradiomics/resampled_1mm/{case}_image_1mm.nrrd"));
        let mask_1mm = read(&format!("pyradiomics/resampled_1mm/{case}_mask_1mm.nrrd"));
        let extractor = Extractor::new(Settings::default());
        group.bench_function(format!("features/{case}"), |b| {
            b.iter(|| extractor.extract(&image_1mm, &mask_1mm).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
