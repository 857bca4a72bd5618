//! Table 1: baseline characteristics by cohort, as the seed reports them.
//!
//! A continuous covariate (with or without a model cut-off) is summarised as mean ± SD and compared with the
//! two-sample t-test when Shapiro–Wilk does not reject normality (p ≥ `table1.normality_alpha`) in
//! either cohort; otherwise as median (Q1, Q3) with the Mann–Whitney U test. Binary, categorical and
//! dichotomised covariates are n (%) per level, compared with Pearson's chi-square test.
//!
//! Order statistics of a column of whole numbers (ages, counts) print without decimal zeros
//! ("59 (51, 67.5)"): "59.00" would claim a precision the data do not have. Means and SDs keep two
//! decimals.

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
                config.table1.normality_alpha,
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
    normality_alpha: f64,
) -> Result<Table1Row> {
    let (t, v) = (pick(values, training), pick(values, validation));
    let normal = stat::shapiro_wilk_p(&t)? >= normality_alpha
        && stat::shapiro_wilk_p(&v)? >= normality_alpha;
    let whole = values.iter().all(|v| v.fract() == 0.0);
    let order_statistic = |v: f64| {
        if whole {
            without_decimal_zeros(v)
        } else {
            format!("{v:.2}")
        }
    };
    let summary = |x: &[f64]| -> Result<String> {
        if normal {
            let (m, s) = stat::mean_sd(x)?;
            Ok(format!("{m:.2} ± {s:.2}"))
        } else {
            let [q1, med, q3] = stat::quartiles(x)?.map(order_statistic);
            Ok(format!("{med} ({q1}, {q3})"))
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

/// `v` with two decimals less its trailing zeros: 59, 67.5, 67.25.
fn without_decimal_zeros(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole numbers with a long right tail (not normal by Shapiro–Wilk), split 2:1.
    fn skewed() -> (Vec<f64>, Vec<usize>, Vec<usize>) {
        let values = (0..60u32)
            .map(|k| (f64::from(k * k % 97).powi(2) / 100.0).round())
            .collect();
        (values, (0..40).collect(), (40..60).collect())
    }

    #[test]
    fn a_whole_number_column_prints_median_and_quartiles_without_decimal_zeros() {
        let (values, training, validation) = skewed();
        let row = continuous_row("Age", &values, &training, &validation, 0.05).unwrap();
        assert_eq!(row.test.as_deref(), Some("Mann–Whitney"));
        for cell in [&row.overall, &row.training, &row.validation] {
            assert!(!cell.contains(".00") && !cell.contains(".50"), "{cell}");
        }
        let [q1, med, q3] = stat::quartiles(&values).unwrap();
        assert_eq!(
            row.overall,
            format!(
                "{} ({}, {})",
                without_decimal_zeros(med),
                without_decimal_zeros(q1),
                without_decimal_zeros(q3)
            )
        );
        let fractional: Vec<f64> = values.iter().map(|v| v + 0.1).collect();
        let row = continuous_row("Size", &fractional, &training, &validation, 0.05).unwrap();
        assert_eq!(
            row.overall,
            format!("{:.2} ({:.2}, {:.2})", med + 0.1, q1 + 0.1, q3 + 0.1)
        );
    }

    #[test]
    fn order_statistics_of_whole_numbers_have_no_decimal_zeros() {
        assert_eq!(without_decimal_zeros(59.0), "59");
        assert_eq!(without_decimal_zeros(67.5), "67.5");
        assert_eq!(without_decimal_zeros(67.25), "67.25");
        assert_eq!(without_decimal_zeros(-3.0), "-3");
    }
}
