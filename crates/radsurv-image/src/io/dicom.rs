//! DICOM CT series from a folder (dicom-rs), with the geometry ITK's series reader gives.
//!
//! Files are grouped by SeriesInstanceUID; the chosen series' slices are sorted along the slice
//! normal $n = r \times c$ (row and column cosines of ImageOrientationPatient) by
//! $n \cdot$ ImagePositionPatient, as GDCM's `IPPSorter` does. Stored values become
//! $\text{stored} \cdot \text{RescaleSlope} + \text{RescaleIntercept}$ (Hounsfield units for CT).
//!
//! # Geometry
//! Size (Columns, Rows, slices); spacing (PixelSpacing\[1\], PixelSpacing\[0\], $d$) with $d$ the
//! distance along $n$ from the first to the last slice over (slices − 1); origin = the first
//! slice's ImagePositionPatient; direction columns $r, c, n$. A single slice uses
//! SliceThickness (or 1) as $d$.
//!
//! # Pixel type
//! `I16` when slope and intercept are whole numbers and every value fits, else `I32` when whole
//! numbers fit, else `F32` (GDCM's choice for a CT series).
//!
//! # Errors on bad series
//! Several series without a chosen UID, slices of different size or orientation, duplicate
//! positions, and gaps or uneven slice spacing (tolerance $10^{-3}$ relative) are errors naming
//! the folder (and the file when one file is at fault).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dicom_dictionary_std::tags;
use dicom_object::{DefaultDicomObject, OpenFileOptions};
use dicom_pixeldata::{ConvertOptions, ModalityLutOption, PixelDecoder};

pub use super::dicom_attrs::SeriesReference;
use super::dicom_attrs::{cross, dot};
use crate::error::malformed;
use crate::{Geometry, ImageError, Result, Volume, VoxelData};

/// One series found in a folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInfo {
    /// SeriesInstanceUID.
    pub uid: String,
    /// SeriesDescription, when present.
    pub description: Option<String>,
    /// Number of image files in the series.
    pub files: usize,
}

/// The series of the DICOM image files in `dir` (non-DICOM files are skipped).
///
/// # Errors
/// [`ImageError::Io`] when the folder cannot be listed; [`ImageError::Malformed`] when it holds
/// no DICOM image.
pub fn list_series(dir: impl AsRef<Path>) -> Result<Vec<SeriesInfo>> {
    let dir = dir.as_ref();
    Ok(group_by_series(dir)?
        .into_iter()
        .map(|(uid, slices)| SeriesInfo {
            uid,
            description: slices.first().and_then(|s| s.description.clone()),
            files: slices.len(),
        })
        .collect())
}

/// Reads one CT series from `dir` as a volume in Hounsfield units.
///
/// `series_uid` chooses the series when the folder holds several; `None` accepts a folder with
/// exactly one series.
///
/// # Errors
/// [`ImageError::InvalidSetting`] when several series are present and none (or an unknown one)
/// is chosen, listing them; [`ImageError::Malformed`] for inconsistent, duplicated, gapped or
/// unevenly spaced slices; the pixel decoder's errors as [`ImageError::Malformed`].
pub fn read_series(dir: impl AsRef<Path>, series_uid: Option<&str>) -> Result<Volume> {
    Ok(read_series_with_reference(dir, series_uid)?.0)
}

/// [`read_series`], also returning which series was read (its SeriesInstanceUID and
/// FrameOfReferenceUID), to check that an RTSTRUCT or SEG was drawn on it.
///
/// # Errors
/// As [`read_series`].
pub fn read_series_with_reference(
    dir: impl AsRef<Path>,
    series_uid: Option<&str>,
) -> Result<(Volume, SeriesReference)> {
    let dir = dir.as_ref();
    let mut groups = group_by_series(dir)?;
    let uid = match series_uid {
        Some(uid) => uid.to_string(),
        None if groups.len() == 1 => groups.keys().next().cloned().unwrap_or_default(),
        None => return Err(choose_series_error(dir, &groups, None)),
    };
    let mut slices = groups
        .remove(&uid)
        .ok_or_else(|| choose_series_error(dir, &groups, Some(&uid)))?;
    let first = slices[0].clone();
    for s in &slices {
        check_same_frame(dir, &first, s)?;
    }
    let normal = cross(first.row, first.column);
    slices.sort_by(|a, b| dot(normal, a.position).total_cmp(&dot(normal, b.position)));
    let slice_spacing = slice_spacing(dir, &slices, normal)?;
    let size = [first.columns, first.rows, slices.len()];
    let declared: u64 = size.iter().map(|&s| s as u64).product();
    if declared > crate::max_voxels() {
        return Err(ImageError::TooLarge {
            path: dir.to_path_buf(),
            declared,
            limit: crate::max_voxels(),
        });
    }
    let mut values = Vec::with_capacity(declared as usize);
    let mut whole = true;
    for s in &slices {
        let stored = stored_values(&s.path, first.rows * first.columns)?;
        whole &= s.slope.fract() == 0.0 && s.intercept.fract() == 0.0;
        values.extend(stored.iter().map(|&v| v * s.slope + s.intercept));
    }
    let geometry = Geometry {
        size,
        spacing: [
            first.pixel_spacing[1],
            first.pixel_spacing[0],
            slice_spacing,
        ],
        origin: slices[0].position,
        direction: [0, 1, 2].map(|r| [first.row[r], first.column[r], normal[r]]),
    };
    if let Some(reason) = geometry.defect() {
        return Err(malformed(dir, reason));
    }
    let reference = SeriesReference {
        series_uid: uid,
        frame_of_reference: first.frame_of_reference.clone(),
    };
    Ok((
        Volume::new(geometry, narrowest_type(values, whole))?,
        reference,
    ))
}

