//! Evaluation of a model in each cohort: Harrell's C with CI, time-dependent AUC and ROC at each
//! horizon, calibration at each horizon, and risk groups (cut at the training median of the risk
//! score, applied unchanged to validation) with Kaplan–Meier curves, median OS and log-rank.
//!
//! A quantity that cannot be computed for one cohort (e.g. a horizon beyond its follow-up) is left
//! out and the reason is written to the decision log; the other results stand.

use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::models::FittedModel;
use crate::results::{
    AtRisk, ByCohort, Calibration, CohortName, Estimate, GroupComparison, GroupSurvival, KmCurve,
    LogRank, ModelResults, RiskGroups, RocCurve, TdAuc,
};
use crate::stat;
use radsurv_stats::km::{self, KmOptions};
use radsurv_stats::{Design, StatsError, SurvData};
use std::collections::BTreeMap;

/// Survival data and row indices of one cohort.
#[derive(Debug, Clone)]
pub struct CohortData {
    /// Which cohort.
    pub name: CohortName,
    /// Row indices into the analysed patients.
    pub rows: Vec<usize>,
    /// Survival data of those rows.
    pub surv: SurvData,
}

/// Evaluates one model in both cohorts.
///
/// # Errors
/// Statistics errors of Harrell's C or the risk-group split (the rest is logged and left out).
pub fn evaluate(
    model: &FittedModel,
    cohorts: &ByCohort<CohortData>,
    config: &StudyConfig,
    log: &mut Decisions,
) -> Result<ModelResults> {
    let threshold = stat::median(&pick(&model.risk, &cohorts.training.rows))?;
    let per_cohort = |c: &CohortData, log: &mut Decisions| -> Result<_> {
        let risk = pick(&model.risk, &c.rows);
        let of = format!("the {} model in the {:?} cohort", model.label, c.name);
        let c_index = stat::harrell_c(&c.surv, &risk, &of)?;
        let (td_auc, roc) = td_auc_maps(model, c, &risk, config, log);
        let calibration = calibration_map(model, c, config, log);
        let groups = risk_groups(&c.surv, &risk, threshold, config)?;
        Ok((c_index, td_auc, roc, calibration, groups))
    };
    let t = per_cohort(&cohorts.training, log)?;
    let v = per_cohort(&cohorts.validation, log)?;
    Ok(ModelResults {
        label: model.label.clone(),
        coefficients: crate::models::cox_rows(&model.fit, &model.columns),
        c_index: ByCohort {
            training: t.0,
            validation: v.0,
        },
        td_auc: ByCohort {
            training: t.1,
            validation: v.1,
        },
        roc: ByCohort {
            training: t.2,
            validation: v.2,
        },
        calibration: ByCohort {
            training: t.3,
            validation: v.3,
        },
        risk_groups: RiskGroups {
            threshold,
            training: t.4,
            validation: v.4,
        },
        fit_warnings: model.fit.warnings().to_vec(),
    })
}

/// Values at the given rows.
pub(crate) fn pick(values: &[f64], rows: &[usize]) -> Vec<f64> {
    rows.iter().map(|&i| values[i]).collect()
}

fn td_auc_maps(
    model: &FittedModel,
    c: &CohortData,
    risk: &[f64],
    config: &StudyConfig,
    log: &mut Decisions,
) -> (BTreeMap<String, TdAuc>, BTreeMap<String, RocCurve>) {
    let mut aucs = BTreeMap::new();
    let mut rocs = BTreeMap::new();
    for (key, time) in config.horizon_keys().into_iter().zip(config.horizons()) {
        match stat::td_auc(&c.surv, risk, &[time]) {
            Ok(points) => {
                aucs.extend(points.into_iter().map(|p| (key.clone(), p)));
            }
            Err(e) => log.note(
                "time-dependent AUC",
                format!("{} / {:?} at {key}: not computed: {e}", model.label, c.name),
            ),
        }
        match stat::roc_curve(&c.surv, risk, time) {
            Ok(roc) => {
                rocs.insert(key, roc);
            }
            Err(e) => log.note(
                "time-dependent ROC",
                format!("{} / {:?} at {key}: not computed: {e}", model.label, c.name),
            ),
        }
    }
    (aucs, rocs)
}

fn calibration_map(
    model: &FittedModel,
    c: &CohortData,
    config: &StudyConfig,
    log: &mut Decisions,
) -> BTreeMap<String, Calibration> {
    let mut out = BTreeMap::new();
    for (k, (key, time)) in config
        .horizon_keys()
        .into_iter()
        .zip(config.horizons())
        .enumerate()
    {
        let predicted: Vec<f64> = c.rows.iter().map(|&i| model.survival[i][k]).collect();
        match stat::calibration(&c.surv, &predicted, time, config.calibration.groups) {
            Ok(cal) => {
                out.insert(key, cal);
            }
            Err(e) => log.note(
                "calibration",
                format!("{} / {:?} at {key}: not computed: {e}", model.label, c.name),
            ),
        }
    }
    out
}

