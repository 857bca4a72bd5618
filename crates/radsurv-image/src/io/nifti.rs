//! NIfTI-1 reader (through the `nifti` crate) and writer (`.nii`, `.nii.gz`), with ITK's
//! geometry.
//!
//! # Geometry, as ITK 5.4 `NiftiImageIO` derives it
//! Spacing is `pixdim[1..=3]`. The voxel-to-RAS matrix is the sform (`srow_*`) when
//! `sform_code > 0` and its columns are orthogonal, and either `qform_code == 0`,
//! `sform_code == NIFTI_XFORM_SCANNER_ANAT`, or the qform agrees with it; otherwise the qform
//! (built from the quaternion in `float`, as `nifti_quatern_to_mat44`). RAS → LPS negates the
//! first two rows: origin $= (-m_{03}, -m_{13}, m_{23})$, direction column $c$ =
//! $(-m_{0c}, -m_{1c}, m_{2c})$ normalised. Both codes 0 gives origin 0 and identity.
//! `scl_slope`/`scl_inter` other than 1/0 rescale the values and, as ITK does, turn integer
//! types into 32-bit floats.
//!
//! The writer writes the little-endian `n+1` single-file layout with both codes 1
//! (`NIFTI_XFORM_SCANNER_ANAT`), the sform holding $D\,\mathrm{diag}(s)$ in RAS and the qform
//! the same rotation as a quaternion, as ITK writes. A `.gz` name is gzip-compressed.
//!
//! # Known differences
//! ITK's sform/qform "very similar" SVD comparison is replaced by an element-wise comparison
//! (tolerance $10^{-4}$), and a non-orthogonal sform without a qform is rejected instead of
//! replaced by its polar factor. Geometry is stored in `float`, so a round trip keeps it to
//! single precision (as with SimpleITK).

use std::path::Path;

use ::nifti::{Endianness, NiftiHeader, NiftiObject, NiftiType, ReaderOptions};

use super::raw;
use crate::error::{io_error, malformed, unsupported};
use crate::{Geometry, ImageError, PixelType, Result, Volume, VoxelData};

/// Reads a NIfTI-1 file (`.nii` or `.nii.gz`) with the geometry SimpleITK reports.
///
/// # Errors
/// [`ImageError::Io`], [`ImageError::Malformed`], [`ImageError::Unsupported`],
/// [`ImageError::TooLarge`], [`ImageError::Truncated`], each naming the file.
pub fn read(path: impl AsRef<Path>) -> Result<Volume> {
    let path = path.as_ref();
    let header = NiftiHeader::from_file(path).map_err(|e| nifti_error(path, e))?;
    if header.sizeof_hdr != NIFTI1_HEADER_SIZE {
        return Err(malformed(
            path,
            format!(
                "sizeof_hdr is {}, a NIfTI-1 header has {NIFTI1_HEADER_SIZE}",
                header.sizeof_hdr
            ),
        ));
    }
    let size = spatial_size(path, &header)?;
    let pixel_type = pixel_type(path, &header)?;
    let geometry = geometry(path, &header, size)?;
    if let Some(reason) = geometry.defect() {
        return Err(malformed(path, reason));
    }
    check_data_fits_file(
        path,
        &header,
        geometry.voxel_count() * raw::bytes_per_value(pixel_type),
    )?;
    let object = ReaderOptions::new()
        .read_file(path)
        .map_err(|e| nifti_error(path, e))?;
    let bytes = object.into_volume().into_raw_data();
    let count = geometry.voxel_count();
    if bytes.len() < count * raw::bytes_per_value(pixel_type) {
        return Err(ImageError::Truncated {
            path: path.to_path_buf(),
            expected: (count * raw::bytes_per_value(pixel_type)) as u64,
            actual: bytes.len() as u64,
        });
    }
    let data = raw::decode(
        &bytes,
        pixel_type,
        header.endianness == Endianness::Big,
        count,
    );
    Volume::new(geometry, rescale(data, header.scl_slope, header.scl_inter))
}

