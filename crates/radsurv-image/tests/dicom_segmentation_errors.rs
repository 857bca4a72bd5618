//! Small crafted RTSTRUCT and DICOM-SEG files: a hole, a frame starting inside a byte, and each
//! kind of bad file gets its own clear error naming the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use dicom_core::value::DataSetSequence;
use dicom_core::{DataElement, PrimitiveValue, VR};
use dicom_dictionary_std::tags;
use dicom_object::{FileMetaTableBuilder, InMemDicomObject};
use radsurv_image::dicom::SeriesReference;
use radsurv_image::{dicom_seg, rtstruct, Geometry, ImageError, Volume};
use radsurv_testdata::data_path;

const FRAME_OF_REFERENCE: &str = "1.2.826.0.1.3680043.8.498.1";
const SERIES: &str = "1.2.826.0.1.3680043.8.498.2";

/// A 6×5×3 grid, 1 mm in-plane, 2 mm between slices, at the origin.
fn grid() -> Geometry {
    Geometry::new([6, 5, 3], [1.0, 1.0, 2.0], [0.0; 3])
}

fn image_series() -> SeriesReference {
    SeriesReference {
        series_uid: SERIES.into(),
        frame_of_reference: Some(FRAME_OF_REFERENCE.into()),
    }
}

fn put(obj: &mut InMemDicomObject, tag: dicom_core::Tag, vr: VR, value: PrimitiveValue) {
    obj.put(DataElement::new(tag, vr, value));
}

fn put_sequence(obj: &mut InMemDicomObject, tag: dicom_core::Tag, items: Vec<InMemDicomObject>) {
    obj.put(DataElement::new(tag, VR::SQ, DataSetSequence::from(items)));
}

fn item(fill: impl FnOnce(&mut InMemDicomObject)) -> InMemDicomObject {
    let mut obj = InMemDicomObject::new_empty();
    fill(&mut obj);
    obj
}

fn write(obj: InMemDicomObject, sop_class: &str, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let mut obj = obj;
    put(&mut obj, tags::SOP_CLASS_UID, VR::UI, sop_class.into());
    put(
        &mut obj,
        tags::SOP_INSTANCE_UID,
        VR::UI,
        "1.2.826.0.1.3680043.8.498.9".into(),
    );
    obj.with_meta(FileMetaTableBuilder::new().transfer_syntax("1.2.840.10008.1.2.1"))
        .unwrap()
        .write_to_file(&path)
        .unwrap();
    path
}

/// A closed square contour on the plane z = `z`, corners at (x0, y0) and (x1, y1).
fn square(z: f64, x0: f64, y0: f64, x1: f64, y1: f64) -> (&'static str, Vec<f64>) {
    let points = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
    (
        "CLOSED_PLANAR",
        points.iter().flat_map(|p| [p[0], p[1], z]).collect(),
    )
}

