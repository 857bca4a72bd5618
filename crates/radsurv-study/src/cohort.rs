//! The clinical table and the manifest: typed covariates, the training/validation split, and the
//! design columns the Cox models use.
//!
//! Coding of a covariate into design columns (the same coding `predict` applies to new patients):
//! - `binary`: one column, 1 for `1`/`yes`/`true` (any case), 0 for `0`/`no`/`false`;
//! - `categorical`: one 0/1 column per non-reference level, levels in sorted order;
//! - `continuous` with `cutoff` c: one 0/1 column, 1 when `value >= c` (AFP ≥ 400 ng/mL);
//! - `continuous` without cut-off: the value itself.
//!
//! Missing values are empty cells or `NA`/`NaN` (any case). By default they are an error naming
//! every missing cell; with `clinical.missing: impute` they are filled from the training cohort
//! (mean of a continuous value, most frequent level otherwise; ties go to the first in sorted
//! order) and each fill is recorded.

use crate::config::{
    parse_date, ClinicalConfig, CovariateConfig, CovariateKind, MissingPolicy, SplitRule,
    StudyConfig,
};
use crate::error::{Result, StudyError};
use crate::results::CohortName;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One patient of the clinical table.
#[derive(Debug, Clone, PartialEq)]
pub struct Patient {
    /// Patient id.
    pub id: String,
    /// Index (TACE) date.
    pub date: NaiveDate,
    /// Centre, if the config names a centre column.
    pub centre: Option<String>,
    /// Survival time in the study's unit.
    pub time: f64,
    /// True for death.
    pub event: bool,
    /// Training or validation.
    pub cohort: CohortName,
    /// 1-based data row in the clinical CSV.
    pub row: usize,
}

/// A covariate's values, one per patient (after imputation: no `None` remains).
#[derive(Debug, Clone, PartialEq)]
pub enum CovariateValues {
    /// Binary or continuous values.
    Numeric(Vec<Option<f64>>),
    /// Categorical levels.
    Levels(Vec<Option<String>>),
}

/// How one design column is computed from a covariate (stored in `model.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "coding", rename_all = "snake_case")]
pub enum Coding {
    /// 0/1 value of a binary covariate.
    Binary,
    /// The continuous value itself.
    Value,
    /// 1 when the continuous value is `>= cutoff`.
    AtLeast {
        /// Cut-off.
        cutoff: f64,
    },
    /// 1 when the categorical level equals `level`.
    Level {
        /// Level.
        level: String,
    },
}

/// One column of the Cox design matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignColumn {
    /// Covariate name from the config.
    pub covariate: String,
    /// CSV column the covariate is read from.
    pub source_column: String,
    /// Column name in results (`afp`, `bclc=B`).
    pub name: String,
    /// Display label, e.g. `AFP ≥ 400 (ref: < 400)`.
    pub label: String,
    /// How the value is computed.
    pub coding: Coding,
}

impl Coding {
    /// Whether the column is a 0/1 indicator rather than a measured value.
    pub fn is_indicator(&self) -> bool {
        !matches!(self, Coding::Value)
    }
}

impl DesignColumn {
    /// Encodes one raw CSV value (already known not to be missing).
    ///
    /// # Errors
    /// A message describing why the value is invalid for this coding.
    pub fn encode(&self, raw: &str) -> std::result::Result<f64, String> {
        match &self.coding {
            Coding::Binary => parse_binary(raw),
            Coding::Value => parse_number(raw),
            Coding::AtLeast { cutoff } => {
                parse_number(raw).map(|v| f64::from(u8::from(v >= *cutoff)))
            }
            Coding::Level { level } => Ok(f64::from(u8::from(raw.trim() == level))),
        }
    }
}

