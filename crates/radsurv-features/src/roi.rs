//! The discretised, bounding-box-cropped region of interest that every texture class reads.
//!
//! PyRadiomics computes all texture matrices on the image cropped to the mask's bounding box
//! (no padding); neighbours outside that box do not exist. Arrays here use its `(z, y, x)` order,
//! stored with x fastest: voxel `(z, y, x)` sits at `x + nx * (y + ny * z)`.
//!
//! The padded grey-level grid the texture classes walk ([`LevelGrid`]) is built once per ROI and
//! shared: every class of an image reads the same grid, padded for the largest neighbour distance
//! in the settings, so a case allocates and fills it once instead of once per class.
//!
//! # Padded grid
//! All matrices are built on the bounding-box crop, where a neighbour outside the box does not
//! exist. [`LevelGrid`] copies the crop into an array padded by `pad` non-ROI voxels on every
//! side, so a neighbour is `index + linear offset` with no bounds checks: an out-of-box
//! neighbour lands in the padding and reads as "not in the ROI", exactly as PyRadiomics' explicit
//! bounds test decides.

use std::borrow::Cow;
use std::sync::OnceLock;

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

    /// Linear offset of `(z, y, x)`.
    #[inline]
    pub fn offset(&self, z: usize, y: usize, x: usize) -> usize {
        x + self.dims[2] * (y + self.dims[1] * z)
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

/// A neighbour offset $(\Delta z, \Delta y, \Delta x)$ in voxels.
pub type Offset = [i32; 3];

/// The ROI copied into a padded array of compact grey-level codes.
#[derive(Debug, Clone)]
pub struct LevelGrid {
    /// Padded extent `[nz, ny, nx]`.
    pub dims: [usize; 3],
    /// Padding width on every side.
    pub pad: usize,
    /// Per padded voxel: 0 outside the ROI, else `1 + index` into [`LevelGrid::levels`].
    pub codes: Vec<u32>,
    /// Grey levels present in the ROI, ascending (PyRadiomics' `grayLevels`).
    pub levels: Vec<u32>,
    /// Padded linear index of every ROI voxel, in scan order (z slowest, x fastest).
    pub voxels: Vec<usize>,
}

impl LevelGrid {
    /// Copies `roi` into a grid padded by `pad` voxels (at least the largest offset used).
    pub fn new(roi: &DiscretisedRoi, pad: usize) -> LevelGrid {
        let [nz, ny, nx] = roi.dims;
        let dims = [nz + 2 * pad, ny + 2 * pad, nx + 2 * pad];
        let (levels, voxel_count) = present_levels(roi);
        let mut code_of = vec![0u32; levels.last().map_or(1, |&m| m as usize + 1)];
        for (k, &level) in levels.iter().enumerate() {
            code_of[level as usize] = k as u32 + 1;
        }
        let mut codes = vec![0u32; dims[0] * dims[1] * dims[2]];
        let mut voxels = Vec::with_capacity(voxel_count);
        for z in 0..nz {
            for y in 0..ny {
                let src = roi.offset(z, y, 0);
                let dst = pad + dims[2] * (y + pad + dims[1] * (z + pad));
                for x in 0..nx {
                    if roi.mask[src + x] {
                        codes[dst + x] = code_of[roi.levels[src + x] as usize];
                        voxels.push(dst + x);
                    }
                }
            }
        }
        LevelGrid {
            dims,
            pad,
            codes,
            levels,
            voxels,
        }
    }

    /// Padded linear index of the unpadded position `(z, y, x)`.
    #[inline]
    pub fn padded(&self, z: usize, y: usize, x: usize) -> usize {
        let [_, ny, nx] = self.dims;
        x + self.pad + nx * (y + self.pad + ny * (z + self.pad))
    }

    /// Number of voxels in a row (along `x`) of the unpadded box.
    pub fn row_width(&self) -> usize {
        self.dims[2] - 2 * self.pad
    }

    /// Padded linear index of the first voxel of every row of the unpadded box, in scan order
    /// (`z` slowest): `codes[start..start + row_width()]` is one box row, and the same slice
    /// shifted by a linear offset is the row of its neighbours along that offset.
    pub fn row_starts(&self) -> Vec<usize> {
        let [nz, ny, _] = self.dims;
        let (box_z, box_y) = (nz - 2 * self.pad, ny - 2 * self.pad);
        (0..box_z)
            .flat_map(|z| (0..box_y).map(move |y| (z, y)))
            .map(|(z, y)| self.padded(z, y, 0))
            .collect()
    }

    /// Linear index step of `offset` in the padded array.
    pub fn linear(&self, offset: Offset) -> isize {
        let [_, ny, nx] = self.dims;
        offset[0] as isize * (ny * nx) as isize
            + offset[1] as isize * nx as isize
            + offset[2] as isize
    }

    /// Linear index steps of `offsets`.
    pub fn linear_all(&self, offsets: &[Offset]) -> Vec<isize> {
        offsets.iter().map(|&o| self.linear(o)).collect()
    }

    /// Number of grey levels present in the ROI.
    pub fn level_count(&self) -> usize {
        self.levels.len()
    }

    /// Grey level value of a non-zero code.
    #[inline]
    pub fn level_value(&self, code: u32) -> f64 {
        f64::from(self.levels[code as usize - 1])
    }

    /// Unpadded `(z, y, x)` position of a padded linear index.
    pub fn position(&self, index: usize) -> [usize; 3] {
        let [_, ny, nx] = self.dims;
        let x = index % nx;
        let y = (index / nx) % ny;
        let z = index / (nx * ny);
        [z - self.pad, y - self.pad, x - self.pad]
    }
}

/// Sorted distinct grey levels inside the ROI and the number of ROI voxels, from one pass over
/// the box.
fn present_levels(roi: &DiscretisedRoi) -> (Vec<u32>, usize) {
    let mut seen: Vec<bool> = Vec::new();
    let mut count = 0;
    for (&level, &inside) in roi.levels.iter().zip(&roi.mask) {
        if inside {
            let level = level as usize;
            if level >= seen.len() {
                seen.resize(level + 1, false);
            }
            seen[level] = true;
            count += 1;
        }
    }
    let levels = seen
        .iter()
        .enumerate()
        .filter(|(_, &s)| s)
        .map(|(l, _)| l as u32)
        .collect();
    (levels, count)
}
