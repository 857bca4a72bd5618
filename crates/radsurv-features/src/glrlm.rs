//! Grey Level Run Length Matrix (GLRLM) features, identical to PyRadiomics 3.x `glrlm`.
//!
//! $\mathbf P(i,j \mid \theta)$ counts the runs of grey level $i$ and length $j$ along angle
//! $\theta$: maximal chains of consecutive ROI voxels of equal level on a line through the
//! bounding box (a non-ROI voxel or the box edge ends a run). One matrix per mono-directional
//! distance-1 angle (13 in 3D); an angle on which no line holds two ROI voxels is dropped (as
//! are empty angles). Features are computed per angle and averaged ignoring NaN.
//!
//! PyRadiomics' 2D example ($\theta = 0°$):
//! $$\mathbf I = \begin{bmatrix}5&2&5&4&4\\\\3&3&3&1&3\\\\2&1&1&1&3\\\\4&2&2&2&3\\\\3&5&3&3&2
//! \end{bmatrix} \Rightarrow \mathbf P = \begin{bmatrix}1&0&1&0&0\\\\3&0&1&0&0\\\\4&1&1&0&0\\\\
//! 1&1&0&0&0\\\\3&0&0&0&0\end{bmatrix}$$
//!
//! # Notation
//! $i$ = grey-level value, $j$ = run length; $N_r(\theta) = \sum_{i,j}\mathbf P(i,j\mid\theta)$
//! runs; $p_g(i) = \sum_j \mathbf P(i,j)$, $p_r(j) = \sum_i \mathbf P(i,j)$;
//! $N_p(\theta) = \sum_j j\,p_r(j)$ voxels; $p(i,j) = \mathbf P(i,j)/N_r$; $\epsilon$ =
//! `np.spacing(1)`.
//!
//! # Settings and defaults
//! `weightingNorm = None`, `force2D = false` (the `distances` setting does not apply: runs use
//! distance-1 angles). With `weightingNorm` the angle matrices are summed, each multiplied by
//! its offset's length in millimetres under the named norm (1 for `no_weighting` or an unknown
//! name), and features are computed on that one matrix.
//!
//! # Reference
//! PyRadiomics 3.x `radiomics/glrlm.py`, `cmatrices.c::calculate_glrlm`; Galloway 1975; IBSI 1
//! §3.7. Golden values: `testdata/pyradiomics/expected/features_*.csv` (`original_glrlm_*`),
//! tested in `tests/texture_golden.rs`.
//!
//! # Parallel work
//! One pass over the ROI counts the runs of every angle (see `run_lengths`); the angles'
//! features are then computed in parallel and averaged in angle order, so the values do not
//! depend on the thread count.
//!
//! # Known differences
//! None known. Runs are counted in one scan-order pass that carries each voxel's run length so
//! far (see `run_lengths`), instead of PyRadiomics' line walk; the matrices are the same.

use crate::neighbours::{self, feature_table};
use crate::roi::{DiscretisedRoi, LevelGrid, Offset, TextureSettings};
use crate::size_matrix::SizeMatrix;
use rayon::prelude::*;

feature_table! { SizeMatrix;
    "GrayLevelNonUniformity" => gray_level_non_uniformity,
    "GrayLevelNonUniformityNormalized" => gray_level_non_uniformity_normalized,
    "GrayLevelVariance" => gray_level_variance,
    "HighGrayLevelRunEmphasis" => high_gray_level_run_emphasis,
    "LongRunEmphasis" => long_run_emphasis,
    "LongRunHighGrayLevelEmphasis" => long_run_high_gray_level_emphasis,
    "LongRunLowGrayLevelEmphasis" => long_run_low_gray_level_emphasis,
    "LowGrayLevelRunEmphasis" => low_gray_level_run_emphasis,
    "RunEntropy" => run_entropy,
    "RunLengthNonUniformity" => run_length_non_uniformity,
    "RunLengthNonUniformityNormalized" => run_length_non_uniformity_normalized,
    "RunPercentage" => run_percentage,
    "RunVariance" => run_variance,
    "ShortRunEmphasis" => short_run_emphasis,
    "ShortRunHighGrayLevelEmphasis" => short_run_high_gray_level_emphasis,
    "ShortRunLowGrayLevelEmphasis" => short_run_low_gray_level_emphasis,
}

