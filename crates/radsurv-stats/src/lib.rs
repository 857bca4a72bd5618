//! Survival and classical statistics identical to R (survival, glmnet, riskRegression, timeROC,
//! psych): one module per method, each documenting its formula and the R call it matches.

pub mod calibration;
pub mod concordance;
pub mod cox;
pub mod coxnet;
pub mod error;
pub mod km;
pub mod logrank;
pub mod nomogram;
pub mod surv;
pub mod table;
pub mod tdauc;

pub use error::{Result, StatsError};
pub use surv::SurvData;
pub use table::{DataTable, Design};
