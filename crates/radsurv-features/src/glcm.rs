//! Grey Level Co-occurrence Matrix (GLCM) features, identical to PyRadiomics 3.x `glcm`.
//!
//! $\mathbf P(i,j \mid \delta, \theta)$ counts the ROI voxels with grey level $i$ whose neighbour
//! at offset $\theta$ (Chebyshev distance $\delta$) is also in the ROI, inside the bounding box,
//! and has grey level $j$. There is one matrix per mono-directional angle (13 in 3D for
//! $\delta = 1$; see [`crate::neighbours`]); each is made symmetrical, $\mathbf P + \mathbf
//! P^\top$, and normalised, $p = \mathbf P / \sum \mathbf P$. Rows and columns of grey levels
//! absent from the ROI are dropped; angles whose matrix is empty are dropped. Every feature is
//! computed per angle and the angles are averaged ignoring NaN (`np.nanmean`).
//!
//! PyRadiomics' 2D example ($\theta = 0°$, i.e. left–right neighbours):
//! $$\mathbf I = \begin{bmatrix}1&2&5&2&3\\\\3&2&1&3&1\\\\1&3&5&5&2\\\\1&1&1&1&2\\\\1&2&4&3&5
//! \end{bmatrix} \Rightarrow \mathbf P = \begin{bmatrix}6&4&3&0&0\\\\4&0&2&1&3\\\\3&2&0&1&2\\\\
//! 0&1&1&0&0\\\\0&3&2&0&2\end{bmatrix}$$
//!
//! # Notation
//! - $i, j$: grey-level **values** (1-based bin numbers) present in the ROI; $N_g$ = the largest
//!   one (not the number present: PyRadiomics uses the maximum in Idmn, Idn and the ranges of
//!   $k$).
//! - $p_x(i) = \sum_j p(i,j)$, $p_y(j) = \sum_i p(i,j)$, $\mu_x = \sum_i i\,p_x(i)$,
//!   $\mu_y = \sum_j j\,p_y(j)$, $\sigma_x^2 = \sum_{i,j} (i-\mu_x)^2 p(i,j)$, likewise $\sigma_y$.
//! - $p_{x+y}(k) = \sum_{i+j=k} p(i,j)$ for $k = 2..2N_g$; $p_{x-y}(k) = \sum_{|i-j|=k} p(i,j)$
//!   for $k = 0..N_g-1$.
//! - $\epsilon$ = `np.spacing(1)` $\approx 2.2\times10^{-16}$; logarithms are base 2.
//! - $HX = -\sum_i p_x \log_2(p_x+\epsilon)$, $HY$ likewise,
//!   $HXY = -\sum_{i,j} p \log_2(p+\epsilon)$,
//!   $HXY1 = -\sum_{i,j} p(i,j) \log_2(p_x(i)p_y(j)+\epsilon)$,
//!   $HXY2 = -\sum_{i,j} p_x(i)p_y(j) \log_2(p_x(i)p_y(j)+\epsilon)$.
//!
//! # Settings and defaults
//! `distances = [1]`, `symmetricalGLCM = true`, `weightingNorm = None`, `force2D = false`.
//! With `weightingNorm` the angle matrices are summed with weights $W = e^{-\lVert d\rVert^2}$
//! ($d$ = the offset in millimetres under the `manhattan`, `euclidean` or `infinity` norm;
//! `no_weighting` and unknown names give $W = 1$) and features are computed on that one matrix.
//!
//! # Reference
//! PyRadiomics 3.x `radiomics/glcm.py` and `cmatrices.c::calculate_glcm`; Haralick et al. 1973;
//! IBSI 1 §3.6. Golden values: `testdata/pyradiomics/expected/features_*.csv`
//! (`original_glcm_*`), tested in `tests/texture_golden.rs`.
//!
//! # Parallel work
//! The co-occurrence counts of all angles come from one pass over the ROI voxels, split into
//! tasks whose integer counts are summed (exact); then one task per angle computes its
//! features, and the angle mean runs in angle order afterwards, so the values do not depend on
//! the thread count.
//!
//! # Known differences
//! - PyRadiomics averages Joint Average with a plain mean rather than `nanmean`; the two only
//!   differ when an angle is NaN, which happens only when every angle is empty (then both are NaN).
//! - The deprecated features (Dissimilarity, Homogeneity1, Homogeneity2, SumVariance) are given
//!   their formula values here; PyRadiomics raises `DeprecationWarning` and emits no value, so
//!   the extraction pipeline must leave them out of its output.
//! - MCC eigenvalues come from a symmetric eigen-solver on a matrix similar to $Q$ (up to where
//!   $\epsilon$ sits) instead of LAPACK `dgeev` on $Q$: within $2\times10^{-12}$ relative on
//!   every shared case and configuration.
//! - An ROI with no neighbouring voxel pair at all gives NaN for every feature (PyRadiomics:
//!   NaN with a "mean of empty slice" warning, except MCC, which it reports as 1).

