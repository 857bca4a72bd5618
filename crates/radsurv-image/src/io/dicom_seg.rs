//! DICOM-SEG (Segmentation Storage): segments stored as frames, placed onto an image grid.
//!
//! # Placement rule
//! Each frame belongs to one segment (Referenced Segment Number, from the frame's functional
//! group or the shared one) and lies where its Plane Position (Patient) says: its first pixel
//! must fall on a voxel centre of the image grid (within a tenth of a voxel along every axis)
//! and its orientation and pixel spacing must be the grid's. Frames not stored (empty ones)
//! leave their voxels outside; a voxel covered by no frame of the segment is outside.
//!
//! # Pixel values
//! - BINARY: one bit per pixel, packed least significant bit first, frames back to back (a frame
//!   may start inside a byte: pixel `p` of frame `f` is bit `f·Rows·Columns + p`); 1 is inside.
//! - FRACTIONAL (PROBABILITY or OCCUPANCY): one byte per pixel; inside when the stored value is
//!   at least half of Maximum Fractional Value ($2v \ge v_{max}$), that is a probability or
//!   occupancy of at least 0.5.

use std::path::{Path, PathBuf};

use dicom_dictionary_std::tags;

use super::dicom_attrs::{self as attrs, Item, SeriesReference};
use crate::error::{malformed, unsupported};
use crate::{Geometry, ImageError, Result, Volume, VoxelData};

/// Largest distance, in voxels, between a frame's first pixel and the nearest voxel centre.
const PLACEMENT_TOLERANCE: f64 = 0.1;

/// How a SEG stores its pixels (Segmentation Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentationType {
    /// One bit per pixel.
    Binary,
    /// One byte per pixel, from 0 to `maximum` (Maximum Fractional Value).
    Fractional {
        /// Maximum Fractional Value.
        maximum: u8,
    },
}

/// One segment of a SEG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Segment Number.
    pub number: i64,
    /// Segment Label.
    pub label: String,
    /// Number of frames that hold this segment.
    pub frames: usize,
}

/// Where one frame lies and which segment it holds.
#[derive(Debug, Clone, PartialEq)]
struct Frame {
    segment: i64,
    position: [f64; 3],
    orientation: [f64; 6],
    pixel_spacing: [f64; 2],
}

/// A DICOM-SEG file: its segments, frames and pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    /// The file it was read from (named in errors).
    pub path: PathBuf,
    /// Segmentation Type.
    pub kind: SegmentationType,
    /// Segments in Segment Sequence order.
    pub segments: Vec<Segment>,
    /// Frame of Reference UID.
    pub frame_of_reference: Option<String>,
    /// Series Instance UIDs of the Referenced Series Sequence.
    pub referenced_series: Vec<String>,
    rows: usize,
    columns: usize,
    frames: Vec<Frame>,
    pixels: Vec<u8>,
}

/// Reads a DICOM-SEG file.
///
/// # Errors
/// [`ImageError::Io`]; [`ImageError::Malformed`] for a file that is not a complete SEG
/// (truncated, frames without position or segment, frames referring to undeclared segments);
/// [`ImageError::Truncated`] when the pixel data are shorter than the frames need;
/// [`ImageError::TooLarge`] when frames × rows × columns exceeds [`crate::max_voxels`];
/// [`ImageError::Unsupported`] for compressed pixel data or another bit depth.
pub fn read(path: impl AsRef<Path>) -> Result<Segmentation> {
    let path = path.as_ref();
    parse(&attrs::read_bytes(path)?, path)
}

/// Parses a DICOM-SEG held in memory; `path` only names the file in errors.
///
/// # Errors
/// As [`read`].
pub fn parse(bytes: &[u8], path: &Path) -> Result<Segmentation> {
    let obj = attrs::parse(bytes, path)?;
    from_object(&obj, path)
}

