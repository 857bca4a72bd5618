//! The output grids: PyRadiomics' corner-aligned grid around the ROI, IBSI's centre-aligned
//! grid, and ITK's index-to-physical transforms.

use crate::mask::BoundingBox;
use crate::Geometry;

/// `numpy.allclose(a, b)`: $|a - b| \le 10^{-8} + 10^{-5}|b|$ everywhere.
pub(super) fn all_close(a: &[f64; 3], b: &[f64; 3]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-8 + 1e-5 * y.abs())
}

/// The PyRadiomics (corner-aligned) grid around the ROI.
pub(super) fn corner_aligned_grid(
    m: &Geometry,
    bb: &BoundingBox,
    spacing: [f64; 3],
    pad: usize,
) -> Geometry {
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
pub(super) fn centre_aligned_grid(
    m: &Geometry,
    bb: &BoundingBox,
    spacing: [f64; 3],
    pad: usize,
) -> Geometry {
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
pub(super) fn continuous_index_to_physical(g: &Geometry, index: [f64; 3]) -> [f64; 3] {
    let m = g.index_to_physical_matrix();
    [0, 1, 2].map(|r| (m[r][0] * index[0] + m[r][1] * index[1] + m[r][2] * index[2]) + g.origin[r])
}

/// ITK `TransformIndexToPhysicalPoint` for an integer index: origin first, then each term.
pub(super) fn index_to_physical(m: &[[f64; 3]; 3], origin: &[f64; 3], index: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|r| {
        let mut p = origin[r];
        for c in 0..3 {
            p += m[r][c] * index[c];
        }
        p
    })
}
