//! Points nomogram of a Cox model, as `rms::nomogram(cph(...), fun = S(t, lp), lp = TRUE)`.
//!
//! # Definition
//! For covariate $j$ with coefficient $\beta_j$ and axis values $v_{j1},\dots$, let
//! $m_j = \min_k \beta_j v_{jk}$ and $r_j = \max_k \beta_j v_{jk} - m_j$. With
//! $sc = \text{maxscale}/\max_j r_j$ (maxscale = 100),
//! $$\text{points}_j(x) = sc\,(\beta_j x - m_j),\qquad \text{total}(x) = \sum_j \text{points}_j(x_j),$$
//! $$\text{lp}(x) = x^\top\beta - \bar x^\top\beta = \text{Intercept} + \text{total}/sc,\qquad
//!   \text{Intercept} = \sum_j m_j - \bar x^\top\beta,$$
//! and the survival axes place $S(t \mid \text{lp}) = \exp\{-\hat H_0(t)\,e^{\text{lp}}\}$ (the
//! centred baseline of [`CoxFit::predict_survival`]) at points $(\text{lp} - \text{Intercept})\,sc$.
//!
//! # Axes (rms `datadist` + `nomogram` defaults)
//! A covariate with at most 10 distinct values uses them all; otherwise the ticks are R's
//! `pretty(range(x), n = 10)`. Total points: `pretty(c(0, max(100, sc * max(lp.at - Intercept))))`;
//! linear predictor: `lp.at = pretty(range(lp))`; survival ticks: `pretty(S(t, range(lp.at)))`,
//! each inverted by linear interpolation on a 1000-point lp grid (as rms does) and dropped when
//! outside it.
//!
//! # Reference
//! rms 6.5-0 `nomogram`, `attr(nom, "info")$sc`, `$Intercept`, `$R`. Golden:
//! `stats/expected/nomogram/lung_nomogram.json`, `lung_nomogram_profiles.csv`.
//!
//! # Known differences
//! rms fits with `cph` (Newton–Raphson stopped at `eps = 1e-4`); we use the [`CoxFit`] given
//! (coxph's 1e-9), so points differ by the coefficients' difference (lung: ~1e-7 relative).
//! The centring follows coxph: columns with values in $\{-1, 0, 1\}$ have mean 0, so
//! `Intercept` differs from rms's for such columns while points and predictions do not.

use crate::cox::CoxFit;
use crate::{Design, Result, StatsError};

/// Settings of [`nomogram`]; `Default` equals rms's.
#[derive(Debug, Clone, PartialEq)]
pub struct NomogramOptions {
    /// Points of the widest-range covariate (`maxscale`, 100).
    pub max_scale: f64,
    /// Target number of tick intervals (`nint`, 10).
    pub intervals: usize,
    /// Covariates with at most this many distinct values use them as axis values (10).
    pub max_discrete: usize,
    /// Horizons of the survival axes (`fun = S(t, lp)`).
    pub survival_times: Vec<f64>,
}

impl Default for NomogramOptions {
    fn default() -> Self {
        NomogramOptions {
            max_scale: 100.0,
            intervals: 10,
            max_discrete: 10,
            survival_times: vec![],
        }
    }
}

/// The points axis of one covariate.
#[derive(Debug, Clone, PartialEq)]
pub struct CovariateAxis {
    /// Covariate name.
    pub name: String,
    /// Axis values $v_{jk}$.
    pub values: Vec<f64>,
    /// $\beta_j v_{jk}$.
    pub xbeta: Vec<f64>,
    /// Points at each value.
    pub points: Vec<f64>,
    /// $m_j$, the smallest $\beta_j v_{jk}$.
    pub min_xbeta: f64,
}

/// A function axis: ticks of a quantity and where they fall on the points scale.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    /// Tick values (total points, lp or survival probability).
    pub values: Vec<f64>,
    /// Their positions in points.
    pub points: Vec<f64>,
}

/// A points nomogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Nomogram {
    /// One axis per covariate, in model order.
    pub covariates: Vec<CovariateAxis>,
    /// Points per unit of linear predictor ($sc$).
    pub scale: f64,
    /// lp at zero total points.
    pub intercept: f64,
    /// Total-points ticks.
    pub total_points_axis: Vec<f64>,
    /// Linear-predictor axis.
    pub lp_axis: ValueAxis,
    /// One survival axis per requested horizon, as `(t, axis)`.
    pub survival_axes: Vec<(f64, ValueAxis)>,
}

