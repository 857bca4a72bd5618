//! K-fold cross-validation of the penalised Cox path, as R `cv.glmnet(family = "cox")` does it.
//!
//! # Procedure
//! 1. Fit the whole data ([`coxnet`]): its λ sequence $\lambda_1 > \dots > \lambda_L$ is the CV grid.
//! 2. For each fold $k$, fit the other folds with **their own default λ sequence**, then read
//!    their coefficients $B_{(-k)}(\lambda_l)$ at the full-data λ by glmnet's `lambda.interp`: linear
//!    in λ between the two neighbouring fold λ, clamped to the fold path's ends.
//! 3. Raw values per fold and λ:
//!    * deviance (glmnet's *grouped* partial-likelihood deviance, Verweij & van Houwelingen 1993):
//!      $\mathrm{cvraw}_{kl} = [\mathrm{dev}(\text{all}, B) - \mathrm{dev}(\text{not }k, B)]/E_k$,
//!      $\mathrm{dev} = 2(\ell_{\mathrm{sat}} - \ell_{\mathrm{Breslow}})$, $E_k$ the events in fold $k$;
//!    * C: Harrell's C of $x_k^\top B$ on the held-out fold ([`crate::concordance::harrell`]).
//! 4. $\mathrm{cvm}_l = \sum_k w_k\mathrm{cvraw}_{kl}/\sum_k w_k$ and
//!    $\mathrm{cvsd}_l = \sqrt{\sum_k w_k(\mathrm{cvraw}_{kl}-\mathrm{cvm}_l)^2/\sum_k w_k/(K-1)}$ with
//!    $w_k = E_k$ (deviance) or $n_k$ (C). A fold without events adds nothing to cvm or cvsd
//!    but still counts in $K$, as in R: weight $E_k = 0$ for the deviance, and for C R's NA,
//!    which its `weighted.mean(na.rm = TRUE)` leaves out (here weight 0).
//! 5. λ.min: the largest λ with the best cvm (lowest deviance, highest C); λ.1se: the largest λ
//!    whose cvm is within one cvsd (at λ.min) of the best.
//!
//! The full fit and the K fold fits are independent and run on rayon's thread pool (in parallel
//! when it has more than one thread, as R's `cv.glmnet(parallel = TRUE)`); the results do not
//! depend on the number of threads.
//!
//! # Reference
//! R `cv.glmnet(x, Surv(time, status), family = "cox", foldid, type.measure = "deviance" | "C")`
//! (glmnet 4.1-6): `lambda`, `cvm`, `cvsd`, `nzero`, `lambda.min`, `lambda.1se`,
//! `coef(cv, s = "lambda.min")`. Golden: `stats/expected/glmnet/<ds>_cv_{deviance,C}.csv`,
//! `<ds>_summary.json`.
//!
//! # Known differences
//! R fits each fold with glmnet's default `thresh = 1e-7`, whose coefficients sit up to ~0.05 from
//! the optimum at the smallest λ; ours are at the optimum, so cvm/cvsd differ from R's where the
//! fold solutions are inexact; rerun with a smaller `thresh`, R comes to agree with us
//! (`scripts/check_cv_vs_tight_glmnet.sh`, figures in `benches/README.md`). The early-stopping rule, fed with exact deviance ratios, can end a path one λ
//! earlier than R. Seeded folds use our own RNG (ChaCha8), not R's `set.seed`/`sample`: pass R's
//! fold ids to reproduce a given R run.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::concordance::harrell;
use crate::coxnet::{coxnet, linear_predictor, CoxnetOptions, CoxnetPath, DevianceEvaluator};
use crate::{Design, Result, StatsError, SurvData};

/// What cross-validation scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CvMeasure {
    /// Grouped partial-likelihood deviance per event (lower is better); glmnet's default.
    #[default]
    Deviance,
    /// Harrell's C on the held-out fold (higher is better).
    C,
}

impl std::str::FromStr for CvMeasure {
    type Err = StatsError;

    /// Parses glmnet's `type.measure` names `"deviance"` and `"C"` (or `"c"`).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "deviance" => Ok(CvMeasure::Deviance),
            "C" | "c" => Ok(CvMeasure::C),
            other => Err(StatsError::Degenerate(format!(
                "unknown CV measure {other:?} (expected deviance or C)"
            ))),
        }
    }
}