/// The header facts of one image file.
#[derive(Debug, Clone)]
struct Slice {
    path: PathBuf,
    description: Option<String>,
    frame_of_reference: Option<String>,
    rows: usize,
    columns: usize,
    row: [f64; 3],
    column: [f64; 3],
    position: [f64; 3],
    pixel_spacing: [f64; 2],
    thickness: Option<f64>,
    slope: f64,
    intercept: f64,
}

/// Image files of `dir` by SeriesInstanceUID (sorted by UID for a stable listing).
fn group_by_series(dir: &Path) -> Result<BTreeMap<String, Vec<Slice>>> {
    let entries = std::fs::read_dir(dir).map_err(crate::error::io_error(dir))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut groups: BTreeMap<String, Vec<Slice>> = BTreeMap::new();
    for path in paths {
        let bytes = super::dicom_attrs::read_bytes(&path)?;
        super::dicom_lengths::check(&bytes, &path)?;
        let Ok(obj) = OpenFileOptions::new()
            .read_until(tags::PIXEL_DATA)
            .from_reader(bytes.as_slice())
        else {
            continue; // not a DICOM file
        };
        if obj
            .element_opt(tags::IMAGE_POSITION_PATIENT)
            .ok()
            .flatten()
            .is_none()
        {
            continue; // not an image (e.g. DICOMDIR)
        }
        let uid = text(&obj, tags::SERIES_INSTANCE_UID).unwrap_or_default();
        let slice = read_slice(&path, &obj)?;
        groups.entry(uid).or_default().push(slice);
    }
    if groups.is_empty() {
        return Err(malformed(dir, "no DICOM image files in this folder"));
    }
    Ok(groups)
}

fn read_slice(path: &Path, obj: &DefaultDicomObject) -> Result<Slice> {
    let floats = |tag, name: &str, n: usize| -> Result<Vec<f64>> {
        let v = obj
            .element(tag)
            .ok()
            .and_then(|e| e.to_multi_float64().ok())
            .ok_or_else(|| malformed(path, format!("missing or invalid {name}")))?;
        if v.len() < n {
            return Err(malformed(
                path,
                format!("{name} has {} values, need {n}", v.len()),
            ));
        }
        Ok(v)
    };
    let count = |tag, name: &str| -> Result<usize> {
        obj.element(tag)
            .ok()
            .and_then(|e| e.to_int::<u32>().ok())
            .filter(|&v| v > 0)
            .map(|v| v as usize)
            .ok_or_else(|| malformed(path, format!("missing or invalid {name}")))
    };
    let optional = |tag| obj.element(tag).ok().and_then(|e| e.to_float64().ok());
    let orientation = floats(
        tags::IMAGE_ORIENTATION_PATIENT,
        "ImageOrientationPatient",
        6,
    )?;
    let position = floats(tags::IMAGE_POSITION_PATIENT, "ImagePositionPatient", 3)?;
    let spacing = floats(tags::PIXEL_SPACING, "PixelSpacing", 2)?;
    Ok(Slice {
        path: path.to_path_buf(),
        description: text(obj, tags::SERIES_DESCRIPTION),
        frame_of_reference: text(obj, tags::FRAME_OF_REFERENCE_UID),
        rows: count(tags::ROWS, "Rows")?,
        columns: count(tags::COLUMNS, "Columns")?,
        row: [orientation[0], orientation[1], orientation[2]],
        column: [orientation[3], orientation[4], orientation[5]],
        position: [position[0], position[1], position[2]],
        pixel_spacing: [spacing[0], spacing[1]],
        thickness: optional(tags::SLICE_THICKNESS),
        slope: optional(tags::RESCALE_SLOPE).unwrap_or(1.0),
        intercept: optional(tags::RESCALE_INTERCEPT).unwrap_or(0.0),
    })
}