/// The loaded cohort: patients, covariates, Six-and-twelve inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// Patients in file order.
    pub patients: Vec<Patient>,
    /// Covariates in config order, values aligned with `patients`.
    pub covariates: Vec<(CovariateConfig, CovariateValues)>,
    /// Largest tumour diameter (cm), per patient.
    pub diameter_cm: Vec<f64>,
    /// Tumour count, per patient.
    pub tumour_count: Vec<f64>,
    /// Imputations made, one line each (empty unless `clinical.missing: impute`).
    pub imputations: Vec<String>,
}

impl Cohort {
    /// Loads and validates the clinical table named by the config, splits it and imputes if asked.
    ///
    /// # Errors
    /// [`StudyError::UnknownColumn`], [`StudyError::InvalidValue`] (row and column),
    /// [`StudyError::MissingValues`] listing every missing cell, or
    /// [`StudyError::Degenerate`] when a cohort is empty or has no death.
    pub fn load(config: &StudyConfig) -> Result<Cohort> {
        let path = config.resolve(&config.clinical.path);
        let table = CsvTable::read(&path)?;
        let mut cohort = parse_cohort(&table, config)?;
        cohort.handle_missing(&config.clinical, &path)?;
        for name in [CohortName::Training, CohortName::Validation] {
            cohort.check_has_deaths(name, &config.clinical.event)?;
        }
        Ok(cohort)
    }

    /// A cohort without patients, or without a death, supports no Cox model, C-index or
    /// log-rank test: the study stops before any of them with the reason.
    fn check_has_deaths(&self, name: CohortName, event_column: &str) -> Result<()> {
        let members: Vec<&Patient> = self.patients.iter().filter(|p| p.cohort == name).collect();
        if members.is_empty() {
            return Err(StudyError::degenerate(
                "cohort split",
                format!("no patient in the {name:?} cohort; check `split`"),
            ));
        }
        if !members.iter().any(|p| p.event) {
            return Err(StudyError::degenerate(
                "cohort split",
                format!(
                    "no death in the {name:?} cohort: column {event_column:?} is 0 in all {} \
                     of its rows, so no Cox model, C-index or log-rank test can be computed \
                     on it; check the event column and `split`",
                    members.len()
                ),
            ));
        }
        Ok(())
    }

    /// Keeps only the patients at `rows` (e.g. those with features), preserving order.
    pub fn subset(&self, rows: &[usize]) -> Cohort {
        let pick_num = |v: &[Option<f64>]| rows.iter().map(|&r| v[r]).collect();
        Cohort {
            patients: rows.iter().map(|&r| self.patients[r].clone()).collect(),
            covariates: self
                .covariates
                .iter()
                .map(|(c, v)| {
                    let values = match v {
                        CovariateValues::Numeric(x) => CovariateValues::Numeric(pick_num(x)),
                        CovariateValues::Levels(x) => {
                            CovariateValues::Levels(rows.iter().map(|&r| x[r].clone()).collect())
                        }
                    };
                    (c.clone(), values)
                })
                .collect(),
            diameter_cm: rows.iter().map(|&r| self.diameter_cm[r]).collect(),
            tumour_count: rows.iter().map(|&r| self.tumour_count[r]).collect(),
            imputations: self.imputations.clone(),
        }
    }

    /// Indices of the patients in one cohort, in file order.
    pub fn rows_of(&self, cohort: CohortName) -> Vec<usize> {
        (0..self.patients.len())
            .filter(|&i| self.patients[i].cohort == cohort)
            .collect()
    }

