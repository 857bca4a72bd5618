//! Pearson's chi-square test of independence (with and without Yates' correction) and Fisher's
//! exact test for 2×2 tables, as R `chisq.test` and `fisher.test`.
//!
//! # Definition
//! $E_{ij} = r_i c_j / N$; $X^2 = \sum (|O_{ij}-E_{ij}| - y)^2/E_{ij}$ with
//! $y = \min(0.5, |O_{ij}-E_{ij}|)$ for 2×2 tables when corrected (R caps the correction) and 0
//! otherwise; $p = P(\chi^2_{(r-1)(c-1)} > X^2)$.
//! Fisher 2×2: with margins fixed, $a$ is hypergeometric; $p$ sums the probabilities of all tables
//! no more likely than the observed one (relative tolerance $10^{-7}$, as R).
//!
//! # Reference
//! R `chisq.test(tab, correct = TRUE | FALSE)`: `statistic`, `parameter`, `p.value`, `expected`;
//! `fisher.test(tab)$p.value`. Golden: `stats/expected/basic/chisq.csv` and the tables in
//! `stats/expected/basic/README.json`.
//!
//! # Known differences
//! Fisher's conditional-MLE odds ratio and its interval are not computed.

use crate::distributions::chi_square_upper;
use crate::{Result, StatsError};

/// A chi-square test result.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquareTest {
    /// $X^2$.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Upper-tail p.
    pub p: f64,
    /// Whether Yates' correction was applied (2×2 and `correct`).
    pub yates: bool,
    /// Expected counts, row by row.
    pub expected: Vec<Vec<f64>>,
}

/// Chi-square test of independence on an r×c table of counts; formula in the module doc.
///
/// Matches R `chisq.test(table, correct = correct)`.
///
/// # Errors
/// [`StatsError::Degenerate`] for a ragged or smaller than 2×2 table, a negative or non-finite
/// count, or an empty row or column.
pub fn chisq_test(table: &[Vec<f64>], correct: bool) -> Result<ChiSquareTest> {
    let (rows, cols) = check_table(table)?;
    let row_sums: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let col_sums: Vec<f64> = (0..cols)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    let total: f64 = row_sums.iter().sum();
    if row_sums.iter().chain(&col_sums).any(|&s| s == 0.0) {
        return Err(StatsError::Degenerate(
            "a row or column of the table is empty".into(),
        ));
    }
    let expected: Vec<Vec<f64>> = row_sums
        .iter()
        .map(|r| col_sums.iter().map(|c| r * c / total).collect())
        .collect();
    let yates = correct && rows == 2 && cols == 2;
    let mut statistic = 0.0;
    for (obs_row, exp_row) in table.iter().zip(&expected) {
        for (o, e) in obs_row.iter().zip(exp_row) {
            let dev = (o - e).abs();
            let y = if yates { dev.min(0.5) } else { 0.0 };
            statistic += (dev - y).powi(2) / e;
        }
    }
    let df = ((rows - 1) * (cols - 1)) as f64;
    Ok(ChiSquareTest {
        statistic,
        df,
        p: chi_square_upper(statistic, df),
        yates,
        expected,
    })
}

/// Fisher's exact test p-value (two-sided) for a 2×2 table.
///
/// $$P(a) = \binom{r_1}{a}\binom{r_2}{c_1-a}\Big/\binom{N}{c_1},\qquad
///   p = \sum_{a:\,P(a) \le P(a_{\mathrm{obs}})(1+10^{-7})} P(a)$$
/// Matches R `fisher.test(table)$p.value`.
///
/// # Errors
/// [`StatsError::Degenerate`] unless the table is 2×2 of non-negative whole counts.
pub fn fisher_exact_p(table: &[Vec<f64>]) -> Result<f64> {
    let (rows, cols) = check_table(table)?;
    if rows != 2 || cols != 2 || table.iter().flatten().any(|v| v.fract() != 0.0) {
        return Err(StatsError::Degenerate(
            "Fisher's exact test needs a 2x2 table of counts".into(),
        ));
    }
    let (a, b, c, d) = (table[0][0], table[0][1], table[1][0], table[1][1]);
    let (r1, r2, c1) = (a + b, c + d, a + c);
    let lo = (c1 - r2).max(0.0) as u64;
    let hi = c1.min(r1) as u64;
    let log_choose = |n: f64, k: f64| ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0);
    let log_p = |x: f64| log_choose(r1, x) + log_choose(r2, c1 - x) - log_choose(r1 + r2, c1);
    let observed = log_p(a);
    let probs: Vec<f64> = (lo..=hi).map(|x| log_p(x as f64)).collect();
    let max = probs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let total: f64 = probs.iter().map(|l| (l - max).exp()).sum();
    let bound = (observed - max).exp() * (1.0 + 1e-7);
    let tail: f64 = probs
        .iter()
        .map(|l| (l - max).exp())
        .filter(|&p| p <= bound)
        .sum();
    Ok((tail / total).min(1.0))
}

fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

fn check_table(table: &[Vec<f64>]) -> Result<(usize, usize)> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    if rows < 2 || cols < 2 || table.iter().any(|r| r.len() != cols) {
        return Err(StatsError::Degenerate(
            "the table must be rectangular and at least 2x2".into(),
        ));
    }
    if table.iter().flatten().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(StatsError::Degenerate(
            "counts must be finite and non-negative".into(),
        ));
    }
    Ok((rows, cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fisher's tea-tasting table: one-sided p = 17/70, two-sided 34/70 ≈ 0.4857.
    #[test]
    fn tea_tasting() {
        let p = fisher_exact_p(&[vec![3.0, 1.0], vec![1.0, 3.0]]).unwrap();
        assert!((p - 34.0 / 70.0).abs() < 1e-12);
    }
}
