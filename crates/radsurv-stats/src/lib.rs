//! Survival and classical statistics identical to R (survival, glmnet, riskRegression, timeROC,
//! psych): one module per method, each documenting its formula and the R call it matches.

pub mod calibration;
pub mod chisq;
pub mod concordance;
pub mod correlation;
pub mod cox;
pub mod coxnet;
pub mod cv;
pub mod describe;
mod distributions;
pub mod error;
pub mod icc;
pub mod km;
mod linalg;
pub mod logrank;
pub mod nomogram;
pub mod normality;
mod ranks;
pub mod surv;
pub mod table;
pub mod tdauc;
pub mod ttest;
pub mod wilcoxon;

pub use error::{Result, StatsError};
pub use surv::SurvData;
pub use table::{DataTable, Design};
