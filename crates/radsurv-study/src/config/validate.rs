//! Checking a config's values against their domains, each error naming its key.

use super::{CovariateKind, SplitRule, StudyConfig};
use crate::error::{Result, StudyError};

impl StudyConfig {
    /// Checks every value against its domain.
    ///
    /// # Errors
    /// [`StudyError::ConfigValue`] naming the first offending key.
    pub fn validate(&self) -> Result<()> {
        let unit = |key: &str, v: f64| {
            if v.is_finite() && v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(StudyError::config(
                    key,
                    format!("must be in (0, 1), got {v}"),
                ))
            }
        };
        unit("icc.threshold", self.icc.threshold)?;
        unit("spearman.threshold", self.spearman.threshold)?;
        unit(
            "clinical_model.screening_p",
            self.clinical_model.screening_p,
        )?;
        unit("table1.normality_alpha", self.table1.normality_alpha)?;
        if self.lasso.folds < 3 {
            return Err(StudyError::config("lasso.folds", "needs at least 3 folds"));
        }
        if self.bootstrap.replicates < 10 {
            return Err(StudyError::config(
                "bootstrap.replicates",
                "needs at least 10 replicates",
            ));
        }
        radsurv_image::limits::BOOTSTRAP_REPLICATES
            .check(self.bootstrap.replicates as f64, "bootstrap.replicates")
            .map_err(|e| StudyError::config("bootstrap.replicates", e.to_string()))?;
        if self.calibration.groups < 2 {
            return Err(StudyError::config(
                "calibration.groups",
                "needs at least 2 groups",
            ));
        }
        if self.horizons_years.is_empty()
            || self
                .horizons_years
                .iter()
                .any(|h| !h.is_finite() || *h <= 0.0)
        {
            return Err(StudyError::config(
                "horizons_years",
                "needs positive finite years",
            ));
        }
        if self.six_and_twelve.cutoffs.len() != 2
            || self.six_and_twelve.cutoffs[0] >= self.six_and_twelve.cutoffs[1]
        {
            return Err(StudyError::config(
                "six_and_twelve.cutoffs",
                "needs two increasing values",
            ));
        }
        self.validate_split()?;
        self.validate_covariates()
    }

    fn validate_split(&self) -> Result<()> {
        match self.split.rule {
            SplitRule::Date => super::parse_date(&self.split.cutoff)
                .map(|_| ())
                .ok_or_else(|| {
                    StudyError::config(
                        "split.cutoff",
                        format!(
                            "expected an ISO date YYYY-MM-DD, got {:?}",
                            self.split.cutoff
                        ),
                    )
                }),
            SplitRule::Column if self.split.column.is_none() => Err(StudyError::config(
                "split.column",
                "required when split.rule is `column`",
            )),
            SplitRule::Column => Ok(()),
        }
    }

    fn validate_covariates(&self) -> Result<()> {
        let covariates = &self.clinical.covariates;
        if covariates.is_empty() {
            return Err(StudyError::config(
                "clinical.covariates",
                "needs at least one covariate",
            ));
        }
        for (i, cov) in covariates.iter().enumerate() {
            let key = |field: &str| format!("clinical.covariates[{i}].{field}");
            if covariates[..i].iter().any(|c| c.name == cov.name) {
                return Err(StudyError::config(
                    key("name"),
                    format!("duplicate name {:?}", cov.name),
                ));
            }
            match cov.kind {
                CovariateKind::Categorical if cov.reference.is_none() => {
                    return Err(StudyError::config(
                        key("reference"),
                        "required for categorical",
                    ));
                }
                CovariateKind::Binary | CovariateKind::Categorical if cov.cutoff.is_some() => {
                    return Err(StudyError::config(
                        key("cutoff"),
                        "only for continuous covariates",
                    ));
                }
                CovariateKind::Binary | CovariateKind::Continuous if cov.reference.is_some() => {
                    return Err(StudyError::config(
                        key("reference"),
                        "only for categorical covariates",
                    ));
                }
                _ => {}
            }
            if cov.cutoff.is_some_and(|c| !c.is_finite()) {
                return Err(StudyError::config(key("cutoff"), "must be finite"));
            }
        }
        for (i, name) in self.subgroups.iter().enumerate() {
            if !covariates.iter().any(|c| &c.name == name) {
                return Err(StudyError::config(
                    format!("subgroups[{i}]"),
                    format!("{name:?} is not a covariate name"),
                ));
            }
        }
        Ok(())
    }
}
