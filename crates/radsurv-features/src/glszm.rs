//! Grey Level Size Zone Matrix (GLSZM) features, identical to PyRadiomics 3.x `glszm`.
//!
//! $\mathbf P(i,j)$ counts the zones of grey level $i$ and size $j$: connected components of
//! equal-level ROI voxels, where two voxels connect when they are neighbours at Chebyshev
//! distance 1 (26-connectivity in 3D; 8 in 2D or in a single-slice box; `force2D` removes the
//! out-of-plane neighbours). One matrix for the whole ROI, no angle averaging.
//!
//! PyRadiomics' 2D example:
//! $$\mathbf I = \begin{bmatrix}5&2&5&4&4\\\\3&3&3&1&3\\\\2&1&1&1&3\\\\4&2&2&2&3\\\\3&5&3&3&2
//! \end{bmatrix} \Rightarrow \mathbf P = \begin{bmatrix}0&0&0&1&0\\\\1&0&0&0&1\\\\1&0&1&0&1\\\\
//! 1&1&0&0&0\\\\3&0&0&0&0\end{bmatrix}$$
//!
//! # Notation
//! $i$ = grey-level value, $j$ = zone size; $N_z = \sum_{i,j}\mathbf P(i,j)$ zones;
//! $N_p = \sum_{i,j} j\,\mathbf P(i,j)$ voxels; $p(i,j) = \mathbf P(i,j)/N_z$; $\epsilon$ =
//! `np.spacing(1)`.
//!
//! # Settings and defaults
//! `force2D = false`. (`distances` and `weightingNorm` do not apply.)
//!
//! # Reference
//! PyRadiomics 3.x `radiomics/glszm.py`, `cmatrices.c::calculate_glszm`; Thibault et al. 2009;
//! IBSI 1 §3.8. Golden values: `testdata/pyradiomics/expected/features_*.csv`
//! (`original_glszm_*`), tested in `tests/texture_golden.rs`.
//!
//! # Known differences
//! None known. PyRadiomics grows each zone by a flood fill; here zones are labelled by runs
//! (below), which finds the same connected components, so the matrix is the same.
//!
//! # Labelling by runs
//! Each row of the box (fixed $z, y$) is cut into runs: maximal stretches of equal level along
//! $x$ (single voxels when `force2D` forbids moving along $x$). Two runs of one level are in the
//! same zone when a voxel of one is a neighbour of a voxel of the other; for the row at
//! $(\Delta z, \Delta y)$ with allowed $\Delta x \in [a, b]$, the run $[s, e]$ meets the runs
//! overlapping $[s + a, e + b]$. Only the rows before the current one in scan order are
//! checked (the other half of the neighbourhood is the same relation seen from the other side),
//! and the runs are merged with a union–find over runs (union by size, path halving). This
//! touches each voxel once and each run a few times, where the flood fill reads 26 neighbours
//! of every voxel and a visited flag per box voxel.

use crate::neighbours::{self, feature_table};
use crate::roi::{DiscretisedRoi, LevelGrid, Offset, TextureSettings};
use crate::size_matrix::SizeMatrix;

feature_table! { SizeMatrix;
    "GrayLevelNonUniformity" => gray_level_non_uniformity,
    "GrayLevelNonUniformityNormalized" => gray_level_non_uniformity_normalized,
    "GrayLevelVariance" => gray_level_variance,
    "HighGrayLevelZoneEmphasis" => high_gray_level_zone_emphasis,
    "LargeAreaEmphasis" => large_area_emphasis,
    "LargeAreaHighGrayLevelEmphasis" => large_area_high_gray_level_emphasis,
    "LargeAreaLowGrayLevelEmphasis" => large_area_low_gray_level_emphasis,
    "LowGrayLevelZoneEmphasis" => low_gray_level_zone_emphasis,
    "SizeZoneNonUniformity" => size_zone_non_uniformity,
    "SizeZoneNonUniformityNormalized" => size_zone_non_uniformity_normalized,
    "SmallAreaEmphasis" => small_area_emphasis,
    "SmallAreaHighGrayLevelEmphasis" => small_area_high_gray_level_emphasis,
    "SmallAreaLowGrayLevelEmphasis" => small_area_low_gray_level_emphasis,
    "ZoneEntropy" => zone_entropy,
    "ZonePercentage" => zone_percentage,
    "ZoneVariance" => zone_variance,
}

