//! Grey Level Dependence Matrix (GLDM) features, identical to PyRadiomics 3.x `gldm`.
//!
//! $\mathbf P(i,j)$ counts the ROI voxels of grey level $i$ with $j - 1$ *dependent* neighbours:
//! neighbours at one of the `distances` (Chebyshev; both directions, 26 per shell of radius 1 in
//! 3D), inside the bounding box and the ROI, whose level $k$ satisfies $|i - k| \le \alpha$.
//! The voxel itself counts, so $j$ = dependent neighbours + 1 and every ROI voxel is in exactly
//! one cell ($N_z = N_p$).
//!
//! PyRadiomics' 2D example ($\alpha = 0$, $\delta = 1$):
//! $$\mathbf I = \begin{bmatrix}5&2&5&4&4\\\\3&3&3&1&3\\\\2&1&1&1&3\\\\4&2&2&2&3\\\\3&5&3&3&2
//! \end{bmatrix} \Rightarrow \mathbf P = \begin{bmatrix}0&1&2&1\\\\1&2&3&0\\\\1&4&4&0\\\\
//! 1&2&0&0\\\\3&0&0&0\end{bmatrix}$$
//!
//! # Notation
//! $i$ = grey-level value, $j$ = dependence size; $N_z = \sum_{i,j}\mathbf P(i,j)$;
//! $p(i,j) = \mathbf P(i,j)/N_z$; $\epsilon$ = `np.spacing(1)`.
//!
//! # Settings and defaults
//! `gldm_a` ($\alpha$) `= 0`, `distances = [1]`, `force2D = false`.
//!
//! # Reference
//! PyRadiomics 3.x `radiomics/gldm.py`, `cmatrices.c::calculate_gldm`; Sun & Wee 1983; IBSI 1
//! §3.11 (PyRadiomics' $j$ counts the centre voxel). Golden values:
//! `testdata/pyradiomics/expected/features_*.csv` (`original_gldm_*`), tested in
//! `tests/texture_golden.rs`.
//!
//! # Counting
//! With $\alpha < 1$ a neighbour is dependent exactly when its level equals the centre's (levels
//! are integers), so the test compares level codes, and it runs on whole rows of the padded
//! level grid: per box row, one counter per voxel, incremented where the row equals the row of
//! neighbours along an offset (the padding reads as code 0, which no ROI voxel has). These
//! compares need no per-voxel branch and run in vector lanes; only the final increment of the
//! voxel's matrix cell is per ROI voxel. Other $\alpha$ compare level values, a voxel at a time.
//! Blocks of rows (or voxels) are counted in parallel and the integer block counts summed: the
//! matrix does not depend on the thread count.
//!
//! # Known differences
//! - The deprecated DependencePercentage (always 1) and GrayLevelNonUniformityNormalized (equal
//!   to first-order Uniformity) are given their formula values here; PyRadiomics raises
//!   `DeprecationWarning` and emits no value, so the pipeline must leave them out.
//! - PyRadiomics passes `gldm_a` to C as an integer; the comparison here is in `f64`, which is
//!   the same for every integer $\alpha$.

use crate::neighbours::{self, feature_table};
use crate::roi::{DiscretisedRoi, LevelGrid, TextureSettings};
use crate::size_matrix::SizeMatrix;
use multiversion::multiversion;
use rayon::prelude::*;

feature_table! { SizeMatrix;
    "DependenceEntropy" => dependence_entropy,
    "DependenceNonUniformity" => dependence_non_uniformity,
    "DependenceNonUniformityNormalized" => dependence_non_uniformity_normalized,
    deprecated "DependencePercentage" => dependence_percentage,
    "DependenceVariance" => dependence_variance,
    "GrayLevelNonUniformity" => gray_level_non_uniformity,
    deprecated "GrayLevelNonUniformityNormalized" => gray_level_non_uniformity_normalized,
    "GrayLevelVariance" => gray_level_variance,
    "HighGrayLevelEmphasis" => high_gray_level_emphasis,
    "LargeDependenceEmphasis" => large_dependence_emphasis,
    "LargeDependenceHighGrayLevelEmphasis" => large_dependence_high_gray_level_emphasis,
    "LargeDependenceLowGrayLevelEmphasis" => large_dependence_low_gray_level_emphasis,
    "LowGrayLevelEmphasis" => low_gray_level_emphasis,
    "SmallDependenceEmphasis" => small_dependence_emphasis,
    "SmallDependenceHighGrayLevelEmphasis" => small_dependence_high_gray_level_emphasis,
    "SmallDependenceLowGrayLevelEmphasis" => small_dependence_low_gray_level_emphasis,
}

