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
//! keeps the intermediate in cache. The label map is only scanned for its bounding box; its
//! UInt32 cast is applied to the resampled map.
//!
//! # Reference
//! `shared/refs/pyradiomics.md` §2; golden: `testdata/pyradiomics/resampled_1mm/`.

use multiversion::multiversion;
use rayon::prelude::*;

use crate::mask::{check_roi, BoundingBox};
use crate::{Geometry, ImageError, PixelType, Result, Volume, VoxelData, INTERLEAVE_LANES};

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
/// [`ImageError::InvalidSetting`] for a negative or non-finite spacing;
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
    let resampled_image = resample_onto(image, &grid, settings.interpolator)?;
    let resampled_mask = resample_onto(mask, &grid, Interpolator::NearestNeighbor)?;
    Ok((resampled_image, as_u32(&resampled_mask)))
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
            lines.evaluate(|c| coefficients.evaluate(c))
        }
    };
    Volume::new(grid.clone(), cast_like(volume.pixel_type(), values))
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

/// `numpy.allclose(a, b)`: $|a - b| \le 10^{-8} + 10^{-5}|b|$ everywhere.
fn all_close(a: &[f64; 3], b: &[f64; 3]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-8 + 1e-5 * y.abs())
}

/// The PyRadiomics (corner-aligned) grid around the ROI.
fn corner_aligned_grid(m: &Geometry, bb: &BoundingBox, spacing: [f64; 3], pad: usize) -> Geometry {
    let pad = pad as f64;
    let mut size = [0usize; 3];
    let mut cindex = [0.0; 3];
    for a in 0..3 {
        let ratio = m.spacing[a] / spacing[a];
        let low = ((bb.lower[a] as f64 - 0.5) * ratio - pad).floor();
        let high = ((bb.lower[a] as f64 + bb.size()[a] as f64 - 0.5) * ratio + pad).ceil();
        let max_high = (m.size[a] as f64 * ratio).ceil() - 1.0;
        let (low, high) = (low.max(0.0), high.min(max_high));
        size[a] = (high - low + 1.0) as usize;
        let origin_index = 0.5 * (spacing[a] - m.spacing[a]) / m.spacing[a];
        cindex[a] = origin_index + low / ratio;
    }
    Geometry {
        size,
        spacing,
        origin: continuous_index_to_physical(m, cindex),
        direction: m.direction,
    }
}

/// The IBSI (centre-aligned) grid, cropped to the ROI ± `pad` new voxels.
fn centre_aligned_grid(m: &Geometry, bb: &BoundingBox, spacing: [f64; 3], pad: usize) -> Geometry {
    let pad = pad as f64;
    let mut size = [0usize; 3];
    let mut cindex = [0.0; 3];
    for a in 0..3 {
        let ratio = m.spacing[a] / spacing[a];
        let full = (m.size[a] as f64 * ratio).ceil();
        // Original continuous index of new index 0 on the full centred grid.
        let start = 0.5 * (m.size[a] as f64 - 1.0) - 0.5 * (full - 1.0) / ratio;
        let low = ((bb.lower[a] as f64 - 0.5 - start) * ratio - pad)
            .floor()
            .max(0.0);
        let high = ((bb.upper[a] as f64 + 0.5 - start) * ratio + pad)
            .ceil()
            .min(full - 1.0);
        size[a] = (high - low + 1.0) as usize;
        cindex[a] = start + low / ratio;
    }
    Geometry {
        size,
        spacing,
        origin: continuous_index_to_physical(m, cindex),
        direction: m.direction,
    }
}

/// ITK `TransformContinuousIndexToPhysicalPoint`: $\sum_c M_{rc} i_c$ first, then the origin.
fn continuous_index_to_physical(g: &Geometry, index: [f64; 3]) -> [f64; 3] {
    let m = g.index_to_physical_matrix();
    [0, 1, 2].map(|r| (m[r][0] * index[0] + m[r][1] * index[1] + m[r][2] * index[2]) + g.origin[r])
}

/// ITK `TransformIndexToPhysicalPoint` for an integer index: origin first, then each term.
fn index_to_physical(m: &[[f64; 3]; 3], origin: &[f64; 3], index: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|r| {
        let mut p = origin[r];
        for c in 0..3 {
            p += m[r][c] * index[c];
        }
        p
    })
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
            VoxelData::$variant(values.iter().map(|&v| v as $t).collect())
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