use nalgebra::DMatrix;
use std::cell::OnceCell;

use crate::neighbours::{self, feature_table, EPS};
use crate::roi::{DiscretisedRoi, LevelGrid, Offset, TextureSettings};
use rayon::prelude::*;

feature_table! { Angle;
    "Autocorrelation" => autocorrelation,
    "ClusterProminence" => cluster_prominence,
    "ClusterShade" => cluster_shade,
    "ClusterTendency" => cluster_tendency,
    "Contrast" => contrast,
    "Correlation" => correlation,
    "DifferenceAverage" => difference_average,
    "DifferenceEntropy" => difference_entropy,
    "DifferenceVariance" => difference_variance,
    deprecated "Dissimilarity" => dissimilarity,
    deprecated "Homogeneity1" => homogeneity1,
    deprecated "Homogeneity2" => homogeneity2,
    "Id" => id,
    "Idm" => idm,
    "Idmn" => idmn,
    "Idn" => idn,
    "Imc1" => imc1,
    "Imc2" => imc2,
    "InverseVariance" => inverse_variance,
    "JointAverage" => joint_average,
    "JointEnergy" => joint_energy,
    "JointEntropy" => joint_entropy,
    "MCC" => mcc,
    "MaximumProbability" => maximum_probability,
    "SumAverage" => sum_average,
    "SumEntropy" => sum_entropy,
    "SumSquares" => sum_squares,
    deprecated "SumVariance" => sum_variance,
}

/// The GLCM features of `roi` marked in `wanted`, aligned with [`FEATURES`] (NaN for the
/// others).
pub fn compute(roi: &DiscretisedRoi, settings: &TextureSettings, wanted: &[bool]) -> Vec<f64> {
    let offsets = neighbours::angles(
        roi.dims,
        &settings.distances,
        false,
        neighbours::force2d_axis(settings),
    );
    let grid = roi.level_grid(settings);
    let counts = cooccurrences(&grid, &offsets, settings.symmetrical_glcm);
    let matrices = match &settings.weighting_norm {
        Some(norm) => vec![weighted_sum(&counts, &offsets, norm, roi.spacing)],
        None => counts,
    };
    let levels: Vec<f64> = grid.levels.iter().map(|&l| f64::from(l)).collect();
    let max_level = f64::from(grid.levels.last().copied().unwrap_or(0));
    let per_angle: Vec<Vec<f64>> = matrices
        .into_par_iter()
        .with_max_len(1)
        .filter(|m| m.iter().any(|&c| c != 0.0))
        .map(|m| {
            let angle = Angle::new(m, &levels, max_level);
            evaluate(&angle, wanted)
        })
        .collect();
    (0..FORMULAS.len())
        .map(|k| neighbours::nan_mean(per_angle.iter().map(|values| values[k])))
        .collect()
}

