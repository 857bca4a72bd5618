//! Neighbouring Grey Tone Difference Matrix (NGTDM) features, identical to PyRadiomics 3.x
//! `ngtdm`.
//!
//! For every ROI voxel of grey level $i$, $\bar A$ is the mean level of its neighbours at the
//! `distances` (Chebyshev; both directions) that lie inside the bounding box and the ROI. The
//! matrix holds, per level present, $n_i$ = the number of voxels of level $i$ and
//! $s_i = \sum |i - \bar A|$ over them. A voxel without any such neighbour adds 0 to $s_i$ but
//! still counts in $n_i$ (PyRadiomics' rule; IBSI leaves it out).
//!
//! PyRadiomics' 2D example: $\mathbf I = \begin{bmatrix}1&2&5&2\\\\3&5&1&3\\\\1&3&5&5\\\\
//! 3&1&1&1\end{bmatrix}$ gives $n = (6, 2, 4, 4)$ and $s = (13.35, 2, 3.0\overline3, 10.075)$
//! for $i = 1, 2, 3, 5$.
//!
//! # Notation
//! $N_{v,p} = \sum_i n_i$; $p_i = n_i / N_{v,p}$; $N_{g,p}$ = number of levels with $p_i > 0$
//! (all levels kept, since absent levels are dropped); $i, j$ = grey-level values.
//!
//! # Settings and defaults
//! `distances = [1]`, `force2D = false`.
//!
//! # Reference
//! PyRadiomics 3.x `radiomics/ngtdm.py`, `cmatrices.c::calculate_ngtdm`; Amadasun & King 1989;
//! IBSI 1 §3.10. Golden values: `testdata/pyradiomics/expected/features_*.csv`
//! (`original_ngtdm_*`), tested in `tests/texture_golden.rs`.
//!
//! # Parallel work
//! The neighbourhood differences are computed in parallel, then added into $s_i$ in scan order,
//! the order of the sequential sum: the values do not depend on the thread count.
//!
//! # Known differences
//! None known.

use crate::neighbours::{self, feature_table};
use crate::roi::{DiscretisedRoi, LevelGrid, TextureSettings};
use rayon::prelude::*;

feature_table! { Ngtdm;
    "Busyness" => busyness,
    "Coarseness" => coarseness,
    "Complexity" => complexity,
    "Contrast" => contrast,
    "Strength" => strength,
}

/// The NGTDM features of `roi` marked in `wanted`, aligned with [`FEATURES`] (NaN for the
/// others).
pub fn compute(roi: &DiscretisedRoi, settings: &TextureSettings, wanted: &[bool]) -> Vec<f64> {
    let offsets = neighbours::angles(
        roi.dims,
        &settings.distances,
        true,
        neighbours::force2d_axis(settings),
    );
    let grid = roi.level_grid(settings);
    let matrix = Ngtdm::new(&grid, &grid.linear_all(&offsets));
    if matrix.total == 0.0 {
        return vec![f64::NAN; FEATURES.len()];
    }
    evaluate(&matrix, wanted)
}

/// ROI voxels per parallel task at least.
const VOXELS_PER_TASK: usize = 1 << 14;

/// $|i - \bar A|$ for the voxel at padded index `v`, 0 without any ROI neighbour.
///
/// The levels are integers, so their sum is exact in integers as it is in `f64`.
fn neighbourhood_difference(grid: &LevelGrid, steps: &[isize], v: usize) -> f64 {
    let (mut count, mut sum) = (0u32, 0u64);
    for &step in steps {
        let neighbour = grid.codes[v.wrapping_add_signed(step)];
        if neighbour != 0 {
            count += 1;
            sum += u64::from(grid.levels[neighbour as usize - 1]);
        }
    }
    if count == 0 {
        0.0
    } else {
        (grid.level_value(grid.codes[v]) - sum as f64 / f64::from(count)).abs()
    }
}

/// The NGTDM of the levels present in the ROI.
struct Ngtdm {
    /// Grey level value $i$ of each entry.
    levels: Vec<f64>,
    /// $p_i$.
    p: Vec<f64>,
    /// $s_i$.
    s: Vec<f64>,
    /// $N_{v,p}$.
    total: f64,
}

impl Ngtdm {
    fn new(grid: &LevelGrid, steps: &[isize]) -> Ngtdm {
        let g = grid.level_count();
        let differences: Vec<f64> = grid
            .voxels
            .par_iter()
            .with_min_len(VOXELS_PER_TASK)
            .map(|&v| neighbourhood_difference(grid, steps, v))
            .collect();
        let (mut n, mut s) = (vec![0.0; g], vec![0.0; g]);
        for (&v, &difference) in grid.voxels.iter().zip(&differences) {
            let code = grid.codes[v] as usize;
            n[code - 1] += 1.0;
            s[code - 1] += difference;
        }
        let total: f64 = n.iter().sum();
        Ngtdm {
            levels: grid.levels.iter().map(|&l| f64::from(l)).collect(),
            p: n.iter().map(|&c| c / total).collect(),
            s,
            total,
        }
    }

    /// $\sum_i p_i s_i$.
    fn weighted_difference(&self) -> f64 {
        self.p.iter().zip(&self.s).map(|(p, s)| p * s).sum()
    }

