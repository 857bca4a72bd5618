//! Section 5: the combined model's nomogram and its points tables.

use super::format::{combined_fit_caution, format_value, horizon_label};
use super::ReportContext;
use crate::figures::{Figure, NomogramAxis, NomogramPlot, NomogramTick};
use crate::html::{FigureBlock, Section, Table, TableRow};

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let r = ctx.results;
    let Some(nomo) = &r.nomogram else {
        return Some(Section {
            title: "Nomogram".into(),
            paragraphs: vec!["The study results contain no nomogram.".into()],
            ..Default::default()
        });
    };
    let axis =
        |label: &str, values: &[f64], points: &[f64], text: &dyn Fn(f64) -> String| NomogramAxis {
            label: label.to_string(),
            ticks: values
                .iter()
                .zip(points)
                .map(|(v, p)| NomogramTick {
                    position: *p,
                    label: text(*v),
                })
                .collect(),
        };
    let predictors: Vec<NomogramAxis> = nomo
        .covariates
        .iter()
        .map(|c| {
            axis(&c.label, &c.values, &c.points, &|v| {
                covariate_value(c, v, 3)
            })
        })
        .collect();
    let total_lo = nomo.total_points_axis.iter().copied().fold(0.0, f64::min);
    let total_hi = nomo
        .total_points_axis
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let two_digits = |v: f64| format_value(v, 2);
    let mut outcomes = vec![axis(
        "Linear predictor",
        &nomo.lp_axis.values,
        &nomo.lp_axis.points,
        &two_digits,
    )];
    outcomes.extend(nomo.survival_axes.iter().map(|(k, s)| {
        axis(
            &format!("{} OS", horizon_label(k)),
            &s.values,
            &s.points,
            &two_digits,
        )
    }));
    let plot = NomogramPlot {
        id: "fig-nomogram".into(),
        title: format!("Nomogram of the {} model", r.models.combined.label),
        max_points: 100.0,
        predictors,
        total_points_range: (
            total_lo,
            if total_hi > total_lo {
                total_hi
            } else {
                total_lo + 100.0
            },
        ),
        outcomes,
    };
    let rows = nomo
        .covariates
        .iter()
        .flat_map(|c| {
            c.values.iter().zip(&c.points).map(move |(v, p)| {
                TableRow::new(vec![
                    c.label.clone(),
                    covariate_value(c, *v, 4),
                    format!("{p:.1}"),
                ])
            })
        })
        .collect();
    let survival_rows = nomo
        .survival_axes
        .iter()
        .flat_map(|(k, s)| {
            s.values.iter().zip(&s.points).map(move |(v, p)| {
                TableRow::new(vec![
                    format!("{} OS", horizon_label(k)),
                    format_value(*v, 2),
                    format!("{p:.1}"),
                ])
            })
        })
        .collect();
    Some(Section {
        title: "Nomogram".into(),
        paragraphs: vec![format!(
            "Each predictor value scores points on the top ruler; their sum (total points) reads \
             off the linear predictor and the predicted OS. Linear predictor = {:.4} + total \
             points / {:.4}.",
            nomo.intercept, nomo.scale
        )],
        warnings: combined_fit_caution(r, "every axis of the nomogram")
            .into_iter()
            .collect(),
        tables: vec![
            Table {
                id: "tbl-nomogram-points".into(),
                caption: "Nomogram points per predictor value".into(),
                header: ["Predictor", "Value", "Points"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                rows,
                note: String::new(),
            },
            Table {
                id: "tbl-nomogram-survival".into(),
                caption: "Total points for each predicted survival probability".into(),
                header: ["Outcome", "Predicted OS", "Total points"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                rows: survival_rows,
                note: String::new(),
            },
        ],
        figures: vec![FigureBlock {
            figure: Figure::Nomogram(plot),
            caption: "Nomogram of the combined clinical-radiomics Cox model for 1-, 2- and \
                      3-year OS (as rms::nomogram draws it)."
                .into(),
        }],
        ..Default::default()
    })
}

/// A covariate's axis value as Table 1 states it: "no"/"yes" for a 0/1 indicator, else the
/// number with `digits` significant digits.
fn covariate_value(
    axis: &radsurv_study::results::NomogramAxis,
    value: f64,
    digits: usize,
) -> String {
    if axis.indicator && value == 0.0 {
        "no".into()
    } else if axis.indicator && value == 1.0 {
        "yes".into()
    } else {
        format_value(value, digits)
    }
}
