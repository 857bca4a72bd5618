//! 3D shape features of the ROI mask.
//!
//! The mask is the bounding-box crop, padded with one layer of background on every side. A
//! marching-cubes mesh with vertices at edge midpoints gives the surface area $A$ and volume $V$;
//! the PCA of the ROI voxel centres gives the axis lengths; the mesh vertices give the diameters.
//!
//! # Notation
//! $N_v$ ROI voxels; $\lambda_0 \le \lambda_1 \le \lambda_2$ eigenvalues of the population covariance
//! of the voxel centres (physical coordinates); $V_{vox}$ voxel volume.
//!
//! # Reference
//! PyRadiomics 3.x `RadiomicsShape` (`radiomics/shape.py`, `radiomics/src/cshape.c`). The triangle
//! table is PyRadiomics' (see `shape_tables.rs`), so ambiguous cubes are split the same way.
//! Golden: `pyradiomics/expected/features_*.csv`, `baseline_configs.csv`.
//!
//! # Known differences
//! PyRadiomics finds the maximum diameters by comparing all vertex pairs. Here only pairs of
//! vertices that are corners of the convex hull of their slice (in each of the three axis
//! directions) are compared: a point inside a hull is never an end of a farthest pair (distance
//! is strictly convex), so the maxima are the same pairs with the same arithmetic.

use crate::roi::FeatureName;
use crate::shape_tables::TRIANGLES;

/// Shape features in PyRadiomics' output order (deprecated ones flagged).
pub const FEATURES: &[FeatureName] = &[
    FeatureName {
        name: "Compactness1",
        deprecated: true,
    },
    FeatureName {
        name: "Compactness2",
        deprecated: true,
    },
    FeatureName {
        name: "Elongation",
        deprecated: false,
    },
    FeatureName {
        name: "Flatness",
        deprecated: false,
    },
    FeatureName {
        name: "LeastAxisLength",
        deprecated: false,
    },
    FeatureName {
        name: "MajorAxisLength",
        deprecated: false,
    },
    FeatureName {
        name: "Maximum2DDiameterColumn",
        deprecated: false,
    },
    FeatureName {
        name: "Maximum2DDiameterRow",
        deprecated: false,
    },
    FeatureName {
        name: "Maximum2DDiameterSlice",
        deprecated: false,
    },
    FeatureName {
        name: "Maximum3DDiameter",
        deprecated: false,
    },
    FeatureName {
        name: "MeshVolume",
        deprecated: false,
    },
    FeatureName {
        name: "MinorAxisLength",
        deprecated: false,
    },
    FeatureName {
        name: "SphericalDisproportion",
        deprecated: true,
    },
    FeatureName {
        name: "Sphericity",
        deprecated: false,
    },
    FeatureName {
        name: "SurfaceArea",
        deprecated: false,
    },
    FeatureName {
        name: "SurfaceVolumeRatio",
        deprecated: false,
    },
    FeatureName {
        name: "VoxelVolume",
        deprecated: false,
    },
];

/// Cube corners as `(dz, dy, dx)`; bit `a` of a cube index is set when corner `a` is in the ROI.
const CORNERS: [[usize; 3]; 8] = [
    [0, 0, 0],
    [0, 0, 1],
    [0, 1, 1],
    [0, 1, 0],
    [1, 0, 0],
    [1, 0, 1],
    [1, 1, 1],
    [1, 1, 0],
];

/// Midpoint of each cube edge, `(dz, dy, dx)` relative to the cube origin.
const EDGE_MIDPOINTS: [[f64; 3]; 12] = [
    [0.0, 0.0, 0.5],
    [0.0, 0.5, 1.0],
    [0.0, 1.0, 0.5],
    [0.0, 0.5, 0.0],
    [1.0, 0.0, 0.5],
    [1.0, 0.5, 1.0],
    [1.0, 1.0, 0.5],
    [1.0, 0.5, 0.0],
    [0.5, 0.0, 0.0],
    [0.5, 0.0, 1.0],
    [0.5, 1.0, 1.0],
    [0.5, 1.0, 0.0],
];