/// The continuous input index of every output voxel, computed per scan line as ITK does.
struct ScanLines {
    output: Geometry,
    input_size: [usize; 3],
    /// Per output line `(y, z)`: continuous input index of voxel 0 and the step to voxel `n_x`.
    starts: Vec<([f64; 3], [f64; 3])>,
}

impl ScanLines {
    fn new(input: &Geometry, output: &Geometry) -> ScanLines {
        let m_out = output.index_to_physical_matrix();
        let nx = output.size[0] as f64;
        let starts = (0..output.size[2])
            .flat_map(|z| (0..output.size[1]).map(move |y| (y, z)))
            .map(|(y, z)| {
                let (y, z) = (y as f64, z as f64);
                let a =
                    input.physical_to_index(index_to_physical(&m_out, &output.origin, [0.0, y, z]));
                let e =
                    input.physical_to_index(index_to_physical(&m_out, &output.origin, [nx, y, z]));
                (a, [0, 1, 2].map(|k| e[k] - a[k]))
            })
            .collect();
        ScanLines {
            output: output.clone(),
            input_size: input.size,
            starts,
        }
    }

    /// Continuous input index of output voxel `x` on line `line`.
    #[inline]
    fn index(&self, line: usize, x: usize) -> [f64; 3] {
        let (a, d) = &self.starts[line];
        let alpha = x as f64 / self.output.size[0] as f64;
        [
            a[0] + alpha * d[0],
            a[1] + alpha * d[1],
            a[2] + alpha * d[2],
        ]
    }

    /// ITK's `IsInsideBuffer` for a continuous index.
    #[inline]
    fn inside(&self, c: &[f64; 3]) -> bool {
        (0..3).all(|k| c[k] >= -0.5 && c[k] < self.input_size[k] as f64 - 0.5)
    }

    /// `f` at every inside output voxel, 0 outside, x-fastest.
    fn evaluate(&self, f: impl Fn([f64; 3]) -> f64 + Sync) -> Vec<f64> {
        let nx = self.output.size[0];
        let mut out = vec![0.0; self.output.voxel_count()];
        out.par_chunks_mut(nx.max(1))
            .enumerate()
            .for_each(|(line, row)| {
                for (x, v) in row.iter_mut().enumerate() {
                    let c = self.index(line, x);
                    if self.inside(&c) {
                        *v = f(c);
                    }
                }
            });
        out
    }

    /// Per input axis, the inclusive range of input indices (before mirroring) that the cubic
    /// supports of all inside output voxels touch; `None` when no voxel is inside.
    fn support_box(&self) -> Option<[(i64, i64); 3]> {
        let mut lo = [i64::MAX; 3];
        let mut hi = [i64::MIN; 3];
        for line in 0..self.starts.len() {
            for x in 0..self.output.size[0] {
                let c = self.index(line, x);
                if self.inside(&c) {
                    for k in 0..3 {
                        let start = support_start(c[k]);
                        lo[k] = lo[k].min(start);
                        hi[k] = hi[k].max(start + 3);
                    }
                }
            }
        }
        (lo[0] <= hi[0]).then_some([(lo[0], hi[0]), (lo[1], hi[1]), (lo[2], hi[2])])
    }
}

/// Nearest-neighbour value: index $\lfloor c + 0.5 \rfloor$ (ITK `RoundHalfIntegerUp`).
fn nearest(volume: &Volume, c: [f64; 3]) -> f64 {
    let size = volume.geometry().size;
    let i = [0, 1, 2].map(|k| ((c[k] + 0.5).floor() as i64).clamp(0, size[k] as i64 - 1) as usize);
    volume.value(i[0], i[1], i[2])
}

