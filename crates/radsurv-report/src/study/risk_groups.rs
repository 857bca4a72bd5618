//! Section 6: the combined model's low- and high-risk groups in both cohorts.

use super::format::with_ratio_note;
use super::format::{by_cohort, cohort_name};
use super::km::{group_header, group_rows, km_plot};
use super::ReportContext;
use crate::figures::Figure;
use crate::html::{FigureBlock, Section, Table};
use radsurv_study::results::ByCohort;

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let unit = ctx.unit.as_str();
    let r = ctx.results;
    let rg = &r.risk_groups;
    let mut rows = group_rows("Training", &rg.training);
    rows.extend(group_rows("Validation", &rg.validation));
    let figures = by_cohort(&ByCohort {
        training: &rg.training,
        validation: &rg.validation,
    })
    .into_iter()
    .map(|(cohort, cmp)| {
        let name = cohort_name(cohort);
        FigureBlock {
            figure: Figure::Km(km_plot(
                &format!("fig-km-{}", name.to_lowercase()),
                &format!(
                    "{} model risk groups, {name} cohort",
                    r.models.combined.label
                ),
                cmp,
                unit,
            )),
            caption: format!(
                "Kaplan–Meier OS of the low- and high-risk groups (cut at the training median \
                     of the linear predictor, {:.4}), {name} cohort; shaded bands are 95 % CIs.",
                rg.threshold
            ),
        }
    })
    .collect();
    Some(Section {
        title: "Risk stratification".into(),
        paragraphs: vec![format!(
            "Patients were classified as high risk when the combined model's linear predictor \
             exceeded {:.4}, the training-cohort median; the same cut-off was applied unchanged \
             to the validation cohort.",
            rg.threshold
        )],
        tables: vec![Table {
            id: "tbl-risk-groups".into(),
            caption: "Survival by predicted risk group".into(),
            header: group_header(unit),
            note: with_ratio_note(
                "HR: high against low risk (Cox); log-rank p on each cohort's first row.",
                &rows,
            ),
            rows,
        }],
        figures,
        ..Default::default()
    })
}
