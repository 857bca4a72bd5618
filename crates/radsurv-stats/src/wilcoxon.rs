//! Wilcoxon rank-sum (Mann–Whitney U) test with the normal approximation, as R
//! `wilcox.test(exact = FALSE)`.
//!
//! # Definition
//! $W = \sum_{i \in 1} R_i - n_1(n_1+1)/2$ with average ranks $R$ of the pooled sample;
//! $\sigma^2 = \frac{n_1 n_2}{12}\Bigl[(n+1) - \frac{\sum_g (t_g^3 - t_g)}{n(n-1)}\Bigr]$ over tie
//! groups $t_g$; $z = \bigl(W - n_1n_2/2 - \operatorname{sign}(W - n_1n_2/2)\cdot c/2\bigr)/\sigma$ with
//! $c = 1$ for the continuity correction (R's default) else 0; $p = 2\Phi(-|z|)$.
//!
//! # Reference
//! R `wilcox.test(x1, x2, exact = FALSE, correct = TRUE | FALSE)`: `statistic` (W), `p.value`.
//! Golden: `stats/expected/basic/wilcoxon.csv`.
//!
//! # Known differences
//! The Hodges–Lehmann estimate and its interval (`conf.int = TRUE`) are not computed.

use crate::distributions::z_two_sided;
use crate::ranks::average_ranks;
use crate::{Result, StatsError};

/// A rank-sum test result.
#[derive(Debug, Clone, PartialEq)]
pub struct RankSumTest {
    /// $W = U_1$.
    pub w: f64,
    /// $U_2 = n_1 n_2 - W$.
    pub u2: f64,
    /// The normal deviate.
    pub z: f64,
    /// Two-sided p.
    pub p: f64,
}

/// Mann–Whitney U / Wilcoxon rank-sum test, normal approximation with tie correction; formula in
/// the module doc.
///
/// Matches R `wilcox.test(x1, x2, exact = FALSE, correct = correct)`.
///
/// # Errors
/// [`StatsError::Degenerate`] for an empty sample or all values tied;
/// [`StatsError::InvalidValue`] for a non-finite value.
pub fn mann_whitney(x1: &[f64], x2: &[f64], correct: bool) -> Result<RankSumTest> {
    if x1.is_empty() || x2.is_empty() {
        return Err(StatsError::Degenerate(
            "both samples need at least one value".into(),
        ));
    }
    let pooled: Vec<f64> = x1.iter().chain(x2).copied().collect();
    if let Some(i) = pooled.iter().position(|v| !v.is_finite()) {
        let (row, column) = if i < x1.len() {
            (i, "sample 1")
        } else {
            (i - x1.len(), "sample 2")
        };
        return Err(StatsError::InvalidValue {
            row: row + 1,
            column: column.into(),
            reason: format!("value must be finite, got {}", pooled[i]),
        });
    }
    let (n1, n2) = (x1.len() as f64, x2.len() as f64);
    let n = n1 + n2;
    let (ranks, ties) = average_ranks(&pooled);
    let w = ranks[..x1.len()].iter().sum::<f64>() - n1 * (n1 + 1.0) / 2.0;
    let tie_sum: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let sigma = (n1 * n2 / 12.0 * ((n + 1.0) - tie_sum / (n * (n - 1.0)))).sqrt();
    if sigma <= 0.0 {
        return Err(StatsError::Degenerate("all values are tied".into()));
    }
    let centred = w - n1 * n2 / 2.0;
    let correction = if correct { 0.5 * centred.signum() } else { 0.0 };
    let z = (centred - correction) / sigma;
    Ok(RankSumTest {
        w,
        u2: n1 * n2 - w,
        z,
        p: z_two_sided(z),
    })
}
