//! Intraclass correlation coefficients (Shrout & Fleiss 1979; McGraw & Wong 1996) with F tests
//! and confidence intervals, as `psych::ICC`.
//!
//! # Definition
//! Two-way ANOVA without interaction on the $n \times k$ matrix (subjects × raters):
//! $\mathrm{MSR} = \mathrm{SSR}/(n-1)$ (subjects), $\mathrm{MSC} = \mathrm{SSC}/(k-1)$ (raters),
//! $\mathrm{MSE} = \mathrm{SSE}/((n-1)(k-1))$, $\mathrm{MSW} = (\mathrm{SSC}+\mathrm{SSE})/(n(k-1))$.
//! $$\mathrm{ICC}(1,1) = \frac{\mathrm{MSR}-\mathrm{MSW}}{\mathrm{MSR}+(k-1)\mathrm{MSW}},\quad
//!   \mathrm{ICC}(2,1) = \frac{\mathrm{MSR}-\mathrm{MSE}}{\mathrm{MSR}+(k-1)\mathrm{MSE}+k(\mathrm{MSC}-\mathrm{MSE})/n},\quad
//!   \mathrm{ICC}(3,1) = \frac{\mathrm{MSR}-\mathrm{MSE}}{\mathrm{MSR}+(k-1)\mathrm{MSE}}$$
//! and the averages of $k$ raters $(\mathrm{MSR}-\mathrm{MSW})/\mathrm{MSR}$,
//! $(\mathrm{MSR}-\mathrm{MSE})/(\mathrm{MSR}+(\mathrm{MSC}-\mathrm{MSE})/n)$, $(\mathrm{MSR}-\mathrm{MSE})/\mathrm{MSR}$.
//!
//! # Tests and intervals
//! ICC1: $F = \mathrm{MSR}/\mathrm{MSW}$ on $(n-1, n(k-1))$; ICC2/3: $F = \mathrm{MSR}/\mathrm{MSE}$ on
//! $(n-1, (n-1)(k-1))$; $p = P(F_{df_1,df_2} > F)$. 95 % limits from $F_L = F/q_{0.975}(df_1, df_2)$,
//! $F_U = F\,q_{0.975}(df_2, df_1)$: $(F_L-1)/(F_L+k-1)$ etc. for single raters, $1 - 1/F_L$ for
//! averages; ICC2 uses McGraw & Wong's Satterthwaite df $v$ (see [`icc`]).
//!
//! # Reference
//! R `psych::ICC(x, lmer = FALSE)` (psych 2.2.9): `results` columns `ICC F df1 df2 p lower bound
//! upper bound`. Golden: `stats/expected/basic/icc_psych.csv`.

use serde::Serialize;

use crate::distributions::{pf_upper, qf};
use crate::{Result, StatsError};

/// The six ICC forms, in psych's row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IccType {
    /// ICC(1,1): one-way random, single rater.
    Icc1,
    /// ICC(2,1): two-way random, absolute agreement, single rater (McGraw–Wong ICC(A,1)).
    Icc2,
    /// ICC(3,1): two-way mixed, consistency, single rater (ICC(C,1)).
    Icc3,
    /// ICC(1,k): average of k raters, one-way.
    Icc1k,
    /// ICC(2,k): average, absolute agreement.
    Icc2k,
    /// ICC(3,k): average, consistency.
    Icc3k,
}

/// Serialised as psych's label.
impl Serialize for IccType {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

impl IccType {
    /// psych's label (`ICC1`, `ICC2`, ..., `ICC3k`).
    pub fn label(self) -> &'static str {
        match self {
            IccType::Icc1 => "ICC1",
            IccType::Icc2 => "ICC2",
            IccType::Icc3 => "ICC3",
            IccType::Icc1k => "ICC1k",
            IccType::Icc2k => "ICC2k",
            IccType::Icc3k => "ICC3k",
        }
    }