/// ROI voxels per parallel task of the counting pass (the counts are integers, so the split
/// does not change them).
const VOXELS_PER_TASK: usize = 1 << 16;

/// Per-angle count matrices (`g × g`, row = centre level, column = neighbour level, compact
/// level indices), symmetrised when asked.
///
/// One pass over the ROI voxels counts every angle: each voxel's level is read once and its
/// neighbours along all angles lie in a few nearby rows, so the grid is streamed once rather
/// than once per angle. Successive increments also go to different angles' matrices, so none
/// waits for the previous one to the same cell (neighbouring voxels mostly share their pair of
/// levels). Tasks take runs of voxels and their integer counts are summed.
fn cooccurrences(grid: &LevelGrid, offsets: &[Offset], symmetric: bool) -> Vec<Vec<f64>> {
    let g = grid.level_count();
    let cells = g * g;
    if cells == 0 {
        return vec![Vec::new(); offsets.len()];
    }
    let steps = grid.linear_all(offsets);
    // while counting, each row has a leading column for neighbours outside the ROI (code 0),
    // so every neighbour is counted without a test; that column is dropped afterwards
    let row_len = g + 1;
    let counting_cells = g * row_len;
    let counts = grid
        .voxels
        .par_chunks(VOXELS_PER_TASK)
        .fold(
            || vec![0u32; steps.len() * counting_cells],
            |mut counts, voxels| {
                for &v in voxels {
                    let row = (grid.codes[v] as usize - 1) * row_len;
                    for (matrix, &step) in counts.chunks_exact_mut(counting_cells).zip(&steps) {
                        let neighbour = grid.codes[v.wrapping_add_signed(step)];
                        matrix[row + neighbour as usize] += 1;
                    }
                }
                counts
            },
        )
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
            a
        })
        .unwrap_or_else(|| vec![0u32; steps.len() * counting_cells]);
    counts
        .chunks_exact(counting_cells)
        .map(|angle| {
            let mut matrix: Vec<f64> = angle
                .chunks_exact(row_len)
                .flat_map(|row| &row[1..])
                .map(|&c| f64::from(c))
                .collect();
            if symmetric {
                symmetrise(&mut matrix, g);
            }
            matrix
        })
        .collect()
}

/// $\mathbf P + \mathbf P^\top$ in place.
fn symmetrise(matrix: &mut [f64], g: usize) {
    for i in 0..g {
        for j in i..g {
            let s = matrix[i * g + j] + matrix[j * g + i];
            matrix[i * g + j] = s;
            matrix[j * g + i] = s;
        }
    }
}

/// $\sum_\theta W_\theta \mathbf P_\theta$ with $W = e^{-\lVert d_\theta\rVert^2}$.
fn weighted_sum(
    counts: &[Vec<f64>],
    offsets: &[Offset],
    norm: &str,
    spacing: [f64; 3],
) -> Vec<f64> {
    let mut sum = vec![0.0; counts.first().map_or(0, Vec::len)];
    for (matrix, &offset) in counts.iter().zip(offsets) {
        let weight = neighbours::offset_norm(norm, offset, spacing).map_or(1.0, |d| (-d * d).exp());
        for (s, &c) in sum.iter_mut().zip(matrix) {
            *s += weight * c;
        }
    }
    sum
}

/// One normalised angle matrix with its marginals and derived distributions.
struct Angle {
    /// $p(i,j)$, row-major `g × g` over the levels present.
    p: Vec<f64>,
    /// Grey level value of each row/column.
    levels: Vec<f64>,
    /// $N_g$, the largest grey level.
    max_level: f64,
    px: Vec<f64>,
    py: Vec<f64>,
    ux: f64,
    uy: f64,
    /// $p_{x+y}(k)$ indexed by $k$ (entries 0 and 1 unused).
    p_sum: Vec<f64>,
    /// $p_{x-y}(k)$ indexed by $k$.
    p_diff: Vec<f64>,
    /// HXY, computed on first use (three features read it).
    hxy: OnceCell<f64>,
    /// $(HX, HY, HXY1, HXY2)$, computed on first use (two features read them).
    marginal_entropies: OnceCell<(f64, f64, f64, f64)>,
}

