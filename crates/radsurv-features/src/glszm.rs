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
//! None known. Zones are grown with an explicit stack, as in PyRadiomics.

use crate::neighbours::{self, feature_table, LevelGrid};
use crate::roi::{DiscretisedRoi, TextureSettings};
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

/// All GLSZM features of `roi`, aligned with [`FEATURES`].
pub fn compute(roi: &DiscretisedRoi, settings: &TextureSettings) -> Vec<f64> {
    let offsets = neighbours::angles(roi.dims, &[1], true, neighbours::force2d_axis(settings));
    let grid = LevelGrid::new(roi, 1);
    let matrix = zone_matrix(&grid, &grid.linear_all(&offsets));
    if matrix.total() == 0.0 {
        return vec![f64::NAN; FEATURES.len()];
    }
    FORMULAS.iter().map(|f| f(&matrix)).collect()
}

/// The size-zone matrix over the zone sizes that occur (compact level rows).
fn zone_matrix(grid: &LevelGrid, steps: &[isize]) -> SizeMatrix {
    let mut zones = zones(grid, steps);
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

/// `(level code, size)` of every zone, grown by depth-first flood fill with an explicit stack.
fn zones(grid: &LevelGrid, steps: &[isize]) -> Vec<(u32, usize)> {
    let mut visited = vec![false; grid.codes.len()];
    let mut stack = Vec::new();
    let mut zones = Vec::new();
    for &seed in &grid.voxels {
        if visited[seed] {
            continue;
        }
        let code = grid.codes[seed];
        visited[seed] = true;
        stack.push(seed);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &step in steps {
                let n = v.wrapping_add_signed(step);
                if grid.codes[n] == code && !visited[n] {
                    visited[n] = true;
                    stack.push(n);
                }
            }
        }
        zones.push((code, size));
    }
    zones
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

    #[rustfmt::skip]
    const DOCSTRING_IMAGE: [u32; 25] = [
        5, 2, 5, 4, 4,
        3, 3, 3, 1, 3,
        2, 1, 1, 1, 3,
        4, 2, 2, 2, 3,
        3, 5, 3, 3, 2,
    ];

    fn docstring_roi() -> DiscretisedRoi {
        DiscretisedRoi {
            dims: [1, 5, 5],
            mask: vec![true; 25],
            levels: DOCSTRING_IMAGE.to_vec(),
            spacing: [1.0; 3],
        }
    }

    #[test]
    fn zones_match_docstring() {
        let roi = docstring_roi();
        let grid = LevelGrid::new(&roi, 1);
        let offsets = neighbours::angles(roi.dims, &[1], true, None);
        let m = zone_matrix(&grid, &grid.linear_all(&offsets));
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

    #[test]
    fn hand_worked_features() {
        let v = compute(&docstring_roi(), &TextureSettings::default());
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
        let roi = DiscretisedRoi {
            dims: [2, 1, 1],
            mask: vec![true; 2],
            levels: vec![1; 2],
            spacing: [1.0; 3],
        };
        let one_zone = compute(&roi, &TextureSettings::default());
        let two_zones = compute(
            &roi,
            &TextureSettings {
                force2d: true,
                ..Default::default()
            },
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
