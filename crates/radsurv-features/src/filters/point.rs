//! The voxel-wise filters (`getSquareImage`, `getSquareRootImage`, `getLogarithmImage`,
//! `getExponentialImage`), in float64. Each is scaled by $m = \max|x|$ over the whole input image:
//! - Square: $(x / \sqrt m)^2$, computed as $(c x)^2$ with $c = 1/\sqrt m$;
//! - SquareRoot: $\sqrt{x m}$ for $x > 0$, $-\sqrt{-x m}$ for $x < 0$, 0 stays 0;
//! - Logarithm: $\log(x + 1)$ for $x > 0$, $-\log(1 - x)$ for $x < 0$, times $m / \log(m + 1)$
//!   (PyRadiomics divides by the largest absolute logarithm, which is $\log(m + 1)$);
//! - Exponential: $e^{c x}$ with $c = \log(m) / m$.

use super::FilterInput;

/// Which voxel-wise filter.
#[derive(Debug, Clone, Copy)]
pub(super) enum Point {
    Square,
    SquareRoot,
    Logarithm,
    Exponential,
}

/// The filter's values over the region.
pub(super) fn derive(input: &FilterInput, filter: Point) -> Vec<f64> {
    let m = input
        .image
        .value_range()
        .map_or(0.0, |(lo, hi)| lo.abs().max(hi.abs()));
    let values = input.values_in(&input.region);
    match filter {
        Point::Square => {
            let c = 1.0 / m.sqrt();
            values.into_iter().map(|x| (c * x) * (c * x)).collect()
        }
        Point::SquareRoot => values
            .into_iter()
            .map(|x| match x {
                x if x > 0.0 => (x * m).sqrt(),
                x if x < 0.0 => -(-x * m).sqrt(),
                x => x,
            })
            .collect(),
        Point::Logarithm => {
            let scale = m / (m + 1.0).ln();
            values
                .into_iter()
                .map(|x| {
                    let l = match x {
                        x if x > 0.0 => (x + 1.0).ln(),
                        x if x < 0.0 => -(-(x - 1.0)).ln(),
                        x => x,
                    };
                    l * scale
                })
                .collect()
        }
        Point::Exponential => {
            let c = m.ln() / m;
            values.into_iter().map(|x| (c * x).exp()).collect()
        }
    }
}