impl Angle {
    fn new(mut p: Vec<f64>, levels: &[f64], max_level: f64) -> Angle {
        let g = levels.len();
        let total: f64 = p.iter().sum();
        p.iter_mut().for_each(|v| *v /= total);
        let mut px = vec![0.0; g];
        let mut py = vec![0.0; g];
        let ng = max_level as usize;
        let mut p_sum = vec![0.0; 2 * ng + 1];
        let mut p_diff = vec![0.0; ng.max(1)];
        for i in 0..g {
            for j in 0..g {
                let v = p[i * g + j];
                px[i] += v;
                py[j] += v;
                let (li, lj) = (levels[i] as usize, levels[j] as usize);
                p_sum[li + lj] += v;
                p_diff[li.abs_diff(lj)] += v;
            }
        }
        let ux = levels.iter().zip(&px).map(|(i, p)| i * p).sum();
        let uy = levels.iter().zip(&py).map(|(j, p)| j * p).sum();
        Angle {
            p,
            levels: levels.to_vec(),
            max_level,
            px,
            py,
            ux,
            uy,
            p_sum,
            p_diff,
            hxy: OnceCell::new(),
            marginal_entropies: OnceCell::new(),
        }
    }

    /// $\sum_{i,j} p(i,j)\, f(i, j)$ over the levels present.
    fn joint_sum(&self, f: impl Fn(f64, f64) -> f64) -> f64 {
        let g = self.levels.len();
        let mut s = 0.0;
        for (i, &li) in self.levels.iter().enumerate() {
            for (j, &lj) in self.levels.iter().enumerate() {
                let v = self.p[i * g + j];
                if v != 0.0 {
                    s += v * f(li, lj);
                }
            }
        }
        s
    }

    /// $\sum_k p_{x-y}(k)\, f(k)$ for $k = 0..N_g-1$.
    fn diff_sum(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.p_diff
            .iter()
            .enumerate()
            .map(|(k, &v)| v * f(k as f64))
            .sum()
    }

    /// $\sum_k p_{x+y}(k)\, f(k)$ for $k = 2..2N_g$.
    fn sum_sum(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.p_sum
            .iter()
            .enumerate()
            .skip(2)
            .map(|(k, &v)| v * f(k as f64))
            .sum()
    }

    /// $\sigma_x \sigma_y$.
    fn sigma_product(&self) -> f64 {
        let vx = self.joint_sum(|i, _| (i - self.ux).powi(2));
        let vy = self.joint_sum(|_, j| (j - self.uy).powi(2));
        vx.sqrt() * vy.sqrt()
    }

    /// HXY.
    fn hxy(&self) -> f64 {
        *self.hxy.get_or_init(|| entropy(&self.p))
    }

    /// $(HX, HY, HXY1, HXY2)$.
    fn marginal_entropies(&self) -> (f64, f64, f64, f64) {
        *self
            .marginal_entropies
            .get_or_init(|| marginal_entropies(self))
    }
}

/// $-\sum v \log_2(v + \epsilon)$.
fn entropy(values: &[f64]) -> f64 {
    -values.iter().map(|&v| v * (v + EPS).log2()).sum::<f64>()
}

/// **Autocorrelation**: $\sum_{i,j} p(i,j)\, i j$.
fn autocorrelation(a: &Angle) -> f64 {
    a.joint_sum(|i, j| i * j)
}

/// **Cluster Prominence**: $\sum_{i,j} (i + j - \mu_x - \mu_y)^4 p(i,j)$.
fn cluster_prominence(a: &Angle) -> f64 {
    a.joint_sum(|i, j| (i + j - a.ux - a.uy).powi(4))
}

