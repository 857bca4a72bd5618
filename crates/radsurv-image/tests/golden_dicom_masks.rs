//! RTSTRUCT and DICOM-SEG masks equal the reference masks voxel for voxel, on the CT grid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use radsurv_image::{dicom, dicom_seg, nrrd, rtstruct, Volume};
use radsurv_testdata::data_path;

fn ct(patient: &str) -> (Volume, dicom::SeriesReference) {
    dicom::read_series_with_reference(data_path(&format!("dicom/{patient}/ct")), None).unwrap()
}

fn reference(patient: &str, file: &str) -> Volume {
    nrrd::read(data_path(&format!("dicom/{patient}/{file}"))).unwrap()
}

fn assert_same_mask(actual: &Volume, expected: &Volume, what: &str) {
    assert_eq!(actual.geometry().size, expected.geometry().size, "{what}");
    radsurv_image::check_geometry(expected.geometry(), actual.geometry(), 1e-6)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let differing = (0..expected.geometry().voxel_count())
        .filter(|&v| (actual.data().get_f64(v) != 0.0) != (expected.data().get_f64(v) != 0.0))
        .count();
    assert_eq!(differing, 0, "{what}: {differing} voxels differ");
}

#[test]
fn rtstruct_rasterises_to_the_reference_mask() {
    for patient in ["STS_019", "STS_042"] {
        let (image, series) = ct(patient);
        let set = rtstruct::read(data_path(&format!("dicom/{patient}/rtstruct.dcm"))).unwrap();
        set.check_reference(&series).unwrap();
        assert_eq!(set.rois.len(), 1);
        let mask = set.rasterise(&set.rois[0], image.geometry()).unwrap();
        assert_same_mask(&mask, &reference(patient, "reference_mask.nrrd"), patient);
    }
}

#[test]
fn seg_frames_place_to_the_reference_masks() {
    let cases = [
        ("STS_019", "seg.dcm", 1, "reference_mask.nrrd"),
        ("STS_042", "seg.dcm", 1, "reference_mask.nrrd"),
        ("STS_019", "seg_fractional.dcm", 1, "reference_mask.nrrd"),
        ("STS_019", "seg_two_segments.dcm", 1, "reference_mask.nrrd"),
        (
            "STS_019",
            "seg_two_segments.dcm",
            2,
            "reference_mask_core.nrrd",
        ),
    ];
    for (patient, file, segment, expected) in cases {
        let (image, series) = ct(patient);
        let seg = dicom_seg::read(data_path(&format!("dicom/{patient}/{file}"))).unwrap();
        seg.check_reference(&series).unwrap();
        let mask = seg.mask(segment, image.geometry()).unwrap();
        let what = format!("{patient} {file} segment {segment}");
        assert_same_mask(&mask, &reference(patient, expected), &what);
    }
}