/// An RTSTRUCT with one ROI `tumour` holding `contours` (type, flat x\y\z list), drawn on
/// `series`.
fn rtstruct_file(dir: &Path, name: &str, series: &str, contours: &[(&str, Vec<f64>)]) -> PathBuf {
    let mut obj = InMemDicomObject::new_empty();
    put(&mut obj, tags::MODALITY, VR::CS, "RTSTRUCT".into());
    let series_item = item(|s| put(s, tags::SERIES_INSTANCE_UID, VR::UI, series.into()));
    let study = item(|s| put_sequence(s, tags::RT_REFERENCED_SERIES_SEQUENCE, vec![series_item]));
    let frame = item(|f| {
        put(
            f,
            tags::FRAME_OF_REFERENCE_UID,
            VR::UI,
            FRAME_OF_REFERENCE.into(),
        );
        put_sequence(f, tags::RT_REFERENCED_STUDY_SEQUENCE, vec![study]);
    });
    put_sequence(
        &mut obj,
        tags::REFERENCED_FRAME_OF_REFERENCE_SEQUENCE,
        vec![frame],
    );
    let roi = item(|r| {
        put(r, tags::ROI_NUMBER, VR::IS, "7".into());
        put(r, tags::ROI_NAME, VR::LO, "tumour".into());
        put(
            r,
            tags::REFERENCED_FRAME_OF_REFERENCE_UID,
            VR::UI,
            FRAME_OF_REFERENCE.into(),
        );
    });
    put_sequence(&mut obj, tags::STRUCTURE_SET_ROI_SEQUENCE, vec![roi]);
    let contour_items = contours
        .iter()
        .map(|(kind, data)| {
            item(|c| {
                put(c, tags::CONTOUR_GEOMETRIC_TYPE, VR::CS, (*kind).into());
                put(
                    c,
                    tags::NUMBER_OF_CONTOUR_POINTS,
                    VR::IS,
                    (data.len() / 3).to_string().into(),
                );
                let text: Vec<String> = data.iter().map(|v| v.to_string()).collect();
                put(c, tags::CONTOUR_DATA, VR::DS, text.join("\\").into());
            })
        })
        .collect();
    let roi_contour = item(|r| {
        put(r, tags::REFERENCED_ROI_NUMBER, VR::IS, "7".into());
        put_sequence(r, tags::CONTOUR_SEQUENCE, contour_items);
    });
    put_sequence(&mut obj, tags::ROI_CONTOUR_SEQUENCE, vec![roi_contour]);
    write(obj, "1.2.840.10008.5.1.4.1.1.481.3", dir, name)
}

/// A BINARY SEG of 3×3 frames: each frame (segment number, slice index, 9 pixels row by row)
/// bit-packed back to back; `declared` segment numbers in the Segment Sequence.
fn seg_file(dir: &Path, name: &str, declared: &[i64], frames: &[(i64, usize, [u8; 9])]) -> PathBuf {
    seg_file_with(dir, name, declared, frames, frames.len().to_string())
}

fn seg_file_with(
    dir: &Path,
    name: &str,
    declared: &[i64],
    frames: &[(i64, usize, [u8; 9])],
    number_of_frames: String,
) -> PathBuf {
    let mut obj = InMemDicomObject::new_empty();
    put(&mut obj, tags::MODALITY, VR::CS, "SEG".into());
    put(
        &mut obj,
        tags::FRAME_OF_REFERENCE_UID,
        VR::UI,
        FRAME_OF_REFERENCE.into(),
    );
    put(&mut obj, tags::SEGMENTATION_TYPE, VR::CS, "BINARY".into());
    put(&mut obj, tags::ROWS, VR::US, PrimitiveValue::from(3u16));
    put(&mut obj, tags::COLUMNS, VR::US, PrimitiveValue::from(3u16));
    put(
        &mut obj,
        tags::BITS_ALLOCATED,
        VR::US,
        PrimitiveValue::from(1u16),
    );
    put(
        &mut obj,
        tags::NUMBER_OF_FRAMES,
        VR::IS,
        number_of_frames.into(),
    );
    let series_item = item(|s| put(s, tags::SERIES_INSTANCE_UID, VR::UI, SERIES.into()));
    put_sequence(
        &mut obj,
        tags::REFERENCED_SERIES_SEQUENCE,
        vec![series_item],
    );
    let segments = declared
        .iter()
        .map(|n| {
            item(|s| {
                put(
                    s,
                    tags::SEGMENT_NUMBER,
                    VR::US,
                    PrimitiveValue::from(*n as u16),
                );
                put(
                    s,
                    tags::SEGMENT_LABEL,
                    VR::LO,
                    format!("segment {n}").into(),
                );
            })
        })
        .collect();
    put_sequence(&mut obj, tags::SEGMENT_SEQUENCE, segments);
    let shared = item(|g| {
        let orientation = item(|o| {
            put(
                o,
                tags::IMAGE_ORIENTATION_PATIENT,
                VR::DS,
                "1\\0\\0\\0\\1\\0".into(),
            )
        });
        put_sequence(g, tags::PLANE_ORIENTATION_SEQUENCE, vec![orientation]);
        let measures = item(|m| put(m, tags::PIXEL_SPACING, VR::DS, "1\\1".into()));
        put_sequence(g, tags::PIXEL_MEASURES_SEQUENCE, vec![measures]);
    });
    put_sequence(
        &mut obj,
        tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE,
        vec![shared],
    );
    let per_frame = frames
        .iter()
        .map(|(segment, slice, _)| {
            item(|g| {
                let position = item(|p| {
                    put(
                        p,
                        tags::IMAGE_POSITION_PATIENT,
                        VR::DS,
                        format!("1\\1\\{}", 2 * slice).into(),
                    )
                });
                put_sequence(g, tags::PLANE_POSITION_SEQUENCE, vec![position]);
                let id = item(|s| {
                    put(
                        s,
                        tags::REFERENCED_SEGMENT_NUMBER,
                        VR::US,
                        PrimitiveValue::from(*segment as u16),
                    )
                });
                put_sequence(g, tags::SEGMENT_IDENTIFICATION_SEQUENCE, vec![id]);
            })
        })
        .collect();
    put_sequence(
        &mut obj,
        tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE,
        per_frame,
    );
    let bits: Vec<u8> = frames.iter().flat_map(|f| f.2).collect();
    let mut packed = vec![0u8; bits.len().div_ceil(8).next_multiple_of(2)];
    for (n, &b) in bits.iter().enumerate() {
        packed[n / 8] |= b << (n % 8);
    }
    put(
        &mut obj,
        tags::PIXEL_DATA,
        VR::OB,
        PrimitiveValue::from(packed),
    );
    write(obj, "1.2.840.10008.5.1.4.1.1.66.4", dir, name)
}