/// **Cluster Shade**: $\sum_{i,j} (i + j - \mu_x - \mu_y)^3 p(i,j)$.
fn cluster_shade(a: &Angle) -> f64 {
    a.joint_sum(|i, j| (i + j - a.ux - a.uy).powi(3))
}

/// **Cluster Tendency**: $\sum_{i,j} (i + j - \mu_x - \mu_y)^2 p(i,j)$.
fn cluster_tendency(a: &Angle) -> f64 {
    a.joint_sum(|i, j| (i + j - a.ux - a.uy).powi(2))
}

/// **Contrast**: $\sum_{i,j} (i-j)^2 p(i,j)$.
fn contrast(a: &Angle) -> f64 {
    a.joint_sum(|i, j| (i - j).powi(2))
}

/// **Correlation**: $\dfrac{\sum_{i,j} p(i,j)(i-\mu_x)(j-\mu_y)}{\sigma_x\sigma_y + \epsilon}$,
/// and 1 when $\sigma_x\sigma_y = 0$ (flat region), per angle.
fn correlation(a: &Angle) -> f64 {
    let sigmas = a.sigma_product();
    if sigmas == 0.0 {
        return 1.0;
    }
    a.joint_sum(|i, j| (i - a.ux) * (j - a.uy)) / (sigmas + EPS)
}

/// **Difference Average**: $DA = \sum_{k=0}^{N_g-1} k\, p_{x-y}(k)$.
fn difference_average(a: &Angle) -> f64 {
    a.diff_sum(|k| k)
}

/// **Difference Entropy**: $-\sum_{k=0}^{N_g-1} p_{x-y}(k) \log_2(p_{x-y}(k) + \epsilon)$.
fn difference_entropy(a: &Angle) -> f64 {
    entropy(&a.p_diff)
}

/// **Difference Variance**: $\sum_{k=0}^{N_g-1} (k - DA)^2 p_{x-y}(k)$.
fn difference_variance(a: &Angle) -> f64 {
    let da = difference_average(a);
    a.diff_sum(|k| (k - da).powi(2))
}

/// **Dissimilarity** (deprecated, equals Difference Average): $\sum_{i,j} |i-j|\, p(i,j)$.
fn dissimilarity(a: &Angle) -> f64 {
    a.joint_sum(|i, j| (i - j).abs())
}

/// **Homogeneity 1** (deprecated, equals Id): $\sum_{i,j} \dfrac{p(i,j)}{1 + |i-j|}$.
fn homogeneity1(a: &Angle) -> f64 {
    a.joint_sum(|i, j| 1.0 / (1.0 + (i - j).abs()))
}

/// **Homogeneity 2** (deprecated, equals Idm): $\sum_{i,j} \dfrac{p(i,j)}{1 + |i-j|^2}$.
fn homogeneity2(a: &Angle) -> f64 {
    a.joint_sum(|i, j| 1.0 / (1.0 + (i - j).powi(2)))
}

/// **Inverse Difference (Id)**: $\sum_{k=0}^{N_g-1} \dfrac{p_{x-y}(k)}{1+k}$.
fn id(a: &Angle) -> f64 {
    a.diff_sum(|k| 1.0 / (1.0 + k))
}

/// **Inverse Difference Moment (Idm)**: $\sum_{k=0}^{N_g-1} \dfrac{p_{x-y}(k)}{1+k^2}$.
fn idm(a: &Angle) -> f64 {
    a.diff_sum(|k| 1.0 / (1.0 + k * k))
}

/// **Inverse Difference Moment Normalized (Idmn)**:
/// $\sum_{k=0}^{N_g-1} \dfrac{p_{x-y}(k)}{1 + k^2/N_g^2}$, $N_g$ = largest grey level.
fn idmn(a: &Angle) -> f64 {
    let ng2 = a.max_level * a.max_level;
    a.diff_sum(|k| 1.0 / (1.0 + k * k / ng2))
}

