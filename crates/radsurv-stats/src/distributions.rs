//! Quantiles and tail probabilities of the reference distributions, to R's precision.
//!
//! `statrs` supplies the distributions; its quantiles come from generic inversions whose
//! accuracy varies, so each quantile here is polished with Newton steps on the CDF (R's `qf`,
//! `qt` are accurate to ~1e-15 relative, and confidence limits inherit that).
//!
//! statrs panics on an argument outside its functions' domains (a NaN statistic, a probability
//! outside [0, 1], a statistic so large that its internal products overflow). Every function
//! here returns NaN for a NaN argument or a probability outside [0, 1], and the limit of the
//! tail for an infinite or overflowing statistic, so no input reaches statrs' panics.

use statrs::distribution::{
    ChiSquared, Continuous, ContinuousCDF, FisherSnedecor, Normal, StudentsT,
};

/// Newton-polished quantile of a continuous distribution: solves `cdf(x) = p` (or
/// `sf(x) = 1 - p` in the upper half, which keeps precision in the tail).
fn polish<D: ContinuousCDF<f64, f64> + Continuous<f64, f64>>(dist: &D, p: f64, start: f64) -> f64 {
    let mut x = start;
    for _ in 0..8 {
        let density = dist.pdf(x);
        if density.is_nan() || density <= 0.0 || !x.is_finite() {
            break;
        }
        // F(x) - p, computed from the survival function in the upper half
        let excess = if p > 0.5 {
            (1.0 - p) - dist.sf(x)
        } else {
            dist.cdf(x) - p
        };
        let step = excess / density;
        let next = x - step;
        if !next.is_finite() {
            break;
        }
        let done = (next - x).abs() <= 1e-15 * x.abs().max(1e-300);
        x = next;
        if done {
            break;
        }
    }
    x
}

/// R `qf(p, df1, df2)`. Degrees of freedom must be positive.
pub(crate) fn qf(p: f64, df1: f64, df2: f64) -> f64 {
    if !is_probability(p) {
        return f64::NAN;
    }
    match FisherSnedecor::new(df1, df2) {
        Ok(d) => polish(&d, p, d.inverse_cdf(p)),
        Err(_) => f64::NAN,
    }
}

/// R `pf(f, df1, df2, lower.tail = FALSE)`.
pub(crate) fn pf_upper(f: f64, df1: f64, df2: f64) -> f64 {
    if f.is_nan() {
        return f64::NAN;
    }
    if (df1 * f).is_infinite() {
        return if f > 0.0 { 0.0 } else { 1.0 };
    }
    FisherSnedecor::new(df1, df2).map_or(f64::NAN, |d| d.sf(f))
}

/// True for a probability statrs' quantile functions accept.
fn is_probability(p: f64) -> bool {
    (0.0..=1.0).contains(&p)
}

/// R `qt(p, df)`.
pub(crate) fn qt(p: f64, df: f64) -> f64 {
    if !is_probability(p) {
        return f64::NAN;
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => polish(&d, p, d.inverse_cdf(p)),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p of a t statistic, $2\,P(T_{df} > |t|)$.
pub(crate) fn t_two_sided(t: f64, df: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| 2.0 * d.sf(t.abs()))
}

/// Two-sided normal p, $2\,\Phi(-|z|)$.
pub(crate) fn z_two_sided(z: f64) -> f64 {
    2.0 * Normal::standard().cdf(-z.abs())
}

/// R `qnorm(p)`: statrs' normal quantile as it is. It agrees with R to the last digit, while
/// statrs' normal CDF is off by ~1e-11, so [`polish`]ing on that CDF would move it away.
pub(crate) fn qnorm(p: f64) -> f64 {
    if !is_probability(p) {
        return f64::NAN;
    }
    Normal::standard().inverse_cdf(p)
}

/// $z = \Phi^{-1}(1 - (1 - \text{level})/2)$, the multiplier of a two-sided interval.
pub(crate) fn z_for_level(level: f64) -> f64 {
    qnorm(1.0 - (1.0 - level) / 2.0)
}

/// R `pchisq(x, df, lower.tail = FALSE)`; 1 for `df = 0`, as no test was made.
pub(crate) fn chi_square_upper(x: f64, df: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    match ChiSquared::new(df) {
        Ok(dist) if df > 0.0 => dist.sf(x),
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_their_cdfs() {
        let q = qf(0.975, 5.0, 18.0);
        let d = FisherSnedecor::new(5.0, 18.0).unwrap();
        assert!((d.cdf(q) - 0.975).abs() < 1e-15);
        assert!((qnorm(0.975) - 1.959963984540054).abs() < 1e-10);
        assert!((qt(0.975, 10.0) - 2.228138851986274).abs() < 1e-13);
    }

    #[test]
    fn arguments_outside_the_domains_give_nan_or_the_limit_not_a_panic() {
        assert!(pf_upper(f64::NAN, 1.0, 8.0).is_nan());
        assert_eq!(pf_upper(f64::INFINITY, 1.0, 8.0), 0.0);
        assert_eq!(pf_upper(f64::MAX, 3.0, 8.0), 0.0);
        assert!(qf(f64::NAN, 1.0, 8.0).is_nan());
        assert!(qt(1.5, 8.0).is_nan());
        assert!(qnorm(-0.1).is_nan());
        assert!(t_two_sided(f64::NAN, 8.0).is_nan());
        assert!(chi_square_upper(f64::NAN, 2.0).is_nan());
        assert_eq!(chi_square_upper(f64::INFINITY, 2.0), 0.0);
    }
}
