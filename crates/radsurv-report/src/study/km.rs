//! Kaplan–Meier figures and survival-by-group tables, shared by the risk-group, Six-and-twelve and
//! subgroup sections.

use super::format::{capitalise, fmt_estimate, fmt_p, fmt_ratio, p_phrase};
use crate::figures::{KmPlot, KmSeries};
use crate::html::TableRow;
use radsurv_study::results::{GroupComparison, KmCurve};

pub(super) fn km_plot(id: &str, title: &str, comparison: &GroupComparison, unit: &str) -> KmPlot {
    // Every group is tabulated on the same grid; the longest-followed group's grid covers the
    // others', which have nobody at risk past their last time.
    let at_risk_times: Vec<f64> = comparison
        .groups
        .iter()
        .max_by_key(|g| g.km.at_risk.len())
        .map(|g| g.km.at_risk.iter().map(|a| a.time).collect())
        .unwrap_or_default();
    let groups = comparison
        .groups
        .iter()
        .map(|g| {
            let label = format!("{} (n = {})", capitalise(&g.label), g.n);
            km_series(&label, &g.km, at_risk_times.len())
        })
        .collect();
    let mut annotation = Vec::new();
    if let Some(lr) = &comparison.logrank {
        annotation.push(format!("Log-rank p {}", p_phrase(lr.p)));
    }
    if let Some(hr) = comparison.hazard_ratio.filter(|h| h.value.is_some()) {
        annotation.push(format!("HR {}", fmt_ratio(&hr)));
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

/// One group's curve, its number at risk padded with zeros to `ticks` entries.
pub(super) fn km_series(label: &str, km: &KmCurve, ticks: usize) -> KmSeries {
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
        at_risk: km
            .at_risk
            .iter()
            .map(|a| a.n)
            .chain(std::iter::repeat(0))
            .take(ticks.max(km.at_risk.len()))
            .collect(),
    }
}

/// One row per group: the log-rank p on the first row, each later group's HR against the
/// first ("1 (reference)" on the first row when there are HRs).
pub(super) fn group_rows(cohort: &str, comparison: &GroupComparison) -> Vec<TableRow> {
    let has_ratios = comparison.groups.iter().any(|g| g.hazard_ratio.is_some());
    comparison
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let lr = if i == 0 {
                comparison.logrank.map(|l| fmt_p(l.p)).unwrap_or_default()
            } else {
                String::new()
            };
            let hr = match &g.hazard_ratio {
                Some(h) => fmt_ratio(h),
                None if i == 0 && has_ratios => "1 (reference)".to_string(),
                None => "–".to_string(),
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
