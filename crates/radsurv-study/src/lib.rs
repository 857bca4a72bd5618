//! The seed study as a reproducible program: cohort → feature extraction → ICC, Spearman and
//! LASSO-Cox selection → clinical, radiomics and combined Cox models → validation, with every
//! decision recorded and a model file that scores new patients.
//!
//! Every statistic comes from `radsurv-stats` and every feature from `radsurv-features`; this
//! crate only orchestrates, records decisions and writes results. Entry points:
//! [`run_study`] (what `radsurv study` and `radsurv demo` call), [`StudyConfig`] and
//! [`ModelFile`] (what `radsurv predict` reads).

pub mod batch;
pub mod cohort;
pub mod config;
pub mod decisions;
pub mod error;
pub mod evaluation;
pub mod feature_table;
pub mod files;
pub mod manifest;
pub mod model_file;
pub mod models;
pub mod outputs;
pub mod pipeline;
pub mod predict;
pub mod results;
pub mod seed_study;
pub mod selection;
mod stat;
pub mod synth;
pub mod table1;

pub use config::StudyConfig;
pub use error::{Result, StudyError};
pub use model_file::ModelFile;
pub use pipeline::{run_study, Progress};
pub use results::StudyResults;