/// Writes a volume as NIfTI-1 (`n+1`), gzip-compressed when the name ends in `.gz`; the pixel
/// type is kept (int16 stays int16).
///
/// # Errors
/// [`ImageError::Io`] when the file cannot be written.
pub fn write(path: impl AsRef<Path>, volume: &Volume) -> Result<()> {
    let path = path.as_ref();
    let mut bytes = header_bytes(volume.geometry(), volume.pixel_type(), true);
    bytes.extend_from_slice(&[0; 4]); // no extensions
    bytes.extend(raw::encode_le(volume.data()));
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let out = if gz {
        // Fast compression: volumes are written in bulk (synthetic cohorts) and level 1 costs a
        // few per cent in size for several times the speed of the default level.
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut encoder, &bytes).map_err(io_error(path))?;
        encoder.finish().map_err(io_error(path))?
    } else {
        bytes
    };
    std::fs::write(path, out).map_err(io_error(path))
}

/// `sizeof_hdr` of every NIfTI-1 header.
const NIFTI1_HEADER_SIZE: i32 = 348;

/// Where the voxel data of a single-file (`n+1`) NIfTI can start at the earliest: after the
/// header and the 4-byte extension flag.
const FIRST_DATA_OFFSET: f32 = 352.0;

/// Largest output-to-input ratio of deflate (RFC 1951: a length-258 match per two bits).
const MAX_DEFLATE_RATIO: u64 = 1032;

/// Checks, before the voxel buffer is allocated, that `vox_offset` is where the standard allows
/// and that the file can hold the declared voxel data after it (for `.nii.gz`, that the
/// compressed file could inflate to it).
fn check_data_fits_file(path: &Path, header: &NiftiHeader, data_bytes: usize) -> Result<()> {
    let offset = header.vox_offset;
    let single_file = header.magic.starts_with(b"n+1");
    if !offset.is_finite() || offset < 0.0 || (single_file && offset < FIRST_DATA_OFFSET) {
        return Err(malformed(
            path,
            format!("vox_offset {offset} (a single-file NIfTI's data start at {FIRST_DATA_OFFSET} or later)"),
        ));
    }
    let file_bytes = std::fs::metadata(path).map_err(io_error(path))?.len();
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let capacity = if gz {
        file_bytes.saturating_mul(MAX_DEFLATE_RATIO)
    } else {
        file_bytes
    };
    let needed = (offset as u64).saturating_add(data_bytes as u64);
    if single_file && needed > capacity {
        return Err(ImageError::Truncated {
            path: path.to_path_buf(),
            expected: needed,
            actual: file_bytes,
        });
    }
    Ok(())
}

fn nifti_error(path: &Path, error: ::nifti::NiftiError) -> ImageError {
    match error {
        ::nifti::NiftiError::Io(source) => ImageError::Io {
            path: path.to_path_buf(),
            source,
        },
        ::nifti::NiftiError::IncompatibleLength(actual, expected) if actual < expected => {
            ImageError::Truncated {
                path: path.to_path_buf(),
                expected: expected as u64,
                actual: actual as u64,
            }
        }
        other => malformed(path, format!("not a valid NIfTI-1 file: {other}")),
    }
}

/// Sizes of the three spatial axes; higher axes must be 1. Checked against [`crate::max_voxels`].
fn spatial_size(path: &Path, header: &NiftiHeader) -> Result<[usize; 3]> {
    let ndim = header.dim[0];
    if !(1..=7).contains(&ndim) {
        return Err(malformed(path, format!("dim[0] = {ndim}")));
    }
    if ndim < 3 {
        return Err(unsupported(
            path,
            format!("{ndim}-D image: radsurv reads 3-D volumes (save a single slice as a 3-D volume of depth 1)"),
        ));
    }
    let ndim = ndim as usize;
    let dims: Vec<usize> = (1..=ndim).map(|i| header.dim[i] as usize).collect();
    if dims.contains(&0) {
        return Err(malformed(path, format!("zero size in dim {dims:?}")));
    }
    if dims.iter().skip(3).any(|&d| d > 1) {
        return Err(unsupported(
            path,
            format!("image with more than 3 dimensions {dims:?}"),
        ));
    }
    let size = [0, 1, 2].map(|i| dims.get(i).copied().unwrap_or(1));
    let declared: u64 = size.iter().map(|&s| s as u64).product();
    if declared > crate::max_voxels() {
        return Err(ImageError::TooLarge {
            path: path.to_path_buf(),
            declared,
            limit: crate::max_voxels(),
        });
    }
    Ok(size)
}

