//! Medical volumes for radsurv: voxel data with ITK geometry, file formats, masks and resampling.
//!
//! Geometry follows ITK/SimpleITK exactly: physical space is LPS, voxel `(i, j, k)` maps to
//! $p = o + D\,\mathrm{diag}(s)\,(i, j, k)^\top$ with origin $o$, direction matrix $D$ (columns are
//! the axis directions) and spacing $s$. Voxels are stored x-fastest (`x + nx*(y + ny*z)`), which is
//! the memory order of both ITK and the `(z, y, x)` numpy arrays PyRadiomics computes on.

mod error;
mod geometry;
mod volume;

pub use error::{ImageError, Result};
pub use geometry::Geometry;
pub use volume::{PixelType, Volume, VoxelData};
