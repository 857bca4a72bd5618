//! Right-censored survival data, validated once at the boundary.

use crate::{Result, StatsError};

/// Right-censored survival times: `time[i] > 0` finite, `status[i]` true for an event.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvData {
    time: Vec<f64>,
    status: Vec<bool>,
}

impl SurvData {
    /// Validates times and 0/1 statuses.
    ///
    /// `time_col`/`status_col` name the columns in errors; rows are reported 1-based.
    ///
    /// # Errors
    /// [`StatsError::InvalidValue`] for a non-finite or non-positive time or a status other than
    /// 0/1; [`StatsError::Degenerate`] when lengths differ or there are no rows.
    pub fn new(time: &[f64], status: &[f64], time_col: &str, status_col: &str) -> Result<Self> {
        if time.len() != status.len() {
            return Err(StatsError::Degenerate(format!(
                "{} times but {} statuses",
                time.len(),
                status.len()
            )));
        }
        if time.is_empty() {
            return Err(StatsError::Degenerate("no observations".into()));
        }
        let invalid = |row: usize, column: &str, reason: String| StatsError::InvalidValue {
            row: row + 1,
            column: column.to_string(),
            reason,
        };
        for (i, &t) in time.iter().enumerate() {
            if !t.is_finite() || t <= 0.0 {
                return Err(invalid(
                    i,
                    time_col,
                    format!("time must be finite and > 0, got {t}"),
                ));
            }
        }
        let mut flags = Vec::with_capacity(status.len());
        for (i, &s) in status.iter().enumerate() {
            match s {
                0.0 => flags.push(false),
                1.0 => flags.push(true),
                _ => {
                    return Err(invalid(
                        i,
                        status_col,
                        format!("status must be 0 or 1, got {s}"),
                    ))
                }
            }
        }
        Ok(SurvData {
            time: time.to_vec(),
            status: flags,
        })
    }

    /// Data already known to be valid (derived from a validated `SurvData`).
    pub(crate) fn from_validated(time: Vec<f64>, status: Vec<bool>) -> Self {
        SurvData { time, status }
    }

    /// Observed times.
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Event indicators.
    pub fn status(&self) -> &[bool] {
        &self.status
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always false: validation rejects empty data.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.status.iter().filter(|&&s| s).count()
    }

    /// The subset at the given row indices (for cross-validation folds and bootstrap samples).
    pub fn subset(&self, rows: &[usize]) -> SurvData {
        SurvData {
            time: rows.iter().map(|&i| self.time[i]).collect(),
            status: rows.iter().map(|&i| self.status[i]).collect(),
        }
    }
}

/// Distinct group labels in R's factor order with the rows of each: labels that all parse as
/// numbers sort numerically (as R sorts a numeric grouping variable), otherwise as text.
pub fn group_levels<S: AsRef<str>>(labels: &[S]) -> Vec<(String, Vec<usize>)> {
    let mut levels: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let label = label.as_ref();
        match levels.iter_mut().find(|(l, _)| l == label) {
            Some((_, rows)) => rows.push(i),
            None => levels.push((label.to_string(), vec![i])),
        }
    }
    let numeric: Option<Vec<f64>> = levels.iter().map(|(l, _)| l.parse::<f64>().ok()).collect();
    match numeric {
        Some(values) => {
            let mut keyed: Vec<(f64, (String, Vec<usize>))> =
                values.into_iter().zip(levels).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            keyed.into_iter().map(|(_, level)| level).collect()
        }
        None => {
            levels.sort_by(|a, b| a.0.cmp(&b.0));
            levels
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_time_and_status_naming_row_and_column() {
        let err = SurvData::new(&[1.0, -2.0], &[1.0, 0.0], "os", "dead").unwrap_err();
        assert!(err.to_string().contains("row 2") && err.to_string().contains("os"));
        let err = SurvData::new(&[1.0, 2.0], &[1.0, 2.0], "os", "dead").unwrap_err();
        assert!(err.to_string().contains("row 2") && err.to_string().contains("dead"));
    }
}
