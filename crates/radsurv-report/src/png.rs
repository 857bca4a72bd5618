//! SVG parsing and PNG export through resvg, with the embedded DejaVu Sans font so that text
//! renders identically on every machine (no system fonts are loaded).

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

use crate::error::{ReportError, Result};

/// DejaVu Sans (Bitstream Vera licence, see `assets/DejaVuSans-LICENSE.txt`).
use crate::svg::DEJAVU_SANS;

/// Largest raster side we produce, px (a guard against absurd scales).
const MAX_SIDE: u32 = 16_384;

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut opt = usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            ..Default::default()
        };
        opt.fontdb_mut().load_font_data(DEJAVU_SANS.to_vec());
        opt
    })
}

/// Parses an SVG document with the embedded font; `figure` names it in errors.
///
/// # Errors
/// [`ReportError::Svg`] when the document is not valid SVG.
pub fn parse_svg(figure: &str, svg: &str) -> Result<usvg::Tree> {
    usvg::Tree::from_str(svg, options()).map_err(|source| ReportError::Svg {
        figure: figure.to_string(),
        source,
    })
}

/// Rasterises an SVG document to PNG bytes at `scale` × its nominal size (2.0 for print).
///
/// # Errors
/// [`ReportError::Svg`] for invalid SVG, [`ReportError::Raster`] for an empty or oversized
/// canvas, [`ReportError::Png`] if encoding fails.
pub fn svg_to_png(figure: &str, svg: &str, scale: f32) -> Result<Vec<u8>> {
    let tree = parse_svg(figure, svg)?;
    let size = tree.size();
    let width = (size.width() * scale).ceil() as u32;
    let height = (size.height() * scale).ceil() as u32;
    let raster_error = || ReportError::Raster {
        figure: figure.to_string(),
        width,
        height,
    };
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(raster_error());
    }
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or_else(raster_error)?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| ReportError::Png {
        figure: figure.to_string(),
        reason: e.to_string(),
    })
}