    /// $\sum_{i,j} f(i, j)$ over pairs of levels present (by index).
    fn pair_sum(&self, f: impl Fn(usize, usize) -> f64) -> f64 {
        let g = self.levels.len();
        (0..g)
            .flat_map(|a| (0..g).map(move |b| (a, b)))
            .map(|(a, b)| f(a, b))
            .sum()
    }
}

/// **Busyness**: $\dfrac{\sum_i p_i s_i}{\sum_{i,j} |i p_i - j p_j|}$, and 0 when the
/// denominator is 0 (a single grey level).
fn busyness(m: &Ngtdm) -> f64 {
    let denominator = m.pair_sum(|a, b| (m.levels[a] * m.p[a] - m.levels[b] * m.p[b]).abs());
    if denominator == 0.0 {
        0.0
    } else {
        m.weighted_difference() / denominator
    }
}

/// **Coarseness**: $1 / \sum_i p_i s_i$, and $10^6$ when the sum is 0 (a flat region).
fn coarseness(m: &Ngtdm) -> f64 {
    let sum = m.weighted_difference();
    if sum == 0.0 {
        1e6
    } else {
        1.0 / sum
    }
}

/// **Complexity**: $\dfrac{1}{N_{v,p}} \sum_{i,j} |i - j| \dfrac{p_i s_i + p_j s_j}{p_i + p_j}$.
fn complexity(m: &Ngtdm) -> f64 {
    m.pair_sum(|a, b| {
        (m.levels[a] - m.levels[b]).abs() * (m.p[a] * m.s[a] + m.p[b] * m.s[b]) / (m.p[a] + m.p[b])
    }) / m.total
}

/// **Contrast**: $\Bigl(\dfrac{1}{N_{g,p}(N_{g,p}-1)} \sum_{i,j} p_i p_j (i-j)^2\Bigr)
/// \dfrac{\sum_i s_i}{N_{v,p}}$, and 0 when $N_{g,p} = 1$.
fn contrast(m: &Ngtdm) -> f64 {
    let ngp = m.levels.len() as f64;
    let div = ngp * (ngp - 1.0);
    if div == 0.0 {
        return 0.0;
    }
    let spread = m.pair_sum(|a, b| m.p[a] * m.p[b] * (m.levels[a] - m.levels[b]).powi(2));
    spread * m.s.iter().sum::<f64>() / m.total / div
}

/// **Strength**: $\dfrac{\sum_{i,j} (p_i + p_j)(i-j)^2}{\sum_i s_i}$, and 0 when $\sum_i s_i =
/// 0$.
fn strength(m: &Ngtdm) -> f64 {
    let sum_s: f64 = m.s.iter().sum();
    if sum_s == 0.0 {
        return 0.0;
    }
    m.pair_sum(|a, b| (m.p[a] + m.p[b]) * (m.levels[a] - m.levels[b]).powi(2)) / sum_s
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [bool; FEATURES.len()] = [true; FEATURES.len()];

    fn docstring_roi() -> DiscretisedRoi {
        #[rustfmt::skip]
        let levels = vec![
            1, 2, 5, 2,
            3, 5, 1, 3,
            1, 3, 5, 5,
            3, 1, 1, 1,
        ];
        DiscretisedRoi::new([1, 4, 4], levels, vec![true; 16], [1.0; 3])
    }

    #[test]
    fn matrix_matches_docstring() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let offsets = neighbours::angles(roi.dims, &[1], true, None);
        let m = Ngtdm::new(&grid, &grid.linear_all(&offsets));
        assert_eq!(m.levels, vec![1.0, 2.0, 3.0, 5.0]);
        assert_eq!(m.p, vec![0.375, 0.125, 0.25, 0.25]);
        let s = [13.35, 2.0, 3.0 + 1.0 / 30.0, 10.075];
        for (ours, by_hand) in m.s.iter().zip(s) {
            assert!((ours - by_hand).abs() < 1e-12, "{ours} vs {by_hand}");
        }
        let sum_ps = 0.375 * 13.35 + 0.125 * 2.0 + 0.25 * (3.0 + 1.0 / 30.0) + 0.25 * 10.075;
        assert!((coarseness(&m) - 1.0 / sum_ps).abs() < 1e-12);
    }

    #[test]
    fn flat_region_conventions() {
        let roi = DiscretisedRoi::new([1, 2, 2], vec![2; 4], vec![true; 4], [1.0; 3]);
        let v = compute(&roi, &TextureSettings::default(), &ALL);
        assert_eq!(v, vec![0.0, 1e6, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn isolated_voxel_still_counts() {
        // Two voxels two apart in x: neither has an ROI neighbour, both count in n_i.
        let roi = DiscretisedRoi::new([1, 1, 3], vec![1, 0, 3], vec![true, false, true], [1.0; 3]);
        let grid = LevelGrid::new(&roi, 1);
        let offsets = neighbours::angles(roi.dims, &[1], true, None);
        let m = Ngtdm::new(&grid, &grid.linear_all(&offsets));
        assert_eq!(m.total, 2.0);
        assert_eq!(m.s, vec![0.0, 0.0]);
    }
}
