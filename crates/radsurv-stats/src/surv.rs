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

/// Rows in order of time (a stable sort: tied rows keep input order) and the runs of equal
/// times among them, from the earliest: the risk sets of every survival statistic.
///
/// The risk set of a group is its rows and every later one, `order()[group.start..]`, so the
/// number at risk is `len - start`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TieGroups {
    order: Vec<usize>,
    groups: Vec<TieGroup>,
}

/// One run of equal times in [`TieGroups`]: positions `start..end` of its order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TieGroup {
    /// The common time.
    pub time: f64,
    /// First position in the time order.
    pub start: usize,
    /// One past the last position.
    pub end: usize,
    /// Events among the rows.
    pub events: usize,
}

impl TieGroup {
    /// Rows in the group.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Censorings in the group.
    pub fn censored(&self) -> usize {
        self.len() - self.events
    }
}

impl TieGroups {
    /// Sorts rows by time and groups equal times; `time` and `status` have one entry per row.
    pub fn new(time: &[f64], status: &[bool]) -> Self {
        let mut order: Vec<usize> = (0..time.len()).collect();
        order.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
        let mut groups = Vec::new();
        let mut start = 0;
        while start < order.len() {
            let t = time[order[start]];
            let len = order[start..].iter().take_while(|&&i| time[i] == t).count();
            let end = start + len;
            let events = order[start..end].iter().filter(|&&i| status[i]).count();
            groups.push(TieGroup {
                time: t,
                start,
                end,
                events,
            });
            start = end;
        }
        TieGroups { order, groups }
    }

    /// The groups of `data`.
    pub fn of(data: &SurvData) -> Self {
        TieGroups::new(data.time(), data.status())
    }

    /// Original row of each position in time order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The groups, earliest time first.
    pub fn groups(&self) -> &[TieGroup] {
        &self.groups
    }

    /// The original rows of a group.
    pub fn rows(&self, group: &TieGroup) -> &[usize] {
        &self.order[group.start..group.end]
    }

    /// Rows at risk at a group's time (the group and everything later).
    pub fn at_risk(&self, group: &TieGroup) -> usize {
        self.order.len() - group.start
    }

    /// The counting-process table: one row per distinct time.
    pub fn risk_table(&self) -> Vec<RiskRow> {
        self.groups
            .iter()
            .map(|g| RiskRow {
                time: g.time,
                n_risk: self.at_risk(g),
                n_event: g.events,
                n_censor: g.censored(),
            })
            .collect()
    }
}

/// A distinct time with the numbers at risk, events and censorings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RiskRow {
    /// The time.
    pub time: f64,
    /// Rows with a time at or after it.
    pub n_risk: usize,
    /// Events at it.
    pub n_event: usize,
    /// Censorings at it.
    pub n_censor: usize,
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
    fn tie_groups_sort_stably_and_count_the_risk_sets() {
        let groups = TieGroups::new(
            &[3.0, 1.0, 3.0, 2.0, 1.0],
            &[true, false, false, true, true],
        );
        assert_eq!(groups.order(), [1, 4, 3, 0, 2]);
        let table: Vec<_> = groups
            .risk_table()
            .iter()
            .map(|r| (r.time, r.n_risk, r.n_event, r.n_censor))
            .collect();
        assert_eq!(table, [(1.0, 5, 1, 1), (2.0, 3, 1, 0), (3.0, 2, 1, 1)]);
        assert_eq!(groups.rows(&groups.groups()[2]), [0, 2]);
    }

    #[test]
    fn rejects_bad_time_and_status_naming_row_and_column() {
        let err = SurvData::new(&[1.0, -2.0], &[1.0, 0.0], "os", "dead").unwrap_err();
        assert!(err.to_string().contains("row 2") && err.to_string().contains("os"));
        let err = SurvData::new(&[1.0, 2.0], &[1.0, 2.0], "os", "dead").unwrap_err();
        assert!(err.to_string().contains("row 2") && err.to_string().contains("dead"));
    }
}
