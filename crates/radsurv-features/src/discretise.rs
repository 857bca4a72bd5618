//! Grey-level discretisation of the ROI intensities (PyRadiomics `getBinEdges` / `binImage`).
//!
//! **Fixed bin width** $W$ (`binWidth`, default 25): edges $e_k = L + k\,\delta$ from
//! $L = \min X - (\min X \bmod W)$ (Python's floored modulo) up to below $\max X + 2W$, and
//! bin$(x) = \#\{k : e_k \le x\}$, which is $\lfloor x/W \rfloor - \lfloor \min X / W \rfloor + 1$ up to
//! rounding. The edges are built as `numpy.arange` builds them ($\delta = (L + W) - L$, length
//! $\lceil (\max X + 2W - L)/W \rceil$) so that values on an edge fall in the same bin. A flat ROI
//! whose value is a multiple of $W$ gets edges $[v - 0.5, v + 0.5]$.
//!
//! **Fixed bin count** $N_b$ (`binCount`): `numpy.histogram` edges
//! $e_k = \min X + k (\max X - \min X)/N_b$, the last edge raised by 1 so the maximum lands in bin $N_b$.
//!
//! # Reference
//! PyRadiomics 3.x `imageoperations.getBinEdges`, `binImage`; IBSI 1 §2.7 (PyRadiomics floors
//! where IBSI's fixed bin size uses the minimum as origin: a documented PyRadiomics convention).

/// How intensities are discretised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Binning {
    /// Fixed bin width `binWidth`.
    Width(f64),
    /// Fixed number of bins `binCount`.
    Count(u32),
}

/// Bin edges for the ROI values (`values` must be non-empty and finite).
pub fn bin_edges(values: &[f64], binning: Binning) -> Vec<f64> {
    let (min, max) = value_range(values);
    match binning {
        Binning::Width(width) => width_edges(min, max, width),
        Binning::Count(count) => count_edges(min, max, count),
    }
}

/// Checks, before any edge is allocated, that the binning gives at most
/// [`radsurv_image::limits::GREY_LEVELS`] levels over the ROI's range (`values` non-empty and
/// finite): a tiny `binWidth` or a huge `binCount` would otherwise ask for terabytes.
///
/// # Errors
/// [`LimitExceeded`](radsurv_image::limits::LimitExceeded) naming the setting and its value.
pub fn check_grey_levels(
    values: &[f64],
    binning: Binning,
) -> Result<(), radsurv_image::limits::LimitExceeded> {
    let (min, max) = value_range(values);
    let (levels, source) = match binning {
        Binning::Width(width) => (
            (max - min) / width + 2.0,
            format!("binWidth {width} on the ROI's range {min} .. {max}"),
        ),
        Binning::Count(count) => (f64::from(count), format!("binCount {count}")),
    };
    radsurv_image::limits::GREY_LEVELS.check(levels, &source)
}

fn value_range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// Bin index (1-based) of `x`: the number of edges at or below it (`numpy.digitize`); `edges`
/// ascending, as [`bin_edges`] makes them.
///
/// The edges are evenly spaced but for the last one of a fixed bin count, so the count is first
/// estimated from the spacing of the first two and then corrected against the edges next to
/// the estimate. The comparisons alone decide the result, so it is the count whatever the
/// estimate; a good estimate only saves the binary search's chain of dependent loads.
#[inline]
pub fn bin_of(edges: &[f64], x: f64) -> u32 {
    let n = edges.len();
    let mut k = match edges {
        // a NaN estimate converts to 0
        [first, second, ..] if second > first => {
            ((x - first) / (second - first) + 1.0).clamp(0.0, n as f64) as usize
        }
        _ => 0,
    };
    while k < n && edges[k] <= x {
        k += 1;
    }
    while k > 0 && edges[k - 1] > x {
        k -= 1;
    }
    k as u32
}