fn pixel_type(path: &Path, header: &NiftiHeader) -> Result<PixelType> {
    let t = header
        .data_type()
        .map_err(|_| unsupported(path, format!("datatype {}", header.datatype)))?;
    Ok(match t {
        NiftiType::Uint8 => PixelType::U8,
        NiftiType::Int8 => PixelType::I8,
        NiftiType::Uint16 => PixelType::U16,
        NiftiType::Int16 => PixelType::I16,
        NiftiType::Uint32 => PixelType::U32,
        NiftiType::Int32 => PixelType::I32,
        NiftiType::Uint64 => PixelType::U64,
        NiftiType::Int64 => PixelType::I64,
        NiftiType::Float32 => PixelType::F32,
        NiftiType::Float64 => PixelType::F64,
        other => return Err(unsupported(path, format!("datatype {other:?}"))),
    })
}

/// ITK's rescale: `value * slope + inter` when slope ∉ {0, 1} or inter ≠ 0; integers become f32.
/// A slope of 0 or one that is not finite means no scaling at all, as in ITK and nibabel (the
/// NIfTI-1 standard: "If the scl_slope field is zero, then ignore"), and a non-finite
/// intercept is read as 0 (nibabel), so a header never turns every voxel into NaN.
fn rescale(data: VoxelData, slope: f32, inter: f32) -> VoxelData {
    if !slope.is_finite() || slope.abs() < f32::EPSILON {
        return data;
    }
    let inter = if inter.is_finite() { inter } else { 0.0 };
    if slope == 1.0 && inter == 0.0 {
        return data;
    }
    let (s, i) = (slope as f64, inter as f64);
    match data {
        VoxelData::F64(v) => VoxelData::F64(v.iter().map(|&x| x * s + i).collect()),
        other => VoxelData::F32(other.to_f64().iter().map(|&x| (x * s + i) as f32).collect()),
    }
}

/// 4×4 voxel-to-RAS matrix in `float`, rows `[m00 m01 m02 m03]`….
type Mat = [[f32; 4]; 3];

/// The ITK geometry of a header.
fn geometry(path: &Path, h: &NiftiHeader, size: [usize; 3]) -> Result<Geometry> {
    let spacing = [1, 2, 3].map(|i| {
        let p = h.pixdim[i].abs() as f64;
        if p > 0.0 && p.is_finite() {
            p
        } else {
            1.0
        }
    });
    let mut g = Geometry::new(size, spacing, [0.0; 3]);
    if h.qform_code <= 0 && h.sform_code <= 0 {
        return Ok(g);
    }
    let sform = [h.srow_x, h.srow_y, h.srow_z];
    let qform = quatern_to_mat(h);
    let use_sform = h.sform_code > 0
        && orthogonal_columns(&sform)
        && (h.qform_code <= 0 || h.sform_code == 1 || close(&sform, &qform, h));
    let m = if use_sform {
        sform
    } else if h.qform_code > 0 {
        qform
    } else {
        return Err(unsupported(path, "non-orthogonal sform without a qform"));
    };
    g.origin = [-(m[0][3] as f64), -(m[1][3] as f64), m[2][3] as f64];
    for c in 0..3 {
        let col = [-(m[0][c] as f64), -(m[1][c] as f64), m[2][c] as f64];
        let norm = (col[0] * col[0] + col[1] * col[1] + col[2] * col[2]).sqrt();
        if norm == 0.0 {
            return Err(malformed(
                path,
                format!("zero column {c} in the voxel-to-world matrix"),
            ));
        }
        for r in 0..3 {
            g.direction[r][c] = col[r] / norm;
        }
    }
    Ok(g)
}

/// `nifti_quatern_to_mat44`, computed in double and stored in float.
fn quatern_to_mat(h: &NiftiHeader) -> Mat {
    let (mut b, mut c, mut d) = (h.quatern_b as f64, h.quatern_c as f64, h.quatern_d as f64);
    let mut a = 1.0 - (b * b + c * c + d * d);
    if a < 1e-7 {
        a = 1.0 / (b * b + c * c + d * d).sqrt();
        b *= a;
        c *= a;
        d *= a;
        a = 0.0;
    } else {
        a = a.sqrt();
    }
    let positive = |p: f32| if p > 0.0 { p as f64 } else { 1.0 };
    let (xd, yd) = (positive(h.pixdim[1]), positive(h.pixdim[2]));
    let zd = if h.pixdim[0] < 0.0 {
        -positive(h.pixdim[3])
    } else {
        positive(h.pixdim[3])
    };
    [
        [
            ((a * a + b * b - c * c - d * d) * xd) as f32,
            (2.0 * (b * c - a * d) * yd) as f32,
            (2.0 * (b * d + a * c) * zd) as f32,
            h.quatern_x,
        ],
        [
            (2.0 * (b * c + a * d) * xd) as f32,
            ((a * a + c * c - b * b - d * d) * yd) as f32,
            (2.0 * (c * d - a * b) * zd) as f32,
            h.quatern_y,
        ],
        [
            (2.0 * (b * d - a * c) * xd) as f32,
            (2.0 * (c * d + a * b) * yd) as f32,
            ((a * a + d * d - c * c - b * b) * zd) as f32,
            h.quatern_z,
        ],
    ]
}

