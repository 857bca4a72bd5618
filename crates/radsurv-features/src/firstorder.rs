//! First-order (intensity histogram) features.
//!
//! # Notation
//! $\mathbf X$ the $N_p$ ROI intensities (after resampling, before discretisation); $c$ =
//! `voxelArrayShift` (default 0); $p(i)$ the fraction of ROI voxels in grey level $i$ (non-empty
//! bins only); $\epsilon = 2.2204\times10^{-16}$; $V_{vox}$ the voxel volume; $P_q$ the $q$-th
//! percentile with linear interpolation (numpy's default); $\bar X$ the mean.
//!
//! # Reference
//! PyRadiomics 3.x `RadiomicsFirstOrder` (`radiomics/firstorder.py`); IBSI 1 §3.3/3.4. Kurtosis is
//! $m_4/m_2^2$ (IBSI's value + 3) and skewness/kurtosis are 0 for a flat ROI, as in PyRadiomics.
//! Golden: `pyradiomics/expected/features_*.csv`, `baseline_configs.csv`.

use crate::roi::FeatureName;

/// First-order features in PyRadiomics' output order (deprecated ones flagged).
pub const FEATURES: &[FeatureName] = &[
    FeatureName {
        name: "10Percentile",
        deprecated: false,
    },
    FeatureName {
        name: "90Percentile",
        deprecated: false,
    },
    FeatureName {
        name: "Energy",
        deprecated: false,
    },
    FeatureName {
        name: "Entropy",
        deprecated: false,
    },
    FeatureName {
        name: "InterquartileRange",
        deprecated: false,
    },
    FeatureName {
        name: "Kurtosis",
        deprecated: false,
    },
    FeatureName {
        name: "Maximum",
        deprecated: false,
    },
    FeatureName {
        name: "MeanAbsoluteDeviation",
        deprecated: false,
    },
    FeatureName {
        name: "Mean",
        deprecated: false,
    },
    FeatureName {
        name: "Median",
        deprecated: false,
    },
    FeatureName {
        name: "Minimum",
        deprecated: false,
    },
    FeatureName {
        name: "Range",
        deprecated: false,
    },
    FeatureName {
        name: "RobustMeanAbsoluteDeviation",
        deprecated: false,
    },
    FeatureName {
        name: "RootMeanSquared",
        deprecated: false,
    },
    FeatureName {
        name: "Skewness",
        deprecated: false,
    },
    FeatureName {
        name: "StandardDeviation",
        deprecated: true,
    },
    FeatureName {
        name: "TotalEnergy",
        deprecated: false,
    },
    FeatureName {
        name: "Uniformity",
        deprecated: false,
    },
    FeatureName {
        name: "Variance",
        deprecated: false,
    },
];

const EPS: f64 = f64::EPSILON;

/// Inputs of the first-order class.
#[derive(Debug, Clone, Copy)]
pub struct FirstOrderInput<'a> {
    /// ROI intensities (any order).
    pub values: &'a [f64],
    /// The grey level (bin number) of each value, in the same order. Binning is monotone: a
    /// value in a lower level is smaller than every value in a higher one.
    pub levels: &'a [u32],
    /// `voxelArrayShift`.
    pub voxel_array_shift: f64,
    /// Voxel volume in mm³ (product of the image spacing).
    pub voxel_volume: f64,
}

