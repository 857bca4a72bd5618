//! The demo's comparison with the seed study: the paper's published values beside this run's,
//! each with a sentence saying whether the run falls inside the paper's interval, and the checks
//! that are not intervals. Shown only for a demo run: on a user's own cohort the seed study's
//! numbers are no yardstick.

use super::format::format_value;
use super::ReportContext;
use crate::html::{Section, Table, TableRow};
use radsurv_study::seed_study::{self, Check, Comparison, SeedStudy};

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let demo = ctx.demo?;
    let seed = seed_study::published();
    let comparisons = seed_study::compare(&seed, ctx.results);
    let further = seed_study::further_checks(&seed, ctx.results);
    let inside = comparisons.iter().filter(|c| c.inside).count();
    let holding = further.iter().filter(|c| c.holds).count();
    Some(Section {
        title: "Seed study and this run".into(),
        paragraphs: vec![format!(
            "The synthetic cohort (seed {}) is built as a twin of the seed study ({}): its \
             patients follow that study's Table 1, and their survival follows a model whose \
             effects were derived from its published findings. If the method and the software are \
             right, the analysis of this cohort lands near the paper's numbers, within the play \
             of chance of a cohort this size. {inside} of {} published values fall inside the \
             paper's interval; {holding} of {} further checks hold.",
            demo.seed,
            seed.source,
            comparisons.len(),
            further.len(),
        )],
        tables: vec![
            published_table(&comparisons),
            further_table(&seed, &further),
        ],
        ..Default::default()
    })
}

fn published_table(comparisons: &[Comparison]) -> Table {
    Table {
        id: "tbl-seed-study".into(),
        caption: "The seed study's published values beside this run's".into(),
        header: to_strings(&[
            "Quantity",
            "Paper (95 % CI)",
            "This run",
            "Verdict",
            "Source",
        ]),
        rows: comparisons.iter().map(comparison_row).collect(),
        note: format!(
            "Intervals are the paper's 95 % confidence intervals, except for the number of LASSO \
             features, which the paper reports without one: there the range is half to one and \
             a half times its count. A value on an interval's end counts as inside.{}",
            if lasso_below_the_paper(comparisons) {
                LASSO_LIMITATION
            } else {
                ""
            }
        ),
    }
}

/// Why the synthetic cohort gives LASSO fewer features than the seed study's, a known
/// limitation of the generator that a reader of the demo should not take for a selection error.
const LASSO_LIMITATION: &str = " LASSO keeps fewer features here than in the paper because the \
     synthetic images' features vary together along a few directions (lesion size, mean density, \
     heterogeneity of the deposits), so a few of them carry what the others would add; real \
     tissue gives each feature more variation of its own. At this strength of radiomic signal the \
     count at λ.min also varies widely between cohorts of this size, even with ideal features. \
     This is a known limitation of the synthetic cohort, not of the selection.";

fn lasso_below_the_paper(comparisons: &[Comparison]) -> bool {
    comparisons
        .iter()
        .any(|c| c.key == "lasso_features" && c.run.is_some_and(|run| run < c.lower))
}

fn comparison_row(c: &Comparison) -> TableRow {
    let digits = published_decimals(c);
    TableRow::new(vec![
        c.label.clone(),
        format!(
            "{:.digits$} ({:.digits$}–{:.digits$})",
            c.published, c.lower, c.upper
        ),
        c.run.map_or_else(
            || "–".into(),
            |v| format!("{v:.prec$}", prec = run_decimals(digits)),
        ),
        verdict(c),
        c.source.clone(),
    ])
}

/// Decimals of the paper's least rounded number in the row (it rounds each kind alike); the
/// row's three numbers are printed with them, so 1.20 keeps its zero.
fn published_decimals(c: &Comparison) -> usize {
    [c.published, c.lower, c.upper]
        .iter()
        .map(|&v| {
            let s = format_value(v, 3);
            s.split_once('.').map_or(0, |(_, decimals)| decimals.len())
        })
        .max()
        .unwrap_or(0)
}

/// The run's value gets one decimal more than the paper's, so that a value just outside an end
/// never prints as the end itself; counts stay whole.
fn run_decimals(published_decimals: usize) -> usize {
    if published_decimals == 0 {
        0
    } else {
        published_decimals + 1
    }
}

/// One sentence: inside, below or above the interval, or no value in this run.
fn verdict(c: &Comparison) -> String {
    let digits = published_decimals(c);
    let interval = format!("{:.digits$}–{:.digits$}", c.lower, c.upper);
    match c.run {
        None if c.key.starts_with("hr_") => {
            "This run has no such value: the univariable screening left the covariate out of \
             the multivariable model."
                .into()
        }
        None if c.key.starts_with("median_") => {
            "This run has no such value: the group's survival never fell to one half.".into()
        }
        None => "This run has no such value.".into(),
        Some(_) if c.inside => format!("Inside the paper's interval ({interval})."),
        Some(v) if v < c.lower => format!("Below the paper's interval ({interval})."),
        Some(_) => format!("Above the paper's interval ({interval})."),
    }
}

fn further_table(seed: &SeedStudy, checks: &[Check]) -> Table {
    Table {
        id: "tbl-seed-study-checks".into(),
        caption: "Further findings of the seed study, checked on this run".into(),
        header: to_strings(&["Finding", "This run", "Verdict"]),
        rows: checks
            .iter()
            .map(|c| {
                TableRow::new(vec![
                    c.what.clone(),
                    c.run.clone(),
                    if c.holds { "Holds." } else { "Does not hold." }.into(),
                ])
            })
            .collect(),
        note: format!(
            "Sources in the paper: screening, {}; log-rank, {}.",
            seed.screened_covariates.source, seed.logrank_p_below.source
        ),
    }
}

fn to_strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}
