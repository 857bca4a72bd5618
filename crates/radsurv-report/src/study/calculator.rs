//! Section 9: the interactive risk calculator, and its model built from `model.json`.

use super::format::{combined_fit_caution, horizon_label};
use super::ReportContext;
use crate::html::{
    CalculatorHorizon, CalculatorLevel, CalculatorModel, CalculatorPredictor, RadscoreFormula,
    RadscoreTerm, Section,
};
use radsurv_study::cohort::Coding;
use radsurv_study::model_file::ModelFile;
use radsurv_study::models::RAD_SCORE;
use radsurv_study::results::Nomogram;

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let has_calculator = ctx.has_calculator;
    let text = if has_calculator {
        "Enter one patient's predictors of the combined model (or the rad-score printed by \
         radsurv predict). The calculator applies the saved model (coefficients, centring, \
         baseline survival and the training-median risk cut-off embedded in this page) and gives \
         the same numbers as radsurv predict."
    } else {
        "No saved model was supplied, so the calculator is not available in this report."
    };
    let caution = has_calculator
        .then(|| combined_fit_caution(ctx.results, "every number the calculator gives"))
        .flatten();
    Some(Section {
        title: "Risk calculator".into(),
        paragraphs: vec![text.into()],
        warnings: caution.into_iter().collect(),
        has_calculator,
        ..Default::default()
    })
}

/// The risk calculator's model from the saved combined model (`model.json`) and, for the points
/// display, the study's nomogram (points per unit of linear predictor and each axis' zero).
///
/// The calculator then evaluates exactly the arithmetic of `ModelFile::score`: coded covariates
/// and the rad-score, centred at the training means, times the coefficients, in model order.
pub fn calculator_model(model: &ModelFile, nomogram: Option<&Nomogram>) -> CalculatorModel {
    let per_unit = nomogram.map_or(0.0, |n| n.scale);
    let n_clinical = model.columns.len();
    let mut predictors: Vec<CalculatorPredictor> = model
        .columns
        .iter()
        .enumerate()
        .map(|(k, column)| {
            let coef = model.coefficients.get(k).copied().unwrap_or(0.0);
            let levels = column_levels(&column.coding);
            predictor(
                &column.name,
                &column.label,
                coef,
                model.means.get(k),
                levels,
                per_unit,
                nomogram,
            )
        })
        .collect();
    let rad_coef = model.coefficients.get(n_clinical).copied().unwrap_or(0.0);
    predictors.push(predictor(
        RAD_SCORE,
        "Rad-score",
        rad_coef,
        model.means.get(n_clinical),
        Vec::new(),
        per_unit,
        nomogram,
    ));
    CalculatorModel {
        predictors,
        radscore: Some(RadscoreFormula {
            predictor: RAD_SCORE.to_string(),
            terms: model
                .features
                .iter()
                .map(|f| RadscoreTerm {
                    feature: f.name.clone(),
                    coef: f.coefficient,
                    mean: f.mean,
                    sd: f.sd,
                })
                .collect(),
        }),
        horizons: model
            .baseline
            .iter()
            .map(|b| CalculatorHorizon {
                label: format!("{} OS", horizon_label(&b.key)),
                time: b.time,
                cumhaz: b.cumhaz,
            })
            .collect(),
        risk_cutoff: model.risk_threshold,
    }
}

/// Choices of a 0/1-coded design column; empty for a value used as is.
fn column_levels(coding: &Coding) -> Vec<CalculatorLevel> {
    let pair = |no: String, yes: String| {
        vec![
            CalculatorLevel {
                label: no,
                value: 0.0,
            },
            CalculatorLevel {
                label: yes,
                value: 1.0,
            },
        ]
    };
    match coding {
        Coding::Binary => pair("no".into(), "yes".into()),
        Coding::AtLeast { cutoff } => {
            let c = crate::svg::tick_label(*cutoff);
            pair(format!("< {c}"), format!("≥ {c}"))
        }
        Coding::Level { level } => pair(format!("not {level}"), level.clone()),
        Coding::Value => Vec::new(),
    }
}

/// A form's starting value: the centre rounded to four decimals (a training mean of the
/// rad-score is zero up to rounding and must show as 0).
fn input_default(centre: f64) -> f64 {
    let rounded = (centre * 1e4).round() / 1e4;
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

/// One calculator input. Nomogram points are linear in x, as `rms::nomogram` scores them:
/// `per_unit · (coef · x − m)` with m the smallest `coef · v` over the axis values v (0/1 for a
/// 0/1 column, 0 when the nomogram has no such axis).
fn predictor(
    name: &str,
    label: &str,
    coef: f64,
    centre: Option<&f64>,
    levels: Vec<CalculatorLevel>,
    per_unit: f64,
    nomogram: Option<&Nomogram>,
) -> CalculatorPredictor {
    let slope = per_unit * coef;
    let axis_values: Vec<f64> =
        match nomogram.and_then(|n| n.covariates.iter().find(|a| a.name == name)) {
            Some(axis) => axis.values.clone(),
            None if !levels.is_empty() => levels.iter().map(|l| l.value).collect(),
            None => vec![0.0],
        };
    let min_xbeta = axis_values
        .iter()
        .map(|v| coef * v)
        .fold(f64::INFINITY, f64::min);
    let min_xbeta = if min_xbeta.is_finite() {
        min_xbeta
    } else {
        0.0
    };
    let centre = centre.copied().unwrap_or(0.0);
    CalculatorPredictor {
        name: name.to_string(),
        label: label.to_string(),
        coef,
        centre,
        default: if levels.is_empty() {
            input_default(centre)
        } else {
            0.0
        },
        levels,
        points_slope: slope,
        points_offset: -per_unit * min_xbeta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_centre_that_is_zero_up_to_rounding_starts_the_form_at_zero() {
        assert_eq!(input_default(3.071_699_640_676_07e-16), 0.0);
        assert_eq!(input_default(-1e-17).to_string(), "0");
        assert_eq!(input_default(59.123_456), 59.1235);
    }
}