    /// Design columns of one covariate (see the module doc for the coding).
    pub fn design_columns(&self, name: &str) -> Vec<DesignColumn> {
        let Some((cov, values)) = self.covariates.iter().find(|(c, _)| c.name == name) else {
            return Vec::new();
        };
        let column = |name: String, label: String, coding: Coding| DesignColumn {
            covariate: cov.name.clone(),
            source_column: cov.column().to_string(),
            name,
            label,
            coding,
        };
        match (cov.kind, values) {
            (CovariateKind::Categorical, CovariateValues::Levels(levels)) => {
                let reference = cov.reference.clone().unwrap_or_default();
                let distinct: BTreeSet<&String> = levels.iter().flatten().collect();
                distinct
                    .into_iter()
                    .filter(|l| **l != reference)
                    .map(|l| {
                        column(
                            format!("{}={l}", cov.name),
                            format!("{} {l} (ref: {reference})", cov.label()),
                            Coding::Level { level: l.clone() },
                        )
                    })
                    .collect()
            }
            (CovariateKind::Continuous, _) => match cov.cutoff {
                Some(c) => vec![column(
                    cov.name.clone(),
                    format!("{} ≥ {c} (ref: < {c})", cov.label()),
                    Coding::AtLeast { cutoff: c },
                )],
                None => vec![column(
                    cov.name.clone(),
                    format!("{} (per unit)", cov.label()),
                    Coding::Value,
                )],
            },
            _ => vec![column(
                cov.name.clone(),
                format!("{} (ref: no)", cov.label()),
                Coding::Binary,
            )],
        }
    }

    /// Values of a design column for every patient (no missing value remains after loading).
    pub fn design_values(&self, column: &DesignColumn) -> Vec<f64> {
        let Some((_, values)) = self
            .covariates
            .iter()
            .find(|(c, _)| c.name == column.covariate)
        else {
            return Vec::new();
        };
        match values {
            CovariateValues::Numeric(x) => x
                .iter()
                .map(|v| {
                    let v = v.unwrap_or(f64::NAN);
                    match column.coding {
                        Coding::AtLeast { cutoff } => f64::from(u8::from(v >= cutoff)),
                        _ => v,
                    }
                })
                .collect(),
            CovariateValues::Levels(x) => x
                .iter()
                .map(|l| match (&column.coding, l) {
                    (Coding::Level { level }, Some(l)) => f64::from(u8::from(l == level)),
                    _ => f64::NAN,
                })
                .collect(),
        }
    }