fn text(obj: &DefaultDicomObject, tag: dicom_object::Tag) -> Option<String> {
    obj.element(tag)
        .ok()
        .and_then(|e| e.to_str().ok())
        .map(|s| s.trim().to_string())
}

fn choose_series_error(
    dir: &Path,
    groups: &BTreeMap<String, Vec<Slice>>,
    asked: Option<&str>,
) -> ImageError {
    let listing: Vec<String> = groups
        .iter()
        .map(|(uid, s)| format!("{uid} ({} files)", s.len()))
        .collect();
    let reason = match asked {
        Some(uid) => format!(
            "no series {uid:?} in this folder; series present: {}",
            listing.join(", ")
        ),
        None => format!(
            "folder holds {} series, choose one: {}",
            groups.len(),
            listing.join(", ")
        ),
    };
    ImageError::InvalidSetting { reason }.in_file(dir)
}

/// Every slice must share size, pixel spacing and orientation with the first.
fn check_same_frame(dir: &Path, first: &Slice, s: &Slice) -> Result<()> {
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-4);
    let what = if (s.rows, s.columns) != (first.rows, first.columns) {
        "size"
    } else if !close(&s.pixel_spacing, &first.pixel_spacing) {
        "PixelSpacing"
    } else if !close(&s.row, &first.row) || !close(&s.column, &first.column) {
        "ImageOrientationPatient"
    } else {
        return Ok(());
    };
    Err(malformed(
        dir,
        format!(
            "mixed series: {} differs in {what} from {}",
            s.path.display(),
            first.path.display()
        ),
    ))
}

/// Distance between slices along the normal; errors on duplicates, gaps or uneven spacing.
fn slice_spacing(dir: &Path, slices: &[Slice], normal: [f64; 3]) -> Result<f64> {
    if slices.len() == 1 {
        return Ok(slices[0].thickness.filter(|t| *t > 0.0).unwrap_or(1.0));
    }
    let positions: Vec<f64> = slices.iter().map(|s| dot(normal, s.position)).collect();
    let spacing = (positions[positions.len() - 1] - positions[0]) / (positions.len() - 1) as f64;
    for (pair, s) in positions.windows(2).zip(slices.windows(2)) {
        let step = pair[1] - pair[0];
        if step.abs() < 1e-6 {
            return Err(malformed(
                dir,
                format!(
                    "duplicate slice position in {} and {}",
                    s[0].path.display(),
                    s[1].path.display()
                ),
            ));
        }
        if (step - spacing).abs() > 1e-3 * spacing.abs() {
            return Err(malformed(
                dir,
                format!(
                    "gapped or uneven series: {step} mm between {} and {}, mean spacing {spacing} mm",
                    s[0].path.display(),
                    s[1].path.display()
                ),
            ));
        }
    }
    Ok(spacing)
}

/// The stored (not rescaled) values of one single-frame slice.
fn stored_values(path: &Path, expected: usize) -> Result<Vec<f64>> {
    let bytes = super::dicom_attrs::read_bytes(path)?;
    super::dicom_lengths::check(&bytes, path)?;
    let obj = OpenFileOptions::new()
        .from_reader(bytes.as_slice())
        .map_err(|e| malformed(path, format!("cannot read DICOM: {e}")))?;
    let pixels = obj
        .decode_pixel_data()
        .map_err(|e| malformed(path, format!("cannot decode pixel data: {e}")))?;
    if pixels.samples_per_pixel() != 1 || pixels.number_of_frames() != 1 {
        return Err(crate::error::unsupported(
            path,
            "multi-frame or colour DICOM image",
        ));
    }
    let options = ConvertOptions::new().with_modality_lut(ModalityLutOption::None);
    let values: Vec<f64> = pixels
        .to_vec_with_options(&options)
        .map_err(|e| malformed(path, format!("cannot convert pixel data: {e}")))?;
    if values.len() != expected {
        return Err(malformed(
            path,
            format!("{} pixels, Rows × Columns = {expected}", values.len()),
        ));
    }
    Ok(values)
}