/// Low (≤ threshold) versus high (> threshold) risk groups of one cohort.
///
/// # Errors
/// Statistics errors of the group comparison.
pub fn risk_groups(
    data: &SurvData,
    risk: &[f64],
    threshold: f64,
    config: &StudyConfig,
) -> Result<GroupComparison> {
    let labels: Vec<&str> = risk
        .iter()
        .map(|&r| {
            if r > threshold {
                "high risk"
            } else {
                "low risk"
            }
        })
        .collect();
    compare_groups(data, &labels, &["low risk", "high risk"], config)
}

/// KM per group (in `order`), median OS, log-rank and the HR of each later group against the
/// first (Cox on group indicators). Fewer than two groups, or no death among the patients
/// compared, leave nothing to test: no log-rank and no HR.
///
/// # Errors
/// Statistics errors of the log-rank test or the Cox fit.
pub fn compare_groups(
    data: &SurvData,
    labels: &[&str],
    order: &[&str],
    config: &StudyConfig,
) -> Result<GroupComparison> {
    let mut groups = Vec::new();
    for &level in order {
        let rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == level).collect();
        if rows.is_empty() {
            continue;
        }
        groups.push(group_survival(level, &data.subset(&rows), config));
    }
    let present: Vec<&str> = order
        .iter()
        .copied()
        .filter(|l| labels.contains(l))
        .collect();
    if present.len() < 2 || data.events() == 0 {
        return Ok(GroupComparison {
            groups,
            logrank: None,
            hazard_ratio: None,
        });
    }
    let test = radsurv_stats::logrank::logrank(data, labels, 0.0)
        .map_err(StudyError::stats("log-rank test"))?;
    let ratios = group_hazard_ratios(data, labels, &present)?;
    for g in &mut groups {
        g.hazard_ratio = present[1..]
            .iter()
            .position(|l| *l == g.label)
            .map(|k| ratios[k]);
    }
    let hazard_ratio = (present.len() == 2).then(|| ratios[0]);
    Ok(GroupComparison {
        groups,
        logrank: Some(LogRank {
            chisq: test.chisq,
            df: test.df,
            p: test.p,
        }),
        hazard_ratio,
    })
}

/// The HR of every group after the first in `present` against the first, from one Cox model on
/// their 0/1 indicators; not estimable (no value) when the fit did not converge or the
/// coefficient may be infinite (a group without deaths, separation): the numbers there only say
/// where the iterations stopped. A group never at risk when a death occurs carries no
/// information at all (singular fit): then no group's HR is estimable either.
fn group_hazard_ratios(
    data: &SurvData,
    labels: &[&str],
    present: &[&str],
) -> Result<Vec<Estimate>> {
    let later = &present[1..];
    let indicators = later
        .iter()
        .map(|level| {
            labels
                .iter()
                .map(|l| f64::from(u8::from(l == level)))
                .collect()
        })
        .collect();
    let names = later.iter().map(|l| l.to_string()).collect();
    let design = Design::new(names, indicators).map_err(StudyError::stats("group HR"))?;
    let fit = match radsurv_stats::cox::fit(data, &design, &crate::models::cox_options()) {
        Ok(fit) => fit,
        Err(StatsError::Singular { .. }) => {
            return Ok(vec![Estimate::not_estimable(); later.len()])
        }
        Err(e) => return Err(StudyError::stats("group HR")(e)),
    };
    Ok(fit
        .coefficients()
        .iter()
        .enumerate()
        .map(|(j, c)| {
            if !fit.converged() || fit.may_be_infinite(j) {
                Estimate::not_estimable()
            } else {
                Estimate {
                    value: Some(c.estimate.hr),
                    lower: finite(c.estimate.hr_lower),
                    upper: finite(c.estimate.hr_upper),
                }
            }
        })
        .collect())
}

/// KM curve, median OS and counts of one group.
pub fn group_survival(label: &str, data: &SurvData, config: &StudyConfig) -> GroupSurvival {
    let curve = km::kaplan_meier(data, &KmOptions::default());
    let median = curve.median();
    GroupSurvival {
        label: label.into(),
        n: data.len(),
        events: data.events(),
        median: Estimate {
            value: finite(median.estimate),
            lower: finite(median.lower),
            upper: finite(median.upper),
        },
        hazard_ratio: None,
        km: km_curve(&curve, config.clinical.time_unit.per_year()),
    }
}

