//! Resampling exactly as PyRadiomics 3.x (`imageoperations.resampleImage`) with SimpleITK's
//! `ResampleImageFilter`: same output grid, same interpolated values, same casts.
//!
//! # Output grid ([`GridAlignment::Corner`], PyRadiomics)
//! With mask spacing $s_m$, requested spacing $s_r$ (0 entries and axes where the ROI is one
//! voxel thick keep $s_m$), $r = s_m / s_r$, ROI bounding box lower index $b$ and size $n_b$,
//! pad distance $P$ and mask size $n$:
//! $$L = \max(0, \lfloor (b - \tfrac12) r - P \rfloor),\quad
//!   U = \min(\lceil n r \rceil - 1, \lceil (b + n_b - \tfrac12) r + P \rceil),$$
//! size $U - L + 1$, origin at the mask's continuous index $\tfrac12 (s_r - s_m)/s_m + L / r$:
//! the new grid's voxel corner coincides with the original one. Direction = mask direction.
//! When the image spacing already equals $s_r$ (`numpy.allclose`), the image is not
//! interpolated: the mask is nearest-neighbour resampled onto the image grid and both are
//! cropped to the ROI bounding box ± $P$ (`cropToTumorMask`).
//!
//! [`GridAlignment::Centre`] (IBSI 1 §2.4, "align grid centres") is the alternative grid: the
//! resampled grid covers the whole image with its centre on the image centre, then is cropped
//! to the ROI ± $P$ the same way.
//!
//! # Interpolation (ITK 5.x, as SimpleITK 2.x runs it)
//! Each output scan line maps its voxel 0 and voxel $n_x$ (one past the end) to continuous input
//! indices $a, e$; voxel $x$ is looked up at $a + (x/n_x)(e - a)$ (`LinearThreadedGenerateData`).
//! A point is evaluated iff every index lies in $[-\tfrac12, n - \tfrac12)$, else it gets 0.
//! - [`Interpolator::NearestNeighbor`]: index $\lfloor c + \tfrac12 \rfloor$ (round half up).
//! - [`Interpolator::Linear`]: ITK's trilinear, neighbours clamped to the image.
//! - [`Interpolator::BSpline`]: cubic B-spline on coefficients from ITK's recursive prefilter
//!   (pole $z = \sqrt3 - 2$, gain 6, mirror boundaries) applied along x, then y, then z; support
//!   start $\lfloor \mathrm{float}(c) \rfloor - 1$; out-of-image support indices mirrored.
//!
//! Values are cast to the input pixel type like `CastPixelWithBoundsChecking`: clamped to the
//! type's range, then truncated toward zero for integer types. Masks are resampled nearest
//! neighbour and keep their pixel type.
//!
//! # Speed
//! PyRadiomics prefilters the whole image along all three axes. The prefilter is separable and
//! each 1-D pass is global along its line, so only the coefficients that the output's 4×4×4
//! supports touch are needed: the x pass runs on every x line (it must), but keeps only the
//! needed x columns; the y pass runs on whole y lines of those columns; the z pass on whole z
//! lines of the needed (x, y) pairs. The anti-causal half of each pass, which starts at the end
//! of the line, stops at the first needed index. Every needed coefficient still gets ITK's
//! operations in ITK's order, so the coefficients are bit-identical to the whole-image filter.
//! Lines are filtered in blocks of 16, interleaved, so the recursion runs on vectors instead of
//! waiting on itself (with AVX where the CPU has it, chosen at run time; no fused multiply-adds,
//! so the bits do not depend on the CPU); the x and y passes run one z plane at a time, which
//! keeps the intermediate in cache. Each interpolated value is a sum of 64 terms that depend
//! on each other; eight output voxels of a line are summed side by side, each lane with ITK's
//! terms in ITK's order, so the processor overlaps the eight chains. The label map is only scanned for its bounding box; its
//! UInt32 cast is applied to the resampled map.
//!
//! # Reference
//! `shared/refs/pyradiomics.md` §2; golden: `testdata/pyradiomics/resampled_1mm/`.