/// ITK's 3-D `LinearInterpolateImageFunction`: lower neighbour $\max(0, \lfloor c \rfloor)$,
/// upper clamped to the image, no interpolation along an axis whose distance is ≤ 0; lerps
/// along x, then y, then z, each as $a + (b - a)t$.
fn trilinear(volume: &Volume, c: [f64; 3]) -> f64 {
    let size = volume.geometry().size;
    let mut lower = [0usize; 3];
    let mut upper = [0usize; 3];
    let mut t = [0.0; 3];
    for k in 0..3 {
        let base = (c[k].floor() as i64).max(0);
        let distance = c[k] - base as f64;
        lower[k] = base as usize;
        upper[k] = (base as usize + 1).min(size[k] - 1);
        t[k] = if distance > 0.0 { distance } else { 0.0 };
    }
    let v = |x: usize, y: usize, z: usize| volume.value(x, y, z);
    let lerp = |a: f64, b: f64, t: f64| a + (b - a) * t;
    let along_x = |y, z| lerp(v(lower[0], y, z), v(upper[0], y, z), t[0]);
    let plane = |z| lerp(along_x(lower[1], z), along_x(upper[1], z), t[1]);
    lerp(plane(lower[2]), plane(upper[2]), t[2])
}

/// First index of the cubic support: `floor((float) c) - 1`, with ITK's float cast.
#[inline]
fn support_start(c: f64) -> i64 {
    ((c as f32).floor() as i64) - 1
}

/// Mirrors an index into `0..n` (ITK `ApplyMirrorBoundaryConditions`); lines of length 1 use 0.
#[inline]
fn mirror(k: i64, n: usize) -> usize {
    let last = n as i64 - 1;
    if last == 0 {
        return 0;
    }
    let k = if k < 0 { -k } else { k };
    let k = if k > last { 2 * last - k } else { k };
    k.clamp(0, last) as usize
}

/// Cubic B-spline weights at offset $t$ from the second support point (ITK's formulas).
#[inline]
fn cubic_weights(t: f64) -> [f64; 4] {
    let w3 = (1.0 / 6.0) * t * t * t;
    let w0 = (1.0 / 6.0) + 0.5 * t * (t - 1.0) - w3;
    let w2 = t + w0 - 2.0 * w3;
    let w1 = 1.0 - w0 - w2 - w3;
    [w0, w1, w2, w3]
}

/// Cubic B-spline coefficients of the (mirrored) input indices that the output needs.
struct BSplineCoefficients {
    input_size: [usize; 3],
    /// The input indices kept along each axis (sorted), and the position of each index in that
    /// list (`usize::MAX` for indices not kept).
    kept: [Vec<usize>; 3],
    slot: [Vec<usize>; 3],
    /// Coefficients of the kept indices, x-fastest over the kept lists.
    values: Vec<f64>,
}

impl BSplineCoefficients {
    fn new(volume: &Volume, support: &Option<[(i64, i64); 3]>) -> BSplineCoefficients {
        let size = volume.geometry().size;
        let kept: [Vec<usize>; 3] = [0, 1, 2].map(|k| match support {
            Some(s) => {
                let mut v: Vec<usize> = (s[k].0..=s[k].1).map(|i| mirror(i, size[k])).collect();
                v.sort_unstable();
                v.dedup();
                v
            }
            None => Vec::new(),
        });
        let slot = [0, 1, 2].map(|k| {
            let mut s = vec![usize::MAX; size[k]];
            for (p, &i) in kept[k].iter().enumerate() {
                s[i] = p;
            }
            s
        });
        let values = prefilter(volume, &kept);
        BSplineCoefficients {
            input_size: size,
            kept,
            slot,
            values,
        }
    }

    /// Interpolated value at continuous index `c` (ITK `EvaluateAtContinuousIndex`, order 3).
    fn evaluate(&self, c: [f64; 3]) -> f64 {
        let mut weights = [[0.0; 4]; 3];
        let mut rows = [[0usize; 4]; 3];
        for k in 0..3 {
            let start = support_start(c[k]);
            weights[k] = cubic_weights(c[k] - (start + 1) as f64);
            for (j, r) in rows[k].iter_mut().enumerate() {
                *r = self.slot[k][mirror(start + j as i64, self.input_size[k])];
            }
        }
        let (kx, ky) = (self.kept[0].len(), self.kept[1].len());
        let mut sum = 0.0;
        // ITK's order: p = i + 4j + 16k, weight ((1·wx)·wy)·wz, accumulated in p order.
        for (&wz, &z) in weights[2].iter().zip(&rows[2]) {
            for (&wy, &y) in weights[1].iter().zip(&rows[1]) {
                let line = &self.values[kx * (y + ky * z)..][..kx];
                for (&wx, &x) in weights[0].iter().zip(&rows[0]) {
                    sum += wx * wy * wz * line[x];
                }
            }
        }
        sum
    }
}

