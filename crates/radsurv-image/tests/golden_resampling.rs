//! Resampling each shared case to 1 mm reproduces PyRadiomics' own resampled image and mask
//! (`pyradiomics/resampled_1mm/`) voxel for voxel: same grid, same values, same mask.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: panics report failures

use radsurv_image::resample::{resample_image_and_mask, ResampleSettings};
use radsurv_image::{Mask, Volume};
use serde_json::Value;

fn read(dir: &std::path::Path, name: &str) -> Volume {
    radsurv_image::read(dir.join(name)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_case_matches_pyradiomics_resampled_1mm() {
    let images = radsurv_testdata::data_path("pyradiomics/images");
    let expected_dir = radsurv_testdata::data_path("pyradiomics/resampled_1mm");
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(expected_dir.join("resampled_meta.json")).unwrap(),
    )
    .unwrap();
    let cases = meta.as_object().unwrap();
    assert_eq!(cases.len(), 4);
    for (case, case_meta) in cases {
        let image = read(&images, &format!("{case}_image.nrrd"));
        let mask = read(&images, &format!("{case}_label.nrrd"));
        let (ours_image, ours_mask) =
            resample_image_and_mask(&image, &mask, &ResampleSettings::default()).unwrap();
        let want_image = read(&expected_dir, &format!("{case}_image_1mm.nrrd"));
        let want_mask = read(&expected_dir, &format!("{case}_mask_1mm.nrrd"));
        assert_eq!(
            ours_image.geometry(),
            want_image.geometry(),
            "{case}: image grid"
        );
        assert_eq!(
            ours_image.pixel_type(),
            want_image.pixel_type(),
            "{case}: pixel type"
        );
        let (a, b) = (ours_image.to_f64(), want_image.to_f64());
        let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        let worst = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        assert_eq!(
            differing,
            0,
            "{case}: {differing} of {} voxels differ, worst by {worst}",
            a.len()
        );
        assert_eq!(
            ours_mask.geometry(),
            want_mask.geometry(),
            "{case}: mask grid"
        );
        assert_eq!(
            ours_mask.data(),
            want_mask.data(),
            "{case}: mask values and pixel type"
        );
        let roi = Mask::from_volume(&ours_mask, 1).unwrap();
        assert_eq!(
            roi.count() as u64,
            case_meta["roi_voxels"].as_u64().unwrap(),
            "{case}"
        );
        let bb = roi.bounding_box();
        let lu: Vec<u64> = (0..3)
            .flat_map(|a| [bb.lower[a] as u64, bb.upper[a] as u64])
            .collect();
        let want: Vec<u64> = case_meta["bbox_LU_xyz"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(lu, want, "{case}: bounding box");
    }
}
