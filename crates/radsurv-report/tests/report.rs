//! The report renders every section and figure, its SVGs parse, PNG export works with the
//! embedded font, and the page is self-contained.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test/bench support: a panic names the failure

mod fixture;

use radsurv_report::study::{FIGURE_IDS, SECTIONS};
use radsurv_report::{build_report, png, render_html, write_report, DemoNotes, ReportOptions};
use radsurv_study::results::ImageTypeFunnel;
use radsurv_study::seed_study;

fn with_calculator() -> ReportOptions {
    ReportOptions {
        calculator: Some(fixture::calculator()),
        demo: None,
    }
}

/// A demo's report: the same results, with the synthetic cohort's notes.
fn as_demo() -> ReportOptions {
    ReportOptions {
        demo: Some(DemoNotes {
            patients: 168,
            seed: 7,
        }),
        ..with_calculator()
    }
}

fn html() -> String {
    render_html(&build_report(&fixture::study_results(), with_calculator()))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn demo_html() -> String {
    render_html(&build_report(&fixture::study_results(), as_demo()))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn html_contains_every_section_and_figure() {
    let html = demo_html();
    for id in SECTIONS.iter().map(|s| s.id) {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing"
        );
    }
    let subgroup_ids = (0..subgroup_figures()).map(|k| format!("fig-km-subgroup-{k}"));
    for id in FIGURE_IDS
        .iter()
        .map(|id| id.to_string())
        .chain(subgroup_ids)
    {
        assert!(
            html.contains(&format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\""
            )),
            "figure {id} missing"
        );
    }
    for table in [
        "tbl-1",
        "tbl-2",
        "tbl-combined",
        "tbl-performance",
        "tbl-radscore",
        "tbl-nomogram-points",
        "tbl-six-and-twelve",
        "tbl-subgroups",
        "tbl-tripod",
    ] {
        assert!(
            html.contains(&format!("id=\"{table}\"")),
            "table {table} missing"
        );
    }
    assert!(
        html.contains("id=\"model-json\""),
        "calculator model missing"
    );
    assert!(
        html.contains("window.radsurvCalculate"),
        "calculator script missing"
    );
}

/// The section `id` of the report on `results` built with `options`.
fn section(
    results: &radsurv_study::StudyResults,
    options: ReportOptions,
    id: &str,
) -> radsurv_report::html::Section {
    build_report(results, options)
        .sections
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("the report has no section {id}"))
}

/// The seed-study section of a demo's report on `results`.
fn seed_study_section(results: &radsurv_study::StudyResults) -> radsurv_report::html::Section {
    section(results, as_demo(), "sec-seed-study")
}

#[test]
fn a_demo_report_sets_each_published_value_beside_the_run_with_a_verdict() {
    let results = fixture::study_results();
    let section = seed_study_section(&results);
    let published = seed_study::published();
    let comparisons = seed_study::compare(&published, &results);
    let table = &section.tables[0];
    assert_eq!(table.rows.len(), published.rows.len());
    for (row, c) in table.rows.iter().zip(&comparisons) {
        assert_eq!(row.cells[0], c.label);
        let verdict = &row.cells[3];
        let expected = match c.run {
            None => "no such value",
            Some(_) if c.inside => "Inside",
            Some(v) if v < c.lower => "Below",
            Some(_) => "Above",
        };
        assert!(verdict.contains(expected), "{}: {verdict}", c.key);
    }
    let further = seed_study::further_checks(&published, &results);
    assert_eq!(section.tables[1].rows.len(), further.len());
    let inside = comparisons.iter().filter(|c| c.inside).count();
    assert!(
        section.paragraphs[0].contains(&format!("{inside} of {} published", comparisons.len())),
        "{}",
        section.paragraphs[0]
    );
    assert!(demo_html().contains("id=\"tbl-seed-study\""));
}