/// Lines filtered together: value `i` of line `l` is `block[i][l]`, so one vector instruction
/// serves several lines. A partial block leaves its unused lanes at zero.
type Block = [f64; INTERLEAVE_LANES];

/// ITK's `BSplineDecompositionImageFilter` (order 3) restricted to the kept indices: the x pass
/// on every x line keeping the kept columns, then whole y lines of those, then whole z lines.
/// Every pass filters blocks of lines at once ([`filter_lines`]), which gives the same bits.
fn prefilter(volume: &Volume, kept: &[Vec<usize>; 3]) -> Vec<f64> {
    let [nx, ny, nz] = volume.geometry().size;
    let (kx, ky) = (kept[0].len(), kept[1].len());
    if kept.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    // x and y passes, one z plane at a time (the plane after the x pass is small and stays in
    // cache): the x pass on all lines of the plane keeps the kept x columns (layout [y][kx]);
    // these are the lanes of whole y lines, of which the kept rows are kept. Layout [z][ky][kx].
    let mut after_y = vec![0.0; kx * ky * nz];
    after_y
        .par_chunks_mut(kx * ky)
        .enumerate()
        .for_each(|(z, out)| {
            let mut block = vec![[0.0; INTERLEAVE_LANES]; nx];
            let mut plane = vec![0.0; kx * ny];
            for y0 in (0..ny).step_by(INTERLEAVE_LANES) {
                let rows = INTERLEAVE_LANES.min(ny - y0);
                let start = volume.geometry().offset(0, y0, z);
                volume
                    .data()
                    .interleave_rows_f64(start, nx, rows, &mut block);
                filter_lines(&mut block, kept[0][0]);
                for l in 0..rows {
                    let line = &mut plane[(y0 + l) * kx..(y0 + l + 1) * kx];
                    for (o, &x) in line.iter_mut().zip(&kept[0]) {
                        *o = block[x][l];
                    }
                }
            }
            filter_lanes(&plane, kx, &kept[1], out);
        });
    // z pass: the kept (x, y) pairs are the lanes of whole z lines; keep the kept slices.
    let mut coefficients = vec![0.0; kx * ky * kept[2].len()];
    filter_lanes(&after_y, kx * ky, &kept[2], &mut coefficients);
    coefficients
}

/// Filters the `lanes` interleaved lines of `data` (value `i` of line `l` at
/// `data[i * lanes + l]`) a block at a time and writes values `keep` of each line to `out`, in
/// the same layout.
fn filter_lanes(data: &[f64], lanes: usize, keep: &[usize], out: &mut [f64]) {
    let n = data.len() / lanes;
    let mut block = vec![[0.0; INTERLEAVE_LANES]; n];
    for l0 in (0..lanes).step_by(INTERLEAVE_LANES) {
        let width = INTERLEAVE_LANES.min(lanes - l0);
        for (i, b) in block.iter_mut().enumerate() {
            b[..width].copy_from_slice(&data[i * lanes + l0..i * lanes + l0 + width]);
            b[width..].fill(0.0);
        }
        filter_lines(&mut block, keep[0]);
        for (q, &i) in keep.iter().enumerate() {
            out[q * lanes + l0..q * lanes + l0 + width].copy_from_slice(&block[i][..width]);
        }
    }
}

