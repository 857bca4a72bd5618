//! Section 1: the cohorts (size, deaths, dates, centres, follow-up) and Table 1.

use super::format::{fmt_estimate, fmt_p};
use super::{DemoNotes, ReportContext};
use crate::html::{Section, Table, TableRow};
use radsurv_study::results::CohortSummary;

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let unit = ctx.unit.as_str();
    let r = ctx.results;
    let describe = |name: &str, c: &CohortSummary| {
        let dates = match (&c.first_date, &c.last_date) {
            (Some(a), Some(b)) => format!(", treated {a} to {b}"),
            _ => String::new(),
        };
        let centres = if c.centres.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = c.centres.iter().map(|(k, n)| format!("{k} {n}")).collect();
            format!(" Centres: {}.", list.join(", "))
        };
        let excluded = if c.excluded.is_empty() {
            String::new()
        } else {
            format!(
                " Excluded after failed extraction: {}.",
                c.excluded.join(", ")
            )
        };
        format!(
            "{name} cohort: {} patients, {} deaths ({:.1} %){dates}. Median OS {} {unit}; \
             median follow-up (reverse Kaplan–Meier) {} {unit}.{centres}{excluded}",
            c.n,
            c.events,
            100.0 * c.events as f64 / c.n.max(1) as f64,
            fmt_estimate(&c.median_os, 1),
            fmt_estimate(&c.median_follow_up, 1),
        )
    };
    let rows = r
        .table1
        .iter()
        .map(|row| {
            let is_header = row.level.is_none() && row.overall.is_empty();
            let name = match &row.level {
                Some(level) => format!("   {level}"),
                None => row.variable.clone(),
            };
            TableRow {
                cells: vec![
                    name,
                    row.overall.clone(),
                    row.training.clone(),
                    row.validation.clone(),
                    row.p.map(fmt_p).unwrap_or_default(),
                    row.statistic.map(|s| format!("{s:.2}")).unwrap_or_default(),
                    row.test.clone().unwrap_or_default(),
                ],
                heading: is_header || row.level.is_none(),
                emphasis: false,
            }
        })
        .collect();
    let (t, v) = (&r.cohorts.training, &r.cohorts.validation);
    Some(Section {
        title: "Cohorts and baseline characteristics".into(),
        paragraphs: ctx
            .demo
            .map(demo_note)
            .into_iter()
            .chain([describe("Training", t), describe("Validation", v)])
            .collect(),
        tables: vec![Table {
            id: "tbl-1".into(),
            caption: "Table 1. Baseline characteristics of the training and validation cohorts"
                .into(),
            header: [
                "Characteristic",
                &format!("Overall (n = {})", t.n + v.n),
                &format!("Training (n = {})", t.n),
                &format!("Validation (n = {})", v.n),
                "p",
                "t/Z/χ²",
                "Test",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows,
            note: "Continuous variables: mean ± SD (t-test) or median (Q1, Q3) (Mann–Whitney); \
                   categorical: n (%) (Pearson χ², no continuity correction)."
                .into(),
        }],
        ..Default::default()
    })
}

/// The demo's statement that its patients are simulated.
fn demo_note(demo: &DemoNotes) -> String {
    format!(
        "These {} patients are synthetic: radsurv demo simulated their CT images, masks and \
         clinical data (seed {}). The numbers below show what the pipeline reports; they describe \
         no real patient.",
        demo.patients, demo.seed
    )
}
