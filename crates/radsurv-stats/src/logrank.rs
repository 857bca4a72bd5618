//! Log-rank test (and the Fleming–Harrington $G^\rho$ family) comparing survival in 2+ groups.
//!
//! # Notation
//! At each distinct event time $t_k$ of the pooled sample: $n_k$ at risk, $d_k$ events;
//! $n_{gk}$, $d_{gk}$ the same in group $g$; weight $w_k = \hat S(t_k-)^\rho$ with $\hat S$ the
//! pooled Kaplan–Meier curve ($\rho = 0$: log-rank; $\rho = 1$: Peto & Peto).
//!
//! # Reference
//! R survival 3.5-3 `survdiff(Surv(time, status) ~ group, rho)`: `obs exp var chisq`; p =
//! `pchisq(chisq, df, lower.tail = FALSE)`. Golden file: `stats/expected/km/<ds>_logrank.json`.

use serde::Serialize;

use crate::distributions::chi_square_upper;
use crate::linalg::solve_symmetric;
use crate::surv::TieGroups;
use crate::{Result, StatsError, SurvData};

/// Result of [`logrank`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogRankTest {
    /// Group labels in R's factor order.
    pub groups: Vec<String>,
    /// Subjects per group.
    pub n: Vec<usize>,
    /// Weighted observed events $O_g = \sum_k w_k d_{gk}$.
    pub observed: Vec<f64>,
    /// Weighted expected events $E_g = \sum_k w_k d_k n_{gk}/n_k$.
    pub expected: Vec<f64>,
    /// Covariance matrix of $O - E$ (row-major, groups × groups).
    pub var: Vec<Vec<f64>>,
    /// $\chi^2$ statistic.
    pub chisq: f64,
    /// Degrees of freedom: groups with $E_g > 0$, minus one.
    pub df: usize,
    /// $P(\chi^2_{df} > \text{chisq})$.
    pub p: f64,
}

/// One group's line of what `survdiff` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogRankRow {
    /// Group label.
    pub group: String,
    /// Subjects.
    pub n: usize,
    /// $O_g$.
    pub observed: f64,
    /// $E_g$.
    pub expected: f64,
    /// $(O_g - E_g)^2/E_g$.
    pub oe2_over_e: f64,
    /// $(O_g - E_g)^2/V_{gg}$.
    pub oe2_over_v: f64,
}

impl LogRankTest {
    /// The per-group lines of `survdiff`'s table, in group order.
    pub fn rows(&self) -> Vec<LogRankRow> {
        (0..self.groups.len())
            .map(|g| {
                let (o, e, v) = (self.observed[g], self.expected[g], self.var[g][g]);
                LogRankRow {
                    group: self.groups[g].clone(),
                    n: self.n[g],
                    observed: o,
                    expected: e,
                    oe2_over_e: (o - e).powi(2) / e,
                    oe2_over_v: (o - e).powi(2) / v,
                }
            })
            .collect()
    }
}

/// Log-rank ($\rho = 0$) or Fleming–Harrington $G^\rho$ test of equal survival across groups.
///
/// $$V_{gh} = \sum_k w_k^2\, \frac{d_k (n_k - d_k)}{n_k^2 (n_k - 1)}\, n_{gk}\bigl(\delta_{gh} n_k - n_{hk}\bigr),
///   \qquad \chi^2 = (O-E)_{-1}^\top\, V_{-1,-1}^{-1}\, (O-E)_{-1}$$
///
/// where $_{-1}$ drops the first group among those with $E_g > 0$ (the terms with $n_k = 1$ have
/// no variance contribution).
///
/// Matches R `survdiff(Surv(time, status) ~ group, rho = rho)`.
///
/// # Errors
/// [`StatsError::Degenerate`] when `group` has a different length or fewer than two groups.
pub fn logrank<S: AsRef<str>>(data: &SurvData, group: &[S], rho: f64) -> Result<LogRankTest> {
    if group.len() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "{} group labels for {} observations",
            group.len(),
            data.len()
        )));
    }
    let levels = crate::surv::group_levels(group);
    let k = levels.len();
    if k < 2 {
        return Err(StatsError::Degenerate(
            "the log-rank test needs at least two groups".into(),
        ));
    }
    let mut group_of = vec![0; data.len()];
    for (g, (_, rows)) in levels.iter().enumerate() {
        for &i in rows {
            group_of[i] = g;
        }
    }
    let status = data.status();
    let groups = TieGroups::of(data);

    let mut at_risk: Vec<f64> = levels.iter().map(|(_, rows)| rows.len() as f64).collect();
    let mut observed = vec![0.0; k];
    let mut expected = vec![0.0; k];
    let mut var = vec![vec![0.0; k]; k];
    let mut km = 1.0_f64; // pooled S(t-)
    for group in groups.groups() {
        let tied = groups.rows(group);
        let mut deaths = vec![0.0; k];
        for &i in tied.iter().filter(|&&i| status[i]) {
            deaths[group_of[i]] += 1.0;
        }
        let d: f64 = deaths.iter().sum();
        let n: f64 = at_risk.iter().sum();
        if d > 0.0 {
            let w = km.powf(rho);
            for g in 0..k {
                observed[g] += w * deaths[g];
                expected[g] += w * d * at_risk[g] / n;
            }
            if n > 1.0 {
                let factor = w * w * d * (n - d) / (n * n * (n - 1.0));
                for g in 0..k {
                    for h in 0..k {
                        let delta = if g == h { n } else { 0.0 };
                        var[g][h] += factor * at_risk[g] * (delta - at_risk[h]);
                    }
                }
            }
            km *= (n - d) / n;
        }
        for &i in tied {
            at_risk[group_of[i]] -= 1.0;
        }
    }

    let used: Vec<usize> = (0..k).filter(|&g| expected[g] > 0.0).collect();
    let (chisq, df) = if used.len() < 2 {
        (0.0, 0)
    } else {
        let rest = &used[1..];
        let diff: Vec<f64> = rest.iter().map(|&g| observed[g] - expected[g]).collect();
        let v: Vec<Vec<f64>> = rest
            .iter()
            .map(|&g| rest.iter().map(|&h| var[g][h]).collect())
            .collect();
        let solved = solve_symmetric(&v, &diff)
            .ok_or_else(|| StatsError::Degenerate("log-rank variance matrix is singular".into()))?;
        (
            solved.iter().zip(&diff).map(|(a, b)| a * b).sum(),
            rest.len(),
        )
    };
    let p = chi_square_upper(chisq, df as f64);
    Ok(LogRankTest {
        groups: levels.iter().map(|(l, _)| l.clone()).collect(),
        n: levels.iter().map(|(_, rows)| rows.len()).collect(),
        observed,
        expected,
        var,
        chisq,
        df,
        p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_identical_groups_give_no_difference() {
        let d = SurvData::new(&[1.0, 1.0, 2.0, 2.0], &[1.0, 1.0, 1.0, 1.0], "t", "s").unwrap();
        let test = logrank(&d, &["a", "b", "a", "b"], 0.0).unwrap();
        assert!(test.chisq.abs() < 1e-12 && (test.p - 1.0).abs() < 1e-12);
        assert_eq!(test.df, 1);
    }
}