/// Edges 6, 7 and 11 meet at corner 7, which is never set after the flip; each carries a vertex
/// when its other corner (6, 4 and 3) is set. Every lattice edge is edge 6, 7 or 11 of exactly one
/// cube, so these collect each mesh vertex once. Offsets are doubled `(dz, dy, dx)`.
const DIAMETER_EDGES: [(usize, [i32; 3]); 3] = [(6, [2, 2, 1]), (4, [2, 1, 0]), (3, [1, 2, 0])];

/// Computes the shape features of a cropped ROI mask, aligned with [`FEATURES`].
///
/// `dims` is `[nz, ny, nx]`, `mask` is x-fastest, `spacing` is `(z, y, x)` in mm.
pub fn compute(dims: [usize; 3], mask: &[bool], spacing: [f64; 3]) -> Vec<f64> {
    let padded = PaddedMask::new(dims, mask);
    let mesh = march_cubes(&padded, spacing);
    let diameters = max_diameters(&mesh.vertices, spacing);
    let eig = axis_eigenvalues(dims, mask, spacing);
    let n_voxels = mask.iter().filter(|&&m| m).count() as f64;
    let (area, volume) = (mesh.surface_area, mesh.volume);
    let sphere = (36.0 * std::f64::consts::PI * volume * volume).powf(1.0 / 3.0);
    let axis = |l: f64| if l < 0.0 { f64::NAN } else { l.sqrt() * 4.0 };
    let ratio = |a: f64, b: f64| {
        if a < 0.0 || b < 0.0 {
            f64::NAN
        } else {
            (a / b).sqrt()
        }
    };
    vec![
        compactness1(volume, area),
        36.0 * std::f64::consts::PI * volume.powi(2) / area.powi(3),
        ratio(eig[1], eig[2]),
        ratio(eig[0], eig[2]),
        axis(eig[0]),
        axis(eig[2]),
        diameters.column,
        diameters.row,
        diameters.slice,
        diameters.max_3d,
        volume,
        axis(eig[1]),
        area / sphere,
        sphere / area,
        area,
        area / volume,
        n_voxels * (spacing[0] * spacing[2] * spacing[1]),
    ]
}

/// **Compactness 1** (deprecated): $\frac{V}{\sqrt{\pi} A^{3/2}}$.
fn compactness1(volume: f64, area: f64) -> f64 {
    volume / (area.powf(1.5) * std::f64::consts::PI.sqrt())
}

/// The mask with one layer of background added on every side, as `u8` for fast corner lookups.
struct PaddedMask {
    dims: [usize; 3],
    voxels: Vec<u8>,
}

impl PaddedMask {
    fn new(dims: [usize; 3], mask: &[bool]) -> Self {
        let pd = [dims[0] + 2, dims[1] + 2, dims[2] + 2];
        let mut voxels = vec![0u8; pd[0] * pd[1] * pd[2]];
        for z in 0..dims[0] {
            for y in 0..dims[1] {
                let src = (z * dims[1] + y) * dims[2];
                let dst = ((z + 1) * pd[1] + y + 1) * pd[2] + 1;
                for x in 0..dims[2] {
                    voxels[dst + x] = u8::from(mask[src + x]);
                }
            }
        }
        PaddedMask { dims: pd, voxels }
    }
}

/// The marching-cubes mesh: totals and the vertices used for diameters.
struct Mesh {
    surface_area: f64,
    volume: f64,
    /// Vertex positions as doubled lattice indices `(2z, 2y, 2x)` (midpoints are half-integers).
    vertices: Vec<[i32; 3]>,
}

