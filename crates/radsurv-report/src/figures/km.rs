//! Kaplan–Meier curves with pointwise confidence bands, censoring marks and a
//! number-at-risk table under the plot (as `survminer::ggsurvplot(risk.table = TRUE)` draws them).
//!
//! The estimates come from the study results (R `survfit` equivalents in `radsurv-stats`); this
//! module only draws the step functions.

use crate::svg::{
    colour, draw_axes, draw_legend, legend_width, nice_ticks, text_width, Anchor, AxesSpec, Frame,
    Key, LegendEntry, Stroke, Svg, LABEL_SIZE, TICK_SIZE,
};

/// One group's Kaplan–Meier estimate, as `survfit` reports it (event times only).
#[derive(Debug, Clone, Default)]
pub struct KmSeries {
    /// Group name shown in the legend and risk table ("Low risk").
    pub label: String,
    /// Distinct event/censoring times, increasing.
    pub times: Vec<f64>,
    /// $\hat S(t)$ just after each time.
    pub surv: Vec<f64>,
    /// Lower pointwise confidence limit at each time.
    pub lower: Vec<f64>,
    /// Upper pointwise confidence limit at each time.
    pub upper: Vec<f64>,
    /// Times of censored observations (drawn as "+" marks on the curve).
    pub censor_times: Vec<f64>,
    /// Number at risk at each of [`KmPlot::at_risk_times`].
    pub at_risk: Vec<usize>,
}

/// A Kaplan–Meier figure: one curve per group plus a number-at-risk table.
#[derive(Debug, Clone, Default)]
pub struct KmPlot {
    /// Element id of the SVG (`fig-km-training`).
    pub id: String,
    /// Title above the plot.
    pub title: String,
    /// The groups.
    pub groups: Vec<KmSeries>,
    /// Times at which the number at risk is tabulated (also the x ticks).
    pub at_risk_times: Vec<f64>,
    /// x axis title ("Time (months)").
    pub x_title: String,
    /// Text drawn inside the plot, e.g. the log-rank p-value and the hazard ratio.
    pub annotation: Vec<String>,
}

/// Draws the figure as an SVG document.
pub fn km_svg(plot: &KmPlot) -> String {
    let width = 640.0;
    let table_rows = plot.groups.len() as f64;
    let plot_height = 300.0;
    let table_top = 50.0 + plot_height + 62.0;
    let height = table_top + 22.0 + 18.0 * table_rows + 10.0;
    let max_time = follow_up_end(plot);
    let left = plot
        .groups
        .iter()
        .map(|g| text_width(&g.label, TICK_SIZE) + 24.0)
        .fold(130.0, f64::max);
    // The axes reach a little past the last time and S = 1 so that censoring marks there are
    // drawn whole.
    let frame = Frame::new(
        left,
        50.0,
        width - left - 30.0,
        plot_height,
        (0.0, max_time * (1.0 + MARGIN)),
        (0.0, 1.0 + MARGIN),
    );
    let mut svg = Svg::new(&plot.id, width, height);
    svg.title(width / 2.0, &plot.title);
    let x_ticks = if plot.at_risk_times.is_empty() {
        nice_ticks(0.0, max_time, 6)
    } else {
        plot.at_risk_times
            .iter()
            .copied()
            .filter(|t| *t <= max_time)
            .collect()
    };
    let y_ticks = nice_ticks(0.0, 1.0, 5);
    draw_axes(
        &mut svg,
        &frame,
        &AxesSpec {
            x_ticks: &x_ticks,
            y_ticks: &y_ticks,
            x_title: &plot.x_title,
            y_title: "Overall survival probability",
            grid: true,
        },
    );
    svg.begin_data();
    for (i, g) in plot.groups.iter().enumerate() {
        draw_band(&mut svg, &frame, g, colour(i));
    }
    for (i, g) in plot.groups.iter().enumerate() {
        draw_curve(&mut svg, &frame, g, colour(i));
    }
    svg.end_data();
    let entries: Vec<LegendEntry<'_>> = plot
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| LegendEntry {
            label: &g.label,
            colour: colour(i),
            key: Key::Line,
        })
        .collect();
    let x = frame.right() - legend_width(&entries) - 8.0;
    draw_legend(&mut svg, x, frame.top + 8.0, &entries);
    for (k, line) in plot.annotation.iter().enumerate() {
        let y = frame.bottom() - 14.0 - 16.0 * (plot.annotation.len() - 1 - k) as f64;
        svg.text(frame.left + 12.0, y, line, LABEL_SIZE, Anchor::Start);
    }
    draw_risk_table(&mut svg, &frame, plot, table_top);
    svg.finish()
}