/// True when the 3×3 part's columns are mutually orthogonal (cosines below $10^{-4}$).
fn orthogonal_columns(m: &Mat) -> bool {
    let col = |c: usize| [m[0][c] as f64, m[1][c] as f64, m[2][c] as f64];
    let norm = |v: [f64; 3]| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let cos =
        |a: [f64; 3], b: [f64; 3]| (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (norm(a) * norm(b));
    (0..3).all(|c| norm(col(c)) > 0.0)
        && cos(col(0), col(1)).abs() < 1e-4
        && cos(col(0), col(2)).abs() < 1e-4
        && cos(col(1), col(2)).abs() < 1e-4
}

/// True when sform and qform agree to $10^{-4}$ of the largest spacing.
fn close(a: &Mat, b: &Mat, h: &NiftiHeader) -> bool {
    let scale = h.pixdim[1..4].iter().fold(1.0f32, |m, p| m.max(p.abs())) as f64;
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| ((x - y) as f64).abs() <= 1e-4 * scale)
}

/// `nifti_mat44_to_quatern` for a rotation (columns normalised): `(qfac, b, c, d)`.
fn rotation_to_quatern(r: [[f64; 3]; 3]) -> (f32, [f32; 3]) {
    let det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
        - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
    let mut r = r;
    let qfac = if det < 0.0 {
        for row in r.iter_mut() {
            row[2] = -row[2];
        }
        -1.0
    } else {
        1.0
    };
    let trace = r[0][0] + r[1][1] + r[2][2] + 1.0;
    let (a, mut b, mut c, mut d);
    if trace > 0.5 {
        a = 0.5 * trace.sqrt();
        b = 0.25 * (r[2][1] - r[1][2]) / a;
        c = 0.25 * (r[0][2] - r[2][0]) / a;
        d = 0.25 * (r[1][0] - r[0][1]) / a;
    } else {
        let xd = 1.0 + r[0][0] - (r[1][1] + r[2][2]);
        let yd = 1.0 + r[1][1] - (r[0][0] + r[2][2]);
        let zd = 1.0 + r[2][2] - (r[0][0] + r[1][1]);
        if xd > 1.0 {
            b = 0.5 * xd.sqrt();
            c = 0.25 * (r[0][1] + r[1][0]) / b;
            d = 0.25 * (r[0][2] + r[2][0]) / b;
            a = 0.25 * (r[2][1] - r[1][2]) / b;
        } else if yd > 1.0 {
            c = 0.5 * yd.sqrt();
            b = 0.25 * (r[0][1] + r[1][0]) / c;
            d = 0.25 * (r[1][2] + r[2][1]) / c;
            a = 0.25 * (r[0][2] - r[2][0]) / c;
        } else {
            d = 0.5 * zd.sqrt();
            b = 0.25 * (r[0][2] + r[2][0]) / d;
            c = 0.25 * (r[1][2] + r[2][1]) / d;
            a = 0.25 * (r[1][0] - r[0][1]) / d;
        }
        if a < 0.0 {
            (b, c, d) = (-b, -c, -d);
        }
    }
    (qfac, [b as f32, c as f32, d as f32])
}

