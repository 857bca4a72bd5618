//! Errors of the statistics crate; data errors name the row (1-based, as a spreadsheet shows it)
//! and the column.

/// Result alias of this crate.
pub type Result<T, E = StatsError> = std::result::Result<T, E>;

/// Why a statistic could not be computed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// A value in the input is missing, non-numeric or out of its domain.
    #[error("row {row}, column {column:?}: {reason}")]
    InvalidValue {
        /// 1-based data row.
        row: usize,
        /// Column name.
        column: String,
        /// What is wrong.
        reason: String,
    },
    /// A named column is not in the data.
    #[error("unknown column {column:?} (the header has: {available})")]
    UnknownColumn {
        /// Column name asked for.
        column: String,
        /// The header's columns, comma-separated.
        available: String,
    },
    /// The input as a whole cannot support the method (too few rows, no events, ...).
    #[error("{0}")]
    Degenerate(String),
    /// An iterative solver stopped at its iteration limit.
    #[error("{method} did not converge: {detail}")]
    NotConverged {
        /// The method.
        method: String,
        /// Where and after how many iterations.
        detail: String,
    },
    /// A data file cannot be opened or parsed as CSV.
    #[error("{path}: {reason}")]
    Read {
        /// File path (or `<reader>` for in-memory input).
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// A design column is a linear combination of the others (R would report its coefficient
    /// as `NA`).
    #[error("column {column:?} is collinear with the other covariates (singular design)")]
    Singular {
        /// The first column found to be redundant.
        column: String,
    },
}
