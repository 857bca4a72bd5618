//! Time-dependent ROC curves (cumulative/dynamic, as R `timeROC` reports them): one panel per
//! horizon, one curve per model, the chance diagonal, AUCs in the legend.

use crate::svg::{
    colour, draw_axes, draw_legend, nice_ticks, Anchor, AxesSpec, Frame, Key, LegendEntry, Stroke,
    Svg, LABEL_SIZE,
};

/// One ROC curve: false- and true-positive rates at every threshold, from the study results.
#[derive(Debug, Clone, Default)]
pub struct RocCurve {
    /// Legend text, e.g. "Combined (AUC 0.79, 0.70–0.88)".
    pub label: String,
    /// 1 − specificity at each threshold.
    pub fpr: Vec<f64>,
    /// Sensitivity at each threshold.
    pub tpr: Vec<f64>,
}

/// One panel (one horizon).
#[derive(Debug, Clone, Default)]
pub struct RocPanel {
    /// Panel title ("1-year OS").
    pub title: String,
    /// Curves drawn in palette order.
    pub curves: Vec<RocCurve>,
}

/// A row of ROC panels.
#[derive(Debug, Clone, Default)]
pub struct RocPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// Panels, left to right.
    pub panels: Vec<RocPanel>,
}

/// Draws the figure as an SVG document.
pub fn roc_svg(plot: &RocPlot) -> String {
    let side = 250.0;
    let legend_rows = plot
        .panels
        .iter()
        .map(|p| p.curves.len())
        .max()
        .unwrap_or(0) as f64;
    let panel_w = side + 90.0;
    let width = (panel_w * plot.panels.len().max(1) as f64 + 20.0).max(400.0);
    let height = 60.0 + side + 60.0 + 17.0 * legend_rows + 20.0;
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let ticks = nice_ticks(0.0, 1.0, 5);
    for (k, panel) in plot.panels.iter().enumerate() {
        let frame = Frame::new(
            70.0 + panel_w * k as f64,
            50.0,
            side,
            side,
            (0.0, 1.0),
            (0.0, 1.0),
        );
        svg.text(
            frame.left + side / 2.0,
            frame.top - 8.0,
            &panel.title,
            LABEL_SIZE,
            Anchor::Middle,
        );
        draw_axes(
            &mut svg,
            &frame,
            &AxesSpec {
                x_ticks: &ticks,
                y_ticks: &ticks,
                x_title: "1 − Specificity",
                y_title: "Sensitivity",
                grid: true,
            },
        );
        let (x0, y0) = frame.pt(0.0, 0.0);
        let (x1, y1) = frame.pt(1.0, 1.0);
        svg.line(x0, y0, x1, y1, Stroke::dashed("#999999", 1.0));
        svg.begin_data();
        for (i, c) in panel.curves.iter().enumerate() {
            let pts: Vec<(f64, f64)> = c
                .fpr
                .iter()
                .zip(&c.tpr)
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(|(&x, &y)| frame.clamp(frame.pt(x, y)))
                .collect();
            svg.polyline(&pts, Stroke::solid(colour(i), 2.0));
        }
        svg.end_data();
        let entries: Vec<LegendEntry<'_>> = panel
            .curves
            .iter()
            .enumerate()
            .map(|(i, c)| LegendEntry {
                label: &c.label,
                colour: colour(i),
                key: Key::Line,
            })
            .collect();
        draw_legend(&mut svg, frame.left - 50.0, frame.bottom() + 48.0, &entries);
    }
    svg.finish()
}
