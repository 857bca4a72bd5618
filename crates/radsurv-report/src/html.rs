//! The self-contained `report.html`: inline CSS, inline SVG figures and an inline JavaScript risk
//! calculator; nothing is loaded from the network. Rendered with minijinja from the templates in
//! `templates/`, compiled into the binary with `include_str!`.

use serde::Serialize;

use crate::error::{ReportError, Result};
use crate::figures::Figure;

/// Every template, by the name templates include it with.
const TEMPLATES: [(&str, &str); 3] = [
    ("report.html", include_str!("../templates/report.html.j2")),
    (
        "sections/methods.html.j2",
        include_str!("../templates/sections/methods.html.j2"),
    ),
    (
        "sections/tripod.html.j2",
        include_str!("../templates/sections/tripod.html.j2"),
    ),
];
const STYLE: &str = include_str!("../templates/report.css");
const CALCULATOR_JS: &str = include_str!("../templates/calculator.js");

/// The whole report, section by section, in reading order.
#[derive(Debug, Clone)]
pub struct Report {
    /// Page title (`<h1>`).
    pub title: String,
    /// Line under the title: software and version, cohort source.
    pub subtitle: String,
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// The risk calculator's model; `None` leaves the calculator out.
    pub calculator: Option<CalculatorModel>,
}

/// One section of the report.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Anchor id (`sec-table1`); tests and the table of contents use it.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Paragraphs of text before the tables (plain text, escaped on output).
    pub paragraphs: Vec<String>,
    /// Warnings after the paragraphs (a fit that did not converge, a model whose numbers rest
    /// on it), set apart so a reader does not take them for ordinary text.
    pub warnings: Vec<String>,
    /// Fixed prose from a template, after the paragraphs.
    pub prose: Option<Prose>,
    /// A formula shown in a monospace block (the rad-score equation).
    pub formula: Option<String>,
    /// Tables.
    pub tables: Vec<Table>,
    /// Figures with captions.
    pub figures: Vec<FigureBlock>,
    /// Whether the risk calculator is placed in this section.
    pub has_calculator: bool,
}

/// A table of pre-formatted cells.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    /// Element id (`tbl-1`).
    pub id: String,
    /// Caption above the table.
    pub caption: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<TableRow>,
    /// Footnote under the table (abbreviations, tests used).
    pub note: String,
}

/// One table row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableRow {
    /// Cell texts.
    pub cells: Vec<String>,
    /// A group heading row (bold first cell, e.g. "AFP" above its levels).
    pub heading: bool,
    /// Highlights the row (significant p-values).
    pub emphasis: bool,
}

impl TableRow {
    /// An ordinary row.
    pub fn new(cells: Vec<String>) -> Self {
        TableRow {
            cells,
            heading: false,
            emphasis: false,
        }
    }
}

/// A figure and its caption.
#[derive(Debug, Clone)]
pub struct FigureBlock {
    /// The figure.
    pub figure: Figure,
    /// Caption under the figure.
    pub caption: String,
}

/// Fixed prose of a section: a template under `templates/sections/` and the numbers it states
/// (available to the template as `data`; `sec.<name>` gives a section's printed number, "§3").
#[derive(Debug, Clone)]
pub struct Prose {
    /// Template name, as registered by [`render_html`] (`sections/methods.html.j2`).
    pub template: &'static str,
    /// The template's `data`.
    pub data: minijinja::Value,
}

impl Prose {
    /// Prose from `template` filled with `data`.
    pub fn new<T: Serialize>(template: &'static str, data: &T) -> Self {
        Prose {
            template,
            data: minijinja::Value::from_serialize(data),
        }
    }
}

/// Everything the risk calculator needs to reproduce `radsurv predict` for the combined model:
/// $\mathrm{lp} = \sum_i \beta_i (x_i - c_i)$, $\hat S(t) = \exp\{-H_0(t)\,e^{\mathrm{lp}}\}$,
/// risk group = high when lp > the training-median cut-off, and nomogram points
/// $\sum_i (a_i + b_i x_i)$.
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorModel {
    /// Model predictors, in model order.
    pub predictors: Vec<CalculatorPredictor>,
    /// The rad-score's own formula, so it can be computed from features (optional input path).
    pub radscore: Option<RadscoreFormula>,
    /// Prediction horizons and the baseline survival at each.
    pub horizons: Vec<CalculatorHorizon>,
    /// Linear-predictor cut-off between low and high risk (training median).
    pub risk_cutoff: f64,
}

