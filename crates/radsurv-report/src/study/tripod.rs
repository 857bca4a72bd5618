//! Section 11: the TRIPOD checklist (from `templates/sections/tripod.html.j2`).

use serde::Serialize;

use super::ReportContext;
use crate::html::{Prose, Section};

/// What the checklist needs to know to mark an item filled or missing.
#[derive(Serialize)]
struct TripodData {
    dates: bool,
    centres: bool,
    calculator: bool,
    combined_model: bool,
    nomogram: bool,
}

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let c = &ctx.results.cohorts;
    let data = TripodData {
        dates: c.training.first_date.is_some() && c.validation.last_date.is_some(),
        centres: !c.training.centres.is_empty(),
        calculator: ctx.has_calculator,
        combined_model: !ctx.results.models.combined.coefficients.is_empty(),
        nomogram: ctx.results.nomogram.is_some(),
    };
    Some(Section {
        title: "TRIPOD checklist".into(),
        paragraphs: vec![
            "TRIPOD 2015 items for the development and validation of a prediction model: which \
             this report fills, which lack an input, and which only the authors can write."
                .into(),
        ],
        prose: Some(Prose::new("sections/tripod.html.j2", &data)),
        ..Default::default()
    })
}