/// Computes the first-order features, aligned with [`FEATURES`] (`values` must be non-empty).
///
/// - **Energy** $\sum (X_i + c)^2$; **TotalEnergy** $V_{vox}\sum (X_i + c)^2$;
///   **RootMeanSquared** $\sqrt{\frac1{N_p}\sum (X_i + c)^2}$
/// - **Entropy** $-\sum_i p(i)\log_2(p(i)+\epsilon)$; **Uniformity** $\sum_i p(i)^2$
/// - **Minimum**, **Maximum**, **Range** $\max - \min$, **Mean** $\bar X$, **Median**
/// - **10Percentile** $P_{10}$, **90Percentile** $P_{90}$, **InterquartileRange** $P_{75} - P_{25}$
/// - **MeanAbsoluteDeviation** $\frac1{N_p}\sum|X_i - \bar X|$; **RobustMeanAbsoluteDeviation** the
///   same over the voxels with $P_{10} \le X_i \le P_{90}$ (around their own mean)
/// - **Variance** $m_2 = \frac1{N_p}\sum (X_i-\bar X)^2$; **StandardDeviation** (deprecated) $\sqrt{m_2}$
/// - **Skewness** $m_3 / m_2^{3/2}$; **Kurtosis** $m_4/m_2^2$ ($m_2$ taken as 1 when 0)
///
/// Every sum runs over the values in their given order, as numpy's would; sums that need the
/// same values share one pass (each keeps its own order, so the results do not change).
pub fn compute(input: &FirstOrderInput) -> Vec<f64> {
    let x = input.values;
    let n = x.len() as f64;
    let level_counts = level_counts(input.levels);
    let Percentiles {
        min,
        max,
        at: [p10, p25, median, p75, p90],
    } = percentiles(
        x,
        input.levels,
        &level_counts,
        [10.0, 25.0, 50.0, 75.0, 90.0],
    );
    let [energy, sum] = sums(x, |v| [(v + input.voxel_array_shift).powi(2), v]);
    let mean = sum / n;
    let [m2, m3, m4, absolute_deviation] = sums(x, |v| {
        let d = v - mean;
        [d.powi(2), d.powi(3), d.powi(4), d.abs()]
    })
    .map(|s| s / n);
    let m2_or_one = if m2 == 0.0 { 1.0 } else { m2 };
    let p: Vec<f64> = level_counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| c as f64 / n)
        .collect();
    let std = m2.sqrt();
    vec![
        p10,
        p90,
        energy,
        -p.iter().map(|&pi| pi * (pi + EPS).log2()).sum::<f64>(),
        p75 - p25,
        m4 / m2_or_one.powi(2),
        max,
        absolute_deviation,
        mean,
        median,
        min,
        max - min,
        robust_mean_absolute_deviation(x, p10, p90),
        (energy / n).sqrt(),
        m3 / m2_or_one.powf(1.5),
        std,
        energy * input.voxel_volume,
        p.iter().map(|&pi| pi * pi).sum(),
        std * std,
    ]
}

/// `N` sums over the values in one pass, term `k` of value `v` being `terms(v)[k]`; each sum
/// adds its terms in array order from -0.0, exactly as [`Iterator::sum`] would.
fn sums<const N: usize>(values: &[f64], terms: impl Fn(f64) -> [f64; N]) -> [f64; N] {
    values.iter().fold([-0.0; N], |mut acc, &v| {
        for (a, t) in acc.iter_mut().zip(terms(v)) {
            *a += t;
        }
        acc
    })
}

/// Voxels per grey level, indexed by level (0 up to the largest present).
fn level_counts(levels: &[u32]) -> Vec<u64> {
    let mut counts = vec![0u64; levels.iter().copied().max().map_or(0, |m| m as usize + 1)];
    for &l in levels {
        counts[l as usize] += 1;
    }
    counts
}

/// Mean absolute deviation of the values within $[P_{10}, P_{90}]$ around their own mean.
fn robust_mean_absolute_deviation(x: &[f64], p10: f64, p90: f64) -> f64 {
    let kept = || x.iter().copied().filter(|&v| v >= p10 && v <= p90);
    let (count, sum) = kept().fold((0usize, -0.0), |(count, sum), v| (count + 1, sum + v));
    let n = count as f64;
    let mean = sum / n;
    kept().map(|v| (v - mean).abs()).sum::<f64>() / n
}

/// The extremes of some values and their percentiles at requested `q`s.
struct Percentiles<const N: usize> {
    min: f64,
    max: f64,
    at: [f64; N],
}

/// Minimum, maximum and percentiles `qs` (0–100) of `values` with numpy's default linear
/// interpolation; `levels` and `level_counts` as in [`FirstOrderInput`] and [`level_counts`].
fn percentiles<const N: usize>(
    values: &[f64],
    levels: &[u32],
    level_counts: &[u64],
    qs: [f64; N],
) -> Percentiles<N> {
    let positions = qs.map(|q| virtual_index(values.len(), q));
    let last = values.len() - 1;
    let mut ranks: Vec<usize> = positions
        .iter()
        .flat_map(|&(below, _)| [below, (below + 1).min(last)])
        .chain([0, last])
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let ranked = order_statistics(values, levels, level_counts, &ranks);
    let at = |rank: usize| ranked[ranks.partition_point(|&r| r < rank)];
    Percentiles {
        min: at(0),
        max: at(last),
        at: positions.map(|(below, gamma)| lerp(at(below), at((below + 1).min(last)), gamma)),
    }
}

/// numpy's `_compute_virtual_index` (alpha = beta = 1) for `n` values and percentile `q`, as
/// the rank below it and the fraction past that rank.
fn virtual_index(n: usize, q: f64) -> (usize, f64) {
    let n = n as f64;
    let q = q / 100.0;
    let index = (n * q + (1.0 - q) - 1.0).clamp(0.0, n - 1.0);
    let below = index.floor();
    (below as usize, index - below)
}

/// numpy's `_lerp`: interpolate from the nearer end.
fn lerp(lo: f64, hi: f64, gamma: f64) -> f64 {
    let diff = hi - lo;
    if gamma >= 0.5 {
        hi - diff * (1.0 - gamma)
    } else {
        lo + diff * gamma
    }
}