/// The GLSZM features of `roi` marked in `wanted`, aligned with [`FEATURES`] (NaN for the
/// others).
pub fn compute(roi: &DiscretisedRoi, settings: &TextureSettings, wanted: &[bool]) -> Vec<f64> {
    let offsets = neighbours::angles(roi.dims, &[1], true, neighbours::force2d_axis(settings));
    let grid = roi.level_grid(settings);
    let matrix = zone_matrix(&grid, roi.dims, &offsets);
    if matrix.total() == 0.0 {
        return vec![f64::NAN; FEATURES.len()];
    }
    evaluate(&matrix, wanted)
}

/// The size-zone matrix over the zone sizes that occur (compact level rows).
fn zone_matrix(grid: &LevelGrid, dims: [usize; 3], offsets: &[Offset]) -> SizeMatrix {
    let mut zones = Runs::new(grid, dims, offsets).zones(offsets);
    zones.sort_unstable_by_key(|&(_, size)| size);
    let mut sizes: Vec<usize> = zones.iter().map(|&(_, size)| size).collect();
    sizes.dedup();
    let mut counts = vec![0.0; grid.level_count() * sizes.len()];
    let mut column = 0;
    for &(code, size) in &zones {
        while sizes[column] != size {
            column += 1;
        }
        counts[(code as usize - 1) * sizes.len() + column] += 1.0;
    }
    SizeMatrix {
        levels: grid.levels.iter().map(|&l| f64::from(l)).collect(),
        sizes: sizes.iter().map(|&s| s as f64).collect(),
        counts,
    }
}

/// One run: inclusive `x` range within its row and its level code.
#[derive(Clone, Copy)]
struct Run {
    first: u32,
    last: u32,
    code: u32,
}

impl Run {
    /// Number of voxels.
    fn len(&self) -> usize {
        (self.last - self.first + 1) as usize
    }
}

/// The runs of every row of the box, rows in scan order (`row = y + ny * z`).
struct Runs {
    dims: [usize; 3],
    runs: Vec<Run>,
    /// Runs of row `r` are `runs[row_start[r]..row_start[r + 1]]`.
    row_start: Vec<usize>,
}

impl Runs {
    /// Cuts every row into runs of equal level; along `x` only when `offsets` move along `x`.
    fn new(grid: &LevelGrid, dims: [usize; 3], offsets: &[Offset]) -> Runs {
        let [nz, ny, nx] = dims;
        let joins_along_x = offsets.contains(&[0, 0, 1]);
        let mut runs = Vec::new();
        let mut row_start = Vec::with_capacity(nz * ny + 1);
        for z in 0..nz {
            for y in 0..ny {
                row_start.push(runs.len());
                let row = &grid.codes[grid.padded(z, y, 0)..][..nx];
                let mut x = 0;
                while x < nx {
                    let code = row[x];
                    let first = x;
                    x += 1;
                    if joins_along_x {
                        while x < nx && row[x] == code {
                            x += 1;
                        }
                    }
                    if code != 0 {
                        runs.push(Run {
                            first: first as u32,
                            last: (x - 1) as u32,
                            code,
                        });
                    }
                }
            }
        }
        row_start.push(runs.len());
        Runs {
            dims,
            runs,
            row_start,
        }
    }

