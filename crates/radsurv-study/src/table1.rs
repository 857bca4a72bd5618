//! Table 1: baseline characteristics by cohort, as the seed reports them.
//!
//! A continuous covariate (with or without a model cut-off) is summarised as mean ± SD and compared with the
//! two-sample t-test when Shapiro–Wilk does not reject normality (p ≥ `table1.normality_alpha`) in
//! either cohort; otherwise as median (Q1, Q3) with the Mann–Whitney U test. Binary, categorical and
//! dichotomised covariates are n (%) per level, compared with Pearson's chi-square test.

use crate::cohort::Cohort;
use crate::config::StudyConfig;
use crate::error::Result;
use crate::evaluation::pick;
use crate::results::{CohortName, Table1Row};
use crate::stat;
use std::collections::BTreeSet;

/// Builds Table 1 over every configured covariate.
///
/// # Errors
/// Statistics errors of the summaries and tests.
pub fn table1(cohort: &Cohort, config: &StudyConfig) -> Result<Vec<Table1Row>> {
    let training = cohort.rows_of(CohortName::Training);
    let validation = cohort.rows_of(CohortName::Validation);
    let all: Vec<usize> = (0..cohort.patients.len()).collect();
    let mut rows = vec![Table1Row {
        variable: "Patients".into(),
        level: None,
        overall: all.len().to_string(),
        training: training.len().to_string(),
        validation: validation.len().to_string(),
        test: None,
        statistic: None,
        p: None,
    }];
    for (cov, _) in &cohort.covariates {
        if let Some(values) = cohort.continuous_values(&cov.name) {
            rows.push(continuous_row(
                cov.label(),
                &values,
                &training,
                &validation,
                config,
            )?);
        } else if let Some(levels) = cohort.display_levels(&cov.name) {
            rows.extend(categorical_rows(
                cov.label(),
                &levels,
                &training,
                &validation,
            )?);
        }
    }
    Ok(rows)
}

fn continuous_row(
    label: &str,
    values: &[f64],
    training: &[usize],
    validation: &[usize],
    config: &StudyConfig,
) -> Result<Table1Row> {
    let (t, v) = (pick(values, training), pick(values, validation));
    let normal = stat::shapiro_wilk_p(&t)? >= config.table1.normality_alpha
        && stat::shapiro_wilk_p(&v)? >= config.table1.normality_alpha;
    let summary = |x: &[f64]| -> Result<String> {
        if normal {
            let (m, s) = stat::mean_sd(x)?;
            Ok(format!("{m:.2} ± {s:.2}"))
        } else {
            let [q1, med, q3] = stat::quartiles(x)?;
            Ok(format!("{med:.2} ({q1:.2}, {q3:.2})"))
        }
    };
    let (test, (statistic, p)) = if normal {
        ("t-test", stat::t_test(&t, &v)?)
    } else {
        ("Mann–Whitney", stat::mann_whitney(&t, &v)?)
    };
    Ok(Table1Row {
        variable: label.into(),
        level: None,
        overall: summary(values)?,
        training: summary(&t)?,
        validation: summary(&v)?,
        test: Some(test.into()),
        statistic: Some(statistic),
        p: Some(p),
    })
}

fn categorical_rows(
    label: &str,
    levels: &[String],
    training: &[usize],
    validation: &[usize],
) -> Result<Vec<Table1Row>> {
    let distinct: Vec<&String> = levels.iter().collect::<BTreeSet<_>>().into_iter().collect();
    let count = |rows: &[usize], level: &str| rows.iter().filter(|&&i| levels[i] == level).count();
    let counts: Vec<Vec<usize>> = distinct
        .iter()
        .map(|l| vec![count(training, l), count(validation, l)])
        .collect();
    let (statistic, p) = if distinct.len() > 1 {
        stat::chi_square(&counts)?
    } else {
        (f64::NAN, f64::NAN)
    };
    let cell =
        |n: usize, total: usize| format!("{n} ({:.2})", 100.0 * n as f64 / total.max(1) as f64);
    let mut rows = vec![Table1Row {
        variable: label.into(),
        level: None,
        overall: String::new(),
        training: String::new(),
        validation: String::new(),
        test: Some("chi-square".into()),
        statistic: statistic.is_finite().then_some(statistic),
        p: p.is_finite().then_some(p),
    }];
    for (level, c) in distinct.iter().zip(&counts) {
        rows.push(Table1Row {
            variable: label.into(),
            level: Some((*level).clone()),
            overall: cell(c[0] + c[1], levels.len()),
            training: cell(c[0], training.len()),
            validation: cell(c[1], validation.len()),
            test: None,
            statistic: None,
            p: None,
        });
    }
    Ok(rows)
}