/// A stats KM curve as the result type, with the number at risk every `step` time units.
pub fn km_curve(curve: &km::KmCurve, step: f64) -> KmCurve {
    let steps = curve.steps();
    let ticks: Vec<f64> = (0..)
        .map(|k| k as f64 * step)
        .take_while(|t| *t <= curve.max_time())
        .collect();
    let at_risk = curve
        .at_times(&ticks)
        .into_iter()
        .map(|a| AtRisk {
            time: a.time,
            n: a.n_risk,
        })
        .collect();
    KmCurve {
        time: steps.iter().map(|s| s.time).collect(),
        n_risk: steps.iter().map(|s| s.n_risk).collect(),
        n_event: steps.iter().map(|s| s.n_event).collect(),
        n_censor: steps.iter().map(|s| s.n_censor).collect(),
        surv: steps.iter().map(|s| s.surv).collect(),
        lower: steps.iter().map(|s| finite(s.lower)).collect(),
        upper: steps.iter().map(|s| finite(s.upper)).collect(),
        at_risk,
    }
}

/// `Some` for a finite value, `None` for NaN or infinity (R's `NA`).
pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> StudyConfig {
        StudyConfig::for_synthetic_cohort(Path::new(".")).unwrap()
    }

    /// Rows of a CSV file as header → cell maps.
    fn csv_rows(relative: &str) -> Vec<BTreeMap<String, String>> {
        let text = std::fs::read_to_string(radsurv_testdata::data_path(relative)).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        lines
            .map(|line| {
                header
                    .iter()
                    .zip(line.split(','))
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    }

    fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
        row[column].parse().unwrap()
    }

    #[test]
    fn each_later_group_has_coxphs_hazard_ratio_against_the_first() {
        let rows = csv_rows("stats/data/veteran.csv");
        let time: Vec<f64> = rows.iter().map(|r| number(r, "time")).collect();
        let status: Vec<f64> = rows.iter().map(|r| number(r, "status")).collect();
        let labels: Vec<&str> = rows.iter().map(|r| r["celltype"].as_str()).collect();
        let data = SurvData::new(&time, &status, "time", "status").unwrap();
        let order = ["squamous", "smallcell", "adeno", "large"];
        let comparison = compare_groups(&data, &labels, &order, &config()).unwrap();
        assert_eq!(comparison.groups.len(), 4);
        assert_eq!(comparison.groups[0].hazard_ratio, None, "the reference");
        assert_eq!(comparison.hazard_ratio, None, "one HR only for two groups");
        let expected = csv_rows("stats/expected/cox/veteran_celltype_group_hr.csv");
        assert_eq!(expected.len(), 3);
        for row in &expected {
            let group = comparison
                .groups
                .iter()
                .find(|g| g.label == row["group"])
                .unwrap();
            let hr = group.hazard_ratio.unwrap();
            for (ours, column) in [(hr.value, "hr"), (hr.lower, "lower"), (hr.upper, "upper")] {
                let theirs = number(row, column);
                let ours = ours.unwrap();
                assert!(
                    (ours - theirs).abs() <= 1e-6 * theirs,
                    "{} {column}: {ours} against R's {theirs}",
                    row["group"]
                );
            }
        }
    }

    #[test]
    fn a_group_without_deaths_has_no_hazard_ratio_estimate() {
        let time: Vec<f64> = (1..=8).map(f64::from).collect();
        let status = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        let labels = ["a", "a", "a", "a", "b", "b", "b", "b"];
        let data = SurvData::new(&time, &status, "t", "s").unwrap();
        let comparison = compare_groups(&data, &labels, &["a", "b"], &config()).unwrap();
        assert_eq!(comparison.hazard_ratio, Some(Estimate::not_estimable()));
        assert_eq!(
            comparison.groups[1].hazard_ratio,
            Some(Estimate::not_estimable())
        );
    }

    #[test]
    fn groups_without_any_death_are_described_but_not_compared() {
        let time: Vec<f64> = (1..=6).map(f64::from).collect();
        let labels = ["a", "a", "a", "b", "b", "b"];
        let data = SurvData::new(&time, &[0.0; 6], "t", "s").unwrap();
        let comparison = compare_groups(&data, &labels, &["a", "b"], &config()).unwrap();
        assert_eq!(comparison.groups.len(), 2);
        assert_eq!(comparison.logrank, None);
        assert_eq!(comparison.hazard_ratio, None);
    }

    #[test]
    fn a_group_never_at_risk_at_a_death_has_no_hazard_ratio_estimate() {
        let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let status = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0];
        let labels = ["b", "b", "b", "a", "a", "a"];
        let data = SurvData::new(&time, &status, "t", "s").unwrap();
        let comparison = compare_groups(&data, &labels, &["a", "b"], &config()).unwrap();
        assert_eq!(comparison.hazard_ratio, Some(Estimate::not_estimable()));
    }
}