mod bspline;
mod grid;
mod interpolate;
#[cfg(test)]
mod tests;

use bspline::BSplineCoefficients;
use grid::{all_close, centre_aligned_grid, corner_aligned_grid};
use interpolate::{nearest, trilinear, ScanLines};

use crate::mask::check_roi;
use crate::{Geometry, ImageError, PixelType, Result, Volume, VoxelData};
use rayon::prelude::*;

/// Interpolation method for the image (masks are always nearest neighbour).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Interpolator {
    /// Nearest neighbour, rounding half up (`sitkNearestNeighbor`).
    NearestNeighbor,
    /// Trilinear (`sitkLinear`).
    Linear,
    /// Cubic B-spline (`sitkBSpline`, PyRadiomics' default).
    BSpline,
}

/// Where the resampled grid sits relative to the original one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GridAlignment {
    /// PyRadiomics: the first voxel's corner stays on the original first voxel's corner.
    Corner,
    /// IBSI: the grid centre stays on the original grid centre.
    Centre,
}

/// Settings of [`resample_image_and_mask`]; `Default` is PyRadiomics' (with 1 mm spacing, the
/// paper's profile).
#[derive(Debug, Clone, PartialEq)]
pub struct ResampleSettings {
    /// Requested spacing in mm along x, y, z; 0 keeps the mask's spacing on that axis.
    pub spacing: [f64; 3],
    /// Image interpolator (`interpolator`, default B-spline).
    pub interpolator: Interpolator,
    /// Voxels of the new grid kept around the ROI bounding box (`padDistance`, default 5).
    pub pad_distance: usize,
    /// Label whose bounding box defines the grid (`label`, default 1).
    pub label: i64,
    /// Grid placement (default [`GridAlignment::Corner`], PyRadiomics).
    pub alignment: GridAlignment,
}

impl Default for ResampleSettings {
    fn default() -> Self {
        ResampleSettings {
            spacing: [1.0; 3],
            interpolator: Interpolator::BSpline,
            pad_distance: 5,
            label: 1,
            alignment: GridAlignment::Corner,
        }
    }
}

/// Resamples image and label map onto the grid PyRadiomics derives from the mask's ROI.
///
/// Returns `(image, mask)` on the same grid: the image in its own pixel type, the mask with all
/// its labels, nearest neighbour, as UInt32 (PyRadiomics' `getMask` casts it so).
///
/// # Errors
/// [`ImageError::InvalidSetting`] for a negative or non-finite spacing, a grid over the voxel
/// limit, or one on which no voxel lies inside the ROI;
/// [`ImageError::RoiOutsideImage`], [`ImageError::MissingLabel`], [`ImageError::EmptyMask`].
pub fn resample_image_and_mask(
    image: &Volume,
    mask: &Volume,
    settings: &ResampleSettings,
) -> Result<(Volume, Volume)> {
    if settings
        .spacing
        .iter()
        .any(|&s| !(s >= 0.0 && s.is_finite()))
    {
        return Err(ImageError::InvalidSetting {
            reason: format!(
                "resampled spacing {:?} must be finite and ≥ 0",
                settings.spacing
            ),
        });
    }
    let bb = check_roi(image.geometry(), mask, settings.label)?;
    let m = mask.geometry();
    let bb_size = bb.size();
    let spacing: [f64; 3] = [0, 1, 2].map(|a| {
        if settings.spacing[a] == 0.0 || bb_size[a] == 1 {
            m.spacing[a]
        } else {
            settings.spacing[a]
        }
    });
    if all_close(&image.geometry().spacing, &spacing) {
        return crop_without_interpolation(image, mask, settings);
    }
    let grid = match settings.alignment {
        GridAlignment::Corner => corner_aligned_grid(m, &bb, spacing, settings.pad_distance),
        GridAlignment::Centre => centre_aligned_grid(m, &bb, spacing, settings.pad_distance),
    };
    check_grid_size(&grid)?;
    let (resampled_image, resampled_mask) = rayon::join(
        || resample_onto(image, &grid, settings.interpolator),
        || resample_onto(mask, &grid, Interpolator::NearestNeighbor).map(|m| as_u32(&m)),
    );
    let resampled_mask = resampled_mask?;
    check_roi_kept(&resampled_mask, settings.label)?;
    Ok((resampled_image?, resampled_mask))
}

