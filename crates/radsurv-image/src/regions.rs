//! Mask files of every kind and the regions they hold: labels of a label map, segments of a
//! `.seg.nrrd` or DICOM-SEG, ROIs of an RTSTRUCT, each put on the image's grid.
//!
//! # Choosing a region
//! A region is named by its name or its number (label value, segment number, ROI number); a
//! name is tried first. A file that holds a single region is used without naming it; with
//! several, a name or number is required and its absence is an error that lists them. A label
//! map is the exception: without a choice its label comes from the parameter file, as before.

use std::path::{Path, PathBuf};

use crate::io::dicom_attrs::{self, SeriesReference};
use crate::{dicom, dicom_seg, label_counts, rtstruct, seg_nrrd, ImageError, Result, Volume};

/// What a mask file is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MaskFile {
    /// A label map (NRRD, NIfTI): every non-zero value is a region.
    LabelMap(Volume),
    /// A 3D Slicer `.seg.nrrd`: its segments.
    SlicerSegmentation {
        /// The file.
        path: PathBuf,
        /// Its segments.
        segments: Vec<seg_nrrd::Segment>,
    },
    /// A DICOM RTSTRUCT: its ROIs.
    RtStruct(rtstruct::StructureSet),
    /// A DICOM-SEG: its segments.
    DicomSeg(dicom_seg::Segmentation),
}

/// One region of a mask file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Label value, segment number or ROI number.
    pub number: i64,
    /// Name (a label map's regions are named by their value).
    pub name: String,
    /// What the region is made of, in words: "12 contours", "15 frames", "5564 voxels".
    pub extent: String,
}

/// A region's mask on the image grid and the label that marks it there.
#[derive(Debug, Clone)]
pub struct RegionMask {
    /// The mask volume: the label map itself, or a `U8` mask with 1 inside.
    pub volume: Volume,
    /// The value of the region's voxels in `volume`.
    pub label: i64,
}

/// An image read for extraction, with the DICOM series it came from when it is one.
#[derive(Debug, Clone)]
pub struct Image {
    /// The voxels and geometry.
    pub volume: Volume,
    /// The series, when read from a DICOM folder: RTSTRUCT and SEG files are checked against it.
    pub series: Option<SeriesReference>,
}

impl Image {
    /// Reads an image as [`crate::read`] does, keeping the DICOM series' identity.
    ///
    /// # Errors
    /// The format reader's errors.
    pub fn read(path: impl AsRef<Path>) -> Result<Image> {
        let path = path.as_ref();
        if path.is_dir() {
            let (volume, series) = dicom::read_series_with_reference(path, None)?;
            return Ok(Image {
                volume,
                series: Some(series),
            });
        }
        Ok(Image {
            volume: crate::read(path)?,
            series: None,
        })
    }
}

/// True when the file starts as a DICOM file does (`DICM` after the 128-byte preamble).
fn is_dicom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 132];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head[128..] == b"DICM"
}