/// Edges of fixed bin width, as `numpy.arange(low, max + 2W, W)`.
fn width_edges(min: f64, max: f64, width: f64) -> Vec<f64> {
    let low = min - python_mod(min, width);
    let high = max + 2.0 * width;
    let len = ((high - low) / width).ceil().max(1.0) as usize;
    let delta = (low + width) - low;
    let mut edges: Vec<f64> = (0..len).map(|i| low + i as f64 * delta).collect();
    if edges.len() > 1 {
        edges[1] = low + width; // numpy stores start + step here, then fills start + i·delta
    }
    if edges.len() == 1 {
        edges = vec![low - 0.5, low + 0.5];
    }
    edges
}

/// Python's floored modulo for floats (`numpy.remainder`).
fn python_mod(a: f64, b: f64) -> f64 {
    let m = a % b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        m + b
    } else if m == 0.0 {
        0.0f64.copysign(b)
    } else {
        m
    }
}

/// Edges of `numpy.histogram(values, count)`, with the last edge raised by 1.
fn count_edges(min: f64, max: f64, count: u32) -> Vec<f64> {
    let (first, last) = if min == max {
        (min - 0.5, max + 0.5)
    } else {
        (min, max)
    };
    let n = count as usize;
    // numpy.linspace: step = (stop - start) / n, y = i·step + start, last element = stop.
    let step = (last - first) / n as f64;
    let mut edges: Vec<f64> = (0..=n).map(|i| i as f64 * step + first).collect();
    edges[n] = last + 1.0;
    edges
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn width_bins_follow_the_floor_formula() {
        // PyRadiomics' docstring example: values 54..166, width 25 -> edges 50, 75, ..., 175 (and more).
        let values = [54.0, 74.9, 75.0, 100.0, 166.0];
        let edges = bin_edges(&values, Binning::Width(25.0));
        assert_eq!(&edges[..6], [50.0, 75.0, 100.0, 125.0, 150.0, 175.0]);
        let bins: Vec<u32> = values.iter().map(|&v| bin_of(&edges, v)).collect();
        assert_eq!(bins, [1, 1, 2, 3, 5]);
        for v in [-1000.0, -37.0, 0.0, 12.5, 49.0] {
            let e = bin_edges(&[-1000.0, 49.0], Binning::Width(25.0));
            let expected = (v / 25.0f64).floor() - (-1000.0f64 / 25.0).floor() + 1.0;
            assert_eq!(f64::from(bin_of(&e, v)), expected, "{v}");
        }
    }

    #[test]
    fn estimated_bins_equal_a_binary_search() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let values: Vec<f64> = (0..5000)
            .map(|_| rng.random_range(-1200.0..1800.0))
            .collect();
        for binning in [
            Binning::Width(25.0),
            Binning::Width(0.3),
            Binning::Width(5000.0),
            Binning::Count(16),
            Binning::Count(1),
        ] {
            let edges = bin_edges(&values, binning);
            // the values themselves, every edge, and its neighbouring doubles
            let probes = values
                .iter()
                .copied()
                .chain(edges.iter().flat_map(|&e| [e, e.next_down(), e.next_up()]));
            for x in probes.chain([f64::MIN, f64::MAX, -0.0, 0.0]) {
                let searched = edges.partition_point(|&e| e <= x) as u32;
                assert_eq!(bin_of(&edges, x), searched, "{binning:?} {x}");
            }
        }
    }

    #[test]
    fn flat_region_is_one_bin() {
        let edges = bin_edges(&[50.0, 50.0], Binning::Width(25.0));
        assert_eq!(bin_of(&edges, 50.0), 1); // edges 50, 75: 50 is in the first half-open bin [50, 75)
        let edges = bin_edges(&[0.0, 0.0], Binning::Width(5000.0));
        assert_eq!(bin_of(&edges, 0.0), 1);
    }

    #[test]
    fn count_bins_put_the_maximum_in_the_last_bin() {
        let values = [0.0, 1.0, 2.0, 3.0, 4.0];
        let edges = bin_edges(&values, Binning::Count(4));
        let bins: Vec<u32> = values.iter().map(|&v| bin_of(&edges, v)).collect();
        assert_eq!(bins, [1, 2, 3, 4, 4]);
    }
}