/// The GLDM features of `roi` marked in `wanted`, aligned with [`FEATURES`] (NaN for the
/// others).
pub fn compute(roi: &DiscretisedRoi, settings: &TextureSettings, wanted: &[bool]) -> Vec<f64> {
    let offsets = neighbours::angles(
        roi.dims,
        &settings.distances,
        true,
        neighbours::force2d_axis(settings),
    );
    let grid = roi.level_grid(settings);
    let matrix = dependence_matrix(&grid, &grid.linear_all(&offsets), settings.gldm_a);
    if matrix.total() == 0.0 {
        return vec![f64::NAN; FEATURES.len()];
    }
    evaluate(&matrix, wanted)
}

/// Box voxels per parallel task (the counts are integers, so the split does not change them).
const VOXELS_PER_TASK: usize = 1 << 16;

/// The dependence matrix: compact level rows, columns $j = 1 \dots N_a + 1$.
fn dependence_matrix(grid: &LevelGrid, steps: &[isize], alpha: f64) -> SizeMatrix {
    let columns = steps.len() + 1;
    let levels: Vec<f64> = grid.levels.iter().map(|&l| f64::from(l)).collect();
    let counts = if (0.0..1.0).contains(&alpha) {
        // distinct levels differ by at least 1: only an equal level is within alpha
        equal_level_counts(grid, steps)
    } else {
        within_alpha_counts(grid, steps, &levels, alpha)
    };
    SizeMatrix {
        levels,
        sizes: (1..=columns).map(|j| j as f64).collect(),
        counts: counts.into_iter().map(f64::from).collect(),
    }
}

/// Dependence counts when only an equal level is dependent, a box row at a time: the row is
/// compared with its neighbours' row along each offset (whole rows, which the compiler turns
/// into vector compares), then each ROI voxel's count goes into the matrix.
fn equal_level_counts(grid: &LevelGrid, steps: &[isize]) -> Vec<u32> {
    let columns = steps.len() + 1;
    let width = grid.row_width();
    let cells = grid.level_count() * columns;
    let rows_per_task = (VOXELS_PER_TASK / width.max(1)).max(1);
    grid.row_starts()
        .par_chunks(rows_per_task)
        .map(|rows| {
            let mut counts = vec![0u32; cells];
            let mut dependent = vec![0u32; width];
            for &start in rows {
                let row = &grid.codes[start..start + width];
                dependent.fill(0);
                for &step in steps {
                    let others = &grid.codes[start.wrapping_add_signed(step)..][..width];
                    count_equal(&mut dependent, row, others);
                }
                for (&code, &d) in row.iter().zip(&dependent) {
                    if code != 0 {
                        counts[(code as usize - 1) * columns + d as usize] += 1;
                    }
                }
            }
            counts
        })
        .reduce_with(add_counts)
        .unwrap_or_else(|| vec![0; cells])
}

/// Adds 1 to `dependent[x]` where `row[x] == others[x]`: an indexed loop over equal-length
/// slices, which the compiler vectorises (also built for AVX2).
#[multiversion(targets("x86_64+avx2"))]
fn count_equal(dependent: &mut [u32], row: &[u32], others: &[u32]) {
    let n = dependent.len();
    let (row, others) = (&row[..n], &others[..n]);
    for x in 0..n {
        dependent[x] += u32::from(row[x] == others[x]);
    }
}

/// Dependence counts for $\alpha \ge 1$, a voxel at a time.
fn within_alpha_counts(grid: &LevelGrid, steps: &[isize], levels: &[f64], alpha: f64) -> Vec<u32> {
    let columns = steps.len() + 1;
    let cells = grid.level_count() * columns;
    let level = |code: u32| levels[code as usize - 1];
    grid.voxels
        .par_chunks(VOXELS_PER_TASK)
        .map(|voxels| {
            let mut counts = vec![0u32; cells];
            for &v in voxels {
                let code = grid.codes[v];
                let dependent = steps
                    .iter()
                    .map(|&step| grid.codes[v.wrapping_add_signed(step)])
                    .filter(|&n| n != 0 && (level(code) - level(n)).abs() <= alpha)
                    .count();
                counts[(code as usize - 1) * columns + dependent] += 1;
            }
            counts
        })
        .reduce_with(add_counts)
        .unwrap_or_else(|| vec![0; cells])
}

/// Element-wise sum of two tasks' counts.
fn add_counts(mut a: Vec<u32>, b: Vec<u32>) -> Vec<u32> {
    a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
    a
}

/// **Dependence Entropy**: $-\sum_{i,j} p(i,j) \log_2(p(i,j) + \epsilon)$.
fn dependence_entropy(m: &SizeMatrix) -> f64 {
    m.entropy()
}

/// **Dependence Non-Uniformity**: $\sum_j \bigl(\sum_i \mathbf P(i,j)\bigr)^2 / N_z$.
fn dependence_non_uniformity(m: &SizeMatrix) -> f64 {
    m.size_non_uniformity()
}