/// A demo whose LASSO keeps fewer features than the paper's interval says why under the table;
/// one inside the interval does not.
#[test]
fn a_demo_with_fewer_lasso_features_than_the_paper_names_the_known_limitation() {
    let note = |features: usize| {
        let mut results = fixture::study_results();
        let one = results.selected_features[0].clone();
        results.selected_features = vec![one; features];
        seed_study_section(&results).tables[0].note.clone()
    };
    assert!(note(2).contains("known limitation of the synthetic cohort"));
    assert!(!note(16).contains("known limitation"));
}

#[test]
fn a_report_on_a_users_own_cohort_has_no_seed_study_section() {
    let report = build_report(&fixture::study_results(), with_calculator());
    assert!(report.sections.iter().all(|s| s.id != "sec-seed-study"));
    assert!(!html().contains("Seed study and this run"));
}

#[test]
fn html_is_self_contained() {
    let html = html();
    for needle in [
        "src=\"http",
        "href=\"http",
        "<link",
        "@import",
        "url(http",
        "src=\"//",
    ] {
        assert!(
            !html.contains(needle),
            "page references the network: {needle}"
        );
    }
}

#[test]
fn text_from_the_results_is_escaped() {
    let mut results = fixture::study_results();
    results.univariable[0].label = "<script>alert(1)</script>".into();
    let html = render_html(&build_report(&results, ReportOptions::default())).unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)"));
}

#[test]
fn every_figure_parses_and_exports_to_png_with_the_embedded_font() {
    let report = build_report(&fixture::study_results(), with_calculator());
    let mut seen = 0;
    for block in report.sections.iter().flat_map(|s| &s.figures) {
        let svg = block.figure.svg();
        let tree = png::parse_svg(block.figure.id(), &svg).unwrap();
        assert!(tree.size().width() > 100.0);
        // Text must have been shaped with the embedded font (no system fonts are loaded).
        assert!(
            has_text(tree.root()),
            "{}: no text rendered",
            block.figure.id()
        );
        seen += 1;
    }
    assert_eq!(seen, FIGURE_IDS.len() + subgroup_figures());
    let first = &report.sections[1].figures[0].figure;
    let bytes = png::svg_to_png(first.id(), &first.svg(), 2.0).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
}

/// One KM figure per subgroup level and cohort, besides the fixed figures.
fn subgroup_figures() -> usize {
    fixture::study_results().subgroups.len()
}

fn has_text(group: &resvg::usvg::Group) -> bool {
    group.children().iter().any(|node| match node {
        resvg::usvg::Node::Text(t) => !t.flattened().children().is_empty(),
        resvg::usvg::Node::Group(g) => has_text(g),
        _ => false,
    })
}

#[test]
fn write_report_writes_html_svg_and_png() {
    let dir = tempfile::tempdir().unwrap();
    let report = build_report(&fixture::study_results(), with_calculator());
    let written = write_report(&report, dir.path(), true).unwrap();
    assert!(written.html.exists());
    assert_eq!(
        written.figures.len(),
        2 * (FIGURE_IDS.len() + subgroup_figures())
    );
    assert!(written.figures.iter().all(|p| p.exists()));
}

#[test]
fn page_text_has_no_markdown_marks_or_internal_references() {
    let report = build_report(&fixture::study_results(), as_demo());
    for s in &report.sections {
        let tables = s.tables.iter().flat_map(|t| {
            let cells = t.rows.iter().flat_map(|r| r.cells.iter());
            [&t.caption, &t.note]
                .into_iter()
                .chain(&t.header)
                .chain(cells)
        });
        let captions = s.figures.iter().map(|f| &f.caption);
        let texts = [&s.title]
            .into_iter()
            .chain(&s.paragraphs)
            .chain(&s.formula);
        for text in texts.chain(tables).chain(captions) {
            assert!(!text.contains('`'), "{}: {text}", s.id);
        }
    }
    let html = render_html(&report).unwrap();
    assert!(!html.contains("domain.md") && !html.contains("paper.md"));
}

#[test]
fn subgroups_are_named_by_their_configured_label() {
    let html = html();
    assert!(html.contains("BCLC stage = B"));
    assert!(!html.contains("bclc = B"));
}

