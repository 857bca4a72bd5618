//! Image and mask preparation before the feature classes, as PyRadiomics' `imageoperations`
//! does it: normalisation, ROI checks, re-segmentation and the bounding-box crop (label lookup and
//! the geometry check are `radsurv_image::mask`'s).
//!
//! Image intensities are read inside the ROI bounding box only: no default step needs the rest
//! of the image.

use crate::error::{FeatureError, Result};
use crate::settings::{ResegmentMode, Settings};
use radsurv_image::mask::{BoundingBox, Mask};
use radsurv_image::Volume;
use rayon::prelude::*;

/// PyRadiomics' `checkMask` ROI rules on a bounding box and voxel count.
///
/// # Errors
/// [`FeatureError::SingleVoxel`], [`FeatureError::TooFewDimensions`], [`FeatureError::TooSmall`].
pub(crate) fn check_roi(bbox: &BoundingBox, count: usize, settings: &Settings) -> Result<()> {
    let dims = bbox.size().iter().filter(|&&s| s > 1).count();
    if dims == 0 {
        return Err(FeatureError::SingleVoxel);
    }
    if dims < usize::from(settings.minimum_roi_dimensions) {
        return Err(FeatureError::TooFewDimensions {
            dims,
            required: settings.minimum_roi_dimensions,
        });
    }
    if let Some(minimum) = settings.minimum_roi_size {
        if count as u64 <= minimum {
            return Err(FeatureError::TooSmall {
                voxels: count,
                minimum,
            });
        }
    }
    Ok(())
}

/// `sitk.Normalize` (z-score with ITK's sample standard deviation over the whole image), optional
/// clipping at ±`removeOutliers`, then scaling by `normalizeScale`. The result is `float64`.
pub(crate) fn normalize(image: &Volume, settings: &Settings) -> Result<Volume> {
    let values = image.to_f64();
    let (mut sum, mut sum_c) = (0.0f64, 0.0f64);
    let (mut sq, mut sq_c) = (0.0f64, 0.0f64);
    for &v in &values {
        kahan_add(&mut sum, &mut sum_c, v);
        kahan_add(&mut sq, &mut sq_c, v * v);
    }
    let n = values.len() as f64;
    let mean = sum / n;
    let sigma = ((sq - sum * sum / n) / (n - 1.0)).sqrt();
    let scaled = values
        .into_iter()
        .map(|v| {
            let z = (v - mean) / sigma;
            let z = match settings.remove_outliers {
                Some(limit) => z.clamp(-limit, limit),
                None => z,
            };
            z * settings.normalize_scale
        })
        .collect();
    Ok(Volume::new(
        image.geometry().clone(),
        radsurv_image::VoxelData::F64(scaled),
    )?)
}

/// Compensated (Kahan) summation step, as ITK's `CompensatedSummation`.
fn kahan_add(sum: &mut f64, compensation: &mut f64, value: f64) {
    let y = value - *compensation;
    let t = *sum + y;
    *compensation = (t - *sum) - y;
    *sum = t;
}

/// The bounding-box crop of image and mask that every class works on, `(z, y, x)` arrays with x
/// fastest.
#[derive(Debug)]
pub(crate) struct Crop {
    /// `[nz, ny, nx]`.
    pub dims: [usize; 3],
    /// Image index `[x, y, z]` of the crop's first voxel.
    pub lower: [usize; 3],
    /// Intensities.
    pub values: Vec<f64>,
    /// Voxels in the ROI.
    pub roi: Vec<bool>,
}

impl Crop {
    /// Reads the bounding box of the mask's ROI from image and mask, one z plane per task.
    pub fn new(image: &Volume, mask: &Mask) -> Crop {
        let bbox = mask.bounding_box();
        let [sx, sy, sz] = bbox.size();
        let mut values = vec![0.0; sx * sy * sz];
        let mut roi = vec![false; sx * sy * sz];
        let geometry = image.geometry();
        values
            .par_chunks_mut(sx * sy)
            .zip(roi.par_chunks_mut(sx * sy))
            .enumerate()
            .for_each(|(k, (plane_values, plane_roi))| {
                let z = bbox.lower[2] + k;
                let rows = plane_values
                    .chunks_exact_mut(sx)
                    .zip(plane_roi.chunks_exact_mut(sx));
                for (j, (row_values, row_roi)) in rows.enumerate() {
                    let start = geometry.offset(bbox.lower[0], bbox.lower[1] + j, z);
                    image.data().widen_row_f64(start, row_values);
                    row_roi.copy_from_slice(&mask.voxels()[start..start + sx]);
                }
            });
        Crop {
            dims: [sz, sy, sx],
            lower: bbox.lower,
            values,
            roi,
        }
    }

    /// The crop's bounding box in image indices.
    pub fn image_box(&self) -> BoundingBox {
        let [nz, ny, nx] = self.dims;
        let size = [nx, ny, nz];
        BoundingBox {
            lower: self.lower,
            upper: [0, 1, 2].map(|a| self.lower[a] + size[a] - 1),
        }
    }

    /// ROI intensities in array order.
    pub fn roi_values(&self) -> Vec<f64> {
        self.values
            .iter()
            .zip(&self.roi)
            .filter(|(_, &m)| m)
            .map(|(&v, _)| v)
            .collect()
    }

