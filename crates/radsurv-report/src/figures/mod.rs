//! The report's figures. Each figure type is a plain input struct holding already-computed
//! numbers (from the study results) and a function that draws it as an SVG document; figures
//! never compute statistics.

mod bars;
mod calibration;
mod forest;
mod km;
mod lasso;
mod nomogram;
mod roc;

pub use bars::{bar_svg, funnel_svg, grouped_bar_svg, BarPlot, CiBar, FunnelPlot, GroupedBarPlot};
pub use calibration::{calibration_svg, CalibrationPlot, CalibrationSeries};
pub use forest::{forest_svg, ForestPlot, ForestRow};
pub use km::{km_svg, KmPlot, KmSeries};
pub use lasso::{cv_curve_svg, lasso_path_svg, CvCurvePlot, LassoPathPlot};
pub use nomogram::{nomogram_svg, NomogramAxis, NomogramPlot, NomogramTick};
pub use roc::{roc_svg, RocCurve, RocPanel, RocPlot};

/// Any figure of the report.
#[derive(Debug, Clone)]
pub enum Figure {
    /// Kaplan–Meier curves with a number-at-risk table.
    Km(KmPlot),
    /// Time-dependent ROC curves.
    Roc(RocPlot),
    /// Calibration curves.
    Calibration(CalibrationPlot),
    /// Nomogram.
    Nomogram(NomogramPlot),
    /// LASSO coefficient paths.
    LassoPath(LassoPathPlot),
    /// LASSO cross-validation curve.
    CvCurve(CvCurvePlot),
    /// Signed horizontal bars (coefficients).
    Bars(BarPlot),
    /// Grouped bars with CIs (C-index comparison).
    GroupedBars(GroupedBarPlot),
    /// Cox-model forest plot.
    Forest(ForestPlot),
    /// Feature-selection funnel.
    Funnel(FunnelPlot),
}

impl Figure {
    /// Element id of the figure's SVG root.
    pub fn id(&self) -> &str {
        match self {
            Figure::Km(p) => &p.id,
            Figure::Roc(p) => &p.id,
            Figure::Calibration(p) => &p.id,
            Figure::Nomogram(p) => &p.id,
            Figure::LassoPath(p) => &p.id,
            Figure::CvCurve(p) => &p.id,
            Figure::Bars(p) => &p.id,
            Figure::GroupedBars(p) => &p.id,
            Figure::Forest(p) => &p.id,
            Figure::Funnel(p) => &p.id,
        }
    }

    /// The figure as a standalone SVG document.
    pub fn svg(&self) -> String {
        match self {
            Figure::Km(p) => km_svg(p),
            Figure::Roc(p) => roc_svg(p),
            Figure::Calibration(p) => calibration_svg(p),
            Figure::Nomogram(p) => nomogram_svg(p),
            Figure::LassoPath(p) => lasso_path_svg(p),
            Figure::CvCurve(p) => cv_curve_svg(p),
            Figure::Bars(p) => bar_svg(p),
            Figure::GroupedBars(p) => grouped_bar_svg(p),
            Figure::Forest(p) => forest_svg(p),
            Figure::Funnel(p) => funnel_svg(p),
        }
    }
}
