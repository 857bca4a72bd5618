//! Image geometry as ITK defines it: size, spacing, origin and direction cosines in LPS space.

use serde::{Deserialize, Serialize};

/// Size, spacing, origin and direction of a 3D image grid, in ITK's LPS physical space.
///
/// Index $(i,j,k)$ maps to the physical point $p = o + D\,\mathrm{diag}(s)\,(i,j,k)^\top$;
/// `direction[r][c]` is row `r`, column `c` of $D$ (ITK's `GetDirection()` read row by row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geometry {
    /// Voxels along x, y, z.
    pub size: [usize; 3],
    /// Voxel spacing along x, y, z in millimetres.
    pub spacing: [f64; 3],
    /// Physical position (LPS, mm) of the centre of voxel (0, 0, 0).
    pub origin: [f64; 3],
    /// Direction cosines; column `c` is the physical direction of index axis `c`.
    pub direction: [[f64; 3]; 3],
}

impl Geometry {
    /// An axis-aligned grid (identity direction).
    pub fn new(size: [usize; 3], spacing: [f64; 3], origin: [f64; 3]) -> Self {
        Geometry {
            size,
            spacing,
            origin,
            direction: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        }
    }

    /// Number of voxels, $n_x n_y n_z$.
    pub fn voxel_count(&self) -> usize {
        self.size.iter().product()
    }

    /// Linear offset of voxel `(x, y, z)` in x-fastest order.
    #[inline]
    pub fn offset(&self, x: usize, y: usize, z: usize) -> usize {
        x + self.size[0] * (y + self.size[1] * z)
    }

    /// Physical point of a (possibly fractional) continuous index: $o + D\,\mathrm{diag}(s)\,i$.
    pub fn index_to_physical(&self, index: [f64; 3]) -> [f64; 3] {
        let mut p = self.origin;
        for (r, pr) in p.iter_mut().enumerate() {
            for c in 0..3 {
                *pr += self.direction[r][c] * self.spacing[c] * index[c];
            }
        }
        p
    }

    /// Continuous index of a physical point: $\mathrm{diag}(s)^{-1} D^{-1} (p - o)$.
    ///
    /// Uses $D^{-1}$ computed by a general 3×3 inverse, as ITK does (`GetInverseDirection`),
    /// so oblique grids map exactly as SimpleITK maps them.
    pub fn physical_to_index(&self, point: [f64; 3]) -> [f64; 3] {
        let inv = invert3(&self.direction);
        let d = [
            point[0] - self.origin[0],
            point[1] - self.origin[1],
            point[2] - self.origin[2],
        ];
        let mut idx = [0.0; 3];
        for (c, ic) in idx.iter_mut().enumerate() {
            let v: f64 = (0..3).map(|k| inv[c][k] * d[k]).sum();
            *ic = v / self.spacing[c];
        }
        idx
    }
}

/// Inverse of a 3×3 matrix by the adjugate; a singular direction matrix yields non-finite entries.
fn invert3(m: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let cof = |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let a = [
        [cof(1, 2, 1, 2), -cof(0, 2, 1, 2), cof(0, 1, 1, 2)],
        [-cof(1, 2, 0, 2), cof(0, 2, 0, 2), -cof(0, 1, 0, 2)],
        [cof(1, 2, 0, 1), -cof(0, 2, 0, 1), cof(0, 1, 0, 1)],
    ];
    let det = m[0][0] * a[0][0] + m[0][1] * a[1][0] + m[0][2] * a[2][0];
    a.map(|row| row.map(|v| v / det))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_and_physical_round_trip_on_oblique_grid() {
        let (s, c) = (0.3_f64.sin(), 0.3_f64.cos());
        let g = Geometry {
            size: [4, 5, 6],
            spacing: [0.7, 0.8, 5.0],
            origin: [-10.0, 20.0, 3.5],
            direction: [[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]],
        };
        let p = g.index_to_physical([1.5, 2.0, 3.25]);
        let i = g.physical_to_index(p);
        for (a, b) in i.iter().zip([1.5, 2.0, 3.25]) {
            assert!((a - b).abs() < 1e-12);
        }
    }
}