/// With features from several image types (a parameter file with filters) the selection section
/// counts them per image type; with the original image alone it does not repeat the funnel.
#[test]
fn the_funnel_is_counted_per_image_type_when_there_are_several() {
    let mut results = fixture::study_results();
    let original = results.selection.by_image_type[0].clone();
    let single = render_html(&build_report(&results, with_calculator())).unwrap();
    assert!(!single.contains("tbl-image-types"));
    results.selection.by_image_type.push(ImageTypeFunnel {
        image_type: "wavelet-LLH".into(),
        ..original
    });
    let several = render_html(&build_report(&results, with_calculator())).unwrap();
    let from = several
        .find("id=\"tbl-image-types\"")
        .expect("table missing");
    let table = &several[from..from + several[from..].find("</table>").unwrap()];
    assert!(
        table.contains(">original<") && table.contains(">wavelet-LLH<"),
        "{table}"
    );
}

/// A 0/1 indicator's nomogram ticks and points rows read "no" and "yes", as Table 1 does; a
/// measured covariate keeps its numbers.
#[test]
fn nomogram_indicators_read_no_and_yes() {
    let html = html();
    let part = |start: &str| {
        let from = html
            .find(start)
            .unwrap_or_else(|| panic!("{start} missing"));
        let to = from
            + html[from..]
                .find("</svg>")
                .or(html[from..].find("</table>"))
                .unwrap();
        html[from..to].to_string()
    };
    let figure = part("id=\"fig-nomogram\"");
    let table = part("id=\"tbl-nomogram-points\"");
    for text in [&figure, &table] {
        assert!(text.contains(">no<") && text.contains(">yes<"), "{text}");
        assert!(
            text.contains(">-1<") || text.contains(">−1<"),
            "rad-score ticks lost: {text}"
        );
    }
}

#[test]
fn a_hazard_ratio_without_an_estimate_prints_ne_and_says_why() {
    let mut results = fixture::study_results();
    results.subgroups[0].comparison.hazard_ratio =
        Some(radsurv_study::results::Estimate::not_estimable());
    let html = render_html(&build_report(&results, ReportOptions::default())).unwrap();
    assert!(html.contains(">NE<"));
    assert!(html.contains("not estimable"));
    assert!(!html.contains("NR (NR–NR)"));
}

