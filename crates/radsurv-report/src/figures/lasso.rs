//! LASSO-Cox figures as `plot(glmnet_fit, xvar = "lambda")` and `plot(cv.glmnet_fit)` draw them:
//! coefficient paths against log λ, and the cross-validated error with ±1 SE bars, both with
//! vertical lines at λ.min and λ.1se.

use crate::svg::{
    colour, draw_axes, nice_bounds, nice_ticks, Anchor, AxesSpec, Frame, Stroke, Svg, TICK_SIZE,
};

/// Coefficient paths along the λ sequence of a LASSO fit.
#[derive(Debug, Clone, Default)]
pub struct LassoPathPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// log(λ) of every fit on the path.
    pub log_lambda: Vec<f64>,
    /// (feature name, coefficient at each λ) for every feature that ever enters.
    pub paths: Vec<(String, Vec<f64>)>,
    /// log(λ.min), drawn as a dashed line.
    pub log_lambda_min: Option<f64>,
    /// log(λ.1se), drawn as a dashed line.
    pub log_lambda_1se: Option<f64>,
}

/// The cross-validation curve of a LASSO fit.
#[derive(Debug, Clone, Default)]
pub struct CvCurvePlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// y axis title ("Partial likelihood deviance").
    pub y_title: String,
    /// log(λ) of every fit.
    pub log_lambda: Vec<f64>,
    /// Mean CV error at each λ.
    pub mean: Vec<f64>,
    /// Standard error of `mean` at each λ.
    pub se: Vec<f64>,
    /// Number of non-zero coefficients at each λ (printed along the top, as glmnet does).
    pub n_nonzero: Vec<usize>,
    /// log(λ.min).
    pub log_lambda_min: Option<f64>,
    /// log(λ.1se).
    pub log_lambda_1se: Option<f64>,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 400.0;

fn frame_for(log_lambda: &[f64], y_lo: f64, y_hi: f64) -> (Frame, Vec<f64>, Vec<f64>) {
    let lo = log_lambda.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = log_lambda.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let (ylo, yhi) = nice_bounds(y_lo, y_hi, 6);
    let frame = Frame::new(
        80.0,
        60.0,
        WIDTH - 110.0,
        HEIGHT - 120.0,
        (lo, hi),
        (ylo, yhi),
    );
    (frame, nice_ticks(lo, hi, 6), nice_ticks(ylo, yhi, 6))
}

fn lambda_lines(svg: &mut Svg, frame: &Frame, min: Option<f64>, one_se: Option<f64>) {
    // Each label on its own line so that close lines do not overprint; a label that would run
    // past the plot's right edge goes to the left of its line.
    for (row, (v, name)) in [(min, "λ.min"), (one_se, "λ.1se")].into_iter().enumerate() {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            let x = frame.x.px(v).clamp(frame.left, frame.right());
            svg.line(
                x,
                frame.top,
                x,
                frame.bottom(),
                Stroke::dashed("#555555", 1.0),
            );
            let y = frame.top + 12.0 + 14.0 * row as f64;
            if x + 3.0 + crate::svg::text_width(name, TICK_SIZE) <= frame.right() {
                svg.text(x + 3.0, y, name, TICK_SIZE, Anchor::Start);
            } else {
                svg.text(x - 3.0, y, name, TICK_SIZE, Anchor::End);
            }
        }
    }
}

/// Draws the coefficient paths as an SVG document.
pub fn lasso_path_svg(plot: &LassoPathPlot) -> String {
    let all = plot
        .paths
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .filter(|v| v.is_finite());
    let (ylo, yhi) = all.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let (frame, xt, yt) = frame_for(&plot.log_lambda, ylo, yhi);
    let mut svg = Svg::new(&plot.id, WIDTH, HEIGHT);
    svg.title(WIDTH / 2.0, &plot.title);
    draw_axes(
        &mut svg,
        &frame,
        &AxesSpec {
            x_ticks: &xt,
            y_ticks: &yt,
            x_title: "log(λ)",
            y_title: "Coefficient",
            grid: true,
        },
    );
    let (x0, y0) = frame.pt(frame.x.domain().0, 0.0);
    svg.line(x0, y0, frame.right(), y0, Stroke::solid("#aaaaaa", 1.0));
    for (i, (_, path)) in plot.paths.iter().enumerate() {
        let pts: Vec<(f64, f64)> = plot
            .log_lambda
            .iter()
            .zip(path)
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|(&x, &y)| frame.pt(x, y))
            .collect();
        svg.polyline(&pts, Stroke::solid(colour(i), 1.5));
    }
    lambda_lines(&mut svg, &frame, plot.log_lambda_min, plot.log_lambda_1se);
    svg.finish()
}

/// Draws the CV curve as an SVG document.
pub fn cv_curve_svg(plot: &CvCurvePlot) -> String {
    let bounds = plot
        .mean
        .iter()
        .zip(&plot.se)
        .filter(|(m, s)| m.is_finite() && s.is_finite());
    let (ylo, yhi) = bounds.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (m, s)| {
        (a.min(m - s), b.max(m + s))
    });
    let (ylo, yhi) = if ylo.is_finite() {
        (ylo, yhi)
    } else {
        (0.0, 1.0)
    };
    let (frame, xt, yt) = frame_for(&plot.log_lambda, ylo, yhi);
    let mut svg = Svg::new(&plot.id, WIDTH, HEIGHT);
    svg.title(WIDTH / 2.0, &plot.title);
    draw_axes(
        &mut svg,
        &frame,
        &AxesSpec {
            x_ticks: &xt,
            y_ticks: &yt,
            x_title: "log(λ)",
            y_title: &plot.y_title,
            grid: true,
        },
    );
    let bar = Stroke::solid("#999999", 1.0);
    for ((&x, &m), &s) in plot.log_lambda.iter().zip(&plot.mean).zip(&plot.se) {
        if !(x.is_finite() && m.is_finite() && s.is_finite()) {
            continue;
        }
        let (px, lo) = frame.pt(x, m - s);
        let (_, hi) = frame.pt(x, m + s);
        svg.line(px, lo, px, hi, bar);
        svg.line(px - 2.0, lo, px + 2.0, lo, bar);
        svg.line(px - 2.0, hi, px + 2.0, hi, bar);
        let (_, py) = frame.pt(x, m);
        svg.circle(px, py, 2.6, "#D55E00");
    }
    // Non-zero counts along the top at about ten evenly spaced fits.
    let step = (plot.log_lambda.len() / 10).max(1);
    for (k, (&x, n)) in plot.log_lambda.iter().zip(&plot.n_nonzero).enumerate() {
        if k % step == 0 {
            svg.text(
                frame.x.px(x),
                frame.top - 6.0,
                &n.to_string(),
                TICK_SIZE,
                Anchor::Middle,
            );
        }
    }
    lambda_lines(&mut svg, &frame, plot.log_lambda_min, plot.log_lambda_1se);
    svg.finish()
}