    /// `(level code, size)` of every zone.
    fn zones(&self, offsets: &[Offset]) -> Vec<(u32, usize)> {
        let [nz, ny, _] = self.dims;
        let earlier_rows = earlier_rows(offsets);
        let mut sets = UnionFind::new(self.runs.iter().map(Run::len));
        for z in 0..nz {
            for y in 0..ny {
                let row = y + ny * z;
                for &(dz, dy, a, b) in &earlier_rows {
                    let (Some(oz), Some(oy)) = (z.checked_add_signed(dz), y.checked_add_signed(dy))
                    else {
                        continue;
                    };
                    if oy >= ny {
                        continue;
                    }
                    let other = self.row_start[oy + ny * oz]..self.row_start[oy + ny * oz + 1];
                    self.join_rows(&mut sets, row, other, a, b);
                }
            }
        }
        sets.roots()
            .map(|(r, size)| (self.runs[r].code, size))
            .collect()
    }

    /// Joins each run of `row` with the runs of equal level in `other` that it touches, the
    /// neighbours of `[s, e]` being `[s + a, e + b]` there.
    fn join_rows(
        &self,
        sets: &mut UnionFind,
        row: usize,
        other: std::ops::Range<usize>,
        a: i32,
        b: i32,
    ) {
        let others = &self.runs[other.clone()];
        let mut k = 0;
        for r in self.row_start[row]..self.row_start[row + 1] {
            let run = self.runs[r];
            let low = i64::from(run.first) + i64::from(a);
            let high = i64::from(run.last) + i64::from(b);
            // runs ending before `low` cannot touch this or any later run of the row
            while k < others.len() && i64::from(others[k].last) < low {
                k += 1;
            }
            for (j, o) in others[k..].iter().enumerate() {
                if i64::from(o.first) > high {
                    break;
                }
                if o.code == run.code {
                    sets.union(r, other.start + k + j);
                }
            }
        }
    }
}

/// The neighbour rows before a row in scan order, as `(dz, dy, lowest dx, highest dx)`.
fn earlier_rows(offsets: &[Offset]) -> Vec<(isize, isize, i32, i32)> {
    let mut rows: Vec<(isize, isize, i32, i32)> = Vec::new();
    for o in offsets
        .iter()
        .filter(|o| o[0] < 0 || (o[0] == 0 && o[1] < 0))
    {
        let (dz, dy) = (o[0] as isize, o[1] as isize);
        match rows.iter_mut().find(|r| r.0 == dz && r.1 == dy) {
            Some(r) => {
                r.2 = r.2.min(o[2]);
                r.3 = r.3.max(o[2]);
            }
            None => rows.push((dz, dy, o[2], o[2])),
        }
    }
    rows
}

/// Disjoint sets of runs, each set's size in voxels: union by size, path halving.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    /// Singletons of the given sizes.
    fn new(sizes: impl Iterator<Item = usize>) -> UnionFind {
        let size: Vec<usize> = sizes.collect();
        UnionFind {
            parent: (0..size.len()).collect(),
            size,
        }
    }

    /// Every set's root and size in voxels.
    fn roots(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.parent
            .iter()
            .enumerate()
            .filter(|&(x, &p)| p == x)
            .map(|(x, _)| (x, self.size[x]))
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a] >= self.size[b] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small] = big;
        self.size[big] += self.size[small];
    }
}

/// **Gray Level Non-Uniformity**: $\sum_i \bigl(\sum_j \mathbf P(i,j)\bigr)^2 / N_z$.
fn gray_level_non_uniformity(m: &SizeMatrix) -> f64 {
    m.level_non_uniformity()
}

/// **Gray Level Non-Uniformity Normalized**: $\sum_i \bigl(\sum_j \mathbf P(i,j)\bigr)^2 /
/// N_z^2$.
fn gray_level_non_uniformity_normalized(m: &SizeMatrix) -> f64 {
    m.level_non_uniformity() / m.total()
}

