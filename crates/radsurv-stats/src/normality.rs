//! Shapiro–Wilk test of normality, as R `shapiro.test(x)`.
//!
//! Royston's approximation (Royston 1992, *Statistics and Computing* 2:117–119; algorithm AS R94,
//! Royston 1995, *Applied Statistics* 44:547–551), written from the published algorithm:
//!
//! * expected normal order statistics $m_i = \Phi^{-1}\!\big((i - 3/8)/(n + 1/4)\big)$,
//!   $\lVert m\rVert^2 = \sum_i m_i^2$, $u = n^{-1/2}$;
//! * coefficients $a_i = m_i/\lVert m\rVert$ corrected in the two extreme pairs by polynomials in
//!   $u$ (one pair for $n \le 5$), the rest rescaled so that $\sum a_i^2 = 1$ ($a = \sqrt{1/2}$ for
//!   $n = 3$);
//! * $W = \big(\sum_i a_i x_{(i)}\big)^2 / \sum_i (x_i - \bar x)^2$, computed as the squared
//!   correlation of $a$ and the sorted data;
//! * p-value: exact for $n = 3$, $p = \tfrac{6}{\pi}\big(\arcsin\sqrt W - \pi/3\big)$; otherwise
//!   $\ln(1 - W)$ (for $4 \le n \le 11$, $-\ln(\gamma - \ln(1-W))$ with $\gamma = -2.273 + 0.459 n$)
//!   is normal with mean and log-sd polynomial in $n$ ($n \le 11$) or $\ln n$ ($n \ge 12$);
//!   $p$ is its upper tail.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::distributions::qnorm;

use crate::error::{Result, StatsError};

/// Smallest and largest sample size the approximation covers (R's limits).
const N_RANGE: std::ops::RangeInclusive<usize> = 3..=5000;

/// Result of a Shapiro–Wilk test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapiroWilk {
    /// The statistic $W \in (0, 1]$.
    pub w: f64,
    /// Upper-tail p-value of $W$ under normality.
    pub p_value: f64,
    /// Sample size.
    pub n: usize,
}

/// Shapiro–Wilk test of `x` (R `shapiro.test(x)`; module docs give the formulas).
///
/// Errors: a non-finite value (named by its 1-based position), fewer than 3 or more than 5000
/// values, or a range below `1e-10` (R: "all 'x' values are identical").
pub fn shapiro_wilk(x: &[f64]) -> Result<ShapiroWilk> {
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(StatsError::InvalidValue {
            row: i + 1,
            column: "x".into(),
            reason: format!("Shapiro-Wilk needs finite values, got {}", x[i]),
        });
    }
    let n = x.len();
    if !N_RANGE.contains(&n) {
        return Err(StatsError::Degenerate(format!(
            "Shapiro-Wilk needs between 3 and 5000 values, got {n}"
        )));
    }
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let range = sorted[n - 1] - sorted[0];
    if range < 1e-10 {
        return Err(StatsError::Degenerate(
            "Shapiro-Wilk: all values are identical".into(),
        ));
    }
    let a = half_coefficients(n);
    let w = w_statistic(&sorted, &a, range);
    Ok(ShapiroWilk {
        w,
        p_value: p_value(w, n),
        n,
    })
}

/// Polynomial $c_0 + c_1 x + c_2 x^2 + \dots$ (Horner).
fn poly(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &ci| acc * x + ci)
}

/// The positive coefficients $a_1 \ge \dots \ge a_{\lfloor n/2\rfloor}$ of the lower half
/// (the upper half mirrors them with the opposite sign).
fn half_coefficients(n: usize) -> Vec<f64> {
    if n == 3 {
        return vec![std::f64::consts::FRAC_1_SQRT_2];
    }
    const C1: [f64; 6] = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
    const C2: [f64; 6] = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
    let nf = n as f64;
    let half = n / 2;
    // m_i for the lower half, negative
    let m: Vec<f64> = (1..=half)
        .map(|i| qnorm((i as f64 - 0.375) / (nf + 0.25)))
        .collect();
    let summ2 = 2.0 * m.iter().map(|v| v * v).sum::<f64>();
    let norm = summ2.sqrt();
    let u = 1.0 / nf.sqrt();
    let mut a: Vec<f64> = vec![0.0; half];
    a[0] = poly(&C1, u) - m[0] / norm;
    // corrected pairs and the factor that rescales the rest to unit length
    let (corrected, fac) = if n > 5 {
        a[1] = poly(&C2, u) - m[1] / norm;
        let rest = summ2 - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1];
        (
            2,
            (rest / (1.0 - 2.0 * a[0] * a[0] - 2.0 * a[1] * a[1])).sqrt(),
        )
    } else {
        let rest = summ2 - 2.0 * m[0] * m[0];
        (1, (rest / (1.0 - 2.0 * a[0] * a[0])).sqrt())
    };
    for i in corrected..half {
        a[i] = -m[i] / fac;
    }
    a
}