/// The GLRLM features of `roi` marked in `wanted`, aligned with [`FEATURES`] (NaN for the
/// others).
pub fn compute(roi: &DiscretisedRoi, settings: &TextureSettings, wanted: &[bool]) -> Vec<f64> {
    let offsets = neighbours::angles(roi.dims, &[1], false, neighbours::force2d_axis(settings));
    let grid = roi.level_grid(settings);
    let max_run = roi.dims.iter().copied().max().unwrap_or(0);
    let runs = run_lengths(&grid, roi.dims, &offsets, max_run);
    let lengths: Vec<f64> = (1..=runs.longest).map(|j| j as f64).collect();
    let matrices = match &settings.weighting_norm {
        Some(norm) => vec![weighted_sum(&runs.matrices, &offsets, norm, roi.spacing)],
        None => runs
            .matrices
            .into_iter()
            .filter(|m| m.iter().any(|&c| c != 0.0))
            .collect(),
    };
    let levels: Vec<f64> = grid.levels.iter().map(|&l| f64::from(l)).collect();
    let per_angle: Vec<Vec<f64>> = matrices
        .into_par_iter()
        .map(|counts| {
            let m = SizeMatrix {
                levels: levels.clone(),
                sizes: lengths.clone(),
                counts,
            };
            evaluate(&m, wanted)
        })
        .collect();
    (0..FORMULAS.len())
        .map(|k| neighbours::nan_mean(per_angle.iter().map(|values| values[k])))
        .collect()
}

/// The run-length matrices of all offsets, cut to the longest run found.
struct RunCounts {
    /// Longest run along any offset: the number of length columns.
    longest: usize,
    /// Per offset, `g × longest` counts (compact level rows).
    matrices: Vec<Vec<f64>>,
}

/// Run-length counts along each of `offsets` (runs are at most `max_run` long); all zero for an
/// offset along which no line holds two ROI voxels (PyRadiomics' `multiElement` test). Length
/// columns past the longest run of every offset hold only zeros, which add nothing to any
/// feature's sums, so they are left out.
///
/// One pass over the ROI voxels in scan order serves every offset, so the grid is streamed once
/// rather than once per offset, and successive increments go to different offsets' matrices,
/// so none waits for the previous one to the same cell. A run along $\theta$ is the same run
/// along $-\theta$, so steps are taken positive: a voxel's predecessor on its line then comes
/// earlier in scan order. The length of the run so far at a voxel is its predecessor's plus one
/// (or 1 when the predecessor differs), kept per offset in a ring indexed by the linear index
/// modulo a power of two above the step: no voxel between `v - step` and `v` can reuse that
/// slot. The predecessor test is folded into arithmetic rather than a branch, since on noisy
/// images it is unpredictable.
///
/// Each voxel adds one to the cell (its level, its run length so far) of a "reached" matrix: a
/// run of length $j$ passes lengths $1, \dots, j$ once each, so the runs of length exactly $j$
/// are the cell for $j$ less the cell for $j + 1$. Counting run ends directly would need the
/// successor's level as well, a second grid read per voxel and offset.
fn run_lengths(
    grid: &LevelGrid,
    dims: [usize; 3],
    offsets: &[Offset],
    max_run: usize,
) -> RunCounts {
    let cells = grid.level_count() * max_run;
    if cells == 0 {
        return RunCounts {
            longest: 0,
            matrices: vec![Vec::new(); offsets.len()],
        };
    }
    let mut lines: Vec<Line> = offsets.iter().map(|&o| Line::new(grid, o)).collect();
    let mut reached = vec![0u32; offsets.len() * cells];
    for &v in &grid.voxels {
        let code = grid.codes[v];
        let row = (code as usize - 1) * max_run;
        for (line, matrix) in lines.iter_mut().zip(reached.chunks_exact_mut(cells)) {
            let length = line.extend(grid, v, code);
            matrix[row + length as usize - 1] += 1;
        }
    }
    let longest_of: Vec<usize> = reached
        .chunks_exact(cells)
        .map(|matrix| longest_run(matrix, max_run))
        .collect();
    let longest = longest_of.iter().copied().max().unwrap_or(0);
    let matrices = reached
        .chunks_exact(cells)
        .zip(offsets)
        .zip(&longest_of)
        .map(|((reached, &offset), &own_longest)| {
            if own_longest < 2 && !some_line_has_two_roi_voxels(grid, dims, offset) {
                vec![0.0; grid.level_count() * longest]
            } else {
                reached
                    .chunks_exact(max_run)
                    .flat_map(|row| runs_ending(&row[..longest]))
                    .collect()
            }
        })
        .collect();
    RunCounts { longest, matrices }
}