impl Nomogram {
    /// Total points of a covariate row: $\sum_j sc\,(\beta_j x_j - m_j)$.
    ///
    /// # Panics
    /// If `x` does not have one value per covariate (a caller bug).
    #[track_caller]
    pub fn total_points(&self, fit: &CoxFit, x: &[f64]) -> f64 {
        assert_eq!(
            x.len(),
            self.covariates.len(),
            "covariate row has the wrong length"
        );
        self.covariates
            .iter()
            .zip(fit.coef().iter().zip(x))
            .map(|(axis, (b, v))| self.scale * (b * v - axis.min_xbeta))
            .sum()
    }

    /// Centred linear predictor read off a total: $\text{Intercept} + \text{total}/sc$.
    pub fn linear_predictor(&self, total_points: f64) -> f64 {
        self.intercept + total_points / self.scale
    }
}

/// Builds the points nomogram of `fit` with axis ranges from its training `design`.
///
/// Matches `rms::nomogram(fit, fun = list(function(lp) S(t, lp), ...), lp = TRUE)` with
/// `datadist` of the training data (see the module documentation).
///
/// # Errors
/// [`StatsError::Degenerate`] when the design's columns differ from the fit's or every
/// coefficient is 0 (no points scale).
pub fn nomogram(fit: &CoxFit, design: &Design, options: &NomogramOptions) -> Result<Nomogram> {
    let lps = fit.linear_predictors(design)?;
    let center: f64 = fit.means().iter().zip(fit.coef()).map(|(m, b)| m * b).sum();
    let mut covariates = Vec::with_capacity(design.n_cols());
    for (j, name) in design.names().iter().enumerate() {
        let values = axis_values(design.column(j), options);
        let beta = fit.coef()[j];
        let xbeta: Vec<f64> = values.iter().map(|v| beta * v).collect();
        let min_xbeta = xbeta.iter().copied().fold(f64::INFINITY, f64::min);
        covariates.push(CovariateAxis {
            name: name.clone(),
            values,
            xbeta,
            points: vec![],
            min_xbeta,
        });
    }
    let widest = covariates
        .iter()
        .map(|a| a.xbeta.iter().copied().fold(f64::NEG_INFINITY, f64::max) - a.min_xbeta)
        .fold(0.0, f64::max);
    if widest <= 0.0 {
        return Err(StatsError::Degenerate(
            "nomogram: no covariate has an effect".into(),
        ));
    }
    let scale = options.max_scale / widest;
    for axis in &mut covariates {
        axis.points = axis
            .xbeta
            .iter()
            .map(|xb| scale * (xb - axis.min_xbeta))
            .collect();
    }
    let intercept = covariates.iter().map(|a| a.min_xbeta).sum::<f64>() - center;

    let centred: Vec<f64> = lps.iter().map(|lp| lp - center).collect();
    let (lo, hi) = min_max(&centred);
    let lp_at = pretty(lo, hi, options.intervals);
    let to_points = |lp: f64| (lp - intercept) * scale;
    let lp_max = lp_at.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum_max = options.max_scale.max(scale * (lp_max - intercept));
    let total_points_axis = pretty(0.0, sum_max, options.intervals);
    let lp_axis = ValueAxis {
        points: lp_at.iter().map(|&lp| to_points(lp)).collect(),
        values: lp_at.clone(),
    };

    let survival_axes = options
        .survival_times
        .iter()
        .map(|&t| {
            let h0 = fit.cumhaz_at(t);
            let surv = |lp: f64| (-h0 * lp.exp()).exp();
            let (a, b) = min_max(&lp_at);
            let (s_lo, s_hi) = min_max(&[surv(a), surv(b)]);
            let ticks = pretty(s_lo, s_hi, options.intervals);
            let grid = linspace(a, b, 1000);
            let on_grid: Vec<f64> = grid.iter().map(|&lp| surv(lp)).collect();
            let (mut values, mut points) = (Vec::new(), Vec::new());
            for tick in ticks {
                if let Some(lp) = interpolate(&on_grid, &grid, tick) {
                    values.push(tick);
                    points.push(to_points(lp));
                }
            }
            (t, ValueAxis { values, points })
        })
        .collect();
    Ok(Nomogram {
        covariates,
        scale,
        intercept,
        total_points_axis,
        lp_axis,
        survival_axes,
    })
}

/// Sorted distinct values if few, else `pretty(range(x), n)`.
fn axis_values(column: &[f64], options: &NomogramOptions) -> Vec<f64> {
    let mut distinct = column.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() <= options.max_discrete {
        distinct
    } else {
        pretty(distinct[0], distinct[distinct.len() - 1], options.intervals)
    }
}

