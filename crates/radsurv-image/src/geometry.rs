//! Image geometry as ITK defines it: size, spacing, origin and direction cosines in LPS space.

use serde::{Deserialize, Serialize};

/// Below this |determinant| a matrix of unit direction columns is singular: its axes are
/// (nearly) parallel and index space folds onto a plane.
const SINGULAR_DETERMINANT: f64 = 1e-6;

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

    /// Why this grid cannot place its voxels in space, if it cannot: a spacing that is not
    /// finite and positive, an origin or direction that is not finite, or a singular direction
    /// matrix (ITK refuses such a matrix too: no physical point maps back to an index).
    pub fn defect(&self) -> Option<String> {
        if let Some(s) = self.spacing.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Some(format!(
                "spacing {s} is not a finite positive number ({:?})",
                self.spacing
            ));
        }
        if self.origin.iter().any(|o| !o.is_finite()) {
            return Some(format!("origin {:?} is not finite", self.origin));
        }
        if self.direction.iter().flatten().any(|d| !d.is_finite()) {
            return Some(format!("direction {:?} is not finite", self.direction));
        }
        let [a, b, c] = self.direction;
        let det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
            + a[2] * (b[0] * c[1] - b[1] * c[0]);
        if det.abs() < SINGULAR_DETERMINANT {
            return Some(format!(
                "direction matrix {:?} is singular (determinant {det:e}): two axes point the same way",
                self.direction
            ));
        }
        None
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

    /// Continuous index of a physical point: $M^{-1}(p - o)$ with $M = D\,\mathrm{diag}(s)$.
    ///
    /// As ITK (`TransformPhysicalPointToContinuousIndex`), the inverse is of the product
    /// $M$, so an axis-aligned grid multiplies by the reciprocal spacing; the bits of the result
    /// decide nearest-neighbour ties, so they must be ITK's.
    pub fn physical_to_index(&self, point: [f64; 3]) -> [f64; 3] {
        let inv = self.physical_to_index_matrix();
        let d = [0, 1, 2].map(|k| point[k] - self.origin[k]);
        [0, 1, 2].map(|r| inv[r][0] * d[0] + inv[r][1] * d[1] + inv[r][2] * d[2])
    }

    /// $M = D\,\mathrm{diag}(s)$, ITK's `IndexToPhysicalPoint` matrix.
    pub fn index_to_physical_matrix(&self) -> [[f64; 3]; 3] {
        [0, 1, 2].map(|r| [0, 1, 2].map(|c| self.direction[r][c] * self.spacing[c]))
    }

    /// $M^{-1}$, ITK's `PhysicalPointToIndex` matrix. A grid whose axes are permuted or flipped
    /// world axes (one non-zero per row and column) gets the exact inverse (transpose with
    /// reciprocals), as ITK's SVD inverse yields; an oblique grid the adjugate inverse.
    pub fn physical_to_index_matrix(&self) -> [[f64; 3]; 3] {
        let m = self.index_to_physical_matrix();
        let nonzero = |r: usize| (0..3).filter(|&c| m[r][c] != 0.0).count();
        let col_nonzero = |c: usize| (0..3).filter(|&r| m[r][c] != 0.0).count();
        if (0..3).all(|k| nonzero(k) == 1 && col_nonzero(k) == 1) {
            let mut inv = [[0.0; 3]; 3];
            for (r, row) in m.iter().enumerate() {
                for (c, &v) in row.iter().enumerate() {
                    if v != 0.0 {
                        inv[c][r] = 1.0 / v;
                    }
                }
            }
            inv
        } else {
            invert3(&m)
        }
    }
}

impl std::fmt::Display for Geometry {
    /// `size [..] spacing [..] origin [..] direction [..]`, full precision (for error messages).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "size {:?} spacing {:?} origin {:?} direction {:?}",
            self.size, self.spacing, self.origin, self.direction
        )
    }
}

/// Inverse of a 3×3 matrix by the adjugate; a singular direction matrix yields non-finite entries.
fn invert3(m: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let cof =
        |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
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