/// How rows are assigned to folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folds {
    /// Fold ids 1..=K per row (as R's `foldid`).
    Fixed(Vec<usize>),
    /// `k` folds of near-equal size, a seeded shuffle of `rep(1:k, length.out = n)`.
    Seeded {
        /// Number of folds.
        k: usize,
        /// RNG seed.
        seed: u64,
    },
}

impl Default for Folds {
    fn default() -> Self {
        Folds::Seeded { k: 10, seed: 1 }
    }
}

/// Options of [`cv_coxnet`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CvOptions {
    /// The measure.
    pub measure: CvMeasure,
    /// The folds.
    pub folds: Folds,
    /// Path options (α, nlambda, λ ratio, tolerance) for the full fit and every fold.
    pub path: CoxnetOptions,
}

/// Cross-validation result, with R's field names.
#[derive(Debug, Clone, PartialEq)]
pub struct CvFit {
    /// The full-data λ sequence.
    pub lambda: Vec<f64>,
    /// Mean CV value per λ.
    pub cvm: Vec<f64>,
    /// Its standard error per λ.
    pub cvsd: Vec<f64>,
    /// Non-zero coefficients of the full fit per λ.
    pub nzero: Vec<usize>,
    /// Raw per-fold values, `cvraw[k][l]`.
    pub cvraw: Vec<Vec<f64>>,
    /// Fold weights ($E_k$ or $n_k$).
    pub fold_weights: Vec<f64>,
    /// Fold id (1-based) of each row.
    pub foldid: Vec<usize>,
    /// Index (0-based) of λ.min.
    pub index_min: usize,
    /// Index (0-based) of λ.1se.
    pub index_1se: usize,
    /// λ.min.
    pub lambda_min: f64,
    /// λ.1se.
    pub lambda_1se: f64,
    /// The full-data path; `fit.beta[index_min]` are the coefficients at λ.min.
    pub fit: CoxnetPath,
    /// The measure used.
    pub measure: CvMeasure,
}

impl CvFit {
    /// Coefficients (original scale) at λ.min.
    pub fn coef_min(&self) -> &[f64] {
        &self.fit.beta[self.index_min]
    }

    /// Coefficients (original scale) at λ.1se.
    pub fn coef_1se(&self) -> &[f64] {
        &self.fit.beta[self.index_1se]
    }
}

/// K-fold cross-validation of the penalised Cox path; see the module doc for every formula.
///
/// Matches R `cv.glmnet(x, Surv(time, status), family = "cox", foldid, type.measure)`.
///
/// # Errors
/// [`StatsError::Degenerate`] for fold ids that are not 1..=K with K ≥ 3 all present, a fold
/// without events (deviance), a fold without comparable pairs (C), and the errors of [`coxnet`].
pub fn cv_coxnet(x: &Design, data: &SurvData, opts: &CvOptions) -> Result<CvFit> {
    let foldid = fold_ids(&opts.folds, data.len())?;
    let k = foldid.iter().copied().max().unwrap_or(0);
    // the full fit and the folds' fits are independent: on rayon's pool, in parallel when it
    // has more than one thread (results and errors are taken in fold order, so they do not
    // depend on the thread count)
    let (fit, fold_fits) = rayon::join(
        || coxnet(x, data, &opts.path),
        || {
            (1..=k)
                .into_par_iter()
                .map(|fold| FoldFit::new(x, data, &foldid, fold, &opts.path))
                .collect::<Vec<_>>()
        },
    );
    let fit = fit?;
    let full_deviance = DevianceEvaluator::new(data);
    let scored = fold_fits
        .into_par_iter()
        .map(|fold_fit| fold_fit?.score(x, data, &fit, &full_deviance, opts.measure))
        .collect::<Vec<_>>();
    let (mut cvraw, mut fold_weights) = (Vec::with_capacity(k), Vec::with_capacity(k));
    for result in scored {
        let (raw, weight) = result?;
        cvraw.push(raw);
        fold_weights.push(weight);
    }
    let (cvm, cvsd) = summarise(&cvraw, &fold_weights, fit.lambda.len());
    let sign = if opts.measure == CvMeasure::C {
        -1.0
    } else {
        1.0
    };
    let (index_min, index_1se) = optimal_indices(&cvm, &cvsd, sign);
    Ok(CvFit {
        lambda: fit.lambda.clone(),
        nzero: fit.df.clone(),
        lambda_min: fit.lambda[index_min],
        lambda_1se: fit.lambda[index_1se],
        cvm,
        cvsd,
        cvraw,
        fold_weights,
        foldid,
        index_min,
        index_1se,
        fit,
        measure: opts.measure,
    })
}