    /// Bounding box of `mask` within this crop, in crop coordinates, and its voxel count.
    pub fn bounds_of(&self, mask: &[bool]) -> Option<(BoundingBox, usize)> {
        let [nz, ny, nx] = self.dims;
        let mut lower = [usize::MAX; 3];
        let mut upper = [0usize; 3];
        let mut count = 0;
        for z in 0..nz {
            for y in 0..ny {
                for x in 0..nx {
                    if mask[x + nx * (y + ny * z)] {
                        count += 1;
                        for (a, i) in [x, y, z].into_iter().enumerate() {
                            lower[a] = lower[a].min(i);
                            upper[a] = upper[a].max(i);
                        }
                    }
                }
            }
        }
        (count > 0).then_some((BoundingBox { lower, upper }, count))
    }

    /// The sub-crop `bbox` (crop coordinates) of this crop's values and of `mask`.
    pub fn sub_crop(&self, mask: &[bool], bbox: &BoundingBox) -> Crop {
        let [_, ny, nx] = self.dims;
        let [sx, sy, sz] = bbox.size();
        let mut values = Vec::with_capacity(sx * sy * sz);
        let mut roi = Vec::with_capacity(sx * sy * sz);
        for z in bbox.lower[2]..=bbox.upper[2] {
            for y in bbox.lower[1]..=bbox.upper[1] {
                let row = nx * (y + ny * z);
                values.extend_from_slice(&self.values[row + bbox.lower[0]..=row + bbox.upper[0]]);
                roi.extend_from_slice(&mask[row + bbox.lower[0]..=row + bbox.upper[0]]);
            }
        }
        Crop {
            dims: [sz, sy, sx],
            lower: [0, 1, 2].map(|a| self.lower[a] + bbox.lower[a]),
            values,
            roi,
        }
    }
}

/// PyRadiomics' `resegmentMask`: keeps ROI voxels with $T_{lo} \le x$ (and $x \le T_{hi}$ when two
/// thresholds are given). Thresholds are absolute, relative to the ROI maximum, or
/// $\bar X + k\sigma$ (population σ) in sigma mode.
///
/// # Errors
/// [`FeatureError::ResegmentedAway`] when at most one voxel is left.
pub(crate) fn resegment(crop: &Crop, range: &[f64], mode: ResegmentMode) -> Result<Vec<bool>> {
    let mut sorted = range.to_vec();
    sorted.sort_by(f64::total_cmp);
    let values = crop.roi_values();
    let thresholds: Vec<f64> = match mode {
        ResegmentMode::Absolute => sorted,
        ResegmentMode::Relative => {
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            sorted.iter().map(|t| max * t).collect()
        }
        ResegmentMode::Sigma => {
            let n = values.len() as f64;
            let mean = values.iter().sum::<f64>() / n;
            let std = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            sorted.iter().map(|t| mean + std * t).collect()
        }
    };
    let keep = |v: f64| v >= thresholds[0] && thresholds.get(1).is_none_or(|&hi| v <= hi);
    let mask: Vec<bool> = crop
        .values
        .iter()
        .zip(&crop.roi)
        .map(|(&v, &m)| m && keep(v))
        .collect();
    let retained = mask.iter().filter(|&&m| m).count();
    if retained <= 1 {
        return Err(FeatureError::ResegmentedAway { retained });
    }
    Ok(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roi_rules_follow_check_mask() {
        let s = Settings::default();
        let line = BoundingBox {
            lower: [0, 0, 0],
            upper: [4, 0, 0],
        };
        assert!(matches!(
            check_roi(&line, 5, &s),
            Err(FeatureError::TooFewDimensions {
                dims: 1,
                required: 2
            })
        ));
        let dot = BoundingBox {
            lower: [1, 1, 1],
            upper: [1, 1, 1],
        };
        assert!(matches!(
            check_roi(&dot, 1, &s),
            Err(FeatureError::SingleVoxel)
        ));
        let s = Settings {
            minimum_roi_size: Some(10),
            ..Settings::default()
        };
        let plane = BoundingBox {
            lower: [0, 0, 0],
            upper: [2, 2, 0],
        };
        assert!(matches!(
            check_roi(&plane, 9, &s),
            Err(FeatureError::TooSmall { .. })
        ));
    }

    #[test]
    fn resegmentation_modes() {
        let crop = Crop {
            dims: [1, 1, 5],
            lower: [0; 3],
            values: vec![1.0, 2.0, 3.0, 4.0, 100.0],
            roi: vec![true; 5],
        };
        let m = resegment(&crop, &[2.0, 4.0], ResegmentMode::Absolute).unwrap();
        assert_eq!(m, [false, true, true, true, false]);
        let m = resegment(&crop, &[0.03], ResegmentMode::Relative).unwrap();
        assert_eq!(m, [false, false, true, true, true]);
        let m = resegment(&crop, &[-1.0, 1.0], ResegmentMode::Sigma).unwrap();
        assert_eq!(m, [true, true, true, true, false]);
        assert!(matches!(
            resegment(&crop, &[99.0], ResegmentMode::Absolute),
            Err(FeatureError::ResegmentedAway { retained: 1 })
        ));
    }
}