    /// The categorical display level of a covariate per patient (for Table 1 and subgroups):
    /// the level, `yes`/`no`, or `≥ c`/`< c`; `None` for a continuous covariate without cut-off.
    pub fn display_levels(&self, name: &str) -> Option<Vec<String>> {
        let (cov, values) = self.covariates.iter().find(|(c, _)| c.name == name)?;
        match (cov.kind, values) {
            (CovariateKind::Categorical, CovariateValues::Levels(x)) => {
                Some(x.iter().map(|l| l.clone().unwrap_or_default()).collect())
            }
            (CovariateKind::Binary, CovariateValues::Numeric(x)) => Some(
                x.iter()
                    .map(|v| {
                        if *v == Some(1.0) {
                            "yes".into()
                        } else {
                            "no".into()
                        }
                    })
                    .collect(),
            ),
            (CovariateKind::Continuous, CovariateValues::Numeric(x)) => {
                let c = cov.cutoff?;
                Some(
                    x.iter()
                        .map(|v| {
                            if v.is_some_and(|v| v >= c) {
                                format!("≥ {c}")
                            } else {
                                format!("< {c}")
                            }
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// The continuous values of a covariate (for Table 1), `None` if it is not continuous.
    pub fn continuous_values(&self, name: &str) -> Option<Vec<f64>> {
        let (cov, values) = self.covariates.iter().find(|(c, _)| c.name == name)?;
        match (cov.kind, values) {
            (CovariateKind::Continuous, CovariateValues::Numeric(x)) => {
                Some(x.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
            }
            _ => None,
        }
    }

    fn handle_missing(&mut self, clinical: &ClinicalConfig, path: &Path) -> Result<()> {
        let mut cells = Vec::new();
        for (cov, values) in &self.covariates {
            let missing: Vec<usize> = match values {
                CovariateValues::Numeric(x) => (0..x.len()).filter(|&i| x[i].is_none()).collect(),
                CovariateValues::Levels(x) => (0..x.len()).filter(|&i| x[i].is_none()).collect(),
            };
            cells.extend(
                missing
                    .iter()
                    .map(|&i| (self.patients[i].row, cov.column().to_string())),
            );
        }
        if cells.is_empty() {
            return Ok(());
        }
        if clinical.missing == MissingPolicy::Error {
            cells.sort();
            return Err(StudyError::MissingValues {
                path: path.to_path_buf(),
                cells,
            });
        }
        let training = self.rows_of(CohortName::Training);
        let patients = &self.patients;
        let mut log = Vec::new();
        for (cov, values) in &mut self.covariates {
            impute_covariate(cov, values, &training, patients, &mut log)?;
        }
        self.imputations = log;
        Ok(())
    }
}

fn impute_covariate(
    cov: &CovariateConfig,
    values: &mut CovariateValues,
    training: &[usize],
    patients: &[Patient],
    log: &mut Vec<String>,
) -> Result<()> {
    match values {
        CovariateValues::Numeric(x) => {
            let known: Vec<f64> = training.iter().filter_map(|&i| x[i]).collect();
            let fill = if cov.kind == CovariateKind::Continuous {
                crate::stat::mean_sd(&known)?.0
            } else {
                most_frequent(known.iter().map(|v| v.to_string()))
                    .parse()
                    .unwrap_or(0.0)
            };
            for (i, v) in x.iter_mut().enumerate() {
                if v.is_none() {
                    *v = Some(fill);
                    log.push(impute_line(cov, &patients[i], &fill.to_string()));
                }
            }
        }
        CovariateValues::Levels(x) => {
            let fill = most_frequent(training.iter().filter_map(|&i| x[i].clone()));
            for (i, v) in x.iter_mut().enumerate() {
                if v.is_none() {
                    *v = Some(fill.clone());
                    log.push(impute_line(cov, &patients[i], &fill));
                }
            }
        }
    }
    Ok(())
}

fn impute_line(cov: &CovariateConfig, patient: &Patient, fill: &str) -> String {
    format!(
        "impute: patient {} (row {}) column {:?} missing, set to {fill} (training cohort)",
        patient.id,
        patient.row,
        cov.column()
    )
}

/// Most frequent string; ties go to the first in sorted order.
fn most_frequent(values: impl Iterator<Item = String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let best = counts.values().copied().max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v)
        .unwrap_or_default()
}

fn parse_cohort(table: &CsvTable, config: &StudyConfig) -> Result<Cohort> {
    let clinical = &config.clinical;
    let id = table.column(&clinical.id, "clinical.id")?;
    let date = table.column(&clinical.date, "clinical.date")?;
    let time = table.column(&clinical.time, "clinical.time")?;
    let event = table.column(&clinical.event, "clinical.event")?;
    let centre = clinical
        .centre
        .as_ref()
        .map(|c| table.column(c, "clinical.centre"))
        .transpose()?;
    let split_col = match (&config.split.rule, &config.split.column) {
        (SplitRule::Column, Some(c)) => Some(table.column(c, "split.column")?),
        _ => None,
    };
    let cutoff = parse_date(&config.split.cutoff);
    let mut patients = Vec::with_capacity(table.rows.len());
    let mut seen = BTreeSet::new();
    for (i, row) in table.rows.iter().enumerate() {
        let r = i + 1;
        let id_value = table.required(row, id, r)?.to_string();
        if !seen.insert(id_value.clone()) {
            return Err(table.invalid(r, id, format!("duplicate patient id {id_value:?}")));
        }
        let raw_date = table.required(row, date, r)?;
        let date_value = parse_date(raw_date).ok_or_else(|| {
            table.invalid(
                r,
                date,
                format!("expected an ISO date YYYY-MM-DD, got {raw_date:?}"),
            )
        })?;
        let time_value = parse_number(table.required(row, time, r)?)
            .and_then(|t| {
                if t > 0.0 {
                    Ok(t)
                } else {
                    Err(format!("time must be > 0, got {t}"))
                }
            })
            .map_err(|reason| table.invalid(r, time, reason))?;
        let event_value = parse_binary(table.required(row, event, r)?)
            .map_err(|reason| table.invalid(r, event, reason))?;
        let cohort = match (split_col, cutoff) {
            (Some(c), _) => {
                let v = table.required(row, c, r)?;
                if v == config.split.training_value {
                    CohortName::Training
                } else if v == config.split.validation_value {
                    CohortName::Validation
                } else {
                    return Err(table.invalid(
                        r,
                        c,
                        format!(
                            "expected {:?} or {:?}, got {v:?}",
                            config.split.training_value, config.split.validation_value
                        ),
                    ));
                }
            }
            (None, Some(cut)) if date_value < cut => CohortName::Training,
            _ => CohortName::Validation,
        };
        patients.push(Patient {
            id: id_value,
            date: date_value,
            centre: centre.and_then(|c| table.value(row, c)).map(str::to_string),
            time: time_value,
            event: event_value == 1.0,
            cohort,
            row: r,
        });
    }
    if patients.is_empty() {
        return Err(StudyError::Csv {
            path: table.path.clone(),
            message: "no data rows".into(),
        });
    }
    let covariates = clinical
        .covariates
        .iter()
        .enumerate()
        .map(|(k, cov)| Ok((cov.clone(), parse_covariate(table, cov, k)?)))
        .collect::<Result<Vec<_>>>()?;
    let six = &config.six_and_twelve;
    let diameter_cm = required_numbers(table, &six.diameter_cm, "six_and_twelve.diameter_cm")?;
    let tumour_count = required_numbers(table, &six.tumour_count, "six_and_twelve.tumour_count")?;
    Ok(Cohort {
        patients,
        covariates,
        diameter_cm,
        tumour_count,
        imputations: Vec::new(),
    })
}

/// The reference level of a categorical covariate must be one of its levels: otherwise every
/// level would get an indicator and the design would be collinear for a reason it cannot name.
fn check_reference_level(
    table: &CsvTable,
    cov: &CovariateConfig,
    index: usize,
    levels: &[Option<String>],
) -> Result<()> {
    let Some(reference) = &cov.reference else {
        return Ok(());
    };
    let distinct: BTreeSet<&String> = levels.iter().flatten().collect();
    if distinct.contains(reference) {
        return Ok(());
    }
    let listed: Vec<&str> = distinct.iter().map(|l| l.as_str()).collect();
    Err(StudyError::config(
        format!("clinical.covariates[{index}].reference"),
        format!(
            "{reference:?} is not a level of column {:?} in {} (levels: {})",
            cov.column(),
            table.path.display(),
            listed.join(", ")
        ),
    ))
}

fn parse_covariate(
    table: &CsvTable,
    cov: &CovariateConfig,
    index: usize,
) -> Result<CovariateValues> {
    let c = table.column(
        cov.column(),
        &format!("clinical.covariates[{index}].column"),
    )?;
    let cells = table.rows.iter().map(|row| table.value(row, c));
    Ok(match cov.kind {
        CovariateKind::Categorical => {
            let levels: Vec<Option<String>> = cells.map(|v| v.map(str::to_string)).collect();
            check_reference_level(table, cov, index, &levels)?;
            CovariateValues::Levels(levels)
        }
        kind => {
            let parse = if kind == CovariateKind::Binary {
                parse_binary
            } else {
                parse_number
            };
            let values = cells
                .enumerate()
                .map(|(i, v)| {
                    v.map(parse)
                        .transpose()
                        .map_err(|reason| table.invalid(i + 1, c, reason))
                })
                .collect::<Result<Vec<_>>>()?;
            CovariateValues::Numeric(values)
        }
    })
}

fn required_numbers(table: &CsvTable, column: &str, key: &str) -> Result<Vec<f64>> {
    let c = table.column(column, key)?;
    table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            parse_number(table.required(row, c, i + 1)?)
                .map_err(|reason| table.invalid(i + 1, c, reason))
        })
        .collect()
}

/// Parses a finite number.
fn parse_number(raw: &str) -> std::result::Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("expected a finite number, got {raw:?}")),
    }
}

/// Parses a binary value: `1`/`yes`/`true` → 1, `0`/`no`/`false` → 0 (any case).
fn parse_binary(raw: &str) -> std::result::Result<f64, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" => Ok(1.0),
        "0" | "no" | "false" => Ok(0.0),
        _ => Err(format!("expected 0/1 (or yes/no, true/false), got {raw:?}")),
    }
}

