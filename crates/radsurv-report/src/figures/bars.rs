//! Bar charts: signed horizontal bars (the selected features' LASSO coefficients), grouped bars
//! with confidence intervals (C-index per model and cohort, against the Six-and-twelve score), and
//! the feature-selection funnel.

use crate::svg::{
    colour, draw_legend, nice_bounds, nice_ticks, text_width, tick_label, Anchor, Key, LegendEntry,
    Scale, Stroke, Svg, LABEL_SIZE, TICK_SIZE,
};

/// Horizontal bars with signed values, one per label.
#[derive(Debug, Clone, Default)]
pub struct BarPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// x axis title.
    pub x_title: String,
    /// (label, value), drawn top to bottom in this order.
    pub bars: Vec<(String, f64)>,
}

/// One bar of a grouped bar chart with its confidence interval.
#[derive(Debug, Clone, Default)]
pub struct CiBar {
    /// Estimate.
    pub value: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// Grouped vertical bars with error bars: groups on x (cohorts), one bar per series (model).
#[derive(Debug, Clone, Default)]
pub struct GroupedBarPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// y axis title.
    pub y_title: String,
    /// Lower end of the y axis (0.5 for a C-index).
    pub y_min: f64,
    /// Group names (x axis).
    pub groups: Vec<String>,
    /// (series name, one bar per group); `None` where a series has no value in a group.
    pub series: Vec<(String, Vec<Option<CiBar>>)>,
}

/// The feature-selection funnel: how many features survive each step.
#[derive(Debug, Clone, Default)]
pub struct FunnelPlot {
    /// Element id of the SVG.
    pub id: String,
    /// Figure title.
    pub title: String,
    /// (step, features remaining), in pipeline order.
    pub stages: Vec<(String, usize)>,
}

/// Draws signed horizontal bars as an SVG document.
pub fn bar_svg(plot: &BarPlot) -> String {
    let label_w = plot
        .bars
        .iter()
        .map(|(l, _)| text_width(l, TICK_SIZE))
        .fold(80.0, f64::max);
    let left = label_w + 20.0;
    let width = left + 380.0;
    let row = 22.0;
    let height = 60.0 + row * plot.bars.len() as f64 + 55.0;
    let (lo, hi) = plot
        .bars
        .iter()
        .fold((0.0f64, 0.0f64), |(a, b), (_, v)| (a.min(*v), b.max(*v)));
    let (lo, hi) = nice_bounds(lo, hi, 5);
    let x = Scale::linear(lo, hi, left, width - 30.0);
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let top = 45.0;
    let bottom = top + row * plot.bars.len() as f64 + 5.0;
    for t in nice_ticks(lo, hi, 5) {
        let px = x.px(t);
        svg.line(px, top, px, bottom, Stroke::solid("#e5e5e5", 1.0));
        svg.line(px, bottom, px, bottom + 5.0, Stroke::solid("#333333", 1.0));
        svg.text(px, bottom + 18.0, &tick_label(t), TICK_SIZE, Anchor::Middle);
    }
    for (i, (label, v)) in plot.bars.iter().enumerate() {
        let y = top + 5.0 + row * i as f64;
        let (a, b) = (x.px(0.0), x.px(*v));
        let fill = if *v >= 0.0 { colour(1) } else { colour(0) };
        svg.rect(a.min(b), y + 3.0, (b - a).abs(), row - 6.0, fill, None);
        svg.text(
            left - 8.0,
            y + row / 2.0 + 4.0,
            label,
            TICK_SIZE,
            Anchor::End,
        );
    }
    svg.line(
        x.px(0.0),
        top,
        x.px(0.0),
        bottom,
        Stroke::solid("#333333", 1.0),
    );
    svg.line(
        left,
        bottom,
        width - 30.0,
        bottom,
        Stroke::solid("#333333", 1.0),
    );
    svg.text(
        (left + width - 30.0) / 2.0,
        bottom + 38.0,
        &plot.x_title,
        LABEL_SIZE,
        Anchor::Middle,
    );
    svg.finish()
}

