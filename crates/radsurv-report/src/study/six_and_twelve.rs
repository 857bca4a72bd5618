//! Section 7: the combined model against the Six-and-twelve score, continuous and in strata.

use super::format::with_ratio_note;
use super::format::{by_cohort, cohort_name, fmt_c, fmt_p, model_name};
use super::km::{group_header, group_rows, km_plot};
use super::ReportContext;
use crate::figures::Figure;
use crate::html::{FigureBlock, Section, Table, TableRow};
use radsurv_study::results::{CohortName, ModelKey};

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let unit = ctx.unit.as_str();
    let r = ctx.results;
    let st = &r.six_and_twelve_strata;
    let mut rows: Vec<TableRow> = Vec::new();
    for (cohort, _) in by_cohort(&st.c_index) {
        let (combined, six) = match cohort {
            CohortName::Training => (
                &r.models.combined.c_index.training,
                &r.models.six_and_twelve.c_index.training,
            ),
            CohortName::Validation => (
                &r.models.combined.c_index.validation,
                &r.models.six_and_twelve.c_index.validation,
            ),
        };
        let strata_c = match cohort {
            CohortName::Training => &st.c_index.training,
            CohortName::Validation => &st.c_index.validation,
        };
        let cmp = r.c_comparisons.iter().find(|c| {
            c.cohort == cohort
                && c.model_a == ModelKey::Combined
                && c.model_b == ModelKey::SixAndTwelve
        });
        rows.push(TableRow::new(vec![
            cohort_name(cohort).into(),
            fmt_c(combined),
            fmt_c(six),
            fmt_c(strata_c),
            cmp.map_or_else(
                || "–".into(),
                |c| format!("{:+.3} ({:+.3} to {:+.3})", c.difference, c.lower, c.upper),
            ),
            cmp.map_or_else(|| "–".into(), |c| fmt_p(c.p)),
        ]));
    }
    let comparisons = r
        .c_comparisons
        .iter()
        .map(|c| {
            TableRow::new(vec![
                cohort_name(c.cohort).into(),
                format!(
                    "{} vs {}",
                    model_name(r, c.model_a),
                    model_name(r, c.model_b)
                ),
                format!("{:+.3} ({:+.3} to {:+.3})", c.difference, c.lower, c.upper),
                fmt_p(c.p),
            ])
        })
        .collect();
    let mut strata_rows = group_rows("Training", &st.survival.training);
    strata_rows.extend(group_rows("Validation", &st.survival.validation));
    let figures = by_cohort(&st.survival)
        .into_iter()
        .map(|(cohort, cmp)| {
            let name = cohort_name(cohort);
            FigureBlock {
                figure: Figure::Km(km_plot(
                    &format!("fig-km-six-and-twelve-{}", name.to_lowercase()),
                    &format!("Six-and-twelve strata, {name} cohort"),
                    cmp,
                    unit,
                )),
                caption: format!(
                    "Kaplan–Meier OS by Six-and-twelve stratum (tumour size + number ≤ {} / ≤ {} / \
                     above), {name} cohort.",
                    st.cutoffs.first().map_or("6".into(), |v| crate::svg::tick_label(*v)),
                    st.cutoffs.get(1).map_or("12".into(), |v| crate::svg::tick_label(*v)),
                ),
            }
        })
        .collect();
    Some(Section {
        title: "Comparison with the Six-and-twelve score".into(),
        paragraphs: vec![
            "The Six-and-twelve score (largest tumour diameter in cm plus tumour number) was \
             evaluated as a continuous score and in its three strata, on the same patients."
                .into(),
        ],
        tables: vec![
            Table {
                id: "tbl-six-and-twelve".into(),
                caption: "C-index of the combined model against the Six-and-twelve score".into(),
                header: [
                    "Cohort",
                    "Combined model",
                    "Six-and-twelve (continuous)",
                    "Six-and-twelve (strata)",
                    "Difference, combined − Six-and-twelve (95% CI)",
                    "p",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect(),
                rows,
                note: "Paired comparison of Harrell's C on the same patients.".into(),
            },
            Table {
                id: "tbl-c-comparisons".into(),
                caption: "Paired C-index comparisons".into(),
                header: ["Cohort", "Models", "Difference (95% CI)", "p"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                rows: comparisons,
                note: String::new(),
            },
            Table {
                id: "tbl-six-and-twelve-strata".into(),
                caption: "Survival by Six-and-twelve stratum".into(),
                header: group_header(unit),
                note: with_ratio_note("HR: each later stratum against the first.", &strata_rows),
                rows: strata_rows,
            },
        ],
        figures,
        ..Default::default()
    })
}