/// One fold's fit on the other folds' rows, with the rows it holds out.
struct FoldFit {
    fold: usize,
    held: Vec<usize>,
    train: Vec<usize>,
    /// The survival data of `train`.
    train_data: SurvData,
    fit: CoxnetPath,
}

impl FoldFit {
    fn new(
        x: &Design,
        data: &SurvData,
        foldid: &[usize],
        fold: usize,
        path: &CoxnetOptions,
    ) -> Result<Self> {
        let (held, train): (Vec<usize>, Vec<usize>) =
            (0..data.len()).partition(|&i| foldid[i] == fold);
        let train_data = data.subset(&train);
        let fit = coxnet(&x.subset(&train), &train_data, path)?;
        Ok(FoldFit {
            fold,
            held,
            train,
            train_data,
            fit,
        })
    }

    /// The fold's raw CV values at the full data's λ (its coefficients interpolated there) and
    /// its weight.
    fn score(
        &self,
        x: &Design,
        data: &SurvData,
        full: &CoxnetPath,
        full_deviance: &DevianceEvaluator,
        measure: CvMeasure,
    ) -> Result<(Vec<f64>, f64)> {
        let betas: Vec<Vec<f64>> = full
            .lambda
            .iter()
            .map(|&s| interpolate(&self.fit, s))
            .collect();
        let held_data = data.subset(&self.held);
        match measure {
            CvMeasure::Deviance => {
                let events = held_data.events() as f64;
                if events == 0.0 {
                    // cv.glmnet weighs each fold by its events, so a fold without one adds
                    // nothing to the mean or the spread but still counts among the K folds.
                    return Ok((vec![0.0; betas.len()], 0.0));
                }
                let train_deviance = DevianceEvaluator::new(&self.train_data);
                let raw = betas
                    .iter()
                    .map(|b| {
                        let eta = linear_predictor(x, b);
                        let eta_train: Vec<f64> = self.train.iter().map(|&i| eta[i]).collect();
                        let all = full_deviance.deviance(&eta);
                        let rest = train_deviance.deviance(&eta_train);
                        (all - rest) / events
                    })
                    .collect();
                Ok((raw, events))
            }
            CvMeasure::C => {
                if held_data.events() == 0 {
                    // No pair of the fold is comparable: cv.glmnet's C is NA there and drops
                    // out of the weighted mean and spread, while the fold still counts in K.
                    return Ok((vec![0.0; betas.len()], 0.0));
                }
                let x_held = x.subset(&self.held);
                let raw = betas
                    .iter()
                    .map(|b| harrell(&held_data, &linear_predictor(&x_held, b)).map(|c| c.c))
                    .collect::<Result<Vec<f64>>>()
                    .map_err(|e| StatsError::Degenerate(format!("fold {}: {e}", self.fold)))?;
                Ok((raw, self.held.len() as f64))
            }
        }
    }
}

/// Checks fixed fold ids or draws seeded ones.
fn fold_ids(folds: &Folds, n: usize) -> Result<Vec<usize>> {
    let ids = match folds {
        Folds::Fixed(ids) => {
            if ids.len() != n {
                return Err(StatsError::Degenerate(format!(
                    "{} fold ids for {n} rows",
                    ids.len()
                )));
            }
            ids.clone()
        }
        Folds::Seeded { k, seed } => {
            if *k < 3 || *k > n {
                return Err(StatsError::Degenerate(format!(
                    "{k} folds asked for {n} rows: cross-validation needs from 3 folds to one \
                     per row"
                )));
            }
            let mut ids: Vec<usize> = (0..n).map(|i| i % k + 1).collect();
            ids.shuffle(&mut ChaCha8Rng::seed_from_u64(*seed));
            ids
        }
    };
    let k = ids.iter().copied().max().unwrap_or(0);
    let problem = if ids.contains(&0) {
        Some("fold id 0".to_string())
    } else if k < 3 {
        Some(format!("{k} folds"))
    } else {
        (1..=k)
            .find(|f| !ids.contains(f))
            .map(|f| format!("no row in fold {f} of {k}"))
    };
    if let Some(problem) = problem {
        return Err(StatsError::Degenerate(format!(
            "fold ids must be 1..=K with K >= 3 and every fold present; got {problem}"
        )));
    }
    Ok(ids)
}