/// ITK's cubic B-spline prefilter (`DataToCoefficients1D`, mirror boundaries) on a block of
/// lines. Every lane gets exactly the operations of one ITK call on its line, in the same order,
/// so the coefficients are bit-identical; the fixed block width gives straight-line vector code.
///
/// Only coefficients `keep_from..` of each line are wanted: the anti-causal pass, which runs from
/// the end of the line, stops there and leaves the values before it meaningless. ITK's gain
/// multiplication is folded into the causal pass (the same product, rounded the same way), so
/// the data is swept twice instead of three times.
#[multiversion(targets("x86_64+avx"))]
fn filter_lines(block: &mut [Block], keep_from: usize) {
    let n = block.len();
    if n <= 1 {
        return;
    }
    let z = 3.0f64.sqrt() - 2.0;
    let gain = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
    // the initial causal coefficient reads the first `scaled` values already multiplied
    let scaled = initial_causal_terms(n, z);
    for v in block[..scaled].as_flattened_mut() {
        *v *= gain;
    }
    block[0] = initial_causal(block, z);
    for i in 1..n {
        let previous = block[i - 1];
        let row = &mut block[i];
        if i < scaled {
            for (c, p) in row.iter_mut().zip(previous) {
                *c += z * p;
            }
        } else {
            for (c, p) in row.iter_mut().zip(previous) {
                *c = *c * gain + z * p;
            }
        }
    }
    let before_last = block[n - 2];
    for (c, p) in block[n - 1].iter_mut().zip(before_last) {
        *c = (z / (z * z - 1.0)) * (z * p + *c);
    }
    for i in (keep_from.min(n - 1)..n - 1).rev() {
        let next = block[i + 1];
        for (c, next) in block[i].iter_mut().zip(next) {
            *c = z * (next - *c);
        }
    }
}

/// How many leading values of a line of `n` ITK's initial causal coefficient reads: the
/// `horizon` of its truncated sum (tolerance 1e-10) when that is shorter than the line, else all.
fn initial_causal_terms(n: usize, z: f64) -> usize {
    let horizon = ((1e-10f64).ln() / z.abs().ln()).ceil() as usize;
    horizon.min(n)
}