fn inside(mask: &Volume) -> Vec<[usize; 3]> {
    let [nx, ny, _] = mask.geometry().size;
    (0..mask.geometry().voxel_count())
        .filter(|&v| mask.data().get_f64(v) != 0.0)
        .map(|v| [v % nx, (v / nx) % ny, v / (nx * ny)])
        .collect()
}

fn message(err: ImageError, file: &Path) -> String {
    let shown = err.to_string();
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(
        shown.contains(name),
        "message does not name {name}: {shown}"
    );
    shown
}

#[test]
fn contour_inside_another_on_one_slice_is_a_hole() {
    let dir = tempfile::tempdir().unwrap();
    let outer = square(2.0, -0.5, -0.5, 4.5, 3.5);
    let inner = square(2.0, 1.5, 0.5, 2.5, 2.5);
    let path = rtstruct_file(dir.path(), "hole.dcm", SERIES, &[outer, inner]);
    let set = rtstruct::read(&path).unwrap();
    set.check_reference(&image_series()).unwrap();
    let mask = set.rasterise(&set.rois[0], &grid()).unwrap();
    let voxels = inside(&mask);
    assert_eq!(voxels.len(), 5 * 4 - 2);
    assert!(voxels.iter().all(|v| v[2] == 1));
    assert!(!voxels.contains(&[2, 1, 1]) && !voxels.contains(&[2, 2, 1]));
    assert!(voxels.contains(&[1, 1, 1]) && voxels.contains(&[4, 3, 1]));
}

#[test]
fn contour_between_slices_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = rtstruct_file(
        dir.path(),
        "between.dcm",
        SERIES,
        &[square(3.0, 0.5, 0.5, 2.5, 2.5)],
    );
    let set = rtstruct::read(&path).unwrap();
    let err = set.rasterise(&set.rois[0], &grid()).unwrap_err();
    let shown = message(err, &path);
    assert!(
        shown.contains("contour 1: it lies between slices"),
        "{shown}"
    );
    assert!(shown.contains("\"tumour\""), "{shown}");
}

#[test]
fn rtstruct_for_another_series_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let other = "1.2.826.0.1.3680043.8.498.3";
    let path = rtstruct_file(
        dir.path(),
        "other.dcm",
        other,
        &[square(2.0, 0.5, 0.5, 2.5, 2.5)],
    );
    let err = rtstruct::read(&path)
        .unwrap()
        .check_reference(&image_series())
        .unwrap_err();
    let shown = message(err, &path);
    assert!(shown.contains("is for another image"), "{shown}");
    assert!(shown.contains(other) && shown.contains(SERIES), "{shown}");
}