/// Every text of every figure (nomogram labels, at-risk rows, legends), as laid out with the
/// embedded font, lies inside its canvas: no label is clipped at an edge.
#[test]
fn every_figure_text_lies_inside_its_canvas() {
    let report = build_report(&fixture::study_results(), with_calculator());
    let mut problems = Vec::new();
    for block in report.sections.iter().flat_map(|s| &s.figures) {
        let id = block.figure.id();
        let tree = png::parse_svg(id, &block.figure.svg()).unwrap();
        let (w, h) = (tree.size().width(), tree.size().height());
        texts_outside(tree.root(), w, h, id, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn texts_outside(
    group: &resvg::usvg::Group,
    width: f32,
    height: f32,
    id: &str,
    problems: &mut Vec<String>,
) {
    const TOLERANCE: f32 = 1.0;
    for node in group.children() {
        match node {
            resvg::usvg::Node::Text(t) => {
                let b = t.abs_bounding_box();
                if b.left() < -TOLERANCE
                    || b.top() < -TOLERANCE
                    || b.right() > width + TOLERANCE
                    || b.bottom() > height + TOLERANCE
                {
                    let words: String = t.chunks().iter().map(|c| c.text()).collect();
                    problems.push(format!("{id}: {words:?} at {b:?} outside {width}×{height}"));
                }
            }
            resvg::usvg::Node::Group(g) => texts_outside(g, width, height, id, problems),
            _ => {}
        }
    }
}

/// Methods states every convention a number depends on, and the C-index table says which
/// Six-and-twelve C comes from the continuous score and which from the strata.
#[test]
fn methods_state_the_conventions_and_the_six_and_twelve_c_says_how_it_was_scored() {
    let mut results = fixture::study_results();
    let config =
        radsurv_study::StudyConfig::for_synthetic_cohort(std::path::Path::new(".")).unwrap();
    results.choices = config.choices();
    let html = render_html(&build_report(&results, ReportOptions::default())).unwrap();
    let methods = &html[html.find("<section id=\"sec-methods\">").unwrap()..];
    let methods = &methods[..methods.find("</section>").unwrap()];
    for convention in [
        "Shapiro–Wilk in each cohort separately",
        "pooled-variance",
        "Mann–Whitney U test (normal approximation with continuity correction)",
        "Pearson χ² without continuity correction",
        "cases die at or before t",
        "inverse probability of censoring weights",
        "strata C",
    ] {
        assert!(methods.contains(convention), "Methods lack {convention:?}");
    }
    for header in ["Six-and-twelve (continuous)", "Six-and-twelve (strata)"] {
        assert!(html.contains(header), "C-index table lacks {header:?}");
    }
}

/// A Cox coefficient that may be infinite (separation) prints NE in Table 2, stays out of the
/// forest plot, and the model's fit warning is printed in the clinical section, as R prints it.
#[test]
fn a_coefficient_that_may_be_infinite_prints_ne_and_its_fit_warning_is_shown() {
    let mut results = fixture::study_results();
    results.univariable[0].may_be_infinite = true;
    let label = results.univariable[0].label.clone();
    let warning = "Loglik converged before variable 1; coefficient may be infinite";
    results.models.clinical.fit_warnings = vec![warning.into()];
    let html = render_html(&build_report(&results, ReportOptions::default())).unwrap();
    let from = html.find("id=\"tbl-2\"").expect("Table 2 missing");
    let table = &html[from..from + html[from..].find("</table>").unwrap()];
    assert!(table.contains(">NE<"), "{table}");
    assert!(html.contains("not estimable"));
    let escaped = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(html.contains(&format!(
        "Not shown, having no finite hazard ratio (NE in Table 2): {escaped}"
    )));
    assert!(html.contains(warning), "the fit warning is missing");
}

#[test]
fn the_nomogram_and_calculator_caution_when_the_combined_fit_warned() {
    let mut results = fixture::study_results();
    let section_text = |results: &radsurv_study::StudyResults, id: &str| {
        section(results, with_calculator(), id).warnings.join(" ")
    };
    for id in ["sec-nomogram", "sec-calculator"] {
        assert!(!section_text(&results, id).contains("Caution"), "{id}");
    }
    let warning = "Loglik converged before variable 1; coefficient may be infinite";
    results.models.combined.fit_warnings = vec![warning.into()];
    results.models.combined.coefficients[0].may_be_infinite = true;
    let label = results.models.combined.coefficients[0].label.clone();
    for id in ["sec-nomogram", "sec-calculator"] {
        let text = section_text(&results, id);
        assert!(
            text.contains("Caution") && text.contains(warning) && text.contains(&label),
            "{id}: {text}"
        );
    }
    let html = render_html(&build_report(&results, with_calculator())).unwrap();
    assert_eq!(
        html.matches("<p class=\"warning\" role=\"note\">Caution")
            .count(),
        2,
        "the cautions are not set apart as warnings"
    );
    let calculator = section(&results, ReportOptions::default(), "sec-calculator");
    assert!(calculator.warnings.is_empty());
}

#[test]
fn a_candidate_the_screening_could_not_fit_is_named_under_table_2() {
    let mut results = fixture::study_results();
    results.univariable_not_fitted = vec![radsurv_study::results::NotFitted {
        name: "hbv".into(),
        label: "HBV infection".into(),
        reason: "column has the single value 1 but a covariate must vary".into(),
    }];
    let clinical = section(&results, ReportOptions::default(), "sec-clinical");
    let note = &clinical.tables[0].note;
    assert!(
        note.contains("Not fitted in the training cohort, so not in the table: HBV infection (column has the single value 1"),
        "{note}"
    );
}
