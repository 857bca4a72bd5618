//! Radiomics feature selection, as the seed: ICC filter (both readers) → invalid features removed,
//! mean imputation and z-score fitted on the training cohort → Spearman filter (training) →
//! LASSO-Cox cross-validation (training) → rad-score.
//!
//! # Rules (all deterministic)
//! - **ICC**: computed on the raw features of the patients segmented by both readers, on pairs
//!   where both values are finite; a feature is kept when ICC ≥ `icc.threshold`. A feature whose
//!   ICC is undefined (fewer than 3 pairs, or no between-subject variance) is dropped. Without a
//!   second reader the filter is skipped and the log says so.
//! - **Invalid**: a feature with no finite value, or a single value, in the training cohort is
//!   removed. Remaining non-finite values (any cohort) are set to the training mean.
//! - **z-score**: $z = (x - \bar x_{train}) / s_{train}$ (sample SD), applied to both cohorts.
//! - **Spearman**: pairs with $|\rho| >$ `spearman.threshold` (training) are visited in order of
//!   decreasing $|\rho|$ (ties: feature order); when both are still present, one is dropped:
//!   with `mean_abs_correlation` the one with the larger mean $|\rho|$ to all remaining features,
//!   with `weaker_univariable_cox` the one with the smaller univariable Cox $|z|$; a tie drops the
//!   later feature in extraction order.

use crate::config::{SpearmanRule, StudyConfig};
use crate::error::Result;
use crate::results::{DroppedFeature, Estimate, IccRow, SpearmanDrop};
use crate::stat;

/// Feature values by column: `columns[j][i]` is feature `j` of patient `i`; NaN where missing.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureColumns {
    /// Feature names.
    pub names: Vec<String>,
    /// One column per feature.
    pub columns: Vec<Vec<f64>>,
}

impl FeatureColumns {
    /// The columns whose names are in `keep`, in this matrix's order.
    pub fn select(&self, keep: &[String]) -> FeatureColumns {
        let (names, columns) = self
            .names
            .iter()
            .zip(&self.columns)
            .filter(|(n, _)| keep.contains(n))
            .map(|(n, c)| (n.clone(), c.clone()))
            .unzip();
        FeatureColumns { names, columns }
    }

    /// The rows at `rows`, in that order.
    pub fn rows(&self, rows: &[usize]) -> FeatureColumns {
        FeatureColumns {
            names: self.names.clone(),
            columns: self
                .columns
                .iter()
                .map(|c| rows.iter().map(|&i| c[i]).collect())
                .collect(),
        }
    }
}

/// ICC of every feature between the two readers; returns the rows and the kept names.
///
/// `primary` and `secondary` hold the same patients in the same order.
///
/// # Errors
/// A statistics error from the ICC.
pub fn icc_filter(
    primary: &FeatureColumns,
    secondary: &FeatureColumns,
    config: &StudyConfig,
) -> Result<(Vec<IccRow>, Vec<String>)> {
    let mut rows = Vec::with_capacity(primary.names.len());
    for (name, a) in primary.names.iter().zip(&primary.columns) {
        let b = secondary
            .names
            .iter()
            .position(|n| n == name)
            .map(|j| &secondary.columns[j]);
        let pairs: (Vec<f64>, Vec<f64>) = match b {
            Some(b) => a
                .iter()
                .zip(b)
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .unzip(),
            None => (Vec::new(), Vec::new()),
        };
        let varies = pairs
            .0
            .iter()
            .chain(&pairs.1)
            .any(|v| *v != pairs.0.first().copied().unwrap_or(0.0));
        let estimate = if pairs.0.len() >= 3 && varies {
            stat::icc(&pairs.0, &pairs.1, config.icc.kind)?
        } else {
            Estimate {
                value: None,
                lower: None,
                upper: None,
            }
        };
        let kept = estimate.value.is_some_and(|v| v >= config.icc.threshold);
        rows.push(IccRow {
            feature: name.clone(),
            icc: estimate.value,
            lower: estimate.lower,
            upper: estimate.upper,
            kept,
        });
    }
    let kept = rows
        .iter()
        .filter(|r| r.kept)
        .map(|r| r.feature.clone())
        .collect();
    Ok((rows, kept))
}

/// Training-fitted preprocessing of one feature: imputation value and z-score parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardiser {
    /// Feature names kept.
    pub names: Vec<String>,
    /// Training mean per feature (imputation value and z-score centre).
    pub means: Vec<f64>,
    /// Training sample SD per feature.
    pub sds: Vec<f64>,
}