/// **Gray Level Variance**: $\sum_{i,j} p(i,j)(i-\mu)^2$, $\mu = \sum_{i,j} p(i,j)\,i$.
fn gray_level_variance(m: &SizeMatrix) -> f64 {
    m.level_variance()
}

/// **High Gray Level Zone Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 / N_z$.
fn high_gray_level_zone_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, _| i * i)
}

/// **Large Area Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, j^2 / N_z$.
fn large_area_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|_, j| j * j)
}

/// **Large Area High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 j^2 / N_z$.
fn large_area_high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| i * i * j * j)
}

/// **Large Area Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, j^2 / i^2 / N_z$.
fn large_area_low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| j * j / (i * i))
}

/// **Low Gray Level Zone Emphasis**: $\sum_{i,j} \mathbf P(i,j) / i^2 / N_z$.
fn low_gray_level_zone_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, _| 1.0 / (i * i))
}

/// **Size-Zone Non-Uniformity**: $\sum_j \bigl(\sum_i \mathbf P(i,j)\bigr)^2 / N_z$.
fn size_zone_non_uniformity(m: &SizeMatrix) -> f64 {
    m.size_non_uniformity()
}

/// **Size-Zone Non-Uniformity Normalized**: $\sum_j \bigl(\sum_i \mathbf P(i,j)\bigr)^2 /
/// N_z^2$.
fn size_zone_non_uniformity_normalized(m: &SizeMatrix) -> f64 {
    m.size_non_uniformity() / m.total()
}

/// **Small Area Emphasis**: $\sum_{i,j} \mathbf P(i,j) / j^2 / N_z$.
fn small_area_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|_, j| 1.0 / (j * j))
}

/// **Small Area High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 / j^2 / N_z$.
fn small_area_high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| i * i / (j * j))
}

/// **Small Area Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j) / (i^2 j^2) / N_z$.
fn small_area_low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| 1.0 / (i * i * j * j))
}

/// **Zone Entropy**: $-\sum_{i,j} p(i,j) \log_2(p(i,j) + \epsilon)$.
fn zone_entropy(m: &SizeMatrix) -> f64 {
    m.entropy()
}

/// **Zone Percentage**: $N_z / N_p$.
fn zone_percentage(m: &SizeMatrix) -> f64 {
    m.percentage()
}