/// **Inverse Difference Normalized (Idn)**: $\sum_{k=0}^{N_g-1} \dfrac{p_{x-y}(k)}{1 + k/N_g}$.
fn idn(a: &Angle) -> f64 {
    a.diff_sum(|k| 1.0 / (1.0 + k / a.max_level))
}

/// $(HX, HY, HXY1, HXY2)$.
fn marginal_entropies(a: &Angle) -> (f64, f64, f64, f64) {
    let g = a.levels.len();
    let (mut hxy1, mut hxy2) = (0.0, 0.0);
    for i in 0..g {
        for j in 0..g {
            let pxy = a.px[i] * a.py[j];
            let log = (pxy + EPS).log2();
            hxy1 -= a.p[i * g + j] * log;
            hxy2 -= pxy * log;
        }
    }
    (entropy(&a.px), entropy(&a.py), hxy1, hxy2)
}

/// **Informational Measure of Correlation 1**: $\dfrac{HXY - HXY1}{\max(HX, HY)}$, and 0 when
/// $\max(HX, HY) = 0$.
fn imc1(a: &Angle) -> f64 {
    let (hx, hy, hxy1, _) = a.marginal_entropies();
    let div = hx.max(hy);
    if div == 0.0 {
        0.0
    } else {
        (a.hxy() - hxy1) / div
    }
}

/// **Informational Measure of Correlation 2**: $\sqrt{1 - e^{-2(HXY2 - HXY)}}$; 0 when
/// $HXY2 = HXY$, NaN (skipped by the angle mean) when rounding makes $HXY2 < HXY$.
fn imc2(a: &Angle) -> f64 {
    let (_, _, _, hxy2) = a.marginal_entropies();
    let hxy = a.hxy();
    if hxy2 == hxy {
        0.0
    } else {
        (1.0 - (-2.0 * (hxy2 - hxy)).exp()).sqrt()
    }
}

/// **Inverse Variance**: $\sum_{k=1}^{N_g-1} \dfrac{p_{x-y}(k)}{k^2}$.
fn inverse_variance(a: &Angle) -> f64 {
    a.p_diff
        .iter()
        .enumerate()
        .skip(1)
        .map(|(k, &v)| v / (k * k) as f64)
        .sum()
}

/// **Joint Average**: $\mu_x = \sum_{i,j} p(i,j)\, i$.
fn joint_average(a: &Angle) -> f64 {
    a.ux
}

/// **Joint Energy**: $\sum_{i,j} p(i,j)^2$.
fn joint_energy(a: &Angle) -> f64 {
    a.p.iter().map(|v| v * v).sum()
}

/// **Joint Entropy**: $HXY = -\sum_{i,j} p(i,j) \log_2(p(i,j) + \epsilon)$.
fn joint_entropy(a: &Angle) -> f64 {
    a.hxy()
}

