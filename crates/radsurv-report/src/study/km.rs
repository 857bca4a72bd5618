//! Kaplan–Meier figures and survival-by-group tables, shared by the risk-group, Six-and-twelve and
//! subgroup sections.

use super::format::{capitalise, fmt_estimate, fmt_p, p_phrase};
use crate::figures::{KmPlot, KmSeries};
use crate::html::TableRow;
use radsurv_study::results::{GroupComparison, KmCurve};

pub(super) fn km_plot(id: &str, title: &str, comparison: &GroupComparison, unit: &str) -> KmPlot {
    let at_risk_times: Vec<f64> = comparison
        .groups
        .first()
        .map(|g| g.km.at_risk.iter().map(|a| a.time).collect())
        .unwrap_or_default();
    let groups = comparison
        .groups
        .iter()
        .map(|g| km_series(&format!("{} (n = {})", capitalise(&g.label), g.n), &g.km))
        .collect();
    let mut annotation = Vec::new();
    if let Some(lr) = &comparison.logrank {
        annotation.push(format!("Log-rank p {}", p_phrase(lr.p)));
    }
    if let Some(hr) = &comparison.hazard_ratio {
        annotation.push(format!("HR {}", fmt_estimate(hr, 2)));
    }
    KmPlot {
        id: id.into(),
        title: title.into(),
        groups,
        at_risk_times,
        x_title: format!("Time ({unit})"),
        annotation,
    }
}

pub(super) fn km_series(label: &str, km: &KmCurve) -> KmSeries {
    KmSeries {
        label: label.to_string(),
        times: km.time.clone(),
        surv: km.surv.clone(),
        lower: km.lower.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
        upper: km.upper.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
        censor_times: km
            .time
            .iter()
            .zip(&km.n_censor)
            .filter(|(_, c)| **c > 0)
            .map(|(t, _)| *t)
            .collect(),
        at_risk: km.at_risk.iter().map(|a| a.n).collect(),
    }
}

pub(super) fn group_rows(cohort: &str, comparison: &GroupComparison) -> Vec<TableRow> {
    comparison
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let (lr, hr) = if i == 0 {
                (
                    comparison.logrank.map(|l| fmt_p(l.p)).unwrap_or_default(),
                    comparison
                        .hazard_ratio
                        .map(|h| fmt_estimate(&h, 2))
                        .unwrap_or_default(),
                )
            } else {
                (String::new(), String::new())
            };
            TableRow::new(vec![
                cohort.to_string(),
                capitalise(&g.label),
                g.n.to_string(),
                g.events.to_string(),
                fmt_estimate(&g.median, 1),
                lr,
                hr,
            ])
        })
        .collect()
}

pub(super) fn group_header(unit: &str) -> Vec<String> {
    [
        "Cohort".to_string(),
        "Group".into(),
        "n".into(),
        "Deaths".into(),
        format!("Median OS, {unit} (95% CI)"),
        "Log-rank p".into(),
        "HR (95% CI)".into(),
    ]
    .to_vec()
}