impl Standardiser {
    /// Removes invalid features and fits means/SDs on the `training` rows.
    ///
    /// # Errors
    /// A statistics error from the mean/SD.
    pub fn fit(
        features: &FeatureColumns,
        training: &[usize],
    ) -> Result<(Standardiser, Vec<DroppedFeature>)> {
        let mut fitted = Standardiser {
            names: Vec::new(),
            means: Vec::new(),
            sds: Vec::new(),
        };
        let mut dropped = Vec::new();
        for (name, column) in features.names.iter().zip(&features.columns) {
            let finite: Vec<f64> = training
                .iter()
                .map(|&i| column[i])
                .filter(|v| v.is_finite())
                .collect();
            let reason = if finite.is_empty() {
                Some("no finite value in the training cohort".to_string())
            } else if finite.iter().all(|v| *v == finite[0]) {
                Some(format!("constant ({}) in the training cohort", finite[0]))
            } else {
                None
            };
            if let Some(reason) = reason {
                dropped.push(DroppedFeature {
                    feature: name.clone(),
                    reason,
                });
                continue;
            }
            let (mean, sd) = stat::mean_sd(&finite)?;
            fitted.names.push(name.clone());
            fitted.means.push(mean);
            fitted.sds.push(sd);
        }
        Ok((fitted, dropped))
    }

    /// Imputes non-finite values with the training mean and z-scores every kept feature.
    pub fn apply(&self, features: &FeatureColumns) -> FeatureColumns {
        let columns = self
            .names
            .iter()
            .zip(self.means.iter().zip(&self.sds))
            .map(|(name, (mean, sd))| {
                let j = features.names.iter().position(|n| n == name);
                let column = j.map(|j| features.columns[j].as_slice()).unwrap_or(&[]);
                column
                    .iter()
                    .map(|v| if v.is_finite() { (v - mean) / sd } else { 0.0 })
                    .collect()
            })
            .collect();
        FeatureColumns {
            names: self.names.clone(),
            columns,
        }
    }
}

/// Spearman redundancy filter on training rows of z-scored features (rule in the module doc).
///
/// `cox_strength` gives each feature's univariable Cox |z| (only read by `weaker_univariable_cox`).
///
/// # Errors
/// A statistics error from Spearman's rho.
pub fn spearman_filter(
    features: &FeatureColumns,
    config: &StudyConfig,
    cox_strength: &dyn Fn(usize) -> Result<f64>,
) -> Result<(Vec<String>, Vec<SpearmanDrop>)> {
    let p = features.names.len();
    let mut rho = vec![vec![1.0; p]; p];
    for (a, b) in (0..p).flat_map(|a| ((a + 1)..p).map(move |b| (a, b))) {
        let r = stat::spearman(&features.columns[a], &features.columns[b])?;
        rho[a][b] = r;
        rho[b][a] = r;
    }
    let mut pairs: Vec<(usize, usize)> = (0..p)
        .flat_map(|a| ((a + 1)..p).map(move |b| (a, b)))
        .filter(|&(a, b)| rho[a][b].abs() > config.spearman.threshold)
        .collect();
    pairs.sort_by(|x, y| {
        rho[y.0][y.1]
            .abs()
            .total_cmp(&rho[x.0][x.1].abs())
            .then(x.cmp(y))
    });
    let mut alive = vec![true; p];
    let mut drops = Vec::new();
    for (a, b) in pairs {
        if !(alive[a] && alive[b]) {
            continue;
        }
        let (score_a, score_b) = match config.spearman.rule {
            SpearmanRule::MeanAbsCorrelation => {
                let mean_abs = |j: usize| {
                    let others: Vec<f64> = (0..p)
                        .filter(|&k| k != j && alive[k])
                        .map(|k| rho[j][k].abs())
                        .collect();
                    others.iter().sum::<f64>() / others.len().max(1) as f64
                };
                (mean_abs(a), mean_abs(b))
            }
            // The weaker association is dropped: negate so that "larger score drops" holds.
            SpearmanRule::WeakerUnivariableCox => (-cox_strength(a)?, -cox_strength(b)?),
        };
        let (drop, keep) = if score_a > score_b { (a, b) } else { (b, a) };
        alive[drop] = false;
        drops.push(SpearmanDrop {
            feature: features.names[drop].clone(),
            kept: features.names[keep].clone(),
            rho: rho[a][b],
        });
    }
    let kept = (0..p)
        .filter(|&j| alive[j])
        .map(|j| features.names[j].clone())
        .collect();
    Ok((kept, drops))
}