/// Longest run length with a voxel in `reached` (level rows of `max_run` lengths).
fn longest_run(reached: &[u32], max_run: usize) -> usize {
    reached
        .chunks_exact(max_run)
        .map(|row| row.iter().rposition(|&c| c != 0).map_or(0, |j| j + 1))
        .max()
        .unwrap_or(0)
}

/// The runs of each length in one level row of `reached`, cut to the longest run (nothing
/// reaches past it): the runs that reach length $j$ less those that reach $j + 1$ end at $j$.
fn runs_ending(reached: &[u32]) -> impl Iterator<Item = f64> + '_ {
    reached.iter().enumerate().map(|(j, &here)| {
        let further = reached.get(j + 1).copied().unwrap_or(0);
        f64::from(here - further)
    })
}

/// The run-length state of one offset during the scan (see [`run_lengths`]).
struct Line {
    /// Positive linear step between successive voxels of a line.
    step: usize,
    /// Run length so far at recent voxels, indexed by linear index `& (len - 1)`.
    lengths: Vec<u32>,
}

impl Line {
    fn new(grid: &LevelGrid, offset: Offset) -> Line {
        let step = grid.linear(offset).unsigned_abs();
        Line {
            step,
            lengths: vec![0; (step + 1).next_power_of_two()],
        }
    }

    /// Records ROI voxel `v` of level `code` and returns the length of its run up to `v`.
    #[inline]
    fn extend(&mut self, grid: &LevelGrid, v: usize, code: u32) -> u32 {
        let wrap = self.lengths.len() - 1;
        let previous = v - self.step;
        let continues = u32::from(grid.codes[previous] == code);
        let length = self.lengths[previous & wrap] * continues + 1;
        self.lengths[v & wrap] = length;
        length
    }
}

/// Whether any line along `offset` meets the ROI twice (only asked when all runs have length 1).
fn some_line_has_two_roi_voxels(grid: &LevelGrid, dims: [usize; 3], offset: Offset) -> bool {
    let step = grid.linear(offset);
    grid.voxels.iter().any(|&v| {
        let mut position = grid.position(v).map(|c| c as i64);
        let mut index = v;
        loop {
            for axis in 0..3 {
                position[axis] += i64::from(offset[axis]);
            }
            if position
                .iter()
                .zip(dims)
                .any(|(&p, n)| p < 0 || p >= n as i64)
            {
                return false;
            }
            index = index.wrapping_add_signed(step);
            if grid.codes[index] != 0 {
                return true;
            }
        }
    })
}

/// $\sum_\theta W_\theta \mathbf P_\theta$ with $W$ = the offset's length in millimetres.
fn weighted_sum(runs: &[Vec<f64>], offsets: &[Offset], norm: &str, spacing: [f64; 3]) -> Vec<f64> {
    let mut sum = vec![0.0; runs.first().map_or(0, Vec::len)];
    for (matrix, &offset) in runs.iter().zip(offsets) {
        let weight = neighbours::offset_norm(norm, offset, spacing).unwrap_or(1.0);
        for (s, &c) in sum.iter_mut().zip(matrix) {
            *s += weight * c;
        }
    }
    sum
}

/// **Gray Level Non-Uniformity**: $\sum_i \bigl(\sum_j \mathbf P(i,j)\bigr)^2 / N_r$.
fn gray_level_non_uniformity(m: &SizeMatrix) -> f64 {
    m.level_non_uniformity()
}

/// **Gray Level Non-Uniformity Normalized**: $\sum_i \bigl(\sum_j \mathbf P(i,j)\bigr)^2 /
/// N_r^2$.
fn gray_level_non_uniformity_normalized(m: &SizeMatrix) -> f64 {
    m.level_non_uniformity() / m.total()
}

