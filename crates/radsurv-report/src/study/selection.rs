//! Section 3: the radiomics feature-selection funnel, LASSO-Cox path and CV, and the rad-score.

use super::format::fmt_significant;
use super::ReportContext;
use crate::figures::{BarPlot, CvCurvePlot, Figure, FunnelPlot, LassoPathPlot};
use crate::html::{FigureBlock, Section, Table, TableRow};
use radsurv_study::results::SelectionFunnel;

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let r = ctx.results;
    let s = &r.selection;
    let lasso = &r.lasso;
    let log_lambda: Vec<f64> = lasso.lambda.iter().map(|l| l.ln()).collect();
    let funnel = FunnelPlot {
        id: "fig-funnel".into(),
        title: "Feature selection".into(),
        stages: vec![
            ("Extracted".into(), s.extracted),
            ("ICC ≥ threshold".into(), s.after_icc),
            ("Valid (finite, non-constant)".into(), s.after_invalid),
            ("Spearman |ρ| filter".into(), s.after_spearman),
            ("LASSO-Cox non-zero".into(), s.selected),
        ],
    };
    let path = LassoPathPlot {
        id: "fig-lasso-path".into(),
        title: "LASSO-Cox coefficient paths".into(),
        log_lambda: log_lambda.clone(),
        paths: lasso
            .paths
            .iter()
            .map(|p| (p.feature.clone(), p.coefficients.clone()))
            .collect(),
        log_lambda_min: Some(lasso.lambda_min.ln()),
        log_lambda_1se: Some(lasso.lambda_1se.ln()),
    };
    let cv = CvCurvePlot {
        id: "fig-lasso-cv".into(),
        title: format!("{}-fold cross-validation", lasso.folds),
        y_title: if lasso.measure == "C" {
            "Harrell's C".into()
        } else {
            "Partial likelihood deviance".into()
        },
        log_lambda,
        mean: lasso.cvm.clone(),
        se: lasso.cvsd.clone(),
        n_nonzero: lasso.nzero.clone(),
        log_lambda_min: Some(lasso.lambda_min.ln()),
        log_lambda_1se: Some(lasso.lambda_1se.ln()),
    };
    let mut bars: Vec<(String, f64)> = r
        .selected_features
        .iter()
        .map(|f| (f.name.clone(), f.coefficient))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let coefficients = BarPlot {
        id: "fig-coefficients".into(),
        title: "Selected radiomics features".into(),
        x_title: "LASSO-Cox coefficient (per SD)".into(),
        bars,
    };
    let terms = r
        .selected_features
        .iter()
        .map(|f| {
            TableRow::new(vec![
                f.name.clone(),
                format!("{:.6}", f.coefficient),
                format!("{:.6}", f.mean),
                format!("{:.6}", f.sd),
            ])
        })
        .collect();
    Some(Section {
        title: "Radiomics feature selection and rad-score".into(),
        paragraphs: vec![format!(
            "{} features were extracted per case; {} passed the inter-reader ICC filter, {} were \
             valid, {} remained after the Spearman redundancy filter, and LASSO-Cox ({}-fold CV, \
             {} measure, λ.{} = {}) kept {}.",
            s.extracted,
            s.after_icc,
            s.after_invalid,
            s.after_spearman,
            lasso.folds,
            lasso.measure,
            lasso.chosen,
            fmt_significant(lasso.lambda_chosen, 3),
            s.selected
        )],
        formula: Some(r.rad_score_formula.clone()),
        tables: image_type_table(s)
            .into_iter()
            .chain([Table {
                id: "tbl-radscore".into(),
                caption:
                    "Rad-score terms: coefficient on the z-scored feature, training mean and SD"
                        .into(),
                header: ["Feature", "Coefficient", "Mean", "SD"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                rows: terms,
                note: String::new(),
            }])
            .collect(),
        figures: vec![
            FigureBlock {
                figure: Figure::Funnel(funnel),
                caption: "Number of radiomics features remaining after each selection step.".into(),
            },
            FigureBlock {
                figure: Figure::LassoPath(path),
                caption: "Coefficient of each candidate feature along the λ path; dashed lines \
                          mark λ.min and λ.1se."
                    .into(),
            },
            FigureBlock {
                figure: Figure::CvCurve(cv),
                caption: "Cross-validated error (mean ± 1 SE) against log λ; the numbers along \
                          the top give the non-zero coefficients."
                    .into(),
            },
            FigureBlock {
                figure: Figure::Bars(coefficients),
                caption: "Weights of the selected radiomics features in the rad-score.".into(),
            },
        ],
        ..Default::default()
    })
}

/// The funnel's counts per image type, when the features come from more than one (a parameter
/// file with image filters); `None` for a single image type, whose row would repeat the funnel.
fn image_type_table(s: &SelectionFunnel) -> Option<Table> {
    if s.by_image_type.len() < 2 {
        return None;
    }
    let rows = s
        .by_image_type
        .iter()
        .map(|t| {
            TableRow::new(vec![
                t.image_type.clone(),
                t.extracted.to_string(),
                t.after_icc.to_string(),
                t.after_invalid.to_string(),
                t.after_spearman.to_string(),
                t.selected.to_string(),
            ])
        })
        .collect();
    Some(Table {
        id: "tbl-image-types".into(),
        caption: "Features per image type remaining after each selection step".into(),
        header: [
            "Image type",
            "Extracted",
            "ICC",
            "Valid",
            "Spearman",
            "LASSO",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows,
        note: String::new(),
    })
}