/// True for the cells treated as missing: empty, `NA`, `NaN` (any case).
fn is_missing(raw: &str) -> bool {
    let t = raw.trim();
    t.is_empty() || t.eq_ignore_ascii_case("na") || t.eq_ignore_ascii_case("nan")
}

/// A CSV file held as strings, with errors that name file, row and column.
#[derive(Debug, Clone)]
pub(crate) struct CsvTable {
    pub(crate) path: PathBuf,
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// Reads a CSV file with a header row.
    pub(crate) fn read(path: &Path) -> Result<CsvTable> {
        let csv_err = |e: csv::Error| StudyError::Csv {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let file = std::fs::File::open(path).map_err(|e| StudyError::io(path, e))?;
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        let headers: Vec<String> = reader
            .headers()
            .map_err(csv_err)?
            .iter()
            .map(str::to_string)
            .collect();
        if let Some(message) = radsurv_stats::table::header_problem(&headers) {
            return Err(StudyError::Csv {
                path: path.to_path_buf(),
                message,
            });
        }
        let rows = reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_string).collect())
                    .map_err(csv_err)
            })
            .collect::<Result<Vec<Vec<String>>>>()?;
        Ok(CsvTable {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// Index of a column named by config key `key`.
    pub(crate) fn column(&self, name: &str, key: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| StudyError::UnknownColumn {
                path: self.path.clone(),
                column: name.to_string(),
                key: key.to_string(),
            })
    }

    /// Index of an optional column.
    pub(crate) fn optional_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// A cell, `None` when missing.
    pub(crate) fn value<'a>(&self, row: &'a [String], column: usize) -> Option<&'a str> {
        row.get(column)
            .map(String::as_str)
            .filter(|v| !is_missing(v))
    }

    /// A cell that must be present: an id, date, follow-up or event, which no policy imputes.
    pub(crate) fn required<'a>(
        &self,
        row: &'a [String],
        column: usize,
        r: usize,
    ) -> Result<&'a str> {
        self.value(row, column).ok_or_else(|| {
            let cell = row.get(column).map_or("", |v| v.trim());
            let missing = if cell.is_empty() {
                "empty".to_string()
            } else {
                format!("missing ({cell:?})")
            };
            self.invalid(
                r,
                column,
                format!(
                    "{missing}, but this column is required in every row (it is never imputed)"
                ),
            )
        })
    }

    /// An invalid-value error at 1-based row `r`, column index `column`.
    pub(crate) fn invalid(&self, r: usize, column: usize, reason: String) -> StudyError {
        StudyError::InvalidValue {
            path: self.path.clone(),
            row: r,
            column: self.headers[column].clone(),
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_order() {
        assert!(parse_date("2018-12-31") < parse_date("2019-01-01"));
        assert_eq!(parse_date("2019-02-29"), None);
        assert!(parse_date("2020-02-29").is_some());
        assert_eq!(
            parse_date(" 2019-1-5").map(|d| d.to_string()).as_deref(),
            Some("2019-01-05")
        );
        assert_eq!(parse_date("05/01/2019"), None);
    }

    #[test]
    fn binary_and_missing_cells() {
        assert_eq!(parse_binary("Yes"), Ok(1.0));
        assert_eq!(parse_binary("0"), Ok(0.0));
        assert!(parse_binary("2").is_err());
        assert!(is_missing(" NA ") && is_missing("") && !is_missing("0"));
    }

    #[test]
    fn most_frequent_breaks_ties_by_sorted_order() {
        let v = ["b", "a", "b", "a"].iter().map(|s| s.to_string());
        assert_eq!(most_frequent(v), "a");
    }
}
