//! A small SVG drawing helper shared by every figure: a string builder for shapes and text,
//! linear and logarithmic scales, "nice" tick choice, framed axes and legends.
//!
//! Figures are hand-written SVG (no plotting library), so that the same string can be inlined in
//! the HTML report and rasterised by resvg with the embedded font. Every figure uses the same
//! palette ([`PALETTE`]), font ([`FONT_FAMILY`]) and font sizes, so the report looks consistent.

use std::fmt::Write as _;

/// Font family named in every figure: the embedded DejaVu Sans first (PNG export), then common
/// browser fallbacks for the HTML report.
pub const FONT_FAMILY: &str = "DejaVu Sans, Helvetica, Arial, sans-serif";

/// Colour-blind-safe palette (Okabe–Ito), in the order series are coloured.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// Colour of the `i`-th series (wraps around the palette).
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Font size of tick labels and table text, px.
pub const TICK_SIZE: f64 = 11.0;
/// Font size of axis titles and legends, px.
pub const LABEL_SIZE: f64 = 12.5;
/// Font size of figure titles, px.
pub const TITLE_SIZE: f64 = 14.0;

/// Horizontal text anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Stroke style of a line.
#[derive(Debug, Clone, Copy)]
pub struct Stroke<'a> {
    /// CSS colour.
    pub colour: &'a str,
    /// Width, px.
    pub width: f64,
    /// SVG dash array, e.g. `"4 3"`; `None` for a solid line.
    pub dash: Option<&'a str>,
}

impl<'a> Stroke<'a> {
    /// Solid stroke.
    pub fn solid(colour: &'a str, width: f64) -> Self {
        Stroke {
            colour,
            width,
            dash: None,
        }
    }

    /// Dashed stroke.
    pub fn dashed(colour: &'a str, width: f64) -> Self {
        Stroke {
            colour,
            width,
            dash: Some("5 4"),
        }
    }

    fn attrs(&self) -> String {
        let dash = self
            .dash
            .map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default();
        format!(
            "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash}",
            self.colour,
            num(self.width)
        )
    }
}

/// An SVG document under construction.
#[derive(Debug)]
pub struct Svg {
    buf: String,
}

impl Svg {
    /// Starts a `width` × `height` px document with a white background; `id` becomes the root
    /// element's id (the HTML report and tests find figures by it).
    pub fn new(id: &str, width: f64, height: f64) -> Self {
        let mut buf = String::with_capacity(16 * 1024);
        let _ = write!(
            buf,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{}\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" font-size=\"{}\">\
             <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
            escape(id),
            num(TICK_SIZE),
            w = num(width),
            h = num(height),
        );
        Svg { buf }
    }

    /// Opens a group of data marks (curves, bands, bars, intervals): the report's browser check
    /// requires each to lie inside a plot frame. Close it with [`Svg::end_data`].
    pub fn begin_data(&mut self) {
        self.buf.push_str("<g class=\"data\">");
    }

    /// Closes the group opened by [`Svg::begin_data`].
    pub fn end_data(&mut self) {
        self.buf.push_str("</g>");
    }

    /// An invisible rectangle marking a plot's axes area, against which data marks are checked.
    pub fn plot_frame(&mut self, left: f64, top: f64, width: f64, height: f64) {
        let _ = write!(
            self.buf,
            "<rect class=\"plot-frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
             fill=\"none\" stroke=\"none\"/>",
            num(left),
            num(top),
            num(width),
            num(height)
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: Stroke<'_>) {
        let _ = write!(
            self.buf,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            stroke.attrs()
        );
    }

    /// An open polyline through `points`.
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke<'_>) {
        if points.len() < 2 {
            return;
        }
        let _ = write!(
            self.buf,
            "<polyline points=\"{}\" stroke-linejoin=\"round\" {}/>",
            point_list(points),
            stroke.attrs()
        );
    }