/// Share of the time and survival ranges the axes extend beyond their ends.
const MARGIN: f64 = 0.03;

/// The x axis' end: the last at-risk time or the longest group's last time, whichever is later,
/// so that every group's follow-up is drawn.
fn follow_up_end(plot: &KmPlot) -> f64 {
    let last_time = plot
        .groups
        .iter()
        .filter_map(|g| g.times.last().copied())
        .fold(0.0, f64::max);
    let end = plot
        .at_risk_times
        .last()
        .copied()
        .unwrap_or(0.0)
        .max(last_time);
    if end > 0.0 {
        end
    } else {
        1.0
    }
}

/// S(t) of a right-continuous step function given at `times`; 1 before the first time.
fn step_value(times: &[f64], values: &[f64], t: f64) -> f64 {
    let n = times.partition_point(|&x| x <= t);
    if n == 0 {
        1.0
    } else {
        values.get(n - 1).copied().unwrap_or(1.0)
    }
}

/// Vertices of the step function starting at (0, 1).
fn step_points(frame: &Frame, times: &[f64], values: &[f64], start: f64) -> Vec<(f64, f64)> {
    let mut pts = vec![frame.pt(0.0, start)];
    let mut last = start;
    for (&t, &v) in times.iter().zip(values) {
        if !v.is_finite() {
            continue;
        }
        pts.push(frame.pt(t, last));
        pts.push(frame.pt(t, v));
        last = v;
    }
    if let Some(&t_end) = times.last() {
        pts.push(frame.pt(t_end, last));
    }
    pts.into_iter().map(|p| frame.clamp(p)).collect()
}

fn draw_band(svg: &mut Svg, frame: &Frame, g: &KmSeries, fill: &str) {
    let upper = step_points(frame, &g.times, &g.upper, 1.0);
    let mut lower = step_points(frame, &g.times, &g.lower, 1.0);
    lower.reverse();
    let polygon: Vec<(f64, f64)> = upper.into_iter().chain(lower).collect();
    svg.polygon(&polygon, fill, 0.15);
}

fn draw_curve(svg: &mut Svg, frame: &Frame, g: &KmSeries, stroke: &str) {
    svg.polyline(
        &step_points(frame, &g.times, &g.surv, 1.0),
        Stroke::solid(stroke, 2.2),
    );
    for &t in &g.censor_times {
        let (x, y) = frame.clamp(frame.pt(t, step_value(&g.times, &g.surv, t)));
        svg.line(x, y - 4.0, x, y + 4.0, Stroke::solid(stroke, 1.4));
        svg.line(x - 3.0, y, x + 3.0, y, Stroke::solid(stroke, 1.4));
    }
}

fn draw_risk_table(svg: &mut Svg, frame: &Frame, plot: &KmPlot, top: f64) {
    svg.text(
        frame.left
            - 10.0
            - plot
                .groups
                .iter()
                .map(|g| text_width(&g.label, TICK_SIZE))
                .fold(100.0, f64::max),
        top,
        "Number at risk",
        LABEL_SIZE,
        Anchor::Start,
    );
    for (i, g) in plot.groups.iter().enumerate() {
        let y = top + 20.0 + 18.0 * i as f64;
        svg.text_styled(
            (frame.left - 12.0, y),
            &g.label,
            TICK_SIZE,
            Anchor::End,
            colour(i),
            "",
        );
        for (&t, n) in plot.at_risk_times.iter().zip(&g.at_risk) {
            svg.text(frame.x.px(t), y, &n.to_string(), TICK_SIZE, Anchor::Middle);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_x_axis_covers_the_longest_follow_up() {
        let group = |last: f64| KmSeries {
            label: "> 6 and ≤ 12 (n = 40)".into(),
            times: vec![1.0, last],
            surv: vec![0.9, 0.5],
            ..Default::default()
        };
        let plot = KmPlot {
            groups: vec![group(20.0), group(71.0)],
            at_risk_times: vec![0.0, 12.0, 24.0],
            ..Default::default()
        };
        assert_eq!(follow_up_end(&plot), 71.0);
    }

    #[test]
    fn step_value_is_right_continuous() {
        let times = [1.0, 3.0];
        let surv = [0.8, 0.5];
        assert_eq!(step_value(&times, &surv, 0.5), 1.0);
        assert_eq!(step_value(&times, &surv, 1.0), 0.8);
        assert_eq!(step_value(&times, &surv, 2.9), 0.8);
        assert_eq!(step_value(&times, &surv, 10.0), 0.5);
    }
}