pub(crate) fn from_object(obj: &Item, path: &Path) -> Result<Segmentation> {
    let modality = attrs::text(obj, tags::MODALITY).unwrap_or_default();
    if modality != "SEG" {
        return Err(malformed(
            path,
            format!("not a DICOM-SEG (Modality is {modality:?})"),
        ));
    }
    let rows = attrs::count(obj, tags::ROWS, path, "Rows")?;
    let columns = attrs::count(obj, tags::COLUMNS, path, "Columns")?;
    let frame_count = attrs::count(obj, tags::NUMBER_OF_FRAMES, path, "Number of Frames")?;
    let declared = frame_count as u64 * rows as u64 * columns as u64;
    if declared > crate::max_voxels() {
        return Err(ImageError::TooLarge {
            path: path.to_path_buf(),
            declared,
            limit: crate::max_voxels(),
        });
    }
    let kind = segmentation_type(obj, path)?;
    let mut segments = read_segments(obj, path)?;
    let frames = read_frames(obj, path, frame_count)?;
    for frame in &frames {
        let Some(index) = segments.iter().position(|s| s.number == frame.segment) else {
            return Err(malformed(
                path,
                format!(
                    "a frame refers to segment number {}, which the Segment Sequence does not \
                         declare (segments: {})",
                    frame.segment,
                    listing(&segments)
                ),
            ));
        };
        segments[index].frames += 1;
    }
    let pixels = pixel_bytes(obj, path, kind, declared)?;
    Ok(Segmentation {
        path: path.to_path_buf(),
        kind,
        segments,
        frame_of_reference: attrs::text(obj, tags::FRAME_OF_REFERENCE_UID),
        referenced_series: attrs::items(obj, tags::REFERENCED_SERIES_SEQUENCE)
            .iter()
            .filter_map(|s| attrs::text(s, tags::SERIES_INSTANCE_UID))
            .collect(),
        rows,
        columns,
        frames,
        pixels,
    })
}

fn segmentation_type(obj: &Item, path: &Path) -> Result<SegmentationType> {
    let bits = attrs::int(obj, tags::BITS_ALLOCATED);
    match attrs::text(obj, tags::SEGMENTATION_TYPE).as_deref() {
        Some("BINARY") if bits == Some(1) => Ok(SegmentationType::Binary),
        Some("FRACTIONAL") if bits == Some(8) => {
            let maximum = attrs::int(obj, tags::MAXIMUM_FRACTIONAL_VALUE)
                .filter(|&m| (1..=255).contains(&m))
                .ok_or_else(|| {
                    malformed(
                        path,
                        "FRACTIONAL SEG without a Maximum Fractional Value from 1 to 255",
                    )
                })?;
            Ok(SegmentationType::Fractional {
                maximum: maximum as u8,
            })
        }
        Some(t @ ("BINARY" | "FRACTIONAL")) => Err(unsupported(
            path,
            format!("{t} SEG with Bits Allocated {bits:?}"),
        )),
        other => Err(unsupported(path, format!("Segmentation Type {other:?}"))),
    }
}

fn read_segments(obj: &Item, path: &Path) -> Result<Vec<Segment>> {
    let items = attrs::items(obj, tags::SEGMENT_SEQUENCE);
    if items.is_empty() {
        return Err(malformed(path, "SEG without Segment Sequence"));
    }
    items
        .iter()
        .map(|item| {
            Ok(Segment {
                number: attrs::int(item, tags::SEGMENT_NUMBER)
                    .ok_or_else(|| malformed(path, "a segment without Segment Number"))?,
                label: attrs::text(item, tags::SEGMENT_LABEL).unwrap_or_default(),
                frames: 0,
            })
        })
        .collect()
}

