//! Descriptive statistics for the study's Table 1, as R's `mean`, `sd`, `median` and
//! `quantile(x, type = 7)`.

use crate::error::{Result, StatsError};

/// Checks that `x` is non-empty and finite, naming the first bad value's 1-based position.
fn check(x: &[f64], what: &str) -> Result<()> {
    if x.is_empty() {
        return Err(StatsError::Degenerate(format!("{what} of no values")));
    }
    match x.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(StatsError::InvalidValue {
            row: i + 1,
            column: "x".into(),
            reason: format!("{what} needs finite values, got {}", x[i]),
        }),
        None => Ok(()),
    }
}

/// Arithmetic mean $\bar x = \frac1n\sum_i x_i$ (R `mean(x)`).
pub fn mean(x: &[f64]) -> Result<f64> {
    check(x, "mean")?;
    Ok(x.iter().sum::<f64>() / x.len() as f64)
}

/// Sample standard deviation $s = \sqrt{\frac{1}{n-1}\sum_i (x_i - \bar x)^2}$ (R `sd(x)`);
/// needs at least 2 values.
pub fn sd(x: &[f64]) -> Result<f64> {
    let m = mean(x)?;
    if x.len() < 2 {
        return Err(StatsError::Degenerate(
            "standard deviation needs at least 2 values".into(),
        ));
    }
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    Ok((ss / (x.len() - 1) as f64).sqrt())
}

/// Sample quantile of R's default type 7: with sorted $x_{(1)} \le \dots \le x_{(n)}$,
/// $h = (n-1)p$, $Q(p) = x_{(\lfloor h\rfloor + 1)} + (h - \lfloor h\rfloor)
/// (x_{(\lfloor h\rfloor + 2)} - x_{(\lfloor h\rfloor + 1)})$ (R `quantile(x, p, type = 7)`).
pub fn quantile(x: &[f64], p: f64) -> Result<f64> {
    check(x, "quantile")?;
    if !(0.0..=1.0).contains(&p) {
        return Err(StatsError::Degenerate(format!(
            "quantile probability must be in [0, 1], got {p}"
        )));
    }
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Ok(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// Median, $Q(0.5)$ of [`quantile`] (R `median(x)`).
pub fn median(x: &[f64]) -> Result<f64> {
    quantile(x, 0.5)
}

/// Table-1 summary of a continuous variable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// [`mean`].
    pub mean: f64,
    /// [`sd`].
    pub sd: f64,
    /// [`median`].
    pub median: f64,
    /// First quartile, [`quantile`] at 0.25.
    pub q1: f64,
    /// Third quartile, [`quantile`] at 0.75.
    pub q3: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Mean, SD, median, quartiles and range of `x` (R `summary(x)` plus `sd(x)`).
pub fn summary(x: &[f64]) -> Result<Summary> {
    Ok(Summary {
        n: x.len(),
        mean: mean(x)?,
        sd: sd(x)?,
        median: median(x)?,
        q1: quantile(x, 0.25)?,
        q3: quantile(x, 0.75)?,
        min: quantile(x, 0.0)?,
        max: quantile(x, 1.0)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference from R: `x <- c(1,5,2,8,3,9,10); quantile(x, c(.25,.5,.75))` gives
    /// 2.5, 5, 8.5; `mean(x)` = 38/7; `sd(x)` = sqrt(sum((x-38/7)^2)/6).
    #[test]
    fn matches_r_quantile_type7_mean_sd() {
        let x = [1.0, 5.0, 2.0, 8.0, 3.0, 9.0, 10.0];
        let s = summary(&x).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (2.5, 5.0, 8.5));
        assert!((s.mean - 38.0 / 7.0).abs() < 1e-15);
        let ss: f64 = x.iter().map(|v| (v - 38.0 / 7.0).powi(2)).sum();
        assert!((s.sd - (ss / 6.0).sqrt()).abs() < 1e-14);
        assert_eq!((s.min, s.max), (1.0, 10.0));
    }

    #[test]
    fn rejects_empty_and_nan() {
        assert!(mean(&[]).is_err());
        assert!(sd(&[1.0]).is_err());
        assert!(quantile(&[1.0, f64::NAN], 0.5).is_err());
    }
}