impl MaskFile {
    /// Opens a mask: a DICOM file by its Modality (RTSTRUCT or SEG), a `.seg.nrrd` by its
    /// segments, anything else as a label map.
    ///
    /// # Errors
    /// The format reader's errors; [`ImageError::Unsupported`] for a DICOM file of another
    /// modality.
    pub fn open(path: impl AsRef<Path>) -> Result<MaskFile> {
        let path = path.as_ref();
        let name = path.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".seg.nrrd") {
            return Ok(MaskFile::SlicerSegmentation {
                path: path.to_path_buf(),
                segments: seg_nrrd::list_segments(path)?,
            });
        }
        if !path.is_dir() && (name.ends_with(".dcm") || is_dicom(path)) {
            return Self::open_dicom(path);
        }
        Ok(MaskFile::LabelMap(crate::read(path)?))
    }

    fn open_dicom(path: &Path) -> Result<MaskFile> {
        let bytes = dicom_attrs::read_bytes(path)?;
        let obj = dicom_attrs::parse(&bytes, path)?;
        match dicom_attrs::text(&obj, dicom_dictionary_std::tags::MODALITY).as_deref() {
            Some("RTSTRUCT") => Ok(MaskFile::RtStruct(rtstruct::from_object(&obj, path)?)),
            Some("SEG") => Ok(MaskFile::DicomSeg(dicom_seg::from_object(&obj, path)?)),
            other => Err(crate::error::unsupported(
                path,
                format!(
                    "DICOM mask of modality {:?} (expected RTSTRUCT or SEG)",
                    other.unwrap_or("")
                ),
            )),
        }
    }

    /// What kind of file this is, in words.
    pub fn format(&self) -> &'static str {
        match self {
            MaskFile::LabelMap(_) => "label map",
            MaskFile::SlicerSegmentation { .. } => "3D Slicer segmentation",
            MaskFile::RtStruct(_) => "DICOM RTSTRUCT",
            MaskFile::DicomSeg(s) => match s.kind {
                dicom_seg::SegmentationType::Binary => "DICOM-SEG (BINARY)",
                dicom_seg::SegmentationType::Fractional { .. } => "DICOM-SEG (FRACTIONAL)",
            },
        }
    }

    /// Series Instance UIDs of the image series a DICOM mask references.
    pub fn referenced_series(&self) -> &[String] {
        match self {
            MaskFile::RtStruct(s) => &s.referenced_series,
            MaskFile::DicomSeg(s) => &s.referenced_series,
            _ => &[],
        }
    }

    /// The regions the file holds, in file order (label maps: ascending label).
    pub fn regions(&self) -> Vec<Region> {
        match self {
            MaskFile::LabelMap(v) => label_counts(v)
                .into_iter()
                .map(|(label, voxels)| Region {
                    number: label,
                    name: label.to_string(),
                    extent: format!("{voxels} voxels"),
                })
                .collect(),
            MaskFile::SlicerSegmentation { segments, .. } => segments
                .iter()
                .map(|s| Region {
                    number: s.index as i64,
                    name: s.name.clone(),
                    extent: format!("label {} on layer {}", s.label_value, s.layer),
                })
                .collect(),
            MaskFile::RtStruct(set) => set
                .rois
                .iter()
                .map(|r| Region {
                    number: r.number,
                    name: r.name.clone(),
                    extent: format!("{} contours", r.contours.len()),
                })
                .collect(),
            MaskFile::DicomSeg(seg) => seg
                .segments
                .iter()
                .map(|s| Region {
                    number: s.number,
                    name: s.label.clone(),
                    extent: format!("{} frames", s.frames),
                })
                .collect(),
        }
    }

    /// The region named (or numbered) `wanted`; without a choice the only region.
    ///
    /// # Errors
    /// [`ImageError::InvalidSetting`] naming the file and listing its regions when none matches,
    /// or when no choice is given and the file holds several (or none).
    pub fn select(&self, wanted: Option<&str>, path: &Path) -> Result<Region> {
        let regions = self.regions();
        let found = match wanted {
            Some(w) => regions
                .iter()
                .find(|r| r.name == w)
                .or_else(|| {
                    let n: i64 = w.trim().parse().ok()?;
                    regions.iter().find(|r| r.number == n)
                })
                .cloned(),
            None if regions.len() == 1 => regions.first().cloned(),
            None => None,
        };
        found.ok_or_else(|| {
            let what = self.region_word();
            let reason = match wanted {
                Some(w) => format!("no {what} named or numbered {w:?}; {}", listing(&regions)),
                None => format!(
                    "the file holds {} {what}s, choose one; {}",
                    regions.len(),
                    listing(&regions)
                ),
            };
            ImageError::InvalidSetting { reason }.in_file(path)
        })
    }

    fn region_word(&self) -> &'static str {
        match self {
            MaskFile::LabelMap(_) => "label",
            MaskFile::RtStruct(_) => "ROI",
            _ => "segment",
        }
    }

    /// The mask of `region` on the image grid. DICOM masks are first checked to reference the
    /// image's series when the image is one.
    ///
    /// # Errors
    /// The readers' errors: reference mismatch, contours or frames off the grid, unknown region.
    pub fn mask(&self, region: &Region, image: &Image) -> Result<RegionMask> {
        let grid = image.volume.geometry();
        let binary = |volume| RegionMask { volume, label: 1 };
        match self {
            MaskFile::LabelMap(v) => Ok(RegionMask {
                volume: v.clone(),
                label: region.number,
            }),
            MaskFile::SlicerSegmentation { path, .. } => {
                Ok(binary(seg_nrrd::read_segment(path, &region.name)?))
            }
            MaskFile::RtStruct(set) => {
                if let Some(series) = &image.series {
                    set.check_reference(series)?;
                }
                let roi = set.roi(region.number).ok_or_else(|| {
                    crate::error::malformed(&set.path, format!("no ROI {}", region.number))
                })?;
                Ok(binary(set.rasterise(roi, grid)?))
            }
            MaskFile::DicomSeg(seg) => {
                if let Some(series) = &image.series {
                    seg.check_reference(series)?;
                }
                Ok(binary(seg.mask(region.number, grid)?))
            }
        }
    }
}

fn listing(regions: &[Region]) -> String {
    if regions.is_empty() {
        return "it holds none".into();
    }
    let names: Vec<String> = regions
        .iter()
        .map(|r| format!("{} {:?}", r.number, r.name))
        .collect();
    format!("there are: {}", names.join(", "))
}