/// Each frame's segment, position, orientation and spacing: from its own functional group,
/// else from the shared one.
fn read_frames(obj: &Item, path: &Path, frame_count: usize) -> Result<Vec<Frame>> {
    let shared = attrs::first_item(obj, tags::SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    let per_frame = attrs::items(obj, tags::PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    if per_frame.len() != frame_count {
        return Err(malformed(
            path,
            format!(
                "Number of Frames is {frame_count} but the Per-frame Functional Groups Sequence \
                 has {} items",
                per_frame.len()
            ),
        ));
    }
    per_frame
        .iter()
        .enumerate()
        .map(|(n, own)| {
            let group = |tag| {
                attrs::first_item(own, tag)
                    .or_else(|| shared.and_then(|s| attrs::first_item(s, tag)))
            };
            let missing = |what: &str| malformed(path, format!("frame {}: no {what}", n + 1));
            let segment = group(tags::SEGMENT_IDENTIFICATION_SEQUENCE)
                .and_then(|g| attrs::int(g, tags::REFERENCED_SEGMENT_NUMBER))
                .ok_or_else(|| missing("Referenced Segment Number"))?;
            let position = group(tags::PLANE_POSITION_SEQUENCE)
                .ok_or_else(|| missing("Plane Position Sequence"))?;
            let orientation = group(tags::PLANE_ORIENTATION_SEQUENCE)
                .ok_or_else(|| missing("Plane Orientation Sequence"))?;
            let measures = group(tags::PIXEL_MEASURES_SEQUENCE)
                .ok_or_else(|| missing("Pixel Measures Sequence"))?;
            let p = attrs::floats(
                position,
                tags::IMAGE_POSITION_PATIENT,
                3,
                path,
                "Image Position (Patient)",
            )?;
            let o = attrs::floats(
                orientation,
                tags::IMAGE_ORIENTATION_PATIENT,
                6,
                path,
                "Image Orientation (Patient)",
            )?;
            let s = attrs::floats(measures, tags::PIXEL_SPACING, 2, path, "Pixel Spacing")?;
            Ok(Frame {
                segment,
                position: [p[0], p[1], p[2]],
                orientation: [o[0], o[1], o[2], o[3], o[4], o[5]],
                pixel_spacing: [s[0], s[1]],
            })
        })
        .collect()
}

/// The native pixel bytes, checked to hold every frame.
fn pixel_bytes(obj: &Item, path: &Path, kind: SegmentationType, pixels: u64) -> Result<Vec<u8>> {
    let element = attrs::element(obj, tags::PIXEL_DATA)
        .ok_or_else(|| malformed(path, "SEG without Pixel Data"))?;
    if element.fragments().is_some() {
        return Err(unsupported(
            path,
            "compressed (encapsulated) SEG pixel data",
        ));
    }
    let bytes = element
        .to_bytes()
        .map_err(|e| malformed(path, format!("unreadable Pixel Data: {e}")))?;
    let expected = match kind {
        SegmentationType::Binary => pixels.div_ceil(8),
        SegmentationType::Fractional { .. } => pixels,
    };
    if (bytes.len() as u64) < expected {
        return Err(ImageError::Truncated {
            path: path.to_path_buf(),
            expected,
            actual: bytes.len() as u64,
        });
    }
    Ok(bytes.into_owned())
}

fn listing(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| format!("{} {:?}", s.number, s.label))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Segmentation {
    /// Checks that this SEG was made on the image series `image`.
    ///
    /// # Errors
    /// [`ImageError::InvalidSetting`] naming the file and both UIDs when it was not.
    pub fn check_reference(&self, image: &SeriesReference) -> Result<()> {
        let frames: Vec<String> = self.frame_of_reference.iter().cloned().collect();
        attrs::check_reference(&self.path, "SEG", &frames, &self.referenced_series, image)
    }

    /// The mask of segment `number` on `grid` by the rule of this module: `U8`, 1 inside.
    ///
    /// # Errors
    /// [`ImageError::InvalidSetting`] naming the file when no segment has that number (listing
    /// the segments), or a frame is not on the grid (position, orientation, spacing) or puts
    /// inside pixels outside it; [`ImageError::TooLarge`] for a grid over [`crate::max_voxels`].
    pub fn mask(&self, number: i64, grid: &Geometry) -> Result<Volume> {
        if !self.segments.iter().any(|s| s.number == number) {
            return Err(self.error(format!(
                "no segment number {number} (segments: {})",
                listing(&self.segments)
            )));
        }
        let declared: u64 = grid.size.iter().map(|&s| s as u64).product();
        if declared > crate::max_voxels() {
            return Err(ImageError::TooLarge {
                path: self.path.clone(),
                declared,
                limit: crate::max_voxels(),
            });
        }
        let [nx, ny, _] = grid.size;
        let mut mask = vec![0u8; grid.voxel_count()];
        for (n, frame) in self.frames.iter().enumerate() {
            if frame.segment != number {
                continue;
            }
            let [i0, j0, k] = self
                .placement(frame, grid)
                .map_err(|reason| self.error(format!("frame {}: {reason}", n + 1)))?;
            for r in 0..self.rows {
                for c in 0..self.columns {
                    if !self.inside(n, r * self.columns + c) {
                        continue;
                    }
                    let (x, y) = (i0 + c as i64, j0 + r as i64);
                    if x < 0 || y < 0 || x >= nx as i64 || y >= ny as i64 {
                        return Err(self.error(format!(
                            "frame {}: pixel (row {r}, column {c}) of segment {number} lies \
                             outside the image",
                            n + 1
                        )));
                    }
                    mask[grid.offset(x as usize, y as usize, k as usize)] = 1;
                }
            }
        }
        Volume::new(grid.clone(), VoxelData::U8(mask))
    }

    /// Grid index of the frame's first pixel (column, row as signed offsets; slice).
    fn placement(&self, frame: &Frame, grid: &Geometry) -> std::result::Result<[i64; 3], String> {
        let axis = |c: usize| [0, 1, 2].map(|r| grid.direction[r][c]);
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-4);
        let (row, column) = (axis(0), axis(1));
        if !close(&frame.orientation[..3], &row) || !close(&frame.orientation[3..], &column) {
            return Err(format!(
                "orientation {:?} differs from the image's {:?}",
                frame.orientation,
                [row, column].concat()
            ));
        }
        let spacing = [frame.pixel_spacing[1], frame.pixel_spacing[0]];
        if !spacing
            .iter()
            .zip(&grid.spacing)
            .all(|(a, b)| (a - b).abs() <= 1e-4 * b.abs())
        {
            return Err(format!(
                "pixel spacing {:?} differs from the image's {:?}",
                frame.pixel_spacing,
                [grid.spacing[1], grid.spacing[0]]
            ));
        }
        let index = grid.physical_to_index(frame.position);
        let rounded = index.map(f64::round);
        if index
            .iter()
            .zip(&rounded)
            .any(|(a, b)| (a - b).abs() > PLACEMENT_TOLERANCE)
        {
            return Err(format!(
                "position {:?} is not on a voxel of the image grid (continuous index {index:?})",
                frame.position
            ));
        }
        if rounded[2] < 0.0 || rounded[2] >= grid.size[2] as f64 {
            return Err(format!(
                "position {:?} lies outside the image's slices",
                frame.position
            ));
        }
        Ok([rounded[0] as i64, rounded[1] as i64, rounded[2] as i64])
    }

    /// Whether pixel `p` of frame `frame` is inside its segment.
    fn inside(&self, frame: usize, p: usize) -> bool {
        let offset = frame * self.rows * self.columns + p;
        match self.kind {
            SegmentationType::Binary => self.pixels[offset / 8] >> (offset % 8) & 1 == 1,
            SegmentationType::Fractional { maximum } => {
                2 * u16::from(self.pixels[offset]) >= u16::from(maximum)
            }
        }
    }

    fn error(&self, reason: String) -> ImageError {
        ImageError::InvalidSetting { reason }.in_file(&self.path)
    }
}
