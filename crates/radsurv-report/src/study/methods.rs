//! Section 10: the Methods prose (from `templates/sections/methods.html.j2`) and the table of
//! recorded choices.

use serde::Serialize;

use radsurv_study::results::{ExtractionSummary, LassoSummary, SoftwareInfo};

use super::ReportContext;
use crate::html::{Prose, Section, Table, TableRow};

/// The conventions the Methods template states, by their key among the recorded choices.
const CONVENTIONS: [&str; 6] = [
    "table1.normality_rule",
    "table1.t_test",
    "table1.mann_whitney",
    "table1.chi_square",
    "td_auc.definition",
    "c_index.score",
];

/// The numbers the Methods template states.
#[derive(Serialize)]
struct MethodsData<'a> {
    software: &'a SoftwareInfo,
    extraction: &'a ExtractionSummary,
    lasso: &'a LassoSummary,
    icc_type: &'a str,
    conventions: std::collections::BTreeMap<&'a str, &'a str>,
}

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let r = ctx.results;
    let choice = |key: &str| {
        r.choices
            .iter()
            .find(|c| c.key == key)
            .map_or("", |c| c.value.as_str())
    };
    let data = MethodsData {
        software: &r.software,
        extraction: &r.extraction,
        lasso: &r.lasso,
        icc_type: choice("icc.type"),
        conventions: CONVENTIONS
            .iter()
            .map(|&key| (key, choice(key)))
            .filter(|(_, value)| !value.is_empty())
            .collect(),
    };
    let rows = r
        .choices
        .iter()
        .map(|c| {
            TableRow::new(vec![
                c.key.clone(),
                c.value.clone(),
                if c.is_default {
                    "default".into()
                } else {
                    "set in config".into()
                },
                c.rationale.clone(),
            ])
        })
        .collect();
    Some(Section {
        title: "Methods".into(),
        prose: Some(Prose::new("sections/methods.html.j2", &data)),
        formula: Some(r.extraction.params_yaml.clone()),
        tables: vec![Table {
            id: "tbl-choices".into(),
            caption: "Statistical choices the seed study leaves open, and the values used".into(),
            header: ["Setting", "Value", "Source", "Rationale"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows,
            note: String::new(),
        }],
        ..Default::default()
    })
}