/// **Gray Level Variance**: $\sum_{i,j} p(i,j)(i-\mu)^2$, $\mu = \sum_{i,j} p(i,j)\,i$.
fn gray_level_variance(m: &SizeMatrix) -> f64 {
    m.level_variance()
}

/// **High Gray Level Run Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 / N_r$.
fn high_gray_level_run_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, _| i * i)
}

/// **Long Run Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, j^2 / N_r$.
fn long_run_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|_, j| j * j)
}

/// **Long Run High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 j^2 / N_r$.
fn long_run_high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| i * i * j * j)
}

/// **Long Run Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, j^2 / i^2 / N_r$.
fn long_run_low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| j * j / (i * i))
}

/// **Low Gray Level Run Emphasis**: $\sum_{i,j} \mathbf P(i,j) / i^2 / N_r$.
fn low_gray_level_run_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, _| 1.0 / (i * i))
}

/// **Run Entropy**: $-\sum_{i,j} p(i,j) \log_2(p(i,j) + \epsilon)$.
fn run_entropy(m: &SizeMatrix) -> f64 {
    m.entropy()
}

/// **Run Length Non-Uniformity**: $\sum_j \bigl(\sum_i \mathbf P(i,j)\bigr)^2 / N_r$.
fn run_length_non_uniformity(m: &SizeMatrix) -> f64 {
    m.size_non_uniformity()
}

/// **Run Length Non-Uniformity Normalized**: $\sum_j \bigl(\sum_i \mathbf P(i,j)\bigr)^2 /
/// N_r^2$.
fn run_length_non_uniformity_normalized(m: &SizeMatrix) -> f64 {
    m.size_non_uniformity() / m.total()
}

/// **Run Percentage**: $N_r / N_p$, with $N_p = \sum_{i,j} j\,\mathbf P(i,j)$ per angle.
fn run_percentage(m: &SizeMatrix) -> f64 {
    m.percentage()
}

/// **Run Variance**: $\sum_{i,j} p(i,j)(j-\mu)^2$, $\mu = \sum_{i,j} p(i,j)\,j$.
fn run_variance(m: &SizeMatrix) -> f64 {
    m.size_variance()
}

/// **Short Run Emphasis**: $\sum_{i,j} \mathbf P(i,j) / j^2 / N_r$.
fn short_run_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|_, j| 1.0 / (j * j))
}

/// **Short Run High Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j)\, i^2 / j^2 / N_r$.
fn short_run_high_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| i * i / (j * j))
}

