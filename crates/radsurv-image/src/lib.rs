//! Medical volumes for radsurv: voxel data with ITK geometry, file formats, masks and resampling.
//!
//! Geometry follows ITK/SimpleITK exactly: physical space is LPS, voxel `(i, j, k)` maps to
//! $p = o + D\,\mathrm{diag}(s)\,(i, j, k)^\top$ with origin $o$, direction matrix $D$ (columns are
//! the axis directions) and spacing $s$. Voxels are stored x-fastest (`x + nx*(y + ny*z)`), which is
//! the memory order of both ITK and the `(z, y, x)` numpy arrays PyRadiomics computes on.

// 3×3 matrix and per-axis code indexes several arrays by the same axis; iterators hide that.
#![allow(clippy::needless_range_loop)]

mod error;
mod geometry;
mod io;
pub mod limits;
pub mod mask;
pub mod regions;
pub mod resample;
mod volume;

pub use error::{ImageError, Result};
pub use geometry::Geometry;
pub use io::{dicom, dicom_seg, nifti, nrrd, rtstruct, seg_nrrd};
pub use mask::{check_geometry, label_counts, Mask};
pub use volume::{PixelType, RowExtent, Volume, VoxelData, INTERLEAVE_LANES};

use std::path::Path;

/// Largest number of voxels a file may declare or a grid may have ([`limits::VOXELS`]);
/// checked before any voxel buffer is allocated.
pub fn max_voxels() -> u64 {
    limits::VOXELS.value()
}

/// Reads a volume, choosing the format from the path: `.nrrd`/`.nhdr` (NRRD, including
/// `.seg.nrrd` label maps read whole), `.nii`/`.nii.gz` (NIfTI-1), or a folder (DICOM series).
///
/// # Errors
/// [`ImageError::Unsupported`] for any other extension; otherwise the format reader's errors.
pub fn read(path: impl AsRef<Path>) -> Result<Volume> {
    let path = path.as_ref();
    if path.is_dir() {
        return dicom::read_series(path, None);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".nrrd") || name.ends_with(".nhdr") {
        nrrd::read(path)
    } else if name.ends_with(".nii") || name.ends_with(".nii.gz") {
        nifti::read(path)
    } else {
        Err(error::unsupported(
            path,
            "file extension (expected .nrrd, .nhdr, .nii, .nii.gz or a DICOM folder)",
        ))
    }
}