/// The ROI still has a voxel on the resampled grid: a spacing coarser than the ROI (or than the
/// whole image) can leave no new voxel centre inside it, and the cause is the spacing, not the
/// mask.
fn check_roi_kept(resampled_mask: &Volume, label: i64) -> Result<()> {
    let mut kept = false;
    resampled_mask.data().for_each_label(|l| kept |= l == label);
    if kept {
        return Ok(());
    }
    Err(ImageError::InvalidSetting {
        reason: format!(
            "no voxel of the grid resampled to spacing {:?} mm lies inside label {label}: \
             resampledPixelSpacing is too coarse for this ROI",
            resampled_mask.geometry().spacing
        ),
    })
}

/// The resampled grid's voxels against [`crate::limits::VOXELS`], before any is allocated: a
/// tiny spacing (or a huge ROI) would otherwise ask for terabytes or run for hours.
fn check_grid_size(grid: &Geometry) -> Result<()> {
    let voxels: f64 = grid.size.iter().map(|&n| n as f64).product();
    let source = format!("the resampled spacing {:?} mm", grid.spacing);
    crate::limits::VOXELS
        .check(voxels, &source)
        .map_err(|e| ImageError::InvalidSetting {
            reason: e.to_string(),
        })
}

/// Resamples `volume` onto `grid` (ITK `ResampleImageFilter`, identity transform, default value
/// 0), keeping the pixel type.
///
/// # Errors
/// None at present for valid volumes; the `Result` leaves room for unsupported cases.
pub fn resample_onto(
    volume: &Volume,
    grid: &Geometry,
    interpolator: Interpolator,
) -> Result<Volume> {
    let lines = ScanLines::new(volume.geometry(), grid);
    let values: Vec<f64> = match interpolator {
        Interpolator::NearestNeighbor => lines.evaluate(|c| nearest(volume, c)),
        Interpolator::Linear => lines.evaluate(|c| trilinear(volume, c)),
        Interpolator::BSpline => {
            let coefficients = BSplineCoefficients::new(volume, &lines.support_box());
            lines.evaluate_lines(|points, values| coefficients.evaluate_points(points, values))
        }
    };
    Volume::new(grid.clone(), cast_like(volume.pixel_type(), values))
}

/// PyRadiomics' `correctMask`: after [`check_roi`], resamples the label map onto the image grid
/// with nearest-neighbour interpolation (ITK `ResampleImageFilter`, default value 0), keeping its
/// pixel type.
///
/// # Errors
/// Those of [`check_roi`].
pub fn correct_mask(image: &Geometry, labels: &Volume, label: i64) -> Result<Volume> {
    check_roi(image, labels, label)?;
    resample_onto(labels, image, Interpolator::NearestNeighbor)
}

/// Crops image and mask to the ROI bounding box ± `pad_distance` voxels (PyRadiomics
/// `cropToTumorMask`), after the mask is nearest-neighbour resampled onto the image grid.
///
/// # Errors
/// [`ImageError::MissingLabel`] or [`ImageError::EmptyMask`] for the resampled mask.
pub fn crop_to_mask(
    image: &Volume,
    mask: &Volume,
    label: i64,
    pad_distance: usize,
) -> Result<(Volume, Volume)> {
    let bb = crate::Mask::from_volume(mask, label)?.bounding_box();
    let g = image.geometry();
    let lower = [0, 1, 2].map(|a| bb.lower[a].saturating_sub(pad_distance));
    let upper = [0, 1, 2].map(|a| (bb.upper[a] + pad_distance).min(g.size[a] - 1));
    Ok((crop(image, lower, upper), crop(mask, lower, upper)))
}