#[test]
fn contours_that_cannot_enclose_voxels_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = rtstruct_file(
        dir.path(),
        "points.dcm",
        SERIES,
        &[("POINT", vec![1.0, 1.0, 2.0])],
    );
    let set = rtstruct::read(&path).unwrap();
    let shown = message(set.rasterise(&set.rois[0], &grid()).unwrap_err(), &path);
    assert!(
        shown.contains("POINT, which cannot enclose voxels"),
        "{shown}"
    );
    let path = rtstruct_file(dir.path(), "empty.dcm", SERIES, &[]);
    let set = rtstruct::read(&path).unwrap();
    let shown = message(set.rasterise(&set.rois[0], &grid()).unwrap_err(), &path);
    assert!(shown.contains("the ROI has no contours"), "{shown}");
}

#[test]
fn binary_frames_start_inside_a_byte() {
    let dir = tempfile::tempdir().unwrap();
    let a = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    let b = [0, 1, 1, 0, 0, 0, 1, 0, 0];
    let path = seg_file(dir.path(), "packed.dcm", &[1], &[(1, 0, a), (1, 2, b)]);
    let seg = dicom_seg::read(&path).unwrap();
    seg.check_reference(&image_series()).unwrap();
    assert_eq!(seg.segments[0].frames, 2);
    let mask = seg.mask(1, &grid()).unwrap();
    let expected = [
        [1, 1, 0],
        [2, 2, 0],
        [3, 3, 0],
        [2, 1, 2],
        [3, 1, 2],
        [1, 3, 2],
    ];
    let mut expected = expected.to_vec();
    expected.sort_by_key(|v| (v[2], v[1], v[0]));
    assert_eq!(inside(&mask), expected);
}

#[test]
fn seg_segment_numbers_that_do_not_exist_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let frame = [1, 1, 1, 1, 1, 1, 1, 1, 1];
    let path = seg_file(
        dir.path(),
        "undeclared.dcm",
        &[1],
        &[(1, 0, frame), (4, 1, frame)],
    );
    let shown = message(dicom_seg::read(&path).unwrap_err(), &path);
    assert!(
        shown.contains("segment number 4, which the Segment Sequence does not declare"),
        "{shown}"
    );
    let path = seg_file(dir.path(), "one.dcm", &[1], &[(1, 0, frame)]);
    let seg = dicom_seg::read(&path).unwrap();
    let shown = message(seg.mask(3, &grid()).unwrap_err(), &path);
    assert!(
        shown.contains("no segment number 3 (segments: 1 \"segment 1\")"),
        "{shown}"
    );
}

#[test]
fn seg_declaring_too_many_frames_is_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let frame = [1; 9];
    let path = seg_file_with(
        dir.path(),
        "huge.dcm",
        &[1],
        &[(1, 0, frame)],
        "2000000000".into(),
    );
    let err = dicom_seg::read(&path).unwrap_err();
    assert!(matches!(err, ImageError::TooLarge { .. }), "{err:?}");
    message(err, &path);
}

#[test]
fn truncated_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    for source in ["dicom/STS_042/rtstruct.dcm", "dicom/STS_042/seg.dcm"] {
        let bytes = std::fs::read(data_path(source)).unwrap();
        let path = dir.path().join("truncated.dcm");
        std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let err = if source.ends_with("seg.dcm") {
            dicom_seg::read(&path).unwrap_err()
        } else {
            rtstruct::read(&path).unwrap_err()
        };
        let shown = message(err, &path);
        assert!(
            shown.contains("not a complete DICOM file (truncated or corrupt)"),
            "{source}: {shown}"
        );
    }
    let frame = [1; 9];
    let path = seg_file_with(
        dir.path(),
        "short_pixels.dcm",
        &[1],
        &[(1, 0, frame)],
        "3".into(),
    );
    let err = dicom_seg::read(&path);
    let shown = message(err.unwrap_err(), &path);
    assert!(
        shown.contains("Number of Frames is 3 but the Per-frame Functional Groups Sequence has 1"),
        "{shown}"
    );
}