/// **Maximal Correlation Coefficient (MCC)**: $\sqrt{\lambda_2}$, the square root of the second
/// largest eigenvalue of
/// $$Q(i,j) = \sum_k \frac{p(i,k)\,p(j,k)}{p_x(i)\,p_y(k) + \epsilon},$$
/// averaged over angles; 1 when only one grey level is present; 0 (the real part of
/// PyRadiomics' complex square root) when $\lambda_2 < 0$ by rounding.
///
/// $Q$ is not symmetric, but $D Q D^{-1}$ with $D = \mathrm{diag}(\sqrt{p_x})$ is, up to the
/// placement of $\epsilon$: $S(i,j) = \sum_k p(i,k)p(j,k) / (\sqrt{p_x(i)p_x(j)}\,p_y(k) +
/// \epsilon)$. Its eigenvalues (same as $Q$'s) come from a symmetric solver, which is
/// well-conditioned; a general non-symmetric Schur iteration on $Q$ (`nalgebra`) missed
/// PyRadiomics' LAPACK `dgeev` values by up to $3\times10^{-3}$.
fn mcc(a: &Angle) -> f64 {
    let g = a.levels.len();
    if g < 2 {
        return 1.0;
    }
    let root: Vec<f64> = a.px.iter().map(|p| p.sqrt()).collect();
    let mut s = DMatrix::<f64>::zeros(g, g);
    for k in 0..g {
        // a zero p(i,k) or p(j,k) adds nothing, so only the column's non-zero pairs are visited
        let column: Vec<(usize, f64)> = (0..g)
            .map(|i| (i, a.p[i * g + k]))
            .filter(|&(_, v)| v != 0.0)
            .collect();
        for &(i, pik) in &column {
            for &(j, pjk) in &column {
                s[(i, j)] += pik * pjk / (root[i] * root[j] * a.py[k] + EPS);
            }
        }
    }
    // eigenvalues only (no eigenvector accumulation); the implicit QR iteration on a finite
    // symmetric matrix always converges, so nalgebra's unlimited iteration count is safe here
    let mut eigenvalues: Vec<f64> = s.symmetric_eigenvalues().iter().copied().collect();
    eigenvalues.sort_by(f64::total_cmp);
    eigenvalues[g - 2].max(0.0).sqrt()
}