/// glmnet's `lambda.interp`: coefficients at `s`, linear in λ between the neighbouring path λ,
/// the first solution above the path and the last below it.
pub fn interpolate(path: &CoxnetPath, s: f64) -> Vec<f64> {
    let lambda = &path.lambda;
    let last = lambda.len() - 1;
    if s >= lambda[0] {
        return path.beta[0].clone();
    }
    if s <= lambda[last] {
        return path.beta[last].clone();
    }
    let right = lambda.partition_point(|&l| l > s);
    let left = right - 1;
    let frac = (s - lambda[right]) / (lambda[left] - lambda[right]);
    path.beta[left]
        .iter()
        .zip(&path.beta[right])
        .map(|(a, b)| frac * a + (1.0 - frac) * b)
        .collect()
}

/// Weighted mean and glmnet's standard error across folds, per λ.
fn summarise(cvraw: &[Vec<f64>], weights: &[f64], nlambda: usize) -> (Vec<f64>, Vec<f64>) {
    let total: f64 = weights.iter().sum();
    let k = cvraw.len() as f64;
    (0..nlambda)
        .map(|l| {
            let mean = cvraw
                .iter()
                .zip(weights)
                .map(|(r, w)| w * r[l])
                .sum::<f64>()
                / total;
            let var = cvraw
                .iter()
                .zip(weights)
                .map(|(r, w)| w * (r[l] - mean).powi(2))
                .sum::<f64>()
                / total;
            (mean, (var / (k - 1.0)).sqrt())
        })
        .unzip()
}

/// (λ.min, λ.1se) indices; `sign` = −1 turns "higher is better" into a minimisation.
fn optimal_indices(cvm: &[f64], cvsd: &[f64], sign: f64) -> (usize, usize) {
    let score: Vec<f64> = cvm.iter().map(|v| sign * v).collect();
    let best = score.iter().copied().fold(f64::INFINITY, f64::min);
    let index_min = score.iter().position(|&v| v <= best).unwrap_or(0);
    let bound = score[index_min] + cvsd[index_min];
    let index_1se = score.iter().position(|&v| v <= bound).unwrap_or(index_min);
    (index_min, index_1se)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> CoxnetPath {
        CoxnetPath {
            lambda: vec![1.0, 0.5, 0.25],
            beta: vec![vec![0.0], vec![1.0], vec![3.0]],
            df: vec![0, 1, 1],
            dev_ratio: vec![0.0, 0.1, 0.2],
            null_deviance: 1.0,
            truncated_at: None,
        }
    }

    #[test]
    fn interpolation_is_linear_in_lambda_and_clamped() {
        let p = path();
        assert_eq!(interpolate(&p, 2.0), vec![0.0]);
        assert_eq!(interpolate(&p, 0.75), vec![0.5]);
        assert_eq!(interpolate(&p, 0.5), vec![1.0]);
        assert_eq!(interpolate(&p, 0.375), vec![2.0]);
        assert_eq!(interpolate(&p, 0.1), vec![3.0]);
    }

    #[test]
    fn one_standard_error_rule_picks_the_largest_lambda_within_one_se() {
        let cvm = [5.0, 4.0, 3.5, 3.0, 3.2];
        let cvsd = [0.1, 0.1, 0.1, 0.6, 0.1];
        assert_eq!(optimal_indices(&cvm, &cvsd, 1.0), (3, 2));
        let c = [0.5, 0.6, 0.7, 0.65];
        assert_eq!(optimal_indices(&c, &[0.0, 0.0, 0.1, 0.0], -1.0), (2, 1));
    }

    #[test]
    fn seeded_folds_are_balanced_and_reproducible() {
        let a = fold_ids(&Folds::Seeded { k: 4, seed: 3 }, 10).unwrap();
        assert_eq!(a, fold_ids(&Folds::Seeded { k: 4, seed: 3 }, 10).unwrap());
        let counts: Vec<usize> = (1..=4)
            .map(|f| a.iter().filter(|&&x| x == f).count())
            .collect();
        assert_eq!(counts, vec![3, 3, 2, 2]);
        assert!(fold_ids(&Folds::Fixed(vec![1, 2, 2]), 3).is_err());
    }
}
