//! Reading attributes of a parsed DICOM object: the helpers the RTSTRUCT and DICOM-SEG readers
//! share. Every accessor that can fail names the attribute, so a caller's error says what is
//! missing.

use std::path::Path;

use dicom_object::mem::InMemElement;
use dicom_object::{InMemDicomObject, OpenFileOptions, Tag};

use crate::error::malformed;
use crate::{ImageError, Result};

/// A data set or sequence item, as dicom-rs holds it in memory.
pub(crate) type Item = InMemDicomObject;

/// Parses a whole DICOM file (with or without its 128-byte preamble) from memory.
///
/// # Errors
/// [`ImageError::Malformed`] naming `path` when the bytes are not a complete DICOM file: a
/// truncated file fails here, as the parser runs out of bytes inside an element or an element
/// declares more bytes than follow it.
pub(crate) fn parse(bytes: &[u8], path: &Path) -> Result<Item> {
    super::dicom_lengths::check(bytes, path)?;
    let file = OpenFileOptions::new().from_reader(bytes).map_err(|e| {
        malformed(
            path,
            format!("not a complete DICOM file (truncated or corrupt): {e}"),
        )
    })?;
    Ok(file.into_inner())
}

/// Reads a whole file into memory.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(crate::error::io_error(path))
}

/// The element `tag` of `item`, if present.
pub(crate) fn element(item: &Item, tag: Tag) -> Option<&InMemElement> {
    item.element_opt(tag).ok().flatten()
}

/// A string attribute, trimmed of DICOM padding; `None` when absent or not text.
pub(crate) fn text(item: &Item, tag: Tag) -> Option<String> {
    element(item, tag)
        .and_then(|e| e.to_str().ok())
        .map(|s| {
            s.trim_matches(|c: char| c.is_whitespace() || c == '\0')
                .to_string()
        })
        .filter(|s| !s.is_empty())
}

/// The items of a sequence attribute; empty when the sequence is absent.
pub(crate) fn items(item: &Item, tag: Tag) -> &[Item] {
    element(item, tag).and_then(|e| e.items()).unwrap_or(&[])
}

/// The first item of a sequence attribute.
pub(crate) fn first_item(item: &Item, tag: Tag) -> Option<&Item> {
    items(item, tag).first()
}

/// An integer attribute; `None` when absent or not a number.
pub(crate) fn int(item: &Item, tag: Tag) -> Option<i64> {
    element(item, tag).and_then(|e| e.to_int::<i64>().ok())
}

/// A multi-valued decimal attribute with at least `n` values, all finite.
///
/// # Errors
/// [`ImageError::Malformed`] naming `path` and `name` when absent, short or not finite.
pub(crate) fn floats(item: &Item, tag: Tag, n: usize, path: &Path, name: &str) -> Result<Vec<f64>> {
    let values = element(item, tag)
        .and_then(|e| e.to_multi_float64().ok())
        .ok_or_else(|| malformed(path, format!("missing or invalid {name}")))?;
    if values.len() < n || values.iter().any(|v| !v.is_finite()) {
        return Err(malformed(
            path,
            format!("{name} must hold {n} finite numbers, it holds {values:?}"),
        ));
    }
    Ok(values)
}

/// A required positive count (Rows, Columns, Number of Frames, …), at most `u32::MAX`.
pub(crate) fn count(item: &Item, tag: Tag, path: &Path, name: &str) -> Result<usize> {
    int(item, tag)
        .filter(|&v| v > 0 && v <= i64::from(u32::MAX))
        .map(|v| v as usize)
        .ok_or_else(|| malformed(path, format!("missing or invalid {name}")))
}

/// Cross product $a \times b$.
pub(crate) fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// Dot product $a \cdot b$.
pub(crate) fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Which DICOM series an image volume was read from, for checking that a segmentation was
/// drawn on it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeriesReference {
    /// SeriesInstanceUID of the image series.
    pub series_uid: String,
    /// FrameOfReferenceUID of the image series, when its files carry one.
    pub frame_of_reference: Option<String>,
}

/// Checks that a segmentation refers to the image series: its frames of reference must include
/// the series' and, when it lists referenced series, the series must be among them.
///
/// # Errors
/// [`ImageError::InvalidSetting`] naming `path` and both UIDs when they disagree.
pub(crate) fn check_reference(
    path: &Path,
    what: &str,
    frames_of_reference: &[String],
    referenced_series: &[String],
    image: &SeriesReference,
) -> Result<()> {
    if let Some(for_uid) = &image.frame_of_reference {
        if !frames_of_reference.is_empty() && !frames_of_reference.contains(for_uid) {
            return Err(ImageError::InvalidSetting {
                reason: format!(
                    "this {what} is for another image: its Frame of Reference is {}, the image \
                     series {} has Frame of Reference {for_uid}",
                    frames_of_reference.join(", "),
                    image.series_uid
                ),
            }
            .in_file(path));
        }
    }
    if !referenced_series.is_empty() && !referenced_series.contains(&image.series_uid) {
        return Err(ImageError::InvalidSetting {
            reason: format!(
                "this {what} is for another image: it references series {}, the image is \
                 series {}",
                referenced_series.join(", "),
                image.series_uid
            ),
        }
        .in_file(path));
    }
    Ok(())
}