fn min_max(x: &[f64]) -> (f64, f64) {
    x.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// R `seq(a, b, length.out = n)`: interior points $a + i\,(b-a)/(n-1)$, the last exactly $b$.
fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    let step = (b - a) / (n - 1) as f64;
    (0..n)
        .map(|i| if i + 1 == n { b } else { a + i as f64 * step })
        .collect()
}

/// R `approx(x, y, xout, ties = mean)$y`: linear interpolation after sorting by `x` and
/// averaging `y` over tied `x`; `None` outside the range of `x`.
fn interpolate(x: &[f64], y: &[f64], at: f64) -> Option<f64> {
    let mut pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut knots: Vec<(f64, f64, usize)> = Vec::with_capacity(pairs.len());
    for (a, b) in pairs {
        match knots.last_mut() {
            Some(last) if last.0 == a => {
                last.1 += b;
                last.2 += 1;
            }
            _ => knots.push((a, b, 1)),
        }
    }
    let knots: Vec<(f64, f64)> = knots
        .into_iter()
        .map(|(a, s, c)| (a, s / c as f64))
        .collect();
    let (first, last) = (knots.first()?, knots.last()?);
    if at < first.0 || at > last.0 {
        return None;
    }
    let k = knots.partition_point(|&(a, _)| a < at);
    if knots[k].0 == at {
        return Some(knots[k].1);
    }
    let (x0, y0) = knots[k - 1];
    let (x1, y1) = knots[k];
    Some(y0 + (y1 - y0) * (at - x0) / (x1 - x0))
}

/// R's `pretty(c(lo, hi), n)`: about `n` equal intervals of 1, 2 or 5 × a power of 10 that
/// cover `[lo, hi]` (R defaults `min.n = n %/% 3`, `high.u.bias = 1.5`, `u5.bias = 0.5 + 1.5 h`).
pub fn pretty(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let h = 1.5;
    let h5 = 0.5 + 1.5 * h;
    let min_n = n / 3;
    let rounding_eps = 1e-10;
    let dx = hi - lo;
    let mut cell = lo.abs().max(hi.abs());
    let u = 1.0
        + if h5 >= 1.5 * h + 0.5 {
            1.0 / (1.0 + h)
        } else {
            1.5 / (1.0 + h5)
        };
    let u = u * (n.max(1) as f64) * f64::EPSILON;
    let small = dx < cell * u * 3.0;
    if small {
        if cell > 10.0 {
            cell = 9.0 + cell / 10.0;
        }
        cell *= 0.75; // shrink.sml
        if min_n > 1 {
            cell /= min_n as f64;
        }
    } else {
        cell = dx;
        if n > 1 {
            cell /= n as f64;
        }
    }
    if cell < 20.0 * f64::MIN_POSITIVE {
        cell = 20.0 * f64::MIN_POSITIVE;
    }
    let base = 10f64.powf(cell.log10().floor());
    let mut unit = base;
    if 2.0 * base - cell < h * (cell - unit) {
        unit = 2.0 * base;
        if 5.0 * base - cell < h5 * (cell - unit) {
            unit = 5.0 * base;
            if 10.0 * base - cell < h * (cell - unit) {
                unit = 10.0 * base;
            }
        }
    }
    let mut ns = (lo / unit + rounding_eps).floor();
    let mut nu = (hi / unit - rounding_eps).ceil();
    while ns * unit > lo + rounding_eps * unit {
        ns -= 1.0;
    }
    while nu * unit < hi - rounding_eps * unit {
        nu += 1.0;
    }
    let k = (0.5 + nu - ns) as usize;
    if k < min_n {
        let extra = (min_n - k) as f64;
        let half = (extra / 2.0).floor();
        let odd = extra - 2.0 * half;
        if ns >= 0.0 {
            nu += half;
            ns -= half + odd;
        } else {
            ns -= half;
            nu += half + odd;
        }
    }
    let count = (nu - ns).round() as usize;
    (0..=count).map(|i| (ns + i as f64) * unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_matches_r() {
        assert_eq!(
            pretty(39.0, 82.0, 10),
            (0..=10).map(|i| 35.0 + 5.0 * i as f64).collect::<Vec<_>>()
        );
        assert_eq!(
            pretty(-24.0, 68.0, 10),
            (0..=10)
                .map(|i| -30.0 + 10.0 * i as f64)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            pretty(0.0, 181.7, 10),
            (0..=10).map(|i| 20.0 * i as f64).collect::<Vec<_>>()
        );
    }
}
