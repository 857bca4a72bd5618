//! Pearson and Spearman correlation tests, as R `cor.test`.
//!
//! # Definition
//! Pearson $r = \frac{\sum (x-\bar x)(y-\bar y)}{\sqrt{\sum (x-\bar x)^2 \sum (y-\bar y)^2}}$,
//! $t = r\sqrt{(n-2)/(1-r^2)}$ on $n-2$ df, CI by Fisher's $z$: $\tanh(\operatorname{atanh} r \pm
//! z_{0.975}/\sqrt{n-3})$. Spearman $\rho$ = Pearson $r$ of the average ranks,
//! $S = (n^3-n)(1-\rho)/6$, two-sided $p$ from the same $t$ (R's `exact = FALSE`).
//!
//! # Reference
//! R `cor.test(x, y, method = "pearson")` and `cor.test(x, y, method = "spearman", exact = FALSE)`:
//! `estimate`, `statistic`, `p.value`, `conf.int`. Golden: `stats/expected/basic/correlation.csv`.
//!
//! # Known differences
//! R's default for Spearman without ties and $n < 1290$ is the exact/Edgeworth p of AS 89; we give
//! the asymptotic p only (R's choice whenever there are ties, and with `exact = FALSE`).

use crate::distributions::{qnorm, t_two_sided};
use crate::ranks::average_ranks;
use crate::{Result, StatsError};

/// A correlation test result.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationTest {
    /// $r$ or $\rho$.
    pub estimate: f64,
    /// $t$ (Pearson) or $S$ (Spearman), as R's `statistic`.
    pub statistic: f64,
    /// Two-sided p.
    pub p: f64,
    /// 95 % CI (Pearson only).
    pub conf_int: Option<(f64, f64)>,
    /// Pairs used.
    pub n: usize,
}

/// Pearson's correlation test; formula in the module doc.
///
/// Matches R `cor.test(x, y, method = "pearson")`.
///
/// # Errors
/// [`StatsError::Degenerate`] for unequal lengths, fewer than 3 pairs or a constant variable;
/// [`StatsError::InvalidValue`] for a non-finite value.
pub fn pearson(x: &[f64], y: &[f64]) -> Result<CorrelationTest> {
    check(x, y)?;
    let n = x.len() as f64;
    let r = pearson_r(x, y)?;
    let df = n - 2.0;
    let t = r * (df / (1.0 - r * r)).sqrt();
    let conf_int = (n > 3.0).then(|| {
        let z = r.atanh();
        let half = qnorm(0.975) / (n - 3.0).sqrt();
        ((z - half).tanh(), (z + half).tanh())
    });
    Ok(CorrelationTest {
        estimate: r,
        statistic: t,
        p: t_two_sided(t, df),
        conf_int,
        n: x.len(),
    })
}

/// Spearman's rank correlation test with the asymptotic t p-value.
///
/// $$\rho = r(\operatorname{rank} x, \operatorname{rank} y),\quad S = \frac{(n^3-n)(1-\rho)}{6},\quad
///   p = 2P\bigl(T_{n-2} > |\rho|\sqrt{(n-2)/(1-\rho^2)}\bigr)$$
/// Matches R `cor.test(x, y, method = "spearman", exact = FALSE)` (and R's default when there are ties).
///
/// # Errors
/// As [`pearson`].
pub fn spearman(x: &[f64], y: &[f64]) -> Result<CorrelationTest> {
    check(x, y)?;
    let n = x.len() as f64;
    let rho = pearson_r(&average_ranks(x).0, &average_ranks(y).0)?;
    let df = n - 2.0;
    let t = rho * (df / (1.0 - rho * rho)).sqrt();
    Ok(CorrelationTest {
        estimate: rho,
        statistic: (n * n * n - n) * (1.0 - rho) / 6.0,
        p: t_two_sided(t, df),
        conf_int: None,
        n: x.len(),
    })
}

fn check(x: &[f64], y: &[f64]) -> Result<()> {
    if x.len() != y.len() || x.len() < 3 {
        return Err(StatsError::Degenerate(format!(
            "correlation needs two equal-length samples of at least 3 (got {} and {})",
            x.len(),
            y.len()
        )));
    }
    for (name, v) in [("x", x), ("y", y)] {
        if let Some(i) = v.iter().position(|a| !a.is_finite()) {
            return Err(StatsError::InvalidValue {
                row: i + 1,
                column: name.into(),
                reason: format!("value must be finite, got {}", v[i]),
            });
        }
    }
    Ok(())
}

fn pearson_r(x: &[f64], y: &[f64]) -> Result<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    if sxx == 0.0 || syy == 0.0 {
        return Err(StatsError::Degenerate(
            "a variable is constant: correlation undefined".into(),
        ));
    }
    Ok(sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_monotone_relation_has_rho_one() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 8.0, 27.0, 64.0, 125.0];
        let s = spearman(&x, &y).unwrap();
        assert!((s.estimate - 1.0).abs() < 1e-15 && s.statistic.abs() < 1e-12);
        assert!(pearson(&x, &[1.0; 5]).is_err());
    }
}
