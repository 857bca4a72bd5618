//! Forest plots of Cox models: hazard ratio and 95 % CI per covariate on a log axis, with the
//! numbers printed beside it (as `survminer::ggforest` lays them out).

use crate::svg::{
    log_ticks, text_width, tick_label, Anchor, Scale, Stroke, Svg, LABEL_SIZE, TICK_SIZE,
};

/// One covariate of a Cox model.
#[derive(Debug, Clone, Default)]
pub struct ForestRow {
    /// Covariate ("AFP ≥400 ng/mL (ref <400)").
    pub label: String,
    /// Hazard ratio exp(β).
    pub hr: f64,
    /// Lower 95 % limit.
    pub lower: f64,
    /// Upper 95 % limit.
    pub upper: f64,
    /// Formatted p-value.
    pub p: String,
}

/// A forest plot.
#[derive(Debug, Clone, Default)]
pub struct ForestPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// Rows, top to bottom.
    pub rows: Vec<ForestRow>,
}

/// Draws the figure as an SVG document.
pub fn forest_svg(plot: &ForestPlot) -> String {
    let label_w = plot
        .rows
        .iter()
        .map(|r| text_width(&r.label, TICK_SIZE))
        .fold(90.0, f64::max);
    let left = label_w + 20.0;
    let axis_w = 300.0;
    let width = left + axis_w + 230.0;
    let row = 24.0;
    let top = 60.0;
    let bottom = top + row * plot.rows.len() as f64;
    let height = bottom + 60.0;
    let finite = |v: f64| v.is_finite() && v > 0.0;
    let lo = plot
        .rows
        .iter()
        .map(|r| r.lower)
        .filter(|v| finite(*v))
        .fold(0.8, f64::min);
    let hi = plot
        .rows
        .iter()
        .map(|r| r.upper)
        .filter(|v| finite(*v))
        .fold(1.25, f64::max);
    let x = Scale::log(lo / 1.1, hi * 1.1, left, left + axis_w);
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let text_x = left + axis_w + 20.0;
    svg.text(text_x, top - 10.0, "HR (95% CI)", LABEL_SIZE, Anchor::Start);
    svg.text(width - 15.0, top - 10.0, "p", LABEL_SIZE, Anchor::End);
    for t in log_ticks(lo / 1.1, hi * 1.1) {
        let px = x.px(t);
        svg.line(px, top, px, bottom, Stroke::solid("#eeeeee", 1.0));
        svg.line(px, bottom, px, bottom + 5.0, Stroke::solid("#333333", 1.0));
        svg.text(px, bottom + 18.0, &tick_label(t), TICK_SIZE, Anchor::Middle);
    }
    svg.line(
        x.px(1.0),
        top,
        x.px(1.0),
        bottom,
        Stroke::dashed("#555555", 1.0),
    );
    svg.line(
        left,
        bottom,
        left + axis_w,
        bottom,
        Stroke::solid("#333333", 1.0),
    );
    svg.text(
        left + axis_w / 2.0,
        bottom + 38.0,
        "Hazard ratio (log scale)",
        LABEL_SIZE,
        Anchor::Middle,
    );
    for (i, r) in plot.rows.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        svg.text(left - 10.0, y + 4.0, &r.label, TICK_SIZE, Anchor::End);
        if finite(r.lower) && finite(r.upper) {
            let (a, b) = (x.px(r.lower).max(left), x.px(r.upper).min(left + axis_w));
            svg.line(a, y, b, y, Stroke::solid("#222222", 1.4));
        }
        if finite(r.hr) {
            svg.rect(x.px(r.hr) - 4.5, y - 4.5, 9.0, 9.0, "#0072B2", None);
        }
        let ci = format!("{:.2} ({:.2}–{:.2})", r.hr, r.lower, r.upper);
        svg.text(text_x, y + 4.0, &ci, TICK_SIZE, Anchor::Start);
        svg.text(width - 15.0, y + 4.0, &r.p, TICK_SIZE, Anchor::End);
    }
    svg.finish()
}