/// An integer that orders as [`f64::total_cmp`] orders the values (the same bit flip it makes),
/// so selections compare integers.
fn order_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// The value of an [`order_key`] (the flip undoes itself).
fn from_order_key(key: i64) -> f64 {
    f64::from_bits((key ^ (((key >> 63) as u64) >> 1) as i64) as u64)
}

/// The values at `ranks` (ascending) of the sorted order of `values`.
///
/// Binning is monotone, so the sorted values are the levels' values one level after the other:
/// the value at rank $r$ is in the level where the running count of voxels passes $r$, at rank
/// $r$ minus the voxels of the lower levels within that level. One pass copies out the values of
/// the few levels that hold a wanted rank, and a selection (`select_nth_unstable`, linear time)
/// within each finds it, on [`order_key`]s. Under the total order of `f64` the value at a rank is
/// unique, so it equals the sorted array's entry.
fn order_statistics(
    values: &[f64],
    levels: &[u32],
    level_counts: &[u64],
    ranks: &[usize],
) -> Vec<f64> {
    let mut below = 0usize; // voxels in the levels under the current one
    let mut level = 0usize;
    let mut located = Vec::with_capacity(ranks.len()); // (level, rank within the level)
    for &rank in ranks {
        while below + level_counts[level] as usize <= rank {
            below += level_counts[level] as usize;
            level += 1;
        }
        located.push((level, rank - below));
    }
    let mut slot = vec![usize::MAX; level_counts.len()];
    let mut buckets: Vec<Vec<i64>> = Vec::new();
    for &(level, _) in &located {
        if slot[level] == usize::MAX {
            slot[level] = buckets.len();
            buckets.push(Vec::with_capacity(level_counts[level] as usize));
        }
    }
    for (&v, &l) in values.iter().zip(levels) {
        if let Some(bucket) = buckets.get_mut(slot[l as usize]) {
            bucket.push(order_key(v));
        }
    }
    located
        .iter()
        .map(|&(level, rank)| {
            let bucket = &mut buckets[slot[level]];
            from_order_key(*bucket.select_nth_unstable(rank).1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discretise::{bin_edges, bin_of, Binning};

    fn value(values: &[f64], name: &str) -> f64 {
        values[FEATURES.iter().position(|f| f.name == name).unwrap()]
    }

    #[test]
    fn hand_worked_example() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        let v = compute(&FirstOrderInput {
            values: &x,
            levels: &[1, 1, 1, 1, 2],
            voxel_array_shift: 0.0,
            voxel_volume: 2.0,
        });
        assert_eq!(value(&v, "Mean"), 4.0);
        assert_eq!(value(&v, "Median"), 3.0);
        assert_eq!(value(&v, "Energy"), 130.0);
        assert_eq!(value(&v, "TotalEnergy"), 260.0);
        assert!((value(&v, "Variance") - 10.0).abs() < 1e-12);
        assert!((value(&v, "10Percentile") - 1.4).abs() < 1e-12);
        assert!((value(&v, "InterquartileRange") - 2.0).abs() < 1e-12);
        assert_eq!(value(&v, "MeanAbsoluteDeviation"), 12.0 / 5.0);
        assert!((value(&v, "Uniformity") - 0.68).abs() < 1e-12);
        let entropy = -(0.8f64 * (0.8f64 + EPS).log2() + 0.2 * (0.2f64 + EPS).log2());
        assert_eq!(value(&v, "Entropy"), entropy);
    }

    #[test]
    fn order_statistics_by_level_match_a_full_sort() {
        // pseudo-random values with ties and both zeros, binned as the extractor bins them
        let mut state = 99u64;
        let values: Vec<f64> = (0..2000)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = (state >> 40) as f64 / 16_777_216.0;
                match i % 7 {
                    0 => -0.0,
                    1 => 0.0,
                    _ => ((r * 300.0 - 120.0) * 4.0).round() / 4.0,
                }
            })
            .collect();
        let edges = bin_edges(&values, Binning::Width(25.0));
        let levels: Vec<u32> = values.iter().map(|&v| bin_of(&edges, v)).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let ranks: Vec<usize> = (0..values.len()).collect();
        let ranked = order_statistics(&values, &levels, &level_counts(&levels), &ranks);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&ranked), bits(&sorted));
    }

    #[test]
    fn flat_region_has_zero_skewness_and_kurtosis() {
        let v = compute(&FirstOrderInput {
            values: &[5.0; 4],
            levels: &[1; 4],
            voxel_array_shift: 0.0,
            voxel_volume: 1.0,
        });
        assert_eq!(value(&v, "Skewness"), 0.0);
        assert_eq!(value(&v, "Kurtosis"), 0.0);
        assert_eq!(value(&v, "Entropy"), -(1.0f64 + EPS).log2());
    }
}