/// The label map as UInt32 (values truncated and clamped, as ITK's cast does). Nearest-neighbour
/// resampling only copies values, so casting after it equals PyRadiomics' cast before it, on
/// far fewer voxels.
fn as_u32(mask: &Volume) -> Volume {
    let values = mask.data().to_u32_clamped();
    // Invariant: same voxel count as the mask's geometry.
    Volume::new(mask.geometry().clone(), VoxelData::U32(values)).unwrap_or_else(|_| unreachable!())
}

/// PyRadiomics' branch for an image already at the requested spacing.
fn crop_without_interpolation(
    image: &Volume,
    mask: &Volume,
    settings: &ResampleSettings,
) -> Result<(Volume, Volume)> {
    let on_image_grid = resample_onto(mask, image.geometry(), Interpolator::NearestNeighbor)?;
    let (image, mask) = crop_to_mask(image, &on_image_grid, settings.label, settings.pad_distance)?;
    Ok((image, as_u32(&mask)))
}

/// A sub-box of a volume, `lower ..= upper`.
fn crop(volume: &Volume, lower: [usize; 3], upper: [usize; 3]) -> Volume {
    let g = volume.geometry();
    let size = [0, 1, 2].map(|a| upper[a] - lower[a] + 1);
    let origin = g.index_to_physical(lower.map(|v| v as f64));
    let geometry = Geometry {
        size,
        spacing: g.spacing,
        origin,
        direction: g.direction,
    };
    let offsets: Vec<usize> = (lower[2]..=upper[2])
        .flat_map(|z| (lower[1]..=upper[1]).map(move |y| (y, z)))
        .flat_map(|(y, z)| (lower[0]..=upper[0]).map(move |x| g.offset(x, y, z)))
        .collect();
    macro_rules! pick {
        ($v:expr, $variant:ident) => {
            VoxelData::$variant(offsets.iter().map(|&o| $v[o]).collect())
        };
    }
    let data = match volume.data() {
        VoxelData::U8(v) => pick!(v, U8),
        VoxelData::I8(v) => pick!(v, I8),
        VoxelData::U16(v) => pick!(v, U16),
        VoxelData::I16(v) => pick!(v, I16),
        VoxelData::U32(v) => pick!(v, U32),
        VoxelData::I32(v) => pick!(v, I32),
        VoxelData::U64(v) => pick!(v, U64),
        VoxelData::I64(v) => pick!(v, I64),
        VoxelData::F32(v) => pick!(v, F32),
        VoxelData::F64(v) => pick!(v, F64),
    };
    // Invariant: one value per voxel of the cropped grid.
    Volume::new(geometry, data).unwrap_or_else(|_| unreachable!())
}

/// Casts interpolated doubles to `pixel_type` like ITK's `CastPixelWithBoundsChecking`: Rust's
/// `as` clamps to the type's range and truncates toward zero, which is exactly that.
fn cast_like(pixel_type: PixelType, values: Vec<f64>) -> VoxelData {
    macro_rules! cast {
        ($t:ty, $variant:ident) => {
            VoxelData::$variant(values.par_iter().map(|&v| v as $t).collect())
        };
    }
    match pixel_type {
        PixelType::U8 => cast!(u8, U8),
        PixelType::I8 => cast!(i8, I8),
        PixelType::U16 => cast!(u16, U16),
        PixelType::I16 => cast!(i16, I16),
        PixelType::U32 => cast!(u32, U32),
        PixelType::I32 => cast!(i32, I32),
        PixelType::U64 => cast!(u64, U64),
        PixelType::I64 => cast!(i64, I64),
        PixelType::F32 => cast!(f32, F32),
        PixelType::F64 => VoxelData::F64(values),
    }
}
