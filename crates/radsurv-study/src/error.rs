//! Errors of the study pipeline; each names the file, key, row or column a user must fix.

use std::path::PathBuf;

/// Result alias of this crate.
pub type Result<T, E = StudyError> = std::result::Result<T, E>;

/// Why a study could not be run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StudyError {
    /// An output folder that is not safe to write into: one holding an input, or one that
    /// already holds files when overwriting was not asked for.
    #[error("{}: {reason}", .path.display())]
    UnsafeOutput {
        /// The output folder.
        path: PathBuf,
        /// Why it is refused and what to do.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The config file is not valid YAML for a study config (the message names the key).
    #[error("{}: {message}", .path.display())]
    ConfigSyntax {
        /// The config file.
        path: PathBuf,
        /// The parser's message, with the key and location.
        message: String,
    },
    /// A config value is out of its domain.
    #[error("config key `{key}`: {reason}")]
    ConfigValue {
        /// Key path, e.g. `icc.threshold`.
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// A model file is readable JSON but cannot be a model radsurv wrote: scores from it would
    /// be wrong (coefficients that do not match the columns, an SD ≤ 0, a negative hazard, …).
    #[error("{}: not a valid model: {reason}", .path.display())]
    InvalidModel {
        /// The model file.
        path: PathBuf,
        /// What is wrong, naming the field.
        reason: String,
    },
    /// A CSV file is malformed.
    #[error("{}: {message}", .path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A value in a CSV cell is invalid.
    #[error("{}: row {row}, column {column:?}: {reason}", .path.display())]
    InvalidValue {
        /// The file.
        path: PathBuf,
        /// 1-based data row.
        row: usize,
        /// Column name.
        column: String,
        /// What is wrong.
        reason: String,
    },
    /// A column named in the config is not in the file.
    #[error("{}: no column {column:?} (named by `{key}`)", .path.display())]
    UnknownColumn {
        /// The file.
        path: PathBuf,
        /// Column asked for.
        column: String,
        /// What names it: a config key (`clinical.time`), an option (`--id-column`) or a part
        /// of model.json (`model.json columns`).
        key: String,
    },
    /// Clinical values are missing and the config does not ask for imputation.
    #[error(
        "{}: missing values (set `clinical.missing: impute` to impute them): {}",
        .path.display(),
        .cells.iter().map(|(r, c)| format!("row {r} column {c:?}")).collect::<Vec<_>>().join(", ")
    )]
    MissingValues {
        /// The file.
        path: PathBuf,
        /// `(1-based row, column)` of every missing cell.
        cells: Vec<(usize, String)>,
    },
    /// A statistic failed in one pipeline step.
    #[error("{step}: {source}")]
    Stats {
        /// Pipeline step, e.g. `LASSO-Cox cross-validation`.
        step: String,
        /// The statistics error.
        #[source]
        source: radsurv_stats::StatsError,
    },
    /// The data cannot support a step (too few cases, no selected feature, ...).
    #[error("{step}: {reason}")]
    Degenerate {
        /// Pipeline step.
        step: String,
        /// What is missing.
        reason: String,
    },
    /// The manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] crate::manifest::ManifestError),
    /// The extraction batch could not start.
    #[error(transparent)]
    Batch(#[from] crate::batch::BatchError),
    /// A JSON file (model or results) could not be read or written.
    #[error("{}: {source}", .path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
}

impl StudyError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StudyError::Io {
            path: path.into(),
            source,
        }
    }

    /// A config value error on `key`.
    pub(crate) fn config(key: impl Into<String>, reason: impl Into<String>) -> Self {
        StudyError::ConfigValue {
            key: key.into(),
            reason: reason.into(),
        }
    }

    /// Wraps a statistics error with the step it happened in.
    pub(crate) fn stats(step: impl Into<String>) -> impl FnOnce(radsurv_stats::StatsError) -> Self {
        let step = step.into();
        move |source| StudyError::Stats { step, source }
    }

    /// A degenerate-data error in `step`.
    pub(crate) fn degenerate(step: impl Into<String>, reason: impl Into<String>) -> Self {
        StudyError::Degenerate {
            step: step.into(),
            reason: reason.into(),
        }
    }
}