/// One predictor of the combined model.
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorPredictor {
    /// Variable name as in model.json and `radsurv predict` input.
    pub name: String,
    /// Label shown to the clinician.
    pub label: String,
    /// Cox coefficient β.
    pub coef: f64,
    /// Centring value c (training mean), as `predict.coxph(type = "lp")` uses.
    pub centre: f64,
    /// Choices for a categorical predictor (empty: free numeric input).
    pub levels: Vec<CalculatorLevel>,
    /// Nomogram points per unit of x, $b_i$.
    pub points_slope: f64,
    /// Nomogram points at x = 0, $a_i$.
    pub points_offset: f64,
    /// Initial value in the form.
    pub default: f64,
}

/// One choice of a categorical predictor.
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorLevel {
    /// Text ("≥ 400 ng/mL").
    pub label: String,
    /// Coded value.
    pub value: f64,
}

/// The rad-score formula: $\sum_j \gamma_j (f_j - \mu_j)/\sigma_j$.
#[derive(Debug, Clone, Serialize)]
pub struct RadscoreFormula {
    /// Name of the predictor the rad-score feeds.
    pub predictor: String,
    /// Terms.
    pub terms: Vec<RadscoreTerm>,
}

/// One feature of the rad-score.
#[derive(Debug, Clone, Serialize)]
pub struct RadscoreTerm {
    /// PyRadiomics feature key.
    pub feature: String,
    /// LASSO coefficient.
    pub coef: f64,
    /// Training mean used for the z-score.
    pub mean: f64,
    /// Training standard deviation used for the z-score.
    pub sd: f64,
}

/// A prediction horizon.
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorHorizon {
    /// Label ("1 year").
    pub label: String,
    /// Time in the study's unit.
    pub time: f64,
    /// Centred baseline cumulative hazard $H_0(t)$ (model.json `baseline[].cumhaz`).
    pub cumhaz: f64,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    paragraphs: &'a [String],
    warnings: &'a [String],
    prose: Option<ProseView<'a>>,
    formula: Option<&'a str>,
    tables: &'a [Table],
    figures: Vec<FigureView>,
    has_calculator: bool,
}

#[derive(Serialize)]
struct ProseView<'a> {
    template: &'a str,
    data: &'a minijinja::Value,
}

#[derive(Serialize)]
struct FigureView {
    id: String,
    svg: String,
    caption: String,
}

/// Renders the report as one self-contained HTML document.
///
/// # Errors
/// [`ReportError::Template`] if rendering fails, [`ReportError::ModelJson`] if the calculator's
/// model cannot be serialised.
pub fn render_html(report: &Report) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, e))?;
    }
    let sections: Vec<SectionView<'_>> = report
        .sections
        .iter()
        .map(|s| SectionView {
            id: &s.id,
            title: &s.title,
            paragraphs: &s.paragraphs,
            warnings: &s.warnings,
            prose: s.prose.as_ref().map(|p| ProseView {
                template: p.template,
                data: &p.data,
            }),
            formula: s.formula.as_deref(),
            tables: &s.tables,
            figures: s
                .figures
                .iter()
                .map(|f| FigureView {
                    id: f.figure.id().to_string(),
                    svg: f.figure.svg(),
                    caption: f.caption.clone(),
                })
                .collect(),
            has_calculator: s.has_calculator,
        })
        .collect();
    let model_json = match &report.calculator {
        Some(model) => Some(script_safe_json(model)?),
        None => None,
    };
    let ctx = minijinja::context! {
        title => report.title,
        subtitle => report.subtitle,
        sections => sections,
        sec => section_numbers(report),
        style => minijinja::Value::from_safe_string(STYLE.to_string()),
        calculator_js => minijinja::Value::from_safe_string(CALCULATOR_JS.to_string()),
        model_json => model_json.map(minijinja::Value::from_safe_string),
    };
    env.get_template("report.html")
        .and_then(|t| t.render(ctx))
        .map_err(|e| template_error("report.html", e))
}

/// Each section's printed number ("§3"), keyed by its id without the `sec-` prefix and with `_`
/// for `-` (`sec-risk-groups` → `risk_groups`), so templates can refer to other sections.
fn section_numbers(report: &Report) -> std::collections::BTreeMap<String, String> {
    report
        .sections
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let key = s.id.trim_start_matches("sec-").replace('-', "_");
            (key, format!("§{}", k + 1))
        })
        .collect()
}

fn template_error(template: &str, source: minijinja::Error) -> ReportError {
    ReportError::Template {
        template: template.to_string(),
        source,
    }
}

/// JSON that is safe inside `<script type="application/json">`: `<` is escaped so that no
/// `</script>` can end the element early.
fn script_safe_json<T: Serialize>(value: &T) -> Result<String> {
    let json = serde_json::to_string(value).map_err(ReportError::ModelJson)?;
    Ok(json.replace('<', "\\u003c"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let json = script_safe_json(&vec!["</script><b>"]).unwrap();
        assert!(!json.contains("</"));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec!["</script><b>".to_string()]);
    }
}
