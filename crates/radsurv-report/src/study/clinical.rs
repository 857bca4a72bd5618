//! Section 2: univariable and multivariable Cox regression of the clinical variables (Table 2,
//! forest plots).

use super::format::{count, fmt_hr, fmt_p};
use super::ReportContext;
use crate::figures::{Figure, ForestPlot, ForestRow};
use crate::html::{FigureBlock, Section, Table, TableRow};
use radsurv_study::results::{CoxRow, StudyResults};

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let r = ctx.results;
    let rows = r
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
    let forest = |id: &str, title: &str, rows: &[CoxRow]| FigureBlock {
        figure: Figure::Forest(ForestPlot {
            id: id.into(),
            title: title.into(),
            rows: rows
                .iter()
                .map(|c| ForestRow {
                    label: c.label.clone(),
                    hr: c.estimate.hr,
                    lower: c.estimate.hr_lower,
                    upper: c.estimate.hr_upper,
                    p: fmt_p(c.estimate.p),
                })
                .collect(),
        }),
        caption: format!("{title}: hazard ratios with 95 % CIs (training cohort, log scale)."),
    };
    Some(Section {
        title: "Clinical predictors (Cox regression)".into(),
        paragraphs: vec![format!(
            "Univariable Cox regression of every candidate clinical variable in the training cohort; \
             variables significant at screening entered the multivariable model ({}).",
            count(r.multivariable.len(), "covariate")
        )],
        tables: vec![
            Table {
            id: "tbl-2".into(),
            caption: "Table 2. Cox regression analysis of clinical variables for predicting OS"
                .into(),
            header: ["Variable", "Univariable HR (95% CI)", "p", "Multivariable HR (95% CI)", "p"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows,
            note: "Highlighted rows: univariable p < 0.05. Wald tests; Efron ties.".into(),
            },
            combined_table(r),
        ],
        figures: vec![
            forest("fig-forest-univariable", "Univariable Cox models", &r.univariable),
            forest("fig-forest-multivariable", "Multivariable Cox model", &r.multivariable),
        ],
        ..Default::default()
    })
}

/// Table 3: the combined model's own hazard ratios (the rad-score with the clinical covariates).
fn combined_table(r: &StudyResults) -> Table {
    let combined = &r.models.combined;
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
        rows: combined
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
            .collect(),
        note: "Wald tests; Efron ties. The rad-score enters per unit.".into(),
    }
}