/// ITK's `SetInitialCausalCoefficient` (tolerance 1e-10) for every lane of a block: a truncated
/// sum of [`initial_causal_terms`] terms when shorter than the line, else the exact
/// mirror-boundary sum.
fn initial_causal(block: &[Block], z: f64) -> Block {
    let n = block.len();
    let terms = initial_causal_terms(n, z);
    let mut sum = block[0];
    let mut zn = z;
    let add = |sum: &mut Block, weight: f64, i: usize| {
        for (s, v) in sum.iter_mut().zip(block[i]) {
            *s += weight * v;
        }
    };
    if terms < n {
        for i in 1..terms {
            add(&mut sum, zn, i);
            zn *= z;
        }
        sum
    } else {
        let iz = 1.0 / z;
        let mut z2n = z.powf((n - 1) as f64);
        add(&mut sum, z2n, n - 1);
        z2n = z2n * (z2n * iz); // ITK's `z2n *= z2n * iz`
        for i in 1..n - 1 {
            add(&mut sum, zn + z2n, i);
            zn *= z;
            z2n *= iz;
        }
        let denominator = 1.0 - zn * zn;
        sum.map(|s| s / denominator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bspline_reproduces_input_at_grid_points() {
        let g = Geometry::new([7, 5, 4], [1.0; 3], [0.0; 3]);
        let values: Vec<f64> = (0..140).map(|i| ((i * 37) % 23) as f64 - 5.0).collect();
        let v = Volume::new(g.clone(), VoxelData::F64(values.clone())).unwrap();
        let out = resample_onto(&v, &g, Interpolator::BSpline).unwrap();
        for (a, b) in out.to_f64().iter().zip(&values) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
    }

    #[test]
    fn partial_prefilter_equals_whole_image_prefilter() {
        let g = Geometry::new([30, 9, 6], [1.0; 3], [0.0; 3]);
        let values: Vec<f64> = (0..g.voxel_count())
            .map(|i| ((i * 7919) % 211) as f64)
            .collect();
        let v = Volume::new(g.clone(), VoxelData::F64(values)).unwrap();
        let all = [0, 1, 2].map(|k| (0..g.size[k]).collect::<Vec<_>>());
        let whole = prefilter(&v, &all);
        let some = [vec![2, 3, 29], vec![0, 4], vec![5]];
        let part = prefilter(&v, &some);
        for (r, &z) in some[2].iter().enumerate() {
            for (q, &y) in some[1].iter().enumerate() {
                for (p, &x) in some[0].iter().enumerate() {
                    let a = part[p + 3 * (q + 2 * r)];
                    let b = whole[x + 30 * (y + 9 * z)];
                    assert_eq!(a.to_bits(), b.to_bits());
                }
            }
        }
    }

    #[test]
    fn lines_in_a_block_filter_like_single_lines() {
        for n in [2, 5, 17, 40] {
            let lines: Vec<Vec<f64>> = (0..3)
                .map(|l| {
                    (0..n)
                        .map(|i| ((i * 31 + l * 7) % 13) as f64 - 4.5)
                        .collect()
                })
                .collect();
            let mut together = vec![[0.0; INTERLEAVE_LANES]; n];
            for (i, b) in together.iter_mut().enumerate() {
                for (l, line) in lines.iter().enumerate() {
                    b[l + 5] = line[i];
                }
            }
            filter_lines(&mut together, 0);
            for (l, line) in lines.iter().enumerate() {
                let mut alone: Vec<Block> = line.iter().map(|&v| [v; INTERLEAVE_LANES]).collect();
                filter_lines(&mut alone, 0);
                for i in 0..n {
                    assert_eq!(
                        alone[i][0].to_bits(),
                        together[i][l + 5].to_bits(),
                        "n {n} line {l} index {i}"
                    );
                }
            }
        }
    }

    fn cube(size: usize, spacing: f64) -> (Volume, Volume) {
        let g = Geometry::new([size; 3], [spacing; 3], [10.0, -4.0, 2.0]);
        let n = g.voxel_count();
        let image = Volume::new(
            g.clone(),
            VoxelData::F32((0..n).map(|i| i as f32).collect()),
        )
        .unwrap();
        let mut labels = vec![0u8; n];
        labels[g.offset(2, 2, 2)] = 1;
        labels[g.offset(3, 3, 3)] = 1;
        (image, Volume::new(g, VoxelData::U8(labels)).unwrap())
    }

    #[test]
    fn centre_aligned_grid_keeps_the_image_centre() {
        let (image, mask) = cube(6, 2.0);
        let settings = ResampleSettings {
            alignment: GridAlignment::Centre,
            pad_distance: 100,
            ..ResampleSettings::default()
        };
        let (out, out_mask) = resample_image_and_mask(&image, &mask, &settings).unwrap();
        let g = out.geometry();
        assert_eq!(g.size, [12; 3]);
        let centre_in = image.geometry().index_to_physical([2.5; 3]);
        let centre_out = g.index_to_physical([5.5; 3]);
        for k in 0..3 {
            assert!((centre_in[k] - centre_out[k]).abs() < 1e-12);
        }
        assert_eq!(out_mask.pixel_type(), PixelType::U32);
    }

    #[test]
    fn same_spacing_only_crops_around_the_roi() {
        let (image, mask) = cube(9, 1.0);
        let settings = ResampleSettings {
            pad_distance: 1,
            ..ResampleSettings::default()
        };
        let (out, out_mask) = resample_image_and_mask(&image, &mask, &settings).unwrap();
        assert_eq!(out.geometry().size, [4; 3]);
        assert_eq!(
            out.geometry().origin,
            image.geometry().index_to_physical([1.0; 3])
        );
        assert_eq!(out.value(0, 0, 0), image.value(1, 1, 1));
        assert_eq!(crate::label_counts(&out_mask).get(&1), Some(&2));
    }

    #[test]
    fn nearest_rounds_half_up_and_integers_truncate() {
        let g = Geometry::new([4, 1, 1], [1.0; 3], [0.0; 3]);
        let v = Volume::new(g, VoxelData::I16(vec![10, 20, 30, 40])).unwrap();
        let out_grid = Geometry::new([4, 1, 1], [1.0; 3], [0.5, 0.0, 0.0]);
        let nn = resample_onto(&v, &out_grid, Interpolator::NearestNeighbor).unwrap();
        assert_eq!(nn.data(), &VoxelData::I16(vec![20, 30, 40, 0]));
        let lin_grid = Geometry::new([2, 1, 1], [1.0; 3], [0.25, 0.0, 0.0]);
        let lin = resample_onto(&v, &lin_grid, Interpolator::Linear).unwrap();
        assert_eq!(lin.data(), &VoxelData::I16(vec![12, 22]));
        let neg = Volume::new(
            Geometry::new([2, 1, 1], [1.0; 3], [0.0; 3]),
            VoxelData::I16(vec![-10, -20]),
        )
        .unwrap();
        let lin = resample_onto(&neg, &lin_grid, Interpolator::Linear).unwrap();
        assert_eq!(lin.data(), &VoxelData::I16(vec![-12, -20]));
    }
}