/// **Maximum Probability**: $\max_{i,j} p(i,j)$.
fn maximum_probability(a: &Angle) -> f64 {
    a.p.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// **Sum Average**: $SA = \sum_{k=2}^{2N_g} k\, p_{x+y}(k)$.
fn sum_average(a: &Angle) -> f64 {
    a.sum_sum(|k| k)
}

/// **Sum Entropy**: $-\sum_{k=2}^{2N_g} p_{x+y}(k) \log_2(p_{x+y}(k) + \epsilon)$.
fn sum_entropy(a: &Angle) -> f64 {
    entropy(&a.p_sum[2..])
}

/// **Sum of Squares**: $\sum_{i,j} (i - \mu_x)^2 p(i,j)$.
fn sum_squares(a: &Angle) -> f64 {
    a.joint_sum(|i, _| (i - a.ux).powi(2))
}

/// **Sum Variance** (deprecated, equals Cluster Tendency): $\sum_{k=2}^{2N_g} (k - SA)^2
/// p_{x+y}(k)$.
fn sum_variance(a: &Angle) -> f64 {
    let sa = sum_average(a);
    a.sum_sum(|k| (k - sa).powi(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [bool; FEATURES.len()] = [true; FEATURES.len()];

    /// PyRadiomics' 5×5 docstring image as a one-slice ROI.
    fn docstring_roi() -> DiscretisedRoi {
        #[rustfmt::skip]
        let levels = vec![
            1, 2, 5, 2, 3,
            3, 2, 1, 3, 1,
            1, 3, 5, 5, 2,
            1, 1, 1, 1, 2,
            1, 2, 4, 3, 5,
        ];
        DiscretisedRoi::new([1, 5, 5], levels, vec![true; 25], [1.0; 3])
    }

    fn value(values: &[f64], name: &str) -> f64 {
        values[FEATURES.iter().position(|f| f.name == name).unwrap()]
    }

    #[test]
    fn horizontal_matrix_matches_docstring() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let counts = cooccurrences(&grid, &[[0, 0, 1]], true);
        #[rustfmt::skip]
        let expected = [
            6.0, 4.0, 3.0, 0.0, 0.0,
            4.0, 0.0, 2.0, 1.0, 3.0,
            3.0, 2.0, 0.0, 1.0, 2.0,
            0.0, 1.0, 1.0, 0.0, 0.0,
            0.0, 3.0, 2.0, 0.0, 2.0,
        ];
        assert_eq!(counts[0], expected);
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
        assert_eq!(FEATURES.iter().filter(|f| !f.deprecated).count(), 24);
        assert_eq!(FORMULAS.len(), FEATURES.len());
    }

    #[test]
    fn hand_worked_single_angle_features() {
        // The docstring's horizontal matrix alone, as one angle.
        let levels = [1.0, 2.0, 3.0, 4.0, 5.0];
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let counts = cooccurrences(&grid, &[[0, 0, 1]], true);
        let a = Angle::new(counts[0].clone(), &levels, 5.0);
        // Sum of P is 40 (20 horizontal pairs, both ways).
        let contrast_by_hand = (2.0
            * (4.0 * 1.0 + 3.0 * 4.0 + 2.0 * 1.0 + 1.0 * 4.0 + 3.0 * 9.0 + 1.0 * 1.0 + 2.0 * 4.0))
            / 40.0;
        assert!((contrast(&a) - contrast_by_hand).abs() < 1e-12);
        assert!((joint_energy(&a) - 128.0 / 1600.0).abs() < 1e-12);
        assert!((maximum_probability(&a) - 6.0 / 40.0).abs() < 1e-15);
        // Symmetric matrix: Sum Average = 2 Joint Average, Sum Variance = Cluster Tendency,
        // Dissimilarity = Difference Average, Homogeneity1 = Id, Homogeneity2 = Idm.
        assert!((sum_average(&a) - 2.0 * joint_average(&a)).abs() < 1e-12);
        assert!((sum_variance(&a) - cluster_tendency(&a)).abs() < 1e-12);
        assert!((dissimilarity(&a) - difference_average(&a)).abs() < 1e-12);
        assert!((homogeneity1(&a) - id(&a)).abs() < 1e-12);
        assert!((homogeneity2(&a) - idm(&a)).abs() < 1e-12);
        let mcc = mcc(&a);
        assert!(mcc > 0.0 && mcc <= 1.0, "{mcc}");
    }

    #[test]
    fn flat_region_uses_pyradiomics_conventions() {
        let roi = DiscretisedRoi::new([2, 2, 2], vec![3; 8], vec![true; 8], [1.0; 3]);
        let v = compute(&roi, &TextureSettings::default(), &ALL);
        assert_eq!(value(&v, "Correlation"), 1.0);
        assert_eq!(value(&v, "MCC"), 1.0);
        assert_eq!(value(&v, "Imc1"), 0.0);
        assert_eq!(value(&v, "Imc2"), 0.0);
        assert_eq!(value(&v, "JointEnergy"), 1.0);
        assert_eq!(value(&v, "Idmn"), 1.0);
        assert_eq!(value(&v, "JointAverage"), 3.0);
    }

    #[test]
    fn unwanted_features_are_skipped_and_wanted_ones_unchanged() {
        let roi = docstring_roi();
        let settings = TextureSettings::default();
        let mut wanted = [false; FEATURES.len()];
        let contrast = FEATURES.iter().position(|f| f.name == "Contrast").unwrap();
        wanted[contrast] = true;
        let some = compute(&roi, &settings, &wanted);
        let all = compute(&roi, &settings, &ALL);
        assert_eq!(some[contrast], all[contrast]);
        assert!(some
            .iter()
            .enumerate()
            .all(|(k, v)| k == contrast || v.is_nan()));
    }

    #[test]
    fn weighting_merges_angles_into_one_matrix() {
        let roi = docstring_roi();
        let settings = TextureSettings {
            weighting_norm: Some("no_weighting".into()),
            ..Default::default()
        };
        let merged = compute(&roi, &settings, &ALL);
        let per_angle = compute(&roi, &TextureSettings::default(), &ALL);
        assert!(merged.iter().all(|v| v.is_finite()));
        // Joint Average is linear in p, but the merged matrix weights angles by their pair count.
        assert!((value(&merged, "JointAverage") - value(&per_angle, "JointAverage")).abs() < 1.0);
    }
}
