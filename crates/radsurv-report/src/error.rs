//! Errors of the report crate.

use std::path::PathBuf;

/// Result alias of this crate.
pub type Result<T, E = ReportError> = std::result::Result<T, E>;

/// Why a report or figure could not be produced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A figure's SVG could not be parsed (a bug in the figure code, reported with its id).
    #[error("figure {figure:?}: invalid SVG")]
    Svg {
        /// Figure id.
        figure: String,
        /// Parser error.
        #[source]
        source: resvg::usvg::Error,
    },
    /// A figure could not be rasterised (zero or oversized canvas).
    #[error("figure {figure:?}: cannot rasterise a {width}×{height} px image")]
    Raster {
        /// Figure id.
        figure: String,
        /// Requested width, px.
        width: u32,
        /// Requested height, px.
        height: u32,
    },
    /// PNG encoding failed.
    #[error("figure {figure:?}: PNG encoding failed: {reason}")]
    Png {
        /// Figure id.
        figure: String,
        /// Encoder message.
        reason: String,
    },
    /// The HTML template failed to render.
    #[error("report template {template:?} failed")]
    Template {
        /// Template name.
        template: String,
        /// Template engine error.
        #[source]
        source: minijinja::Error,
    },
    /// The embedded model could not be serialised for the risk calculator.
    #[error("cannot serialise the model for the risk calculator")]
    ModelJson(#[source] serde_json::Error),
    /// Writing an output file failed.
    #[error("{}: cannot write", .path.display())]
    Io {
        /// File being written.
        path: PathBuf,
        /// OS error.
        #[source]
        source: std::io::Error,
    },
}
