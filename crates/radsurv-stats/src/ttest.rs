//! Two-sample t-tests (Welch and pooled) and the paired t-test, as R `t.test`.
//!
//! # Definition
//! Welch: $t = (\bar x_1 - \bar x_2)/\mathrm{se}$, $\mathrm{se}^2 = s_1^2/n_1 + s_2^2/n_2$,
//! $\nu = \mathrm{se}^4/\bigl(\frac{(s_1^2/n_1)^2}{n_1-1} + \frac{(s_2^2/n_2)^2}{n_2-1}\bigr)$ (Satterthwaite).
//! Pooled: $s_p^2 = \frac{(n_1-1)s_1^2 + (n_2-1)s_2^2}{n_1+n_2-2}$, $\mathrm{se}^2 = s_p^2(1/n_1+1/n_2)$,
//! $\nu = n_1+n_2-2$. Paired: one-sample test of the differences. $p = 2P(T_\nu > |t|)$;
//! 95 % CI $(\bar x_1-\bar x_2) \pm t_{0.975,\nu}\,\mathrm{se}$.
//!
//! # Reference
//! R `t.test(x1, x2, var.equal = FALSE | TRUE)`, `t.test(x1, x2, paired = TRUE)`: `statistic`,
//! `parameter`, `p.value`, `conf.int`, `stderr`. Golden: `stats/expected/basic/ttest.csv`.

use crate::distributions::{qt, t_two_sided};
use crate::{Result, StatsError};

/// A t-test result.
#[derive(Debug, Clone, PartialEq)]
pub struct TTest {
    /// Mean of sample 1 (or of the differences when paired).
    pub mean1: f64,
    /// Mean of sample 2 (0 when paired).
    pub mean2: f64,
    /// $t$.
    pub t: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Two-sided p.
    pub p: f64,
    /// 95 % CI of the mean difference.
    pub conf_int: (f64, f64),
    /// Standard error of the difference.
    pub stderr: f64,
}

/// Two-sample t-test: Welch when `var_equal` is false (R's default), pooled otherwise.
///
/// Matches R `t.test(x1, x2, var.equal = var_equal)`.
///
/// # Errors
/// [`StatsError::Degenerate`] for a sample with fewer than 2 values or zero variance in both;
/// [`StatsError::InvalidValue`] for a non-finite value.
pub fn t_test(x1: &[f64], x2: &[f64], var_equal: bool) -> Result<TTest> {
    let (m1, v1, n1) = moments(x1, "sample 1")?;
    let (m2, v2, n2) = moments(x2, "sample 2")?;
    let (se, df) = if var_equal {
        let pooled = ((n1 - 1.0) * v1 + (n2 - 1.0) * v2) / (n1 + n2 - 2.0);
        ((pooled * (1.0 / n1 + 1.0 / n2)).sqrt(), n1 + n2 - 2.0)
    } else {
        let (a, b) = (v1 / n1, v2 / n2);
        let se2 = a + b;
        (
            se2.sqrt(),
            se2 * se2 / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0)),
        )
    };
    finish(m1, m2, se, df)
}

/// Paired t-test of `x1 - x2`.
///
/// Matches R `t.test(x1, x2, paired = TRUE)` (`mean1`/`mean2` are the two samples' means).
///
/// # Errors
/// As [`t_test`], and [`StatsError::Degenerate`] for unequal lengths.
pub fn paired_t_test(x1: &[f64], x2: &[f64]) -> Result<TTest> {
    if x1.len() != x2.len() {
        return Err(StatsError::Degenerate(
            "paired samples must have equal length".into(),
        ));
    }
    let diff: Vec<f64> = x1.iter().zip(x2).map(|(a, b)| a - b).collect();
    let (md, vd, n) = moments(&diff, "differences")?;
    let mut out = finish(md, 0.0, (vd / n).sqrt(), n - 1.0)?;
    out.mean1 = moments(x1, "sample 1")?.0;
    out.mean2 = moments(x2, "sample 2")?.0;
    Ok(out)
}

fn finish(m1: f64, m2: f64, se: f64, df: f64) -> Result<TTest> {
    if se <= 0.0 {
        return Err(StatsError::Degenerate(
            "data are essentially constant".into(),
        ));
    }
    let diff = m1 - m2;
    let t = diff / se;
    let half = qt(0.975, df) * se;
    Ok(TTest {
        mean1: m1,
        mean2: m2,
        t,
        df,
        p: t_two_sided(t, df),
        conf_int: (diff - half, diff + half),
        stderr: se,
    })
}

/// Mean, variance (divisor n − 1) and n.
fn moments(x: &[f64], name: &str) -> Result<(f64, f64, f64)> {
    if x.len() < 2 {
        return Err(StatsError::Degenerate(format!(
            "{name} needs at least 2 values"
        )));
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(StatsError::InvalidValue {
            row: i + 1,
            column: name.into(),
            reason: format!("value must be finite, got {}", x[i]),
        });
    }
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Ok((mean, var, n))
}