/// Runs marching cubes over every cube of the padded mask.
///
/// **Mesh volume** $V = \frac16 \sum_t s_t\,(\mathbf a_t \times \mathbf b_t)\cdot \mathbf c_t$ (signed
/// tetrahedra with the origin; $s_t = -1$ for flipped cubes) and **surface area**
/// $A = \sum_t \frac12 \lVert (\mathbf a_t - \mathbf c_t) \times (\mathbf b_t - \mathbf c_t) \rVert$,
/// with the operations in PyRadiomics' order so the sums agree to the last bits.
fn march_cubes(padded: &PaddedMask, spacing: [f64; 3]) -> Mesh {
    let [pz, py, px] = padded.dims;
    let stride = [py * px, px, 1];
    let corner_offsets = CORNERS.map(|c| c[0] * stride[0] + c[1] * stride[1] + c[2]);
    let (mut area, mut volume) = (0.0, 0.0);
    let mut vertices = Vec::new();
    for iz in 0..pz - 1 {
        for iy in 0..py - 1 {
            let row = iz * stride[0] + iy * stride[1];
            for ix in 0..px - 1 {
                let base = row + ix;
                let mut cube = 0u8;
                for (bit, off) in corner_offsets.iter().enumerate() {
                    cube |= padded.voxels[base + off] << bit;
                }
                let sign = if cube & 0x80 != 0 {
                    cube ^= 0xFF;
                    -1.0
                } else {
                    1.0
                };
                if cube == 0 {
                    continue;
                }
                let origin = [iz as i32, iy as i32, ix as i32];
                for (corner, off) in DIAMETER_EDGES {
                    if cube & (1 << corner) != 0 {
                        vertices.push([
                            2 * origin[0] + off[0],
                            2 * origin[1] + off[1],
                            2 * origin[2] + off[2],
                        ]);
                    }
                }
                let origin = [iz as f64, iy as f64, ix as f64];
                for tri in TRIANGLES[cube as usize]
                    .chunks_exact(3)
                    .take_while(|t| t[0] != 0xFF)
                {
                    let point = |edge: u8| {
                        let m = EDGE_MIDPOINTS[edge as usize];
                        [0, 1, 2].map(|d| (origin[d] + m[d]) * spacing[d])
                    };
                    let (a, b, c) = (point(tri[0]), point(tri[1]), point(tri[2]));
                    volume += sign * dot(cross(a, b), c);
                    let ac = [a[0] - c[0], a[1] - c[1], a[2] - c[2]];
                    let bc = [b[0] - c[0], b[1] - c[1], b[2] - c[2]];
                    area += 0.5 * dot(cross(ac, bc), cross(ac, bc)).sqrt();
                }
            }
        }
    }
    Mesh {
        surface_area: area,
        volume: volume / 6.0,
        vertices,
    }
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - b[1] * a[2],
        a[2] * b[0] - b[2] * a[0],
        a[0] * b[1] - b[0] * a[1],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The four maximum diameters (mm).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Diameters {
    /// Largest distance between vertices of equal z (`Maximum2DDiameterSlice`).
    slice: f64,
    /// Equal y (`Maximum2DDiameterColumn`).
    column: f64,
    /// Equal x (`Maximum2DDiameterRow`).
    row: f64,
    /// Any two vertices (`Maximum3DDiameter`).
    max_3d: f64,
}

/// **Maximum diameters**: $\max \lVert \mathbf v_i - \mathbf v_j \rVert$ over mesh vertices, overall
/// and restricted to pairs in the same axial slice (equal z), coronal (equal y) and sagittal
/// (equal x) plane.
///
/// Only convex-hull corners of each plane's vertex set can end a farthest pair, so each plane is
/// reduced to its hull corners first, and the 3D maximum is taken over vertices that are hull
/// corners in all three of their planes.
fn max_diameters(vertices: &[[i32; 3]], spacing: [f64; 3]) -> Diameters {
    let physical: Vec<[f64; 3]> = vertices
        .iter()
        .map(|v| [0, 1, 2].map(|d| (f64::from(v[d]) * 0.5) * spacing[d]))
        .collect();
    let mut on_all_hulls = vec![true; vertices.len()];
    let mut plane_max = [0.0f64; 3];
    for (axis, best) in plane_max.iter_mut().enumerate() {
        let on_hull = plane_hull_corners(vertices, axis);
        let mut start = 0;
        while start < on_hull.len() {
            let level = vertices[on_hull[start]][axis];
            let end = start
                + on_hull[start..]
                    .iter()
                    .take_while(|&&i| vertices[i][axis] == level)
                    .count();
            *best = best.max(max_squared_distance(&on_hull[start..end], &physical));
            start = end;
        }
        let mut flags = vec![false; vertices.len()];
        on_hull.iter().for_each(|&i| flags[i] = true);
        on_all_hulls
            .iter_mut()
            .zip(flags)
            .for_each(|(a, f)| *a &= f);
    }
    let candidates: Vec<usize> = (0..vertices.len()).filter(|&i| on_all_hulls[i]).collect();
    let max_3d = max_squared_distance(&candidates, &physical);
    Diameters {
        slice: plane_max[0].sqrt(),
        column: plane_max[1].sqrt(),
        row: plane_max[2].sqrt(),
        max_3d: max_3d.sqrt(),
    }
}

/// Largest squared distance among the listed points, computed as PyRadiomics does.
fn max_squared_distance(indices: &[usize], physical: &[[f64; 3]]) -> f64 {
    let mut best = 0.0f64;
    for (k, &i) in indices.iter().enumerate() {
        let a = physical[i];
        for &j in &indices[k + 1..] {
            let b = physical[j];
            let d = (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2);
            best = best.max(d);
        }
    }
    best
}

/// Indices of vertices that are corners of the 2D convex hull of their plane (vertices with equal
/// coordinate `axis`), grouped by plane in ascending order. Uses exact integer arithmetic.
fn plane_hull_corners(vertices: &[[i32; 3]], axis: usize) -> Vec<usize> {
    let (u, v) = match axis {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    let mut order: Vec<usize> = (0..vertices.len()).collect();
    order.sort_unstable_by_key(|&i| (vertices[i][axis], vertices[i][u], vertices[i][v]));
    let mut corners = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let level = vertices[order[start]][axis];
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| vertices[i][axis] == level)
                .count();
        let plane: Vec<(i64, i64, usize)> = order[start..end]
            .iter()
            .map(|&i| (i64::from(vertices[i][u]), i64::from(vertices[i][v]), i))
            .collect();
        corners.extend(monotone_chain(&plane));
        start = end;
    }
    corners
}

