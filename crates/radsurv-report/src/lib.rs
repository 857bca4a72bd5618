//! The study report: publication-quality SVG figures (PNG export through resvg with an embedded
//! font) and one self-contained `report.html` with every table, figure, a methods paragraph, a
//! TRIPOD checklist and an interactive risk calculator.
//!
//! Layers, bottom-up:
//! - [`svg`]: a small drawing helper (scales, nice ticks, axes, legends, one palette and font);
//! - [`figures`]: one plain input struct per figure type and a function drawing it; figures
//!   only draw numbers computed elsewhere (the study), they never compute statistics;
//! - [`png`]: SVG parsing and PNG export with the embedded DejaVu Sans;
//! - [`html`]: the report's sections, tables and calculator model, rendered to one HTML file;
//! - [`study`]: the mapping from `radsurv_study::StudyResults` to those sections.
//!
//! ```no_run
//! # fn demo(results: &radsurv_study::StudyResults) -> radsurv_report::Result<()> {
//! let report = radsurv_report::build_report(results, Default::default());
//! radsurv_report::write_report(&report, std::path::Path::new("out"), true)?;
//! # Ok(()) }
//! ```

pub mod error;
pub mod figures;
pub mod html;
pub mod png;
pub mod study;
pub mod svg;

use std::path::{Path, PathBuf};

pub use error::{ReportError, Result};
pub use figures::Figure;
pub use html::{render_html, Report};
pub use study::{build_report, DemoNotes, ReportOptions};

/// Builds the report of a study folder's results and writes it into `dir` with every figure as
/// SVG and PNG: what `radsurv study` and `radsurv demo` both call. `model` is the combined model
/// as `model.json` stores it (it drives the risk calculator).
///
/// # Errors
/// As [`write_report`].
pub fn write_study_report(
    results: &radsurv_study::StudyResults,
    model: Option<&radsurv_study::ModelFile>,
    demo: Option<DemoNotes>,
    dir: &Path,
) -> Result<WrittenReport> {
    let options = ReportOptions {
        calculator: model.map(|m| study::calculator_model(m, results.nomogram.as_ref())),
        demo,
    };
    write_report(&build_report(results, options), dir, true)
}

/// Files written by [`write_report`].
#[derive(Debug, Clone)]
pub struct WrittenReport {
    /// The self-contained HTML report.
    pub html: PathBuf,
    /// Every figure as SVG (and PNG when asked), under `figures/`.
    pub figures: Vec<PathBuf>,
}

/// Writes `report.html` into `dir`, and every figure as `figures/<id>.svg` plus, when `png` is
/// set, `figures/<id>.png` at 2× (300 dpi at the figure's nominal size of ~4.3 in).
///
/// # Errors
/// [`ReportError::Io`] naming the file; rendering errors as [`render_html`] and
/// [`png::svg_to_png`].
pub fn write_report(report: &Report, dir: &Path, png: bool) -> Result<WrittenReport> {
    let figure_dir = dir.join("figures");
    create_dir(&figure_dir)?;
    let html_path = dir.join("report.html");
    write_file(&html_path, render_html(report)?.as_bytes())?;
    let mut figures = Vec::new();
    for block in report.sections.iter().flat_map(|s| &s.figures) {
        let id = block.figure.id();
        let svg = block.figure.svg();
        let svg_path = figure_dir.join(format!("{id}.svg"));
        write_file(&svg_path, svg.as_bytes())?;
        figures.push(svg_path);
        if png {
            let png_path = figure_dir.join(format!("{id}.png"));
            write_file(&png_path, &png::svg_to_png(id, &svg, 2.0)?)?;
            figures.push(png_path);
        }
    }
    Ok(WrittenReport {
        html: html_path,
        figures,
    })
}

fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}
