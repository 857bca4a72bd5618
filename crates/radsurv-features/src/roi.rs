//! The discretised, bounding-box-cropped region of interest that every texture class reads.
//!
//! PyRadiomics computes all texture matrices on the image cropped to the mask's bounding box
//! (no padding); neighbours outside that box do not exist. Arrays here use its `(z, y, x)` order,
//! stored with x fastest: voxel `(z, y, x)` sits at `x + nx * (y + ny * z)`.
//!
//! The padded grey-level grid the texture classes walk ([`LevelGrid`]) is built once per ROI and
//! shared: every class of an image reads the same grid, padded for the largest neighbour distance
//! in the settings, so a case allocates and fills it once instead of once per class.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::neighbours::LevelGrid;

/// The cropped ROI after discretisation.
#[derive(Debug, Clone)]
pub struct DiscretisedRoi {
    /// Array extent `[nz, ny, nx]` of the bounding box.
    pub dims: [usize; 3],
    /// Discretised grey level (1-based bin index) per voxel; only meaningful where `mask` is true.
    pub levels: Vec<u32>,
    /// True for voxels inside the ROI.
    pub mask: Vec<bool>,
    /// Voxel spacing in `(z, y, x)` order, millimetres (used by `weightingNorm`).
    pub spacing: [f64; 3],
    /// The padded grid, built on first use.
    grid: OnceLock<LevelGrid>,
}

impl DiscretisedRoi {
    /// An ROI of extent `dims` (`[nz, ny, nx]`) with its levels, mask and `(z, y, x)` spacing.
    pub fn new(dims: [usize; 3], levels: Vec<u32>, mask: Vec<bool>, spacing: [f64; 3]) -> Self {
        DiscretisedRoi {
            dims,
            levels,
            mask,
            spacing,
            grid: OnceLock::new(),
        }
    }

    /// The padded grey-level grid for these settings, padded by the largest distance that fits
    /// in the box (at least 1, which run lengths and zones need): built on first use and shared
    /// by all classes. A request for a wider padding than the stored grid's gets its own grid.
    pub fn level_grid(&self, settings: &TextureSettings) -> Cow<'_, LevelGrid> {
        let largest_extent = self.dims.iter().copied().max().unwrap_or(1);
        let distance = settings.distances.iter().copied().max().unwrap_or(1) as usize;
        let pad = distance.min(largest_extent.saturating_sub(1)).max(1);
        let grid = self.grid.get_or_init(|| LevelGrid::new(self, pad));
        if grid.pad >= pad {
            Cow::Borrowed(grid)
        } else {
            Cow::Owned(LevelGrid::new(self, pad))
        }
    }

    /// Largest grey level present, PyRadiomics' $N_g$ (used by Idmn and Idn).
    pub fn max_level(&self) -> u32 {
        self.levels
            .iter()
            .zip(&self.mask)
            .filter(|(_, &m)| m)
            .map(|(&l, _)| l)
            .max()
            .unwrap_or(0)
    }

    /// Linear offset of `(z, y, x)`.
    #[inline]
    pub fn offset(&self, z: usize, y: usize, x: usize) -> usize {
        x + self.dims[2] * (y + self.dims[1] * z)
    }

    /// Number of ROI voxels.
    pub fn voxel_count(&self) -> usize {
        self.mask.iter().filter(|&&m| m).count()
    }
}

/// Settings the texture classes read, with PyRadiomics' defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct TextureSettings {
    /// Neighbour distances (Chebyshev), `distances`, default `[1]`.
    pub distances: Vec<u32>,
    /// `symmetricalGLCM`, default true.
    pub symmetrical_glcm: bool,
    /// `weightingNorm`: `None` (default), or `"manhattan"`, `"euclidean"`, `"infinity"`, `"no_weighting"`.
    pub weighting_norm: Option<String>,
    /// `gldm_a`, default 0.
    pub gldm_a: f64,
    /// `force2D`, default false.
    pub force2d: bool,
    /// `force2Ddimension` in `(z, y, x)` axis order, default 0 (z).
    pub force2d_dimension: usize,
}

impl Default for TextureSettings {
    fn default() -> Self {
        TextureSettings {
            distances: vec![1],
            symmetrical_glcm: true,
            weighting_norm: None,
            gldm_a: 0.0,
            force2d: false,
            force2d_dimension: 0,
        }
    }
}

/// One feature of a class: its PyRadiomics name (without `original_<class>_`) and whether
/// PyRadiomics computes it only when named explicitly (deprecated features).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureName {
    /// PyRadiomics' feature name, e.g. `"JointEnergy"`.
    pub name: &'static str,
    /// True for features PyRadiomics marks deprecated.
    pub deprecated: bool,
}
