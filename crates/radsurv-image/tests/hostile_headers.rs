//! Headers that lie: declared sizes beyond the data, scaling that would turn every voxel into
//! NaN, offsets beyond the file, geometry that cannot place voxels, a 2-D image. Each is an
//! error naming the file (or, for scaling, read as the standard says), checked before anything
//! of the declared size is allocated.
#![allow(clippy::unwrap_used)] // test code: panics report failures

use radsurv_image::{Geometry, ImageError, Volume, VoxelData};
use std::path::{Path, PathBuf};

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn nrrd_header(fields: &str) -> Vec<u8> {
    format!("NRRD0004\ntype: short\nendian: little\n{fields}\n\n").into_bytes()
}

/// A valid little-endian 2×2×2 int16 NIfTI with `patch` applied to its bytes.
fn nifti_with(dir: &Path, patch: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
    let g = Geometry::new([2, 2, 2], [1.0; 3], [0.0; 3]);
    let v = Volume::new(g, VoxelData::I16((1..=8).collect())).unwrap();
    let path = dir.join("x.nii");
    radsurv_image::nifti::write(&path, &v).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    patch(&mut bytes);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn put_f32(bytes: &mut [u8], at: usize, x: f32) {
    bytes[at..at + 4].copy_from_slice(&x.to_le_bytes());
}

fn expect_error(path: &Path, kind: fn(&ImageError) -> bool, words: &[&str]) {
    let err = radsurv_image::read(path).unwrap_err();
    assert!(kind(err.kind()), "unexpected error kind: {err:?}");
    let text = err.to_string();
    assert!(
        text.contains(path.file_name().unwrap().to_str().unwrap()),
        "{text}"
    );
    for word in words {
        assert!(text.contains(word), "{word:?} not in {text}");
    }
}

#[test]
fn gzip_data_declaring_gigabytes_is_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = nrrd_header("dimension: 3\nsizes: 1024 1024 500\nencoding: gzip");
    bytes.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    let path = write_file(dir.path(), "huge.nrrd", &bytes);
    expect_error(
        &path,
        |e| matches!(e, ImageError::Truncated { .. }),
        &["1048576000"],
    );
}

#[test]
fn ascii_data_declaring_more_values_than_characters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = nrrd_header("dimension: 3\nsizes: 1000 1000 500\nencoding: ascii");
    bytes.extend_from_slice(b"1 2 3\n");
    let path = write_file(dir.path(), "huge_ascii.nrrd", &bytes);
    expect_error(&path, |e| matches!(e, ImageError::Truncated { .. }), &[]);
}

#[test]
fn a_header_over_the_voxel_limit_names_the_variable_that_raises_it() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = nrrd_header("dimension: 3\nsizes: 4096 4096 4096\nencoding: raw");
    let path = write_file(dir.path(), "big.nrrd", &bytes);
    expect_error(
        &path,
        |e| matches!(e, ImageError::TooLarge { .. }),
        &["RADSURV_MAX_VOXELS"],
    );
}

#[test]
fn nan_origin_and_singular_direction_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = [0u8; 16];
    let mut nan = nrrd_header(
        "dimension: 3\nsizes: 2 2 2\nencoding: raw\nspace: left-posterior-superior\n\
         space directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (nan,0,0)",
    );
    nan.extend_from_slice(&data);
    let path = write_file(dir.path(), "nan_origin.nrrd", &nan);
    expect_error(
        &path,
        |e| matches!(e, ImageError::Malformed { .. }),
        &["origin"],
    );

    let mut singular = nrrd_header(
        "dimension: 3\nsizes: 2 2 2\nencoding: raw\nspace: left-posterior-superior\n\
         space directions: (1,0,0) (1,0,0) (0,0,1)\nspace origin: (0,0,0)",
    );
    singular.extend_from_slice(&data);
    let path = write_file(dir.path(), "singular.nrrd", &singular);
    expect_error(
        &path,
        |e| matches!(e, ImageError::Malformed { .. }),
        &["singular"],
    );
}

#[test]
fn two_d_nrrd_and_nifti_are_refused_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut nrrd = nrrd_header("dimension: 2\nsizes: 2 2\nencoding: raw");
    nrrd.extend_from_slice(&[0u8; 8]);
    let path = write_file(dir.path(), "flat.nrrd", &nrrd);
    expect_error(
        &path,
        |e| matches!(e, ImageError::Unsupported { .. }),
        &["2-D"],
    );
    let path = nifti_with(dir.path(), |b| {
        b[40..42].copy_from_slice(&2i16.to_le_bytes())
    });
    expect_error(
        &path,
        |e| matches!(e, ImageError::Unsupported { .. }),
        &["2-D"],
    );
}

#[test]
fn nifti_nan_scale_slope_means_no_scaling() {
    let dir = tempfile::tempdir().unwrap();
    let path = nifti_with(dir.path(), |b| {
        put_f32(b, 112, f32::NAN);
        put_f32(b, 116, 5.0);
    });
    let v = radsurv_image::read(&path).unwrap();
    assert_eq!(v.to_f64(), (1..=8).map(f64::from).collect::<Vec<_>>());
}

#[test]
fn nifti_vox_offset_beyond_the_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = nifti_with(dir.path(), |b| put_f32(b, 108, 4000.0));
    expect_error(&path, |e| matches!(e, ImageError::Truncated { .. }), &[]);
    let path = nifti_with(dir.path(), |b| put_f32(b, 108, 16.0));
    expect_error(
        &path,
        |e| matches!(e, ImageError::Malformed { .. }),
        &["vox_offset"],
    );
}

#[test]
fn nifti_wrong_header_size_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = nifti_with(dir.path(), |b| {
        b[0..4].copy_from_slice(&300i32.to_le_bytes())
    });
    let err = radsurv_image::read(&path).unwrap_err();
    assert!(err.to_string().contains("x.nii"), "{err}");
}

#[test]
fn a_resampled_grid_over_the_voxel_limit_is_refused() {
    use radsurv_image::resample::{resample_image_and_mask, ResampleSettings};
    let g = Geometry::new([4, 4, 4], [1.0; 3], [0.0; 3]);
    let image = Volume::new(g.clone(), VoxelData::I16(vec![7; 64])).unwrap();
    let mut mask = vec![0u8; 64];
    mask[21] = 1;
    mask[22] = 1;
    mask[25] = 1;
    mask[42] = 1;
    let mask = Volume::new(g, VoxelData::U8(mask)).unwrap();
    let settings = ResampleSettings {
        spacing: [1e-300; 3],
        ..ResampleSettings::default()
    };
    let err = resample_image_and_mask(&image, &mask, &settings).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("RADSURV_MAX_VOXELS") && text.contains("spacing"),
        "{text}"
    );
}
