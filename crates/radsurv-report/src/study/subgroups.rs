//! Section 8: the combined model's risk groups within each clinical subgroup.

use super::format::with_ratio_note;
use super::format::{cohort_name, fmt_opt, fmt_p, fmt_ratio};
use super::km::km_plot;
use super::ReportContext;
use crate::figures::Figure;
use crate::html::{FigureBlock, Section, Table, TableRow};
use radsurv_study::results::StudyResults;

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let unit = ctx.unit.as_str();
    let r = ctx.results;
    let rows: Vec<TableRow> = r
        .subgroups
        .iter()
        .map(|s| {
            let lr = s
                .comparison
                .logrank
                .map(|l| fmt_p(l.p))
                .unwrap_or_else(|| "–".into());
            let hr = s
                .comparison
                .hazard_ratio
                .map(|h| fmt_ratio(&h))
                .unwrap_or_else(|| "–".into());
            let med = |k: usize| {
                s.comparison.groups.get(k).map_or_else(
                    || "–".into(),
                    |g| format!("{} ({})", fmt_opt(g.median.value, 1), g.n),
                )
            };
            TableRow {
                cells: vec![
                    cohort_name(s.cohort).into(),
                    s.label.clone(),
                    s.level.clone(),
                    med(0),
                    med(1),
                    hr,
                    lr,
                ],
                heading: false,
                emphasis: s.comparison.logrank.is_some_and(|l| l.p < 0.05),
            }
        })
        .collect();
    Some(Section {
        title: "Risk stratification within clinical subgroups".into(),
        paragraphs: vec![
            "The combined model's low/high risk groups compared within each level of the \
             clinical subgroup variables (same training-median cut-off)."
                .into(),
        ],
        tables: vec![Table {
            id: "tbl-subgroups".into(),
            caption: "Combined-model risk groups within clinical subgroups".into(),
            header: [
                "Cohort",
                "Variable",
                "Level",
                "Low risk: median OS (n)",
                "High risk: median OS (n)",
                "HR (95% CI)",
                "Log-rank p",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            note: with_ratio_note(
                "Highlighted: log-rank p < 0.05. NR: median not reached.",
                &rows,
            ),
            rows,
        }],
        figures: subgroup_figures(r, unit),
        ..Default::default()
    })
}

/// One KM figure of the combined model's risk groups per subgroup level and cohort.
fn subgroup_figures(r: &StudyResults, unit: &str) -> Vec<FigureBlock> {
    r.subgroups
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let name = cohort_name(s.cohort);
            FigureBlock {
                figure: Figure::Km(km_plot(
                    &format!("fig-km-subgroup-{k}"),
                    &format!("{} = {}, {name} cohort", s.label, s.level),
                    &s.comparison,
                    unit,
                )),
                caption: format!(
                    "Kaplan–Meier OS of the combined model's low- and high-risk groups among \
                     patients with {} = {} ({name} cohort); shaded bands are 95 % CIs.",
                    s.label, s.level
                ),
            }
        })
        .collect()
}