/// The 348-byte NIfTI-1 header of a volume, little-endian.
fn header_bytes(g: &Geometry, pixel_type: PixelType, with_sform: bool) -> Vec<u8> {
    let mut h = vec![0u8; 348];
    let put_i16 =
        |h: &mut Vec<u8>, at: usize, v: i16| h[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put_f32 =
        |h: &mut Vec<u8>, at: usize, v: f32| h[at..at + 4].copy_from_slice(&v.to_le_bytes());
    h[0..4].copy_from_slice(&348i32.to_le_bytes());
    h[38] = b'r';
    for (i, d) in [3, g.size[0], g.size[1], g.size[2], 1, 1, 1, 1]
        .iter()
        .enumerate()
    {
        put_i16(&mut h, 40 + 2 * i, *d as i16);
    }
    let (code, bits) = datatype_code(pixel_type);
    put_i16(&mut h, 70, code);
    put_i16(&mut h, 72, bits);
    // RAS rotation = diag(-1,-1,1) · D.
    let ras = [0, 1, 2].map(|r| {
        let sign = if r < 2 { -1.0 } else { 1.0 };
        [0, 1, 2].map(|c| sign * g.direction[r][c])
    });
    let (qfac, quatern) = rotation_to_quatern(ras);
    put_f32(&mut h, 76, qfac);
    for (i, s) in g.spacing.iter().enumerate() {
        put_f32(&mut h, 80 + 4 * i, *s as f32);
    }
    for i in 4..8 {
        put_f32(&mut h, 76 + 4 * i, 1.0);
    }
    put_f32(&mut h, 108, 352.0);
    put_f32(&mut h, 112, 1.0);
    h[123] = 2 | 8; // mm, s
    put_i16(&mut h, 252, 1);
    put_i16(&mut h, 254, if with_sform { 1 } else { 0 });
    for (i, q) in quatern.iter().enumerate() {
        put_f32(&mut h, 256 + 4 * i, *q);
    }
    let ras_origin = [-g.origin[0], -g.origin[1], g.origin[2]];
    for (i, o) in ras_origin.iter().enumerate() {
        put_f32(&mut h, 268 + 4 * i, *o as f32);
    }
    if with_sform {
        for r in 0..3 {
            for c in 0..3 {
                put_f32(
                    &mut h,
                    280 + 16 * r + 4 * c,
                    (ras[r][c] * g.spacing[c]) as f32,
                );
            }
            put_f32(&mut h, 280 + 16 * r + 12, ras_origin[r] as f32);
        }
    }
    h[344..348].copy_from_slice(b"n+1\0");
    h
}

/// NIfTI `datatype` code and `bitpix` of a pixel type.
fn datatype_code(pixel_type: PixelType) -> (i16, i16) {
    let code = match pixel_type {
        PixelType::U8 => 2,
        PixelType::I16 => 4,
        PixelType::I32 => 8,
        PixelType::F32 => 16,
        PixelType::F64 => 64,
        PixelType::I8 => 256,
        PixelType::U16 => 512,
        PixelType::U32 => 768,
        PixelType::I64 => 1024,
        PixelType::U64 => 1280,
    };
    (code, 8 * raw::bytes_per_value(pixel_type) as i16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oblique() -> Volume {
        let (s, c) = (0.4f64.sin(), 0.4f64.cos());
        let g = Geometry {
            size: [5, 4, 3],
            spacing: [0.75, 0.8, 2.5],
            origin: [-120.5, 33.25, -7.0],
            direction: [[c, 0.0, s], [0.0, -1.0, 0.0], [s, 0.0, -c]],
        };
        Volume::new(g, VoxelData::I16((0..60).map(|v| v * 97 - 3000).collect())).unwrap()
    }

    fn assert_geometry_close(a: &Geometry, b: &Geometry) {
        assert_eq!(a.size, b.size);
        let pairs = a
            .spacing
            .iter()
            .chain(&a.origin)
            .chain(a.direction.iter().flatten())
            .zip(
                b.spacing
                    .iter()
                    .chain(&b.origin)
                    .chain(b.direction.iter().flatten()),
            );
        for (x, y) in pairs {
            assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "{a} vs {b}");
        }
    }

    #[test]
    fn round_trip_nii_and_nii_gz_keeps_int16_and_geometry() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.nii", "a.nii.gz"] {
            let p = dir.path().join(name);
            write(&p, &oblique()).unwrap();
            let back = read(&p).unwrap();
            assert_eq!(back.data(), oblique().data(), "{name}");
            assert_geometry_close(back.geometry(), oblique().geometry());
        }
    }

    #[test]
    fn qform_only_file_gives_same_geometry() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("q.nii");
        let v = oblique();
        let mut bytes = header_bytes(v.geometry(), v.pixel_type(), false);
        bytes.extend_from_slice(&[0; 4]);
        bytes.extend(raw::encode_le(v.data()));
        std::fs::write(&p, bytes).unwrap();
        assert_geometry_close(read(&p).unwrap().geometry(), v.geometry());
    }

    #[test]
    fn scaled_integers_become_float() {
        let data = rescale(VoxelData::I16(vec![1, -2]), 2.0, 0.5);
        assert_eq!(data, VoxelData::F32(vec![2.5, -3.5]));
    }
}
