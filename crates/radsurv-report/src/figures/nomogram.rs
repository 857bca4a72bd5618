//! The nomogram, laid out as `rms::nomogram` plots it: a "Points" ruler on top, one axis per
//! predictor placed on the points scale, a "Total Points" ruler, and one axis per outcome
//! (predicted OS at 1/2/3 years) placed on the total-points scale.
//!
//! Tick positions (points for each predictor value, total points for each survival probability)
//! come from the nomogram computed by the study; this module only places them.

use crate::svg::{Anchor, Scale, Stroke, Svg, LABEL_SIZE, TICK_SIZE};

/// One tick on a nomogram axis.
#[derive(Debug, Clone, Default)]
pub struct NomogramTick {
    /// Position in the axis' units: points (predictor rows) or total points (outcome rows).
    pub position: f64,
    /// Text above the tick ("≥400", "0.6").
    pub label: String,
}

/// One labelled axis of the nomogram.
#[derive(Debug, Clone, Default)]
pub struct NomogramAxis {
    /// Row name at the left ("AFP (ng/mL)").
    pub label: String,
    /// Ticks, in any order.
    pub ticks: Vec<NomogramTick>,
}

/// A nomogram.
#[derive(Debug, Clone, Default)]
pub struct NomogramPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// Length of the points ruler (rms: 100).
    pub max_points: f64,
    /// Predictor axes, positions in points.
    pub predictors: Vec<NomogramAxis>,
    /// Range of the total-points ruler, `(lo, hi)`.
    pub total_points_range: (f64, f64),
    /// Outcome axes, positions in total points.
    pub outcomes: Vec<NomogramAxis>,
}

const ROW: f64 = 44.0;
/// Narrowest left margin; wider when a row label needs it.
const MIN_LEFT: f64 = 190.0;
const AXIS_WIDTH: f64 = 520.0;

/// Draws the figure as an SVG document.
pub fn nomogram_svg(plot: &NomogramPlot) -> String {
    let rows = 2 + plot.predictors.len() + plot.outcomes.len();
    let left = plot
        .predictors
        .iter()
        .chain(&plot.outcomes)
        .map(|a| crate::svg::text_width(&a.label, LABEL_SIZE) + 28.0)
        .fold(MIN_LEFT, f64::max);
    let width = left + AXIS_WIDTH + 40.0;
    let height = 50.0 + ROW * rows as f64 + 10.0;
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let points = Scale::linear(0.0, plot.max_points.max(1.0), left, left + AXIS_WIDTH);
    let (tlo, thi) = plot.total_points_range;
    let total = Scale::linear(tlo, thi, left, left + AXIS_WIDTH);
    let mut y = 50.0 + ROW * 0.6;
    draw_ruler(&mut svg, "Points", &points, 0.0, plot.max_points, y);
    for axis in &plot.predictors {
        y += ROW;
        draw_axis(&mut svg, axis, &points, y);
    }
    y += ROW;
    draw_ruler(&mut svg, "Total Points", &total, tlo, thi, y);
    for axis in &plot.outcomes {
        y += ROW;
        draw_axis(&mut svg, axis, &total, y);
    }
    svg.finish()
}

/// A ruler with labelled major ticks every 10 % of its range and minor ticks in between.
fn draw_ruler(svg: &mut Svg, label: &str, scale: &Scale, lo: f64, hi: f64, y: f64) {
    let stroke = Stroke::solid("#222222", 1.0);
    svg.text(scale.px(lo) - 14.0, y + 4.0, label, LABEL_SIZE, Anchor::End);
    svg.line(scale.px(lo), y, scale.px(hi), y, stroke);
    let majors = crate::svg::nice_ticks(lo, hi, 10);
    for &v in &majors {
        let x = scale.px(v);
        svg.line(x, y, x, y - 7.0, stroke);
        svg.text(
            x,
            y - 10.0,
            &crate::svg::tick_label(v),
            TICK_SIZE,
            Anchor::Middle,
        );
    }
    if let (Some(&a), Some(&b)) = (majors.first(), majors.get(1)) {
        let half = (b - a) / 2.0;
        let mut v = a - half;
        while v <= hi + 1e-9 {
            if v >= lo - 1e-9 {
                let x = scale.px(v);
                svg.line(x, y, x, y - 4.0, stroke);
            }
            v += b - a;
        }
    }
}

fn draw_axis(svg: &mut Svg, axis: &NomogramAxis, scale: &Scale, y: f64) {
    let stroke = Stroke::solid("#222222", 1.0);
    let left = scale.px(scale.domain().0);
    svg.text(left - 14.0, y + 4.0, &axis.label, LABEL_SIZE, Anchor::End);
    let xs: Vec<f64> = axis.ticks.iter().map(|t| scale.px(t.position)).collect();
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() && hi.is_finite() {
        svg.line(lo, y, hi, y, stroke);
    }
    // Tick labels alternate above/below when neighbours would overlap, as rms staggers them.
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut last_above = f64::NEG_INFINITY;
    for &k in &order {
        let x = xs[k];
        let label = &axis.ticks[k].label;
        let half = crate::svg::text_width(label, TICK_SIZE) / 2.0;
        svg.line(x, y, x, y - 7.0, stroke);
        if x - half > last_above + 3.0 {
            svg.text(x, y - 10.0, label, TICK_SIZE, Anchor::Middle);
            last_above = x + half;
        } else {
            svg.line(x, y, x, y + 5.0, stroke);
            svg.text(x, y + 17.0, label, TICK_SIZE, Anchor::Middle);
        }
    }
}