/// **Dependence Non-Uniformity Normalized**: $\sum_j \bigl(\sum_i \mathbf P(i,j)\bigr)^2 /
/// N_z^2$.
fn dependence_non_uniformity_normalized(m: &SizeMatrix) -> f64 {
    m.size_non_uniformity() / m.total()
}

/// **Dependence Percentage** (deprecated, always 1): $N_z / N_p$ with $N_p$ the ROI voxel count.
fn dependence_percentage(m: &SizeMatrix) -> f64 {
    m.total() / m.total()
}

/// **Dependence Variance**: $\sum_{i,j} p(i,j)(j-\mu)^2$, $\mu = \sum_{i,j} p(i,j)\,j$.
fn dependence_variance(m: &SizeMatrix) -> f64 {
    m.size_variance()
}

/// **Gray Level Non-Uniformity**: $\sum_i \bigl(\sum_j \mathbf P(i,j)\bigr)^2 / N_z$.
fn gray_level_non_uniformity(m: &SizeMatrix) -> f64 {
    m.level_non_uniformity()
}

/// **Gray Level Non-Uniformity Normalized** (deprecated, equals first-order Uniformity):
/// $\sum_i \bigl(\sum_j \mathbf P(i,j)\bigr)^2 / N_z^2$.
fn gray_level_non_uniformity_normalized(m: &SizeMatrix) -> f64 {
    m.level_non_uniformity() / m.total()
}

/// **Gray Level Variance**: $\sum_{i,j} p(i,j)(i-\mu)^2$, $\mu = \sum_{i,j} p(i,j)\,i$.
fn gray_level_variance(m: &SizeMatrix) -> f64 {
    m.level_variance()
}

/// **High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 / N_z$.
fn high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, _| i * i)
}

/// **Large Dependence Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, j^2 / N_z$.
fn large_dependence_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|_, j| j * j)
}

/// **Large Dependence High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 j^2 / N_z$.
fn large_dependence_high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| i * i * j * j)
}

/// **Large Dependence Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, j^2 / i^2 / N_z$.
fn large_dependence_low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| j * j / (i * i))
}

/// **Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j) / i^2 / N_z$.
fn low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, _| 1.0 / (i * i))
}

/// **Small Dependence Emphasis**: $\sum_{i,j} \mathbf P(i,j) / j^2 / N_z$.
fn small_dependence_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|_, j| 1.0 / (j * j))
}

/// **Small Dependence High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 / j^2 / N_z$.
fn small_dependence_high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| i * i / (j * j))
}

/// **Small Dependence Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j) / (i^2 j^2) / N_z$.
fn small_dependence_low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| 1.0 / (i * i * j * j))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dependence_matrix_matches_docstring() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let offsets = neighbours::angles(roi.dims, &[1], true, None);
        let m = dependence_matrix(&grid, &grid.linear_all(&offsets), 0.0);
        assert_eq!(m.sizes.len(), 9);
        let first_four: Vec<&[f64]> = m.counts.chunks(9).map(|row| &row[..4]).collect();
        let expected: [&[f64]; 5] = [
            &[0.0, 1.0, 2.0, 1.0],
            &[1.0, 2.0, 3.0, 0.0],
            &[1.0, 4.0, 4.0, 0.0],
            &[1.0, 2.0, 0.0, 0.0],
            &[3.0, 0.0, 0.0, 0.0],
        ];
        assert_eq!(first_four, expected);
        assert!(m
            .counts
            .chunks(9)
            .all(|row| row[4..].iter().all(|&c| c == 0.0)));
    }

    #[test]
    fn hand_worked_features() {
        let v = compute(&docstring_roi(), &TextureSettings::default(), &ALL);
        let get = |name: &str| v[FEATURES.iter().position(|f| f.name == name).unwrap()];
        // Column sums over j = 1..4: 6, 9, 9, 1 (25 voxels).
        let sde = (6.0 + 9.0 / 4.0 + 9.0 / 9.0 + 1.0 / 16.0) / 25.0;
        assert!((get("SmallDependenceEmphasis") - sde).abs() < 1e-15);
        assert!((get("DependenceNonUniformity") - (36.0 + 81.0 + 81.0 + 1.0) / 25.0).abs() < 1e-14);
        assert_eq!(get("DependencePercentage"), 1.0);
        // alpha = 4 makes every in-ROI neighbour dependent.
        let all = compute(
            &docstring_roi(),
            &TextureSettings {
                gldm_a: 4.0,
                ..Default::default()
            },
            &ALL,
        );
        let lde = FEATURES
            .iter()
            .position(|f| f.name == "LargeDependenceEmphasis")
            .unwrap();
        // Corners have 3 neighbours (j=4), edges 5 (j=6), interior 8 (j=9).
        let by_hand = (4.0 * 16.0 + 12.0 * 36.0 + 9.0 * 81.0) / 25.0;
        assert!((all[lde] - by_hand).abs() < 1e-12);
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
        assert_eq!(FEATURES.iter().filter(|f| !f.deprecated).count(), 14);
    }
}