    /// A filled polygon (confidence bands).
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str, opacity: f64) {
        if points.len() < 3 {
            return;
        }
        let _ = write!(
            self.buf,
            "<polygon points=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\" stroke=\"none\"/>",
            point_list(points),
            num(opacity)
        );
    }

    /// A rectangle; `stroke` may be `None`.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, stroke: Option<&str>) {
        let stroke = stroke
            .map(|s| format!(" stroke=\"{s}\""))
            .unwrap_or_default();
        let _ = write!(
            self.buf,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"{stroke}/>",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// A filled circle.
    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: &str) {
        let _ = write!(
            self.buf,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"/>",
            num(x),
            num(y),
            num(r)
        );
    }

    /// Text at (x, y) (baseline), escaped.
    pub fn text(&mut self, x: f64, y: f64, s: &str, size: f64, anchor: Anchor) {
        self.text_styled((x, y), s, size, anchor, "#222222", "");
    }

    /// Text with a colour and extra raw attributes (e.g. `font-weight="bold"`).
    pub fn text_styled(
        &mut self,
        (x, y): (f64, f64),
        s: &str,
        size: f64,
        anchor: Anchor,
        fill: &str,
        extra: &str,
    ) {
        let _ = write!(
            self.buf,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{fill}\" {extra}>{}</text>",
            num(x),
            num(y),
            num(size),
            anchor.as_str(),
            escape(s)
        );
    }

    /// Text rotated by -90° around (x, y): vertical axis titles.
    pub fn vertical_text(&mut self, x: f64, y: f64, s: &str, size: f64) {
        let extra = format!("transform=\"rotate(-90 {} {})\"", num(x), num(y));
        self.text_styled((x, y), s, size, Anchor::Middle, "#222222", &extra);
    }

    /// A figure title, centred at the top.
    pub fn title(&mut self, x: f64, s: &str) {
        self.text(x, 20.0, s, TITLE_SIZE, Anchor::Middle);
    }

    /// Closes the document.
    pub fn finish(mut self) -> String {
        self.buf.push_str("</svg>");
        self.buf
    }
}

/// A map from data values to pixels along one axis, linear or log10.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    lo: f64,
    hi: f64,
    px_lo: f64,
    px_hi: f64,
    log: bool,
}

impl Scale {
    /// Linear map of `[lo, hi]` onto `[px_lo, px_hi]` (`px_hi < px_lo` for a y axis).
    pub fn linear(lo: f64, hi: f64, px_lo: f64, px_hi: f64) -> Self {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Scale {
            lo,
            hi,
            px_lo,
            px_hi,
            log: false,
        }
    }

    /// Log10 map of `[lo, hi]` (both > 0) onto `[px_lo, px_hi]`.
    pub fn log(lo: f64, hi: f64, px_lo: f64, px_hi: f64) -> Self {
        let lo = lo.max(f64::MIN_POSITIVE);
        let hi = if hi > lo { hi } else { lo * 10.0 };
        Scale {
            lo: lo.log10(),
            hi: hi.log10(),
            px_lo,
            px_hi,
            log: true,
        }
    }

    /// Pixel position of `v` (values outside the domain extrapolate; callers clamp if needed).
    pub fn px(&self, v: f64) -> f64 {
        let v = if self.log {
            v.max(f64::MIN_POSITIVE).log10()
        } else {
            v
        };
        self.px_lo + (v - self.lo) / (self.hi - self.lo) * (self.px_hi - self.px_lo)
    }

    /// Data domain `[lo, hi]` (in data units, also for log scales).
    pub fn domain(&self) -> (f64, f64) {
        if self.log {
            (10f64.powf(self.lo), 10f64.powf(self.hi))
        } else {
            (self.lo, self.hi)
        }
    }
}

/// About `target` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering `[lo, hi]`.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, lo + 0.5)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let exponent = raw.log10().floor() as i32;
    let magnitude = 10f64.powi(exponent);
    let mantissa = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|m| m * magnitude >= raw)
        .unwrap_or(10.0);
    let step = mantissa * magnitude;
    // k·m / 10^-e instead of k·step, so that 3 × 0.2 prints as 0.6, not 0.6000000000000001.
    let at = |k: i64| {
        if exponent < 0 {
            k as f64 * mantissa / 10f64.powi(-exponent)
        } else {
            k as f64 * step
        }
    };
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(at).collect()
}