    /// Parses psych labels or Shrout–Fleiss notation (`2,1`, `3,k`).
    pub fn parse(s: &str) -> Option<IccType> {
        match s.trim().replace(['(', ')', ' '], "").as_str() {
            "ICC1" | "1,1" | "1" => Some(IccType::Icc1),
            "ICC2" | "2,1" | "2" => Some(IccType::Icc2),
            "ICC3" | "3,1" | "3" => Some(IccType::Icc3),
            "ICC1k" | "1,k" => Some(IccType::Icc1k),
            "ICC2k" | "2,k" => Some(IccType::Icc2k),
            "ICC3k" | "3,k" => Some(IccType::Icc3k),
            _ => None,
        }
    }
}

/// One ICC with its F test and 95 % interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Icc {
    /// Which ICC.
    #[serde(rename = "type")]
    pub kind: IccType,
    /// The coefficient.
    pub icc: f64,
    /// F statistic of the test ICC = 0.
    pub f: f64,
    /// Numerator df.
    pub df1: f64,
    /// Denominator df.
    pub df2: f64,
    /// Upper-tail p of F.
    pub p: f64,
    /// Lower 95 % limit.
    pub lower: f64,
    /// Upper 95 % limit.
    pub upper: f64,
}

/// All six ICCs of a subjects × raters matrix, with the ANOVA mean squares.
#[derive(Debug, Clone, PartialEq)]
pub struct IccTable {
    /// Subjects.
    pub n: usize,
    /// Raters.
    pub k: usize,
    /// Between-subjects mean square.
    pub msr: f64,
    /// Between-raters mean square.
    pub msc: f64,
    /// Residual mean square.
    pub mse: f64,
    /// Within-subject mean square.
    pub msw: f64,
    /// ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k.
    pub rows: Vec<Icc>,
}

impl IccTable {
    /// The row of one ICC form.
    pub fn get(&self, kind: IccType) -> Option<&Icc> {
        self.rows.iter().find(|r| r.kind == kind)
    }
}

