//! Bad input never panics: each file in `tests/bad_inputs/` (made by `scripts/make_bad_inputs.py`)
//! returns the expected typed error, and the message names the file.
// See: issue #2 ("Bad input").
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: panics report failures

use std::path::PathBuf;

use radsurv_image::{check_geometry, mask::DEFAULT_GEOMETRY_TOLERANCE, ImageError, Mask};

fn bad(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_inputs")
        .join(name)
}

/// Reads `name`, expects an error for which `kind` holds, and checks the message names the file.
fn expect_read_error(name: &str, kind: fn(&ImageError) -> bool) {
    let path = bad(name);
    let err = match radsurv_image::read(&path) {
        Ok(v) => panic!("{name}: read succeeded: {:?}", v.geometry()),
        Err(e) => e,
    };
    assert!(kind(err.kind()), "{name}: unexpected error kind: {err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains(path.file_name().unwrap().to_str().unwrap()),
        "{name}: message does not name the file: {shown}"
    );
}

#[test]
fn malformed_files_are_typed_errors_naming_the_file() {
    use ImageError as E;
    let malformed = |e: &E| matches!(e, E::Malformed { .. });
    let io_or_malformed = |e: &E| matches!(e, E::Io { .. } | E::Malformed { .. });
    expect_read_error("empty.nrrd", malformed);
    expect_read_error("not_a_nrrd.nrrd", malformed);
    expect_read_error("bad_header_line.nrrd", malformed);
    expect_read_error("missing_sizes.nrrd", malformed);
    expect_read_error("truncated.nrrd", |e| {
        matches!(
            e,
            E::Truncated {
                expected: 64,
                actual: 20,
                ..
            }
        )
    });
    expect_read_error("corrupt_gzip.nrrd", malformed);
    expect_read_error("truncated_gzip.nrrd", |e| {
        matches!(e, E::Truncated { .. } | E::Malformed { .. })
    });
    expect_read_error("unsupported_type.nrrd", |e| {
        matches!(e, E::Unsupported { .. })
    });
    expect_read_error("unsupported_encoding.nrrd", |e| {
        matches!(e, E::Unsupported { .. })
    });
    expect_read_error("too_many_voxels.nrrd", |e| matches!(e, E::TooLarge { .. }));
    expect_read_error("four_d.nii", |e| matches!(e, E::Unsupported { .. }));
    expect_read_error("truncated.nii", |e| matches!(e, E::Truncated { .. }));
    expect_read_error("unsupported_datatype.nii", |e| {
        matches!(e, E::Unsupported { .. })
    });
    expect_read_error("corrupt.nii.gz", io_or_malformed);
    expect_read_error("unsupported_extension.txt", |e| {
        matches!(e, E::Unsupported { .. })
    });
    expect_read_error("no_dicom", malformed);
    expect_read_error("does_not_exist.nrrd", |e| matches!(e, E::Io { .. }));
}

#[test]
fn mask_errors_name_the_mask_file() {
    let err = Mask::read(bad("mask_without_label_1.nrrd"), 1).unwrap_err();
    assert!(
        matches!(err.kind(), ImageError::MissingLabel { label: 1, present } if present == &[2]),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("mask_without_label_1.nrrd"),
        "{err}"
    );
    let err = Mask::read(bad("mask_empty.nrrd"), 1).unwrap_err();
    assert!(matches!(err.kind(), ImageError::EmptyMask), "{err:?}");
    assert!(err.to_string().contains("mask_empty.nrrd"), "{err}");
}

#[test]
fn geometry_mismatch_is_reported() {
    let image = radsurv_image::read(bad("image.nrrd")).unwrap();
    let mask = radsurv_image::read(bad("mask_shifted.nrrd")).unwrap();
    let err = check_geometry(
        image.geometry(),
        mask.geometry(),
        DEFAULT_GEOMETRY_TOLERANCE,
    )
    .unwrap_err();
    assert!(
        matches!(err, ImageError::GeometryMismatch { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("origins differ"), "{err}");
}
