//! Calibration plots: predicted against observed survival at a horizon, by risk group, with the
//! observed Kaplan–Meier confidence intervals and the ideal line (as `plot(rms::calibrate(...))`).

use crate::svg::{
    colour, draw_axes, draw_legend, nice_ticks, AxesSpec, Frame, Key, LegendEntry, Stroke, Svg,
};

/// One calibration curve (one horizon): per risk group, mean predicted S(t) and the observed
/// Kaplan–Meier S(t) with its confidence limits, all from the study results.
#[derive(Debug, Clone, Default)]
pub struct CalibrationSeries {
    /// Legend text ("1-year").
    pub label: String,
    /// Mean predicted survival per group.
    pub predicted: Vec<f64>,
    /// Observed survival per group.
    pub observed: Vec<f64>,
    /// Lower confidence limit of `observed`.
    pub lower: Vec<f64>,
    /// Upper confidence limit of `observed`.
    pub upper: Vec<f64>,
}

/// A calibration figure for one cohort.
#[derive(Debug, Clone, Default)]
pub struct CalibrationPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// One series per horizon.
    pub series: Vec<CalibrationSeries>,
}

/// Share of the unit range the axes extend beyond 0 and 1.
const MARGIN: f64 = 0.03;

/// Draws the figure as an SVG document.
pub fn calibration_svg(plot: &CalibrationPlot) -> String {
    let (width, height) = (460.0, 430.0);
    // The axes reach a little past 0 and 1 so that a point at either end is drawn whole.
    let span = (-MARGIN, 1.0 + MARGIN);
    let frame = Frame::new(80.0, 45.0, 340.0, 320.0, span, span);
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let ticks = nice_ticks(0.0, 1.0, 5);
    draw_axes(
        &mut svg,
        &frame,
        &AxesSpec {
            x_ticks: &ticks,
            y_ticks: &ticks,
            x_title: "Nomogram-predicted overall survival",
            y_title: "Observed overall survival (Kaplan–Meier)",
            grid: true,
        },
    );
    let (x0, y0) = frame.pt(0.0, 0.0);
    let (x1, y1) = frame.pt(1.0, 1.0);
    svg.line(x0, y0, x1, y1, Stroke::dashed("#777777", 1.2));
    svg.begin_data();
    for (i, s) in plot.series.iter().enumerate() {
        let c = colour(i);
        let mut pts = Vec::new();
        for (k, (&p, &o)) in s.predicted.iter().zip(&s.observed).enumerate() {
            if !(p.is_finite() && o.is_finite()) {
                continue;
            }
            let (x, y) = frame.clamp(frame.pt(p, o));
            if let (Some(&lo), Some(&hi)) = (s.lower.get(k), s.upper.get(k)) {
                if lo.is_finite() && hi.is_finite() {
                    let (_, ylo) = frame.clamp(frame.pt(p, lo));
                    let (_, yhi) = frame.clamp(frame.pt(p, hi));
                    svg.line(x, ylo, x, yhi, Stroke::solid(c, 1.2));
                    svg.line(x - 3.0, ylo, x + 3.0, ylo, Stroke::solid(c, 1.2));
                    svg.line(x - 3.0, yhi, x + 3.0, yhi, Stroke::solid(c, 1.2));
                }
            }
            svg.circle(x, y, 3.5, c);
            pts.push((x, y));
        }
        svg.polyline(&pts, Stroke::solid(c, 1.8));
    }
    svg.end_data();
    let mut entries: Vec<LegendEntry<'_>> = plot
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry {
            label: &s.label,
            colour: colour(i),
            key: Key::Line,
        })
        .collect();
    entries.push(LegendEntry {
        label: "Ideal",
        colour: "#777777",
        key: Key::Dashed,
    });
    draw_legend(&mut svg, frame.left + 10.0, frame.top + 10.0, &entries);
    svg.finish()
}