/// $W$ as the squared correlation of the signed coefficients with the range-scaled sorted data
/// (scaling by the range, as AS R94 does, keeps the sums well conditioned).
fn w_statistic(sorted: &[f64], half: &[f64], range: f64) -> f64 {
    let n = sorted.len();
    let coef = |i: usize| -> f64 {
        let j = n - 1 - i;
        match i.cmp(&j) {
            std::cmp::Ordering::Less => -half[i],
            std::cmp::Ordering::Greater => half[j],
            std::cmp::Ordering::Equal => 0.0,
        }
    };
    let nf = n as f64;
    let mean_a = (0..n).map(coef).sum::<f64>() / nf;
    let mean_x = sorted.iter().map(|v| v / range).sum::<f64>() / nf;
    let (mut ssa, mut ssx, mut sax) = (0.0, 0.0, 0.0);
    for (i, v) in sorted.iter().enumerate() {
        let da = coef(i) - mean_a;
        let dx = v / range - mean_x;
        ssa += da * da;
        ssx += dx * dx;
        sax += da * dx;
    }
    let root = (ssa * ssx).sqrt();
    // 1 - W computed as a difference of squares, accurate when W is close to 1
    let one_minus_w = (root - sax) * (root + sax) / (ssa * ssx);
    1.0 - one_minus_w
}

/// Royston's p-value of $W$ (module docs).
fn p_value(w: f64, n: usize) -> f64 {
    if n == 3 {
        let p = 6.0 / std::f64::consts::PI * (w.sqrt().asin() - std::f64::consts::FRAC_PI_3);
        return p.max(0.0);
    }
    const G: [f64; 2] = [-2.273, 0.459];
    const C3: [f64; 4] = [0.544, -0.39978, 0.025054, -6.714e-4];
    const C4: [f64; 4] = [1.3822, -0.77857, 0.062767, -0.0020322];
    const C5: [f64; 4] = [-1.5861, -0.31082, -0.083751, 0.0038915];
    const C6: [f64; 3] = [-0.4803, -0.082676, 0.0030302];
    let nf = n as f64;
    let mut y = (1.0 - w).ln();
    let (mean, sd) = if n <= 11 {
        let gamma = poly(&G, nf);
        if y >= gamma {
            // beyond the approximation's support: R reports 1e-99
            return 1e-99;
        }
        y = -(gamma - y).ln();
        (poly(&C3, nf), poly(&C4, nf).exp())
    } else {
        let ln_n = nf.ln();
        (poly(&C5, ln_n), poly(&C6, ln_n).exp())
    };
    Normal::standard().sf((y - mean) / sd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs().max(1e-300),
            "got {got:e}, want {want:e}"
        );
    }

    /// Reference values from R 4.x, printed with
    /// `Rscript -e 'f<-function(x){r<-shapiro.test(x); cat(sprintf("%.17g %.17g\n", r$statistic, r$p.value))}; f(c(2.1,3.4,1.9)); f(c(1,2,4,8,16)); f(c(2.1,3.4,1.9,5.6,4.4,3.3,2.8)); f((1:20)^2); f(sin(1:100)); f(exp((1:300)/50)); f(c(rep(1,10),2))'`
    /// covering n = 3 (exact p), n = 5 (one corrected pair), n <= 11, n >= 12 and a tiny p.
    #[test]
    #[allow(clippy::excessive_precision)] // R's %.17g output, pasted as printed
    fn matches_r_shapiro_test() {
        let cases: Vec<(Vec<f64>, f64, f64)> = vec![
            (
                vec![2.1, 3.4, 1.9],
                0.84798994974874398,
                0.23508923424204678,
            ),
            (
                vec![1.0, 2.0, 4.0, 8.0, 16.0],
                0.87610881180929234,
                0.29204844753505288,
            ),
            (
                vec![2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8],
                0.9401366782604087,
                0.63995137517966239,
            ),
            (
                (1..=20).map(|i| f64::from(i * i)).collect(),
                0.90613062847654635,
                0.053809588828203907,
            ),
            (
                (1..=100).map(|i| f64::from(i).sin()).collect(),
                0.89741050562050495,
                1.0703117605718309e-06,
            ),
            (
                (1..=300).map(|i| (f64::from(i) / 50.0).exp()).collect(),
                0.71423549641403827,
                2.5788108097559882e-22,
            ),
            (
                [vec![1.0; 10], vec![2.0]].concat(),
                0.3449912051158478,
                2.2434019016121876e-08,
            ),
        ];
        for (x, w, p) in cases {
            let r = shapiro_wilk(&x).unwrap();
            assert_close(r.w, w, 1e-12);
            assert_close(r.p_value, p, 1e-9);
        }
    }

    #[test]
    fn rejects_bad_sizes_constant_and_nan() {
        assert!(shapiro_wilk(&[1.0, 2.0]).is_err());
        assert!(shapiro_wilk(&vec![0.5; 5001]).is_err());
        assert!(shapiro_wilk(&[3.0, 3.0, 3.0, 3.0]).is_err());
        match shapiro_wilk(&[1.0, f64::NAN, 2.0, 4.0]) {
            Err(StatsError::InvalidValue { row, .. }) => assert_eq!(row, 2),
            other => panic!("{other:?}"),
        }
    }
}