/// Draws grouped bars with confidence intervals as an SVG document.
pub fn grouped_bar_svg(plot: &GroupedBarPlot) -> String {
    let (width, height) = (620.0, 400.0);
    let (left, top, right, bottom) = (80.0, 45.0, 420.0, 340.0);
    let hi = plot
        .series
        .iter()
        .flat_map(|(_, bars)| bars.iter().flatten().map(|b| b.upper.max(b.value)))
        .filter(|v| v.is_finite())
        .fold(plot.y_min + 0.1, f64::max);
    let (ylo, yhi) = nice_bounds(plot.y_min, hi, 5);
    let y = Scale::linear(ylo, yhi, bottom, top);
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    for t in nice_ticks(ylo, yhi, 5) {
        let py = y.px(t);
        svg.line(left, py, right, py, Stroke::solid("#e5e5e5", 1.0));
        svg.line(left - 5.0, py, left, py, Stroke::solid("#333333", 1.0));
        svg.text(left - 8.0, py + 4.0, &tick_label(t), TICK_SIZE, Anchor::End);
    }
    svg.plot_frame(left, top, right - left, bottom - top);
    let group_w = (right - left) / plot.groups.len().max(1) as f64;
    let bar_w = (group_w * 0.8) / plot.series.len().max(1) as f64;
    for (g, name) in plot.groups.iter().enumerate() {
        let gx = left + group_w * g as f64 + group_w * 0.1;
        svg.text(
            gx + group_w * 0.4,
            bottom + 18.0,
            name,
            LABEL_SIZE,
            Anchor::Middle,
        );
        for (s, (_, bars)) in plot.series.iter().enumerate() {
            let Some(Some(bar)) = bars.get(g) else {
                continue;
            };
            let bx = gx + bar_w * s as f64;
            svg.begin_data();
            svg.rect(
                bx + 2.0,
                y.px(bar.value),
                bar_w - 4.0,
                bottom - y.px(bar.value),
                colour(s),
                None,
            );
            let cx = bx + bar_w / 2.0;
            let ci = Stroke::solid("#222222", 1.2);
            if bar.lower.is_finite() && bar.upper.is_finite() {
                svg.line(cx, y.px(bar.lower), cx, y.px(bar.upper), ci);
                svg.line(cx - 4.0, y.px(bar.lower), cx + 4.0, y.px(bar.lower), ci);
                svg.line(cx - 4.0, y.px(bar.upper), cx + 4.0, y.px(bar.upper), ci);
            }
            svg.end_data();
            let label = format!("{:.2}", bar.value);
            svg.text(
                cx,
                y.px(bar.upper.max(bar.value)) - 5.0,
                &label,
                10.0,
                Anchor::Middle,
            );
        }
    }
    svg.line(left, bottom, right, bottom, Stroke::solid("#333333", 1.0));
    svg.line(left, top, left, bottom, Stroke::solid("#333333", 1.0));
    svg.vertical_text(left - 46.0, (top + bottom) / 2.0, &plot.y_title, LABEL_SIZE);
    let entries: Vec<LegendEntry<'_>> = plot
        .series
        .iter()
        .enumerate()
        .map(|(i, (l, _))| LegendEntry {
            label: l,
            colour: colour(i),
            key: Key::Box,
        })
        .collect();
    draw_legend(&mut svg, right + 15.0, top, &entries);
    svg.finish()
}

/// Draws the selection funnel (bar widths proportional to the feature count) as an SVG document.
pub fn funnel_svg(plot: &FunnelPlot) -> String {
    let width = 620.0;
    let row = 46.0;
    let height = 45.0 + row * plot.stages.len() as f64 + 10.0;
    let max = plot
        .stages
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let (centre, full) = (410.0, 380.0);
    for (i, (label, n)) in plot.stages.iter().enumerate() {
        let y = 40.0 + row * i as f64;
        let w = (*n as f64 / max * full).max(28.0);
        svg.rect(centre - w / 2.0, y, w, row - 10.0, colour(i), None);
        svg.text_styled(
            (centre, y + row / 2.0),
            &n.to_string(),
            LABEL_SIZE,
            Anchor::Middle,
            "#ffffff",
            "",
        );
        svg.text(
            centre - full / 2.0 - 10.0,
            y + row / 2.0,
            label,
            LABEL_SIZE,
            Anchor::End,
        );
    }
    svg.finish()
}
