//! Label masks: which voxels carry a label, their count and bounding box, and the image/mask
//! geometry check PyRadiomics runs before extraction.
//!
//! # Reference
//! PyRadiomics 3.1 `imageoperations.getMask` (mask values cast to UInt32, so a float label map
//! is truncated toward zero), `checkMask` (ITK `ImageToImageFilter::VerifyInputInformation`),
//! `_checkROI` and `_correctMask`. See `shared/refs/pyradiomics.md` §1 step 4.

use std::collections::BTreeMap;

use crate::{Geometry, ImageError, Result, Volume, VoxelData};

/// ITK's default coordinate and direction tolerance (`geometryTolerance` in PyRadiomics).
pub const DEFAULT_GEOMETRY_TOLERANCE: f64 = 1e-6;

/// Inclusive voxel-index bounds of a region, `lower[a] ..= upper[a]` along each axis `a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoundingBox {
    /// Smallest index along x, y, z.
    pub lower: [usize; 3],
    /// Largest index along x, y, z (inclusive).
    pub upper: [usize; 3],
}

impl BoundingBox {
    /// Extent along each axis, `upper - lower + 1`.
    pub fn size(&self) -> [usize; 3] {
        [0, 1, 2].map(|a| self.upper[a] - self.lower[a] + 1)
    }
}

/// The voxels of a label map equal to one label.
#[derive(Debug, Clone, PartialEq)]
pub struct Mask {
    geometry: Geometry,
    label: i64,
    inside: Vec<bool>,
    count: usize,
    bounding_box: BoundingBox,
}

impl Mask {
    /// Selects the voxels of `labels` whose value (truncated to an integer, as PyRadiomics' cast
    /// to UInt32 does) equals `label`.
    ///
    /// # Errors
    /// [`ImageError::EmptyMask`] when every voxel is 0; [`ImageError::MissingLabel`] when no
    /// voxel has `label` (the error lists the labels present).
    pub fn from_volume(labels: &Volume, label: i64) -> Result<Mask> {
        let (bounding_box, count) = region_extent(labels, label)?;
        let inside = labels.data().label_flags(label);
        Ok(Mask {
            geometry: labels.geometry().clone(),
            label,
            inside,
            count,
            bounding_box,
        })
    }

    /// Reads a label map and selects `label`; errors name the file.
    ///
    /// # Errors
    /// The reader's errors, and those of [`Mask::from_volume`] wrapped in
    /// [`ImageError::InFile`].
    pub fn read(path: impl AsRef<std::path::Path>, label: i64) -> Result<Mask> {
        let path = path.as_ref();
        Mask::from_volume(&crate::read(path)?, label).map_err(|e| e.in_file(path))
    }

    /// The grid of the mask.
    pub fn geometry(&self) -> &Geometry {
        &self.geometry
    }

    /// The selected label.
    pub fn label(&self) -> i64 {
        self.label
    }

    /// One flag per voxel, x-fastest: true inside the region.
    pub fn voxels(&self) -> &[bool] {
        &self.inside
    }

    /// True when voxel `(x, y, z)` is inside the region.
    pub fn contains(&self, x: usize, y: usize, z: usize) -> bool {
        self.inside[self.geometry.offset(x, y, z)]
    }

    /// Number of voxels inside the region.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Inclusive bounding box of the region (ITK `LabelShapeStatisticsImageFilter`).
    pub fn bounding_box(&self) -> BoundingBox {
        self.bounding_box
    }

    /// The region as a binary `U8` volume (1 inside, 0 outside).
    pub fn to_volume(&self) -> Volume {
        let data = VoxelData::U8(self.inside.iter().map(|&b| u8::from(b)).collect());
        // Invariant: `inside` has one flag per voxel of `geometry`.
        Volume::new(self.geometry.clone(), data).unwrap_or_else(|_| unreachable!())
    }
}

/// Voxel count of every non-zero label of a label map (values truncated to integers).
pub fn label_counts(labels: &Volume) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    labels.data().for_each_label(|v| {
        if v != 0 {
            *counts.entry(v).or_insert(0) += 1;
        }
    });
    counts
}

/// Checks that image and mask occupy the same physical space, with ITK's semantics
/// (`ImageToImageFilter::VerifyInputInformation`): every origin and spacing component within
/// `tolerance * |image spacing[0]|` (first axis only, as ITK does), every direction entry within
/// `tolerance`, and equal sizes.
///
/// # Errors
/// [`ImageError::GeometryMismatch`] naming the property that differs.
pub fn check_geometry(image: &Geometry, mask: &Geometry, tolerance: f64) -> Result<()> {
    let coordinate_tolerance = tolerance * image.spacing[0].abs();
    let close = |a: &[f64], b: &[f64], tol: f64| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol);
    let reason = if image.size != mask.size {
        Some("sizes differ")
    } else if !close(&image.origin, &mask.origin, coordinate_tolerance) {
        Some("origins differ")
    } else if !close(&image.spacing, &mask.spacing, coordinate_tolerance) {
        Some("spacings differ")
    } else if !close(
        image.direction.as_flattened(),
        mask.direction.as_flattened(),
        tolerance,
    ) {
        Some("directions differ")
    } else {
        None
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(ImageError::GeometryMismatch {
            image: Box::new(image.clone()),
            mask: Box::new(mask.clone()),
            reason: format!("{reason} (tolerance {tolerance})"),
        }),
    }
}