/// **Zone Variance**: $\sum_{i,j} p(i,j)(j-\mu)^2$, $\mu = \sum_{i,j} p(i,j)\,j$.
fn zone_variance(m: &SizeMatrix) -> f64 {
    m.size_variance()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const ALL: [bool; FEATURES.len()] = [true; FEATURES.len()];

    #[rustfmt::skip]
    const DOCSTRING_IMAGE: [u32; 25] = [
        5, 2, 5, 4, 4,
        3, 3, 3, 1, 3,
        2, 1, 1, 1, 3,
        4, 2, 2, 2, 3,
        3, 5, 3, 3, 2,
    ];

    fn docstring_roi() -> DiscretisedRoi {
        DiscretisedRoi::new(
            [1, 5, 5],
            DOCSTRING_IMAGE.to_vec(),
            vec![true; 25],
            [1.0; 3],
        )
    }

    #[test]
    fn zones_match_docstring() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let offsets = neighbours::angles(roi.dims, &[1], true, None);
        let m = zone_matrix(&grid, roi.dims, &offsets);
        assert_eq!(m.sizes, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        #[rustfmt::skip]
        let expected = [
            0.0, 0.0, 0.0, 1.0, 0.0,
            1.0, 0.0, 0.0, 0.0, 1.0,
            1.0, 0.0, 1.0, 0.0, 1.0,
            1.0, 1.0, 0.0, 0.0, 0.0,
            3.0, 0.0, 0.0, 0.0, 0.0,
        ];
        assert_eq!(m.counts, expected);
    }

    /// Zones by flood fill over the padded grid, PyRadiomics' way: the reference for the runs.
    fn flood_fill_zones(grid: &LevelGrid, offsets: &[Offset]) -> Vec<(u32, usize)> {
        let steps = grid.linear_all(offsets);
        let mut visited = vec![false; grid.codes.len()];
        let mut zones = Vec::new();
        for &seed in &grid.voxels {
            if visited[seed] {
                continue;
            }
            visited[seed] = true;
            let (code, mut stack, mut size) = (grid.codes[seed], vec![seed], 0);
            while let Some(v) = stack.pop() {
                size += 1;
                for &step in &steps {
                    let n = v.wrapping_add_signed(step);
                    if grid.codes[n] == code && !visited[n] {
                        visited[n] = true;
                        stack.push(n);
                    }
                }
            }
            zones.push((code, size));
        }
        zones.sort_unstable();
        zones
    }

    #[test]
    fn runs_find_the_flood_fill_zones() {
        // scattered ROI voxels of three levels, from a seeded generator
        let mut rng = ChaCha8Rng::seed_from_u64(12345);
        for dims in [[4, 5, 6], [1, 7, 9], [6, 1, 5], [5, 6, 1], [3, 3, 3]] {
            let n = dims.iter().product();
            let mask: Vec<bool> = (0..n).map(|_| rng.random_bool(0.75)).collect();
            let levels: Vec<u32> = (0..n).map(|_| rng.random_range(1..=3)).collect();
            let roi = DiscretisedRoi::new(dims, levels, mask, [1.0; 3]);
            for force2d in [None, Some(0), Some(1), Some(2)] {
                let offsets = neighbours::angles(dims, &[1], true, force2d);
                let grid = LevelGrid::new(&roi, 1);
                let mut runs = Runs::new(&grid, dims, &offsets).zones(&offsets);
                runs.sort_unstable();
                assert_eq!(
                    runs,
                    flood_fill_zones(&grid, &offsets),
                    "{dims:?} {force2d:?}"
                );
            }
        }
    }

    #[test]
    fn hand_worked_features() {
        let v = compute(&docstring_roi(), &TextureSettings::default(), &ALL);
        let get = |name: &str| v[FEATURES.iter().position(|f| f.name == name).unwrap()];
        // 11 zones over 25 voxels; sizes: 1 ×6, 2 ×1, 3 ×1, 4 ×1, 5 ×2 (sum 6+2+3+4+10 = 25).
        assert!((get("ZonePercentage") - 11.0 / 25.0).abs() < 1e-15);
        let sae = (6.0 + 1.0 / 4.0 + 1.0 / 9.0 + 1.0 / 16.0 + 2.0 / 25.0) / 11.0;
        assert!((get("SmallAreaEmphasis") - sae).abs() < 1e-15);
        let gln = (1.0 + 4.0 + 9.0 + 4.0 + 9.0) / 11.0;
        assert!((get("GrayLevelNonUniformity") - gln).abs() < 1e-14);
    }

    #[test]
    fn force2d_splits_zones_across_slices() {
        let roi = DiscretisedRoi::new([2, 1, 1], vec![1; 2], vec![true; 2], [1.0; 3]);
        let one_zone = compute(&roi, &TextureSettings::default(), &ALL);
        let two_zones = compute(
            &roi,
            &TextureSettings {
                force2d: true,
                ..Default::default()
            },
            &ALL,
        );
        let zp = FEATURES
            .iter()
            .position(|f| f.name == "ZonePercentage")
            .unwrap();
        assert_eq!(one_zone[zp], 0.5);
        assert_eq!(two_zones[zp], 1.0);
    }

    #[test]
    fn features_in_ascii_order_of_method_names() {
        let methods: Vec<String> = FEATURES
            .iter()
            .map(|f| format!("get{}FeatureValue", f.name))
            .collect();
        let mut sorted = methods.clone();
        sorted.sort();
        assert_eq!(methods, sorted);
        assert_eq!(FEATURES.len(), 16);
    }
}