/// `I16` or `I32` when whole and in range, else `F32`.
fn narrowest_type(values: Vec<f64>, whole: bool) -> VoxelData {
    let (lo, hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    if whole && lo >= i16::MIN as f64 && hi <= i16::MAX as f64 {
        VoxelData::I16(values.iter().map(|&v| v as i16).collect())
    } else if whole && lo >= i32::MIN as f64 && hi <= i32::MAX as f64 {
        VoxelData::I32(values.iter().map(|&v| v as i32).collect())
    } else {
        VoxelData::F32(values.iter().map(|&v| v as f32).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dicom_core::{DataElement, PrimitiveValue, VR};
    use dicom_object::{FileMetaTableBuilder, InMemDicomObject};

    fn write_slice(path: &Path, series: &str, z: f64, stored: &[i16], intercept: &str) {
        let mut obj = InMemDicomObject::new_empty();
        let mut put = |tag, vr, value: PrimitiveValue| {
            obj.put(DataElement::new(tag, vr, value));
        };
        put(
            tags::SOP_CLASS_UID,
            VR::UI,
            "1.2.840.10008.5.1.4.1.1.2".into(),
        );
        put(
            tags::SOP_INSTANCE_UID,
            VR::UI,
            format!("1.2.3.{}", (z * 10.0) as i64).into(),
        );
        put(tags::SERIES_INSTANCE_UID, VR::UI, series.into());
        put(tags::MODALITY, VR::CS, "CT".into());
        put(tags::ROWS, VR::US, PrimitiveValue::from(2u16));
        put(tags::COLUMNS, VR::US, PrimitiveValue::from(3u16));
        put(
            tags::IMAGE_ORIENTATION_PATIENT,
            VR::DS,
            "0\\1\\0\\-1\\0\\0".into(),
        );
        put(
            tags::IMAGE_POSITION_PATIENT,
            VR::DS,
            format!("-5\\12.5\\{z}").into(),
        );
        put(tags::PIXEL_SPACING, VR::DS, "0.75\\0.5".into());
        put(tags::SLICE_THICKNESS, VR::DS, "2.5".into());
        put(tags::RESCALE_SLOPE, VR::DS, "1".into());
        put(tags::RESCALE_INTERCEPT, VR::DS, intercept.into());
        put(tags::SAMPLES_PER_PIXEL, VR::US, PrimitiveValue::from(1u16));
        put(
            tags::PHOTOMETRIC_INTERPRETATION,
            VR::CS,
            "MONOCHROME2".into(),
        );
        put(tags::BITS_ALLOCATED, VR::US, PrimitiveValue::from(16u16));
        put(tags::BITS_STORED, VR::US, PrimitiveValue::from(16u16));
        put(tags::HIGH_BIT, VR::US, PrimitiveValue::from(15u16));
        put(
            tags::PIXEL_REPRESENTATION,
            VR::US,
            PrimitiveValue::from(1u16),
        );
        let bytes: Vec<u8> = stored.iter().flat_map(|v| v.to_le_bytes()).collect();
        put(tags::PIXEL_DATA, VR::OW, PrimitiveValue::from(bytes));
        let file = obj
            .with_meta(FileMetaTableBuilder::new().transfer_syntax("1.2.840.10008.1.2.1"))
            .unwrap();
        file.write_to_file(path).unwrap();
    }

    #[test]
    fn series_reads_back_sorted_in_hounsfield_units_with_geometry() {
        let dir = tempfile::tempdir().unwrap();
        // Files written out of order: sorting must follow the slice normal.
        for (i, z) in [15.0, 10.0, 12.5].iter().enumerate() {
            let stored: Vec<i16> = (0..6).map(|k| (*z * 100.0) as i16 + k).collect();
            write_slice(
                &dir.path().join(format!("f{i}.dcm")),
                "1.2.9",
                *z,
                &stored,
                "-1024",
            );
        }
        std::fs::write(dir.path().join("README"), "not dicom").unwrap();
        let v = read_series(dir.path(), None).unwrap();
        let g = v.geometry();
        assert_eq!(g.size, [3, 2, 3]);
        assert_eq!(g.spacing, [0.5, 0.75, 2.5]);
        assert_eq!(g.origin, [-5.0, 12.5, 10.0]);
        assert_eq!(
            g.direction,
            [[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
        );
        let VoxelData::I16(values) = v.data() else {
            panic!("expected int16, got {:?}", v.pixel_type())
        };
        assert_eq!(values[0], 1000 - 1024);
        assert_eq!(values[6], 1250 - 1024);
        assert_eq!(values[17], 1500 + 5 - 1024);
    }

    #[test]
    fn several_series_need_a_choice_and_gaps_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        for (i, z) in [0.0, 2.0].iter().enumerate() {
            write_slice(
                &dir.path().join(format!("a{i}.dcm")),
                "1.2.1",
                *z,
                &[0; 6],
                "0",
            );
        }
        for (i, z) in [0.0, 2.0, 6.0].iter().enumerate() {
            write_slice(
                &dir.path().join(format!("b{i}.dcm")),
                "1.2.2",
                *z,
                &[0; 6],
                "0.5",
            );
        }
        let err = read_series(dir.path(), None).unwrap_err();
        assert!(err.to_string().contains("1.2.1 (2 files)"), "{err}");
        let a = read_series(dir.path(), Some("1.2.1")).unwrap();
        assert_eq!(a.geometry().spacing[2], 2.0);
        let err = read_series(dir.path(), Some("1.2.2")).unwrap_err();
        assert!(err.to_string().contains("gapped"), "{err}");
        assert_eq!(list_series(dir.path()).unwrap().len(), 2);
    }
}