/// **Short Run Low Gray Level Emphasis**: $\sum_{i,j} \mathbf P(i,j) / (i^2 j^2) / N_r$.
fn short_run_low_gray_level_emphasis(m: &SizeMatrix) -> f64 {
    m.weighted(|i, j| 1.0 / (i * i * j * j))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn horizontal_runs_match_docstring() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let runs = run_lengths(&grid, roi.dims, &[[0, 0, 1]], 5);
        // the docstring's matrix without its two empty length columns (no run is longer than 3)
        #[rustfmt::skip]
        let expected = [
            1.0, 0.0, 1.0,
            3.0, 0.0, 1.0,
            4.0, 1.0, 1.0,
            1.0, 1.0, 0.0,
            3.0, 0.0, 0.0,
        ];
        assert_eq!(runs.longest, 3);
        assert_eq!(runs.matrices[0], expected);
    }

    #[test]
    fn hand_worked_horizontal_features() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let m = SizeMatrix {
            levels: vec![1.0, 2.0, 3.0, 4.0, 5.0],
            sizes: vec![1.0, 2.0, 3.0],
            counts: run_lengths(&grid, roi.dims, &[[0, 0, 1]], 5)
                .matrices
                .remove(0),
        };
        // 17 runs: 12 of length 1, 2 of length 2, 3 of length 3 (25 voxels).
        assert_eq!(m.total(), 17.0);
        let sre = (12.0 + 2.0 / 4.0 + 3.0 / 9.0) / 17.0;
        assert!((short_run_emphasis(&m) - sre).abs() < 1e-15);
        assert!((run_percentage(&m) - 17.0 / 25.0).abs() < 1e-15);
        let gln = (4.0 + 16.0 + 36.0 + 4.0 + 9.0) / 17.0;
        assert!((gray_level_non_uniformity(&m) - gln).abs() < 1e-14);
        let rln = (144.0 + 4.0 + 9.0) / 17.0;
        assert!((run_length_non_uniformity(&m) - rln).abs() < 1e-14);
    }

    /// Runs counted by walking each line from its first voxel, as PyRadiomics does.
    fn walked_runs(roi: &DiscretisedRoi, offset: Offset, max_run: usize) -> Vec<f64> {
        let [nz, ny, nx] = roi.dims.map(|n| n as i64);
        let levels = present_levels_of(roi);
        let mut counts = vec![0.0; levels.len() * max_run];
        let at = |z: i64, y: i64, x: i64| -> Option<u32> {
            if !((0..nz).contains(&z) && (0..ny).contains(&y) && (0..nx).contains(&x)) {
                return None;
            }
            let i = roi.offset(z as usize, y as usize, x as usize);
            roi.mask[i].then(|| roi.levels[i])
        };
        let [dz, dy, dx] = offset.map(i64::from);
        for z in 0..nz {
            for y in 0..ny {
                for x in 0..nx {
                    let Some(level) = at(z, y, x) else { continue };
                    if at(z - dz, y - dy, x - dx) == Some(level) {
                        continue; // not the first voxel of its run
                    }
                    let mut length = 1;
                    while at(z + length * dz, y + length * dy, x + length * dx) == Some(level) {
                        length += 1;
                    }
                    let row = levels.iter().position(|&l| l == level).unwrap();
                    counts[row * max_run + length as usize - 1] += 1.0;
                }
            }
        }
        counts
    }

    fn present_levels_of(roi: &DiscretisedRoi) -> Vec<u32> {
        let mut levels: Vec<u32> = (0..roi.levels.len())
            .filter(|&i| roi.mask[i])
            .map(|i| roi.levels[i])
            .collect();
        levels.sort_unstable();
        levels.dedup();
        levels
    }

    #[test]
    fn runs_of_all_thirteen_angles_match_a_line_walk() {
        let dims = [4, 5, 6];
        let n = dims.iter().product::<usize>();
        // a fixed pseudo-random pattern of three levels with holes in the mask
        let levels: Vec<u32> = (0..n)
            .map(|i| 1 + ((i * 7 + i / 5) % 11 % 3) as u32)
            .collect();
        let mask: Vec<bool> = (0..n).map(|i| (i * 5 + 3) % 13 != 0).collect();
        let roi = DiscretisedRoi::new(dims, levels, mask, [1.0; 3]);
        let grid = LevelGrid::new(&roi, 1);
        let offsets = neighbours::angles(dims, &[1], false, None);
        assert_eq!(offsets.len(), 13);
        let counted = run_lengths(&grid, dims, &offsets, 6);
        for (offset, counts) in offsets.iter().zip(&counted.matrices) {
            let walked = walked_runs(&roi, *offset, counted.longest);
            assert_eq!(counts, &walked, "{offset:?}");
        }
    }

    #[test]
    fn isolated_voxels_on_every_line_drop_the_angle() {
        // Two voxels, one per slice, never on a common z line: angle (1,0,0) is dropped, but
        // two voxels on the same z line with a gap keep it.
        let apart = DiscretisedRoi::new(
            [2, 1, 3],
            vec![1; 6],
            vec![true, false, false, false, false, true],
            [1.0; 3],
        );
        let grid = LevelGrid::new(&apart, 1);
        assert!(run_lengths(&grid, apart.dims, &[[1, 0, 0]], 3).matrices[0]
            .iter()
            .all(|&c| c == 0.0));
        let gap = DiscretisedRoi::new([3, 1, 1], vec![1, 1, 2], vec![true, false, true], [1.0; 3]);
        let grid = LevelGrid::new(&gap, 1);
        assert_eq!(
            run_lengths(&grid, gap.dims, &[[1, 0, 0]], 3).matrices[0]
                .iter()
                .sum::<f64>(),
            2.0
        );
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