/// Andrew's monotone chain on points sorted by `(u, v)`: the strict hull corners (collinear
/// points on hull edges are dropped).
fn monotone_chain(points: &[(i64, i64, usize)]) -> Vec<usize> {
    if points.len() <= 2 {
        return points.iter().map(|p| p.2).collect();
    }
    let turn = |o: (i64, i64, usize), a: (i64, i64, usize), b: (i64, i64, usize)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(i64, i64, usize)> = Vec::with_capacity(points.len() + 1);
    for pass in [points.to_vec(), points.iter().rev().copied().collect()] {
        let floor = hull.len();
        for p in pass {
            while hull.len() >= floor + 2
                && turn(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop(); // the last point of each chain starts the other one
    }
    hull.into_iter().map(|p| p.2).collect()
}

/// Eigenvalues (ascending) of the population covariance of the ROI voxel centres in mm;
/// values in $(-10^{-10}, 0)$ are set to 0 as PyRadiomics does.
fn axis_eigenvalues(dims: [usize; 3], mask: &[bool], spacing: [f64; 3]) -> [f64; 3] {
    let points: Vec<[f64; 3]> = voxel_indices(dims, mask)
        .map(|idx| [0, 1, 2].map(|d| idx[d] as f64 * spacing[d]))
        .collect();
    let n = points.len() as f64;
    let mut mean = [0.0; 3];
    for p in &points {
        (0..3).for_each(|d| mean[d] += p[d]);
    }
    mean = mean.map(|m| m / n);
    let mut cov = [[0.0; 3]; 3];
    for p in &points {
        let c = [0, 1, 2].map(|d| p[d] - mean[d]);
        for r in 0..3 {
            for k in 0..3 {
                cov[r][k] += c[r] * c[k];
            }
        }
    }
    let cov = cov.map(|row| row.map(|v| v / n));
    let mut eig: [f64; 3] = nalgebra::Matrix3::from_fn(|r, k| cov[r][k])
        .symmetric_eigenvalues()
        .into();
    eig.iter_mut()
        .filter(|v| **v < 0.0 && **v > -1e-10)
        .for_each(|v| *v = 0.0);
    eig.sort_by(f64::total_cmp);
    eig
}

/// `(z, y, x)` indices of the ROI voxels.
fn voxel_indices(dims: [usize; 3], mask: &[bool]) -> impl Iterator<Item = [usize; 3]> + '_ {
    mask.iter()
        .enumerate()
        .filter(|(_, &m)| m)
        .map(move |(i, _)| {
            let x = i % dims[2];
            let y = (i / dims[2]) % dims[1];
            let z = i / (dims[2] * dims[1]);
            [z, y, x]
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(values: &[f64], name: &str) -> f64 {
        values[FEATURES.iter().position(|f| f.name == name).unwrap()]
    }

    /// All-pairs maxima as PyRadiomics computes them, to check the hull shortcut.
    fn brute_force(vertices: &[[i32; 3]], spacing: [f64; 3]) -> Diameters {
        let p: Vec<[f64; 3]> = vertices
            .iter()
            .map(|v| [0, 1, 2].map(|d| (f64::from(v[d]) * 0.5) * spacing[d]))
            .collect();
        let mut m = [0.0f64; 4];
        for i in 0..p.len() {
            for j in 0..i {
                let d = (p[i][0] - p[j][0]).powi(2)
                    + (p[i][1] - p[j][1]).powi(2)
                    + (p[i][2] - p[j][2]).powi(2);
                for axis in 0..3 {
                    if p[i][axis] == p[j][axis] {
                        m[axis] = m[axis].max(d);
                    }
                }
                m[3] = m[3].max(d);
            }
        }
        Diameters {
            slice: m[0].sqrt(),
            column: m[1].sqrt(),
            row: m[2].sqrt(),
            max_3d: m[3].sqrt(),
        }
    }

    #[test]
    fn single_cube_voxel_block_has_exact_volume_and_box_pca() {
        // A 2×3×4 block: the midpoint mesh cuts corners, so compare with the brute force and the
        // closed-form PCA of a box of voxel centres: var = (n²-1)/12 · s².
        let dims = [2, 3, 4];
        let mask = vec![true; 24];
        let spacing = [2.0, 1.0, 0.5];
        let v = compute(dims, &mask, spacing);
        assert_eq!(value(&v, "VoxelVolume"), 24.0);
        let major = 4.0 * ((16.0f64 - 1.0) / 12.0 * 0.25).sqrt();
        let by_axis = [
            (4.0f64 - 1.0) / 12.0 * 4.0,
            (9.0 - 1.0) / 12.0,
            (16.0 - 1.0) / 12.0 * 0.25,
        ];
        let mut sorted = by_axis;
        sorted.sort_by(f64::total_cmp);
        assert!(
            (value(&v, "MajorAxisLength") - 4.0 * sorted[2].sqrt()).abs() < 1e-12,
            "{major}"
        );
        assert!((value(&v, "LeastAxisLength") - 4.0 * sorted[0].sqrt()).abs() < 1e-12);
        assert!(value(&v, "MeshVolume") > 0.0 && value(&v, "MeshVolume") < 24.0);
    }

    #[test]
    fn hull_diameters_equal_all_pairs_on_irregular_masks() {
        let dims = [7, 9, 8];
        let mut state = 12345u64;
        for trial in 0..20 {
            let mask: Vec<bool> = (0..dims.iter().product::<usize>())
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    !(state >> 33).is_multiple_of(3)
                })
                .collect();
            let spacing = [1.3, 0.7, 0.9];
            let mesh = march_cubes(&PaddedMask::new(dims, &mask), spacing);
            assert_eq!(
                max_diameters(&mesh.vertices, spacing),
                brute_force(&mesh.vertices, spacing),
                "trial {trial}"
            );
        }
    }
}