/// Checks that the bounding box of `label` lies inside the image (PyRadiomics `_checkROI`): the
/// centres of its corner voxels must map to continuous image indices within
/// $[-0.5 - 10^{-3},\ n - 0.5 + 10^{-3}]$. Returns the mask's bounding box.
///
/// # Errors
/// [`ImageError::RoiOutsideImage`], [`ImageError::EmptyMask`], [`ImageError::MissingLabel`].
pub fn check_roi(image: &Geometry, labels: &Volume, label: i64) -> Result<BoundingBox> {
    const TOLERANCE: f64 = 1e-3;
    let (bb, _) = region_extent(labels, label)?;
    let corners = [bb.lower, bb.upper].map(|c| {
        let p = labels.geometry().index_to_physical(c.map(|v| v as f64));
        image.physical_to_index(p)
    });
    for axis in 0..3 {
        let lo = corners[0][axis].min(corners[1][axis]);
        let hi = corners[0][axis].max(corners[1][axis]);
        if lo < -0.5 - TOLERANCE || hi > image.size[axis] as f64 - 0.5 + TOLERANCE {
            return Err(ImageError::RoiOutsideImage {
                reason: format!(
                    "along axis {axis} the ROI spans image indices {lo}..{hi}, image size {}",
                    image.size[axis]
                ),
            });
        }
    }
    Ok(bb)
}

/// Bounding box and voxel count of `label` in a label map, in one pass over its rows.
///
/// # Errors
/// [`ImageError::EmptyMask`] when every voxel is 0; [`ImageError::MissingLabel`] when no voxel
/// has `label` (the error lists the labels present).
fn region_extent(labels: &Volume, label: i64) -> Result<(BoundingBox, usize)> {
    let [nx, ny, _] = labels.geometry().size;
    let mut lower = [usize::MAX; 3];
    let mut upper = [0; 3];
    let mut count = 0;
    let rows = labels.data().label_rows(nx, label);
    for (row, extent) in rows.iter().enumerate() {
        let Some(e) = extent else { continue };
        let (y, z) = (row % ny, row / ny);
        count += e.count;
        lower = [lower[0].min(e.first), lower[1].min(y), lower[2].min(z)];
        upper = [upper[0].max(e.last), upper[1].max(y), upper[2].max(z)];
    }
    if count == 0 {
        let present: Vec<i64> = label_counts(labels).into_keys().collect();
        return Err(if present.is_empty() {
            ImageError::EmptyMask
        } else {
            ImageError::MissingLabel { label, present }
        });
    }
    Ok((BoundingBox { lower, upper }, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> Volume {
        let mut v = vec![0i16; 4 * 3 * 2];
        v[1 + 4 * (2 + 3)] = 2; // (1, 2, 1)
        v[3] = 2; // (3, 0, 0)
        v[5] = 1;
        Volume::new(
            Geometry::new([4, 3, 2], [1.0; 3], [0.0; 3]),
            VoxelData::I16(v),
        )
        .unwrap()
    }

    #[test]
    fn selects_label_with_count_and_bounding_box() {
        let m = Mask::from_volume(&labels(), 2).unwrap();
        assert_eq!(m.count(), 2);
        assert_eq!(
            m.bounding_box(),
            BoundingBox {
                lower: [1, 0, 0],
                upper: [3, 2, 1]
            }
        );
        assert!(m.contains(1, 2, 1));
        assert_eq!(label_counts(&labels()), BTreeMap::from([(1, 1), (2, 2)]));
    }

    #[test]
    fn missing_label_and_empty_mask_are_errors() {
        let err = Mask::from_volume(&labels(), 7).unwrap_err();
        assert!(
            matches!(err, ImageError::MissingLabel { label: 7, ref present } if present == &[1, 2])
        );
        let empty = Volume::new(
            Geometry::new([2, 1, 1], [1.0; 3], [0.0; 3]),
            VoxelData::U8(vec![0, 0]),
        )
        .unwrap();
        assert!(matches!(
            Mask::from_volume(&empty, 1),
            Err(ImageError::EmptyMask)
        ));
    }

    #[test]
    fn geometry_check_uses_first_spacing_for_coordinates() {
        let image = Geometry::new([4, 3, 2], [2.0, 1.0, 1.0], [0.0; 3]);
        let mut mask = image.clone();
        mask.origin[2] = 1.5e-6; // within 1e-6 * 2.0
        check_geometry(&image, &mask, DEFAULT_GEOMETRY_TOLERANCE).unwrap();
        mask.origin[2] = 2.5e-6;
        assert!(check_geometry(&image, &mask, DEFAULT_GEOMETRY_TOLERANCE).is_err());
        let mut rotated = image.clone();
        rotated.direction[0][1] = 2e-6;
        assert!(check_geometry(&image, &rotated, DEFAULT_GEOMETRY_TOLERANCE).is_err());
    }
}