/// Round bounds that contain `[lo, hi]`, so axes start and end on a tick.
pub fn nice_bounds(lo: f64, hi: f64, target: usize) -> (f64, f64) {
    let ticks = nice_ticks(lo, hi, target);
    match (ticks.first(), ticks.get(1)) {
        (Some(&first), Some(&second)) => {
            let step = second - first;
            let lo_n = if first > lo + 1e-12 {
                first - step
            } else {
                first
            };
            let last = ticks.last().copied().unwrap_or(first);
            let hi_n = if last < hi - 1e-12 { last + step } else { last };
            (lo_n, hi_n)
        }
        _ => (lo, hi),
    }
}

/// Ticks for a log axis: 1-2-5 × 10^k values inside `[lo, hi]`.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo) {
        return Vec::new();
    }
    let mut ticks = Vec::new();
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let mantissas: &[f64] = if last - first > 3 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    for k in first..=last {
        for m in mantissas {
            let v = m * 10f64.powi(k);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                ticks.push(v);
            }
        }
    }
    ticks
}

/// Tick label: shortest decimal form that shows the value (no trailing zeros).
pub fn tick_label(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let s = format!("{:.3}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The plotting area of a panel and its two scales.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Left edge, px.
    pub left: f64,
    /// Top edge, px.
    pub top: f64,
    /// Width, px.
    pub width: f64,
    /// Height, px.
    pub height: f64,
    /// Horizontal scale.
    pub x: Scale,
    /// Vertical scale.
    pub y: Scale,
}

impl Frame {
    /// A frame whose scales map the given domains onto the rectangle.
    pub fn new(left: f64, top: f64, width: f64, height: f64, x: (f64, f64), y: (f64, f64)) -> Self {
        Frame {
            left,
            top,
            width,
            height,
            x: Scale::linear(x.0, x.1, left, left + width),
            y: Scale::linear(y.0, y.1, top + height, top),
        }
    }

    /// The same frame with a log10 x axis.
    pub fn with_log_x(mut self, lo: f64, hi: f64) -> Self {
        self.x = Scale::log(lo, hi, self.left, self.left + self.width);
        self
    }

    /// Bottom edge, px.
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    /// Right edge, px.
    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// Pixel position of a data point.
    pub fn pt(&self, x: f64, y: f64) -> (f64, f64) {
        (self.x.px(x), self.y.px(y))
    }

    /// Clamps a pixel point into the frame (curves that leave the plotting area).
    pub fn clamp(&self, p: (f64, f64)) -> (f64, f64) {
        (
            p.0.clamp(self.left, self.right()),
            p.1.clamp(self.top, self.bottom()),
        )
    }
}

/// Ticks, grid lines and titles of both axes of a frame.
#[derive(Debug, Clone)]
pub struct AxesSpec<'a> {
    /// x tick values.
    pub x_ticks: &'a [f64],
    /// y tick values.
    pub y_ticks: &'a [f64],
    /// x axis title.
    pub x_title: &'a str,
    /// y axis title.
    pub y_title: &'a str,
    /// Light horizontal and vertical grid lines at the ticks.
    pub grid: bool,
}

/// Draws the frame's box, ticks, tick labels, optional grid and axis titles.
pub fn draw_axes(svg: &mut Svg, f: &Frame, spec: &AxesSpec<'_>) {
    svg.plot_frame(f.left, f.top, f.width, f.height);
    let axis = Stroke::solid("#333333", 1.0);
    let grid = Stroke::solid("#e5e5e5", 1.0);
    for &v in spec.x_ticks {
        let x = f.x.px(v);
        if spec.grid {
            svg.line(x, f.top, x, f.bottom(), grid);
        }
        svg.line(x, f.bottom(), x, f.bottom() + 5.0, axis);
        svg.text(
            x,
            f.bottom() + 18.0,
            &tick_label(v),
            TICK_SIZE,
            Anchor::Middle,
        );
    }
    for &v in spec.y_ticks {
        let y = f.y.px(v);
        if spec.grid {
            svg.line(f.left, y, f.right(), y, grid);
        }
        svg.line(f.left - 5.0, y, f.left, y, axis);
        svg.text(
            f.left - 8.0,
            y + 4.0,
            &tick_label(v),
            TICK_SIZE,
            Anchor::End,
        );
    }
    svg.line(f.left, f.bottom(), f.right(), f.bottom(), axis);
    svg.line(f.left, f.top, f.left, f.bottom(), axis);
    svg.text(
        f.left + f.width / 2.0,
        f.bottom() + 38.0,
        spec.x_title,
        LABEL_SIZE,
        Anchor::Middle,
    );
    svg.vertical_text(
        f.left - 46.0,
        f.top + f.height / 2.0,
        spec.y_title,
        LABEL_SIZE,
    );
}

