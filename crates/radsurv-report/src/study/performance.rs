//! Section 4: discrimination and calibration of every model in both cohorts.

use super::format::{by_cohort, cohort_name, fmt_c, fmt_opt, horizon_label};
use super::ReportContext;
use crate::figures::{
    CalibrationPlot, CalibrationSeries, CiBar, Figure, GroupedBarPlot, RocCurve, RocPanel, RocPlot,
};
use crate::html::{FigureBlock, Section, Table, TableRow};
use radsurv_study::results::{CIndex, CohortName, ModelResults, StudyResults};

pub(super) fn section(ctx: &ReportContext<'_>) -> Option<Section> {
    let r = ctx.results;
    let mut horizons: Vec<String> = r.models.combined.td_auc.training.keys().cloned().collect();
    horizons.sort();
    let mut header: Vec<String> = vec!["Model".into(), "Cohort".into(), "C-index (95% CI)".into()];
    header.extend(
        horizons
            .iter()
            .map(|h| format!("{} AUC (95% CI)", horizon_label(h))),
    );
    let mut rows = Vec::new();
    for (_, m) in r.models.iter() {
        for (cohort, aucs) in by_cohort(&m.td_auc) {
            let c = match cohort {
                CohortName::Training => &m.c_index.training,
                CohortName::Validation => &m.c_index.validation,
            };
            let mut cells = vec![m.label.clone(), cohort_name(cohort).into(), fmt_c(c)];
            cells.extend(horizons.iter().map(|h| {
                aucs.get(h).map_or_else(
                    || "–".to_string(),
                    |a| {
                        format!(
                            "{:.3} ({}–{})",
                            a.auc,
                            fmt_opt(a.lower, 3),
                            fmt_opt(a.upper, 3)
                        )
                    },
                )
            }));
            rows.push(TableRow::new(cells));
        }
    }
    let mut figures = Vec::new();
    for (cohort, _) in by_cohort(&r.models.combined.roc) {
        figures.push(roc_block(r, cohort, &horizons));
    }
    for (cohort, cal) in by_cohort(&r.models.combined.calibration) {
        let name = cohort_name(cohort);
        let mut keys: Vec<&String> = cal.keys().collect();
        keys.sort();
        let series = keys
            .iter()
            .filter_map(|k| cal.get(*k).map(|c| (k, c)))
            .map(|(k, c)| CalibrationSeries {
                label: format!("{} OS", horizon_label(k)),
                predicted: c.groups.iter().map(|g| g.predicted).collect(),
                observed: c.groups.iter().map(|g| g.observed).collect(),
                lower: c
                    .groups
                    .iter()
                    .map(|g| g.lower.unwrap_or(f64::NAN))
                    .collect(),
                upper: c
                    .groups
                    .iter()
                    .map(|g| g.upper.unwrap_or(f64::NAN))
                    .collect(),
            })
            .collect();
        figures.push(FigureBlock {
            figure: Figure::Calibration(CalibrationPlot {
                id: format!("fig-calibration-{}", name.to_lowercase()),
                title: format!(
                    "Calibration, {} model, {name} cohort",
                    r.models.combined.label
                ),
                series,
            }),
            caption: format!(
                "Predicted against observed (Kaplan–Meier) OS by group of predicted risk, \
                 {name} cohort; bars are 95 % CIs, the dashed line is perfect calibration."
            ),
        });
    }
    figures.push(c_index_block(r));
    Some(Section {
        title: "Model performance".into(),
        paragraphs: vec![
            "Discrimination by Harrell's C and cumulative/dynamic time-dependent AUC (marginal \
             Kaplan–Meier IPCW; cases die at or before the horizon, as riskRegression) at each \
             horizon, in the training and the temporal validation cohort."
                .into(),
        ],
        tables: vec![Table {
            id: "tbl-performance".into(),
            caption: "Discrimination of every model per cohort".into(),
            header,
            rows,
            note: String::new(),
        }],
        figures,
        ..Default::default()
    })
}

fn roc_block(r: &StudyResults, cohort: CohortName, horizons: &[String]) -> FigureBlock {
    let name = cohort_name(cohort);
    let pick = |m: &ModelResults| match cohort {
        CohortName::Training => (m.roc.training.clone(), m.td_auc.training.clone()),
        CohortName::Validation => (m.roc.validation.clone(), m.td_auc.validation.clone()),
    };
    let panels = horizons
        .iter()
        .map(|h| RocPanel {
            title: format!("{} OS", horizon_label(h)),
            curves: r
                .models
                .iter()
                .filter_map(|(_, m)| {
                    let (rocs, aucs) = pick(m);
                    let roc = rocs.get(h)?;
                    let auc = aucs
                        .get(h)
                        .map_or(String::new(), |a| format!(" ({:.3})", a.auc));
                    Some(RocCurve {
                        label: format!("{}{auc}", m.label),
                        fpr: roc.fpr.clone(),
                        tpr: roc.tpr.clone(),
                    })
                })
                .collect(),
        })
        .collect();
    FigureBlock {
        figure: Figure::Roc(RocPlot {
            id: format!("fig-roc-{}", name.to_lowercase()),
            title: format!("Time-dependent ROC curves, {name} cohort"),
            panels,
        }),
        caption: format!(
            "Time-dependent ROC curves of every model at each horizon, {name} cohort; AUC in \
             brackets."
        ),
    }
}

/// The C-index axis starts at 0.5 (chance) or lower, at a tenth below the lowest estimate or
/// lower limit, so that every bar and interval lies inside the axes.
fn c_axis_start(r: &StudyResults) -> f64 {
    axis_start_below(
        r.models
            .iter()
            .flat_map(|(_, m)| [&m.c_index.training, &m.c_index.validation])
            .flat_map(|c| [c.value, c.lower]),
    )
}

fn axis_start_below(values: impl Iterator<Item = f64>) -> f64 {
    let lowest = values.filter(|v| v.is_finite()).fold(0.5, f64::min);
    ((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.5)
}

fn c_index_block(r: &StudyResults) -> FigureBlock {
    let bar = |c: &CIndex| {
        Some(CiBar {
            value: c.value,
            lower: c.lower,
            upper: c.upper,
        })
    };
    let series = r
        .models
        .iter()
        .map(|(_, m)| {
            (
                m.label.clone(),
                vec![bar(&m.c_index.training), bar(&m.c_index.validation)],
            )
        })
        .collect();
    FigureBlock {
        figure: Figure::GroupedBars(GroupedBarPlot {
            id: "fig-cindex".into(),
            title: "Harrell's C-index by model and cohort".into(),
            y_title: "C-index".into(),
            y_min: c_axis_start(r),
            groups: vec!["Training".into(), "Validation".into()],
            series,
        }),
        caption: "C-index with 95 % CI of the clinical, radiomics and combined models and the \
                  Six-and-twelve score."
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_c_index_axis_reaches_below_the_lowest_interval() {
        assert_eq!(axis_start_below([0.62, 0.55, 0.7].into_iter()), 0.5);
        assert_eq!(axis_start_below([0.41, 0.33, 0.6].into_iter()), 0.3);
        assert_eq!(axis_start_below([f64::NAN, 0.58].into_iter()), 0.5);
    }
}
