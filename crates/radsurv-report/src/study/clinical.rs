//! Section 2: univariable and multivariable Cox regression of the clinical variables (Table 2,
//! forest plots).

use super::format::{count, fmt_hr, fmt_p, with_ratio_note};
use super::ReportContext;
use crate::figures::{Figure, ForestPlot, ForestRow};
use crate::html::{FigureBlock, Section, Table, TableRow};
use radsurv_study::results::{CoxRow, StudyResults};

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let r = ctx.results;
    let rows: Vec<TableRow> = r
        .univariable
        .iter()
        .map(|u| {
            let multi = r.multivariable.iter().find(|m| m.name == u.name);
            TableRow {
                cells: vec![
                    u.label.clone(),
                    fmt_hr(u),
                    fmt_p(u.estimate.p),
                    multi.map(fmt_hr).unwrap_or_default(),
                    multi.map(|m| fmt_p(m.estimate.p)).unwrap_or_default(),
                ],
                heading: false,
                emphasis: u.estimate.p < 0.05,
            }
        })
        .collect();
    let table_2_note = with_ratio_note(
        &format!(
            "Highlighted rows: univariable p < 0.05. Wald tests; Efron ties.{}",
            not_fitted_note(r)
        ),
        &rows,
    );
    let forest = |id: &str, title: &str, rows: &[CoxRow]| FigureBlock {
        figure: Figure::Forest(ForestPlot {
            id: id.into(),
            title: title.into(),
            rows: rows
                .iter()
                .filter(|c| !c.may_be_infinite)
                .map(|c| ForestRow {
                    label: c.label.clone(),
                    hr: c.estimate.hr,
                    lower: c.estimate.hr_lower,
                    upper: c.estimate.hr_upper,
                    p: fmt_p(c.estimate.p),
                })
                .collect(),
        }),
        caption: format!(
            "{title}: hazard ratios with 95 % CIs (training cohort, log scale).{}",
            left_out_of_forest(rows)
        ),
    };
    let paragraphs = vec![format!(
        "Univariable Cox regression of every candidate clinical variable in the training cohort; \
         variables significant at screening entered the multivariable model ({}).",
        count(r.multivariable.len(), "covariate")
    )];
    Some(Section {
        title: "Clinical predictors (Cox regression)".into(),
        paragraphs,
        warnings: fit_warnings(r),
        tables: vec![
            Table {
                id: "tbl-2".into(),
                caption: "Table 2. Cox regression analysis of clinical variables for predicting OS"
                    .into(),
                header: [
                    "Variable",
                    "Univariable HR (95% CI)",
                    "p",
                    "Multivariable HR (95% CI)",
                    "p",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
                rows,
                note: table_2_note,
            },
            combined_table(r),
        ],
        figures: vec![
            forest(
                "fig-forest-univariable",
                "Univariable Cox models",
                &r.univariable,
            ),
            forest(
                "fig-forest-multivariable",
                "Multivariable Cox model",
                &r.multivariable,
            ),
        ],
        ..Default::default()
    })
}

/// Table 3: the combined model's own hazard ratios (the rad-score with the clinical covariates).
fn combined_table(r: &StudyResults) -> Table {
    let combined = &r.models.combined;
    let rows: Vec<TableRow> = combined
        .coefficients
        .iter()
        .map(|c| {
            TableRow::new(vec![
                c.label.clone(),
                format!("{:.4}", c.estimate.coef),
                fmt_hr(c),
                fmt_p(c.estimate.p),
            ])
        })
        .collect();
    Table {
        id: "tbl-combined".into(),
        caption: format!(
            "Table 3. Multivariable Cox regression of the {} model (training cohort)",
            combined.label
        ),
        header: ["Variable", "Coefficient", "HR (95% CI)", "p"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        note: with_ratio_note(
            "Wald tests; Efron ties. The rad-score enters per unit.",
            &rows,
        ),
        rows,
    }
}

/// The candidates Table 2 leaves out because the screening could not fit them, with the reason.
fn not_fitted_note(r: &StudyResults) -> String {
    if r.univariable_not_fitted.is_empty() {
        return String::new();
    }
    let each: Vec<String> = r
        .univariable_not_fitted
        .iter()
        .map(|n| format!("{} ({})", n.label, n.reason))
        .collect();
    format!(
        " Not fitted in the training cohort, so not in the table: {}.",
        each.join("; ")
    )
}

/// The forest plots leave out a hazard ratio that has no finite estimate; the caption says so.
fn left_out_of_forest(rows: &[CoxRow]) -> String {
    let left_out: Vec<&str> = rows
        .iter()
        .filter(|c| c.may_be_infinite)
        .map(|c| c.label.as_str())
        .collect();
    if left_out.is_empty() {
        String::new()
    } else {
        format!(
            " Not shown, having no finite hazard ratio (NE in Table 2): {}.",
            left_out.join("; ")
        )
    }
}

/// One sentence per model whose Cox fit warned (no convergence, a coefficient that may be
/// infinite), as R prints such warnings beside the fit.
fn fit_warnings(r: &StudyResults) -> Vec<String> {
    r.models
        .iter()
        .flat_map(|(_, model)| {
            model.fit_warnings.iter().map(move |warning| {
                format!(
                    "Warning from the {} model's Cox fit: {warning}.",
                    model.label
                )
            })
        })
        .collect()
}