/// How a legend entry's key is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A short solid line.
    Line,
    /// A short dashed line.
    Dashed,
    /// A filled square.
    Box,
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendEntry<'a> {
    /// Text.
    pub label: &'a str,
    /// Key colour.
    pub colour: &'a str,
    /// Key shape.
    pub key: Key,
}

/// Width of the legend box [`draw_legend`] draws for `entries`, px.
pub fn legend_width(entries: &[LegendEntry<'_>]) -> f64 {
    36.0 + entries
        .iter()
        .map(|e| text_width(e.label, LABEL_SIZE))
        .fold(0.0, f64::max)
}

/// A legend box with its top-left corner at (x, y), entries stacked vertically.
pub fn draw_legend(svg: &mut Svg, x: f64, y: f64, entries: &[LegendEntry<'_>]) {
    if entries.is_empty() {
        return;
    }
    let row = 17.0;
    let width = legend_width(entries);
    let height = row * entries.len() as f64 + 8.0;
    svg.rect(x, y, width, height, "#ffffff", Some("#cccccc"));
    for (i, e) in entries.iter().enumerate() {
        let cy = y + 4.0 + row * i as f64 + row / 2.0;
        match e.key {
            Key::Line => svg.line(x + 6.0, cy, x + 26.0, cy, Stroke::solid(e.colour, 2.2)),
            Key::Dashed => svg.line(x + 6.0, cy, x + 26.0, cy, Stroke::dashed(e.colour, 2.0)),
            Key::Box => svg.rect(x + 10.0, cy - 5.0, 10.0, 10.0, e.colour, None),
        }
        svg.text(x + 31.0, cy + 4.5, e.label, LABEL_SIZE, Anchor::Start);
    }
}

/// DejaVu Sans (Bitstream Vera licence, see `assets/DejaVuSans-LICENSE.txt`): the font every
/// figure names, embedded for PNG export and for measuring text.
pub(crate) const DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Rendered width of `s` in DejaVu Sans at `size` px, the sum of the font's advance widths;
/// figures size margins and boxes from it so that no label is clipped.
pub fn text_width(s: &str, size: f64) -> f64 {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::MetadataProvider;
    let fallback = |s: &str| s.chars().count() as f64 * size * 0.6;
    let Ok(font) = skrifa::FontRef::new(DEJAVU_SANS) else {
        return fallback(s);
    };
    let metrics = font.glyph_metrics(Size::new(size as f32), LocationRef::default());
    let charmap = font.charmap();
    s.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .map_or(size * 0.6, f64::from)
        })
        .sum()
}

/// A number as SVG wants it: at most two decimals, no exponent, non-finite as 0.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn point_list(points: &[(f64, f64)]) -> String {
    let mut s = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&num(*x));
        s.push(',');
        s.push_str(&num(*y));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(
            nice_ticks(0.0, 60.0, 6),
            vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
        );
        let t = nice_ticks(-0.37, 0.81, 5);
        assert!(t.first().unwrap() >= &-0.37 && t.last().unwrap() <= &0.81);
        assert_eq!(nice_bounds(-0.37, 0.81, 5), (-0.5, 1.0));
    }

    #[test]
    fn log_ticks_use_1_2_5() {
        assert_eq!(log_ticks(0.3, 6.0), vec![0.5, 1.0, 2.0, 5.0]);
    }

    #[test]
    fn scales_map_ends_to_pixels() {
        let s = Scale::linear(0.0, 10.0, 50.0, 150.0);
        assert_eq!(s.px(5.0), 100.0);
        let l = Scale::log(0.1, 10.0, 0.0, 200.0);
        assert!((l.px(1.0) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn text_is_escaped_and_numbers_are_short() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(num(1.0), "1");
        assert_eq!(num(2.345), "2.35");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(tick_label(0.25), "0.25");
    }
}