/// The six ICCs of `raters` (one column per rater, one row per subject); formulas in the module
/// doc. ICC2's interval uses $v = \frac{(k-1)(n-1)\,(k\rho F_j + n(1+(k-1)\rho) - k\rho)^2}
/// {(n-1)k^2\rho^2F_j^2 + (n(1+(k-1)\rho) - k\rho)^2}$ with $\rho$ = ICC2, $F_j = \mathrm{MSC}/\mathrm{MSE}$.
///
/// Matches R `psych::ICC(x, lmer = FALSE)$results`.
///
/// # Errors
/// [`StatsError::Degenerate`] for fewer than 2 raters or subjects or unequal columns, for
/// ratings that are all equal, or so large that their sums of squares overflow;
/// [`StatsError::InvalidValue`] naming row and rater for a non-finite rating.
pub fn icc(raters: &[Vec<f64>]) -> Result<IccTable> {
    let k = raters.len();
    let n = raters.first().map_or(0, Vec::len);
    if k < 2 || n < 2 || raters.iter().any(|c| c.len() != n) {
        return Err(StatsError::Degenerate(
            "ICC needs at least 2 raters and 2 subjects, with equal column lengths".into(),
        ));
    }
    for (j, col) in raters.iter().enumerate() {
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::InvalidValue {
                row: i + 1,
                column: format!("rater {}", j + 1),
                reason: format!("rating must be finite, got {}", col[i]),
            });
        }
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = raters.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = (0..n)
        .map(|i| raters.iter().map(|c| c[i]).sum::<f64>() / kf)
        .collect();
    let col_means: Vec<f64> = raters.iter().map(|c| c.iter().sum::<f64>() / nf).collect();
    let ssr = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ssc = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let sst = raters
        .iter()
        .flatten()
        .map(|v| (v - grand).powi(2))
        .sum::<f64>();
    if !sst.is_finite() {
        return Err(StatsError::Degenerate(
            "ratings this large overflow the sums of squares; rescale them (an ICC does not \
             change with the unit)"
                .into(),
        ));
    }
    if sst == 0.0 {
        return Err(StatsError::Degenerate(format!(
            "every rating is {}: with no variation between subjects or raters the ICC is undefined",
            raters[0][0]
        )));
    }
    let sse = sst - ssr - ssc;
    let msr = ssr / (nf - 1.0);
    let msc = ssc / (kf - 1.0);
    let mse = sse / ((nf - 1.0) * (kf - 1.0));
    let msw = (ssc + sse) / (nf * (kf - 1.0));

    let icc1 = (msr - msw) / (msr + (kf - 1.0) * msw);
    let icc2 = (msr - mse) / (msr + (kf - 1.0) * mse + kf * (msc - mse) / nf);
    let icc3 = (msr - mse) / (msr + (kf - 1.0) * mse);
    let icc1k = (msr - msw) / msr;
    let icc2k = (msr - mse) / (msr + (msc - mse) / nf);
    let icc3k = (msr - mse) / msr;

    let (f1, df1, df2_one) = (msr / msw, nf - 1.0, nf * (kf - 1.0));
    let (f3, df2_two) = (msr / mse, (nf - 1.0) * (kf - 1.0));
    let p1 = pf_upper(f1, df1, df2_one);
    let p3 = pf_upper(f3, df1, df2_two);
    let f1_low = f1 / qf(0.975, df1, df2_one);
    let f1_up = f1 * qf(0.975, df2_one, df1);
    let f3_low = f3 / qf(0.975, df1, df2_two);
    let f3_up = f3 * qf(0.975, df2_two, df1);
    let single = |f: f64| (f - 1.0) / (f + kf - 1.0);
    let average = |f: f64| 1.0 - 1.0 / f;

    // McGraw & Wong (1996) interval for ICC(A,1) with Satterthwaite df
    let fj = msc / mse;
    let a = nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2;
    let v = (kf - 1.0) * (nf - 1.0) * (kf * icc2 * fj + a).powi(2)
        / ((nf - 1.0) * kf * kf * icc2 * icc2 * fj * fj + a * a);
    let f2_up = qf(0.975, nf - 1.0, v);
    let f2_low = qf(0.975, v, nf - 1.0);
    let denom = kf * msc + (kf * nf - kf - nf) * mse;
    let low2 = nf * (msr - f2_up * mse) / (f2_up * denom + nf * msr);
    let up2 = nf * (f2_low * msr - mse) / (denom + nf * f2_low * msr);
    let to_average = |r: f64| r * kf / (1.0 + r * (kf - 1.0));

    let row = |kind, icc, f, d2, p, lower, upper| Icc {
        kind,
        icc,
        f,
        df1,
        df2: d2,
        p,
        lower,
        upper,
    };
    let rows = vec![
        row(
            IccType::Icc1,
            icc1,
            f1,
            df2_one,
            p1,
            single(f1_low),
            single(f1_up),
        ),
        row(IccType::Icc2, icc2, f3, df2_two, p3, low2, up2),
        row(
            IccType::Icc3,
            icc3,
            f3,
            df2_two,
            p3,
            single(f3_low),
            single(f3_up),
        ),
        row(
            IccType::Icc1k,
            icc1k,
            f1,
            df2_one,
            p1,
            average(f1_low),
            average(f1_up),
        ),
        row(
            IccType::Icc2k,
            icc2k,
            f3,
            df2_two,
            p3,
            to_average(low2),
            to_average(up2),
        ),
        row(
            IccType::Icc3k,
            icc3k,
            f3,
            df2_two,
            p3,
            average(f3_low),
            average(f3_up),
        ),
    ];
    Ok(IccTable {
        n,
        k,
        msr,
        msc,
        mse,
        msw,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shrout & Fleiss (1979) Table 2: ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71.
    #[test]
    fn shrout_fleiss_textbook_values() {
        let raters = vec![
            vec![9.0, 6.0, 8.0, 7.0, 10.0, 6.0],
            vec![2.0, 1.0, 4.0, 1.0, 5.0, 2.0],
            vec![5.0, 3.0, 6.0, 2.0, 6.0, 4.0],
            vec![8.0, 2.0, 8.0, 6.0, 9.0, 7.0],
        ];
        let t = icc(&raters).unwrap();
        let r = |k| (t.get(k).unwrap().icc * 100.0).round() / 100.0;
        assert_eq!(
            (r(IccType::Icc1), r(IccType::Icc2), r(IccType::Icc3)),
            (0.17, 0.29, 0.71)
        );
    }
}
