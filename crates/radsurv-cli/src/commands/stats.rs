//! `radsurv stats <method> --data F.csv --time COL --event COL ...`: one statistic on one CSV,
//! printed as JSON on stdout.
//!
//! The command does no science: every number comes from `radsurv-stats`, whose modules document
//! the formulas and the R calls they match. Numbers are printed in the shortest form that
//! round-trips the `f64`; `null` stands for a value R reports as `NA` (a median never reached, a
//! confidence limit where $\hat S = 0$). Data errors name the file, row and column.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use radsurv_stats::calibration::{self, CalibrationGroup};
use radsurv_stats::concordance::{self, Concordance};
use radsurv_stats::cox::{self, CoxCoefficient, CoxOptions, GlobalTest, Ties};
use radsurv_stats::cv::{self, CvMeasure, CvOptions, Folds};
use radsurv_stats::icc::{self, Icc, IccType};
use radsurv_stats::km::{self, ConfType, KmCurve, KmOptions, KmStep};
use radsurv_stats::logrank::{self, LogRankRow};
use radsurv_stats::tdauc::{self, CaseDefinition, TdAuc, TdAucOptions};
use radsurv_stats::{DataTable, StatsError, SurvData};
use serde::ser::SerializeMap;
use serde::Serialize;

/// Arguments of `radsurv stats`.
#[derive(clap::Args)]
#[command(
    after_help = "Prints JSON on stdout with full-precision numbers; `null` is a value R \
reports as NA (a median or limit not reached). Bad data (non-numeric, missing or non-positive \
time, status not 0/1, unknown or constant column) is an error naming file, row and column \
(exit code 2)."
)]
pub struct Args {
    #[command(subcommand)]
    method: Method,
}

#[derive(clap::Subcommand)]
enum Method {
    /// Cox proportional-hazards model, as R `coxph(Surv(time, event) ~ a + b + c)`.
    Cox(CoxArgs),
    /// Kaplan–Meier table and median with CI, as R `survfit(Surv(time, event) ~ group)`.
    ///
    /// `std_err` is the standard error of S(t) (R `summary(survfit)$std.err`).
    Km(KmArgs),
    /// Log-rank test of equal survival across groups, as R `survdiff(Surv(time, event) ~ group)`.
    Logrank(LogrankArgs),
    /// Harrell's C of a risk score with IJ standard error and pair counts, as R `survival::concordance(Surv(time,
    /// event) ~ score, reverse = TRUE)`; a higher score means a higher risk.
    Cindex(CindexArgs),
    /// Cumulative/dynamic time-dependent AUC with IPCW weights, SE and 95 % CI; a higher score
    /// means a higher risk. `--cases le` as riskRegression `Score`, `lt` as `timeROC`.
    TdAuc(TdAucArgs),
    /// LASSO / elastic-net Cox with K-fold cross-validation, as R `cv.glmnet(x, Surv(time,
    /// event), family = "cox")`.
    LassoCox(LassoCoxArgs),
    /// Intraclass correlations with F test and 95 % CI, as R `psych::ICC` (one column per rater,
    /// one row per subject).
    Icc(IccArgs),
    /// Grouped calibration at a horizon: mean predicted S(u) against the Kaplan–Meier S(u) with
    /// its log-type 95 % CI, in equal-size groups of predicted survival.
    Calibration(CalibrationArgs),
}

/// The CSV and its survival columns.
#[derive(clap::Args)]
struct SurvInput {
    /// CSV file with a header row.
    #[arg(long)]
    data: PathBuf,
    /// Follow-up time column (finite, > 0).
    #[arg(long)]
    time: String,
    /// Event indicator column (1 = event, 0 = censored).
    #[arg(long)]
    event: String,
}

#[derive(clap::Args)]
struct CoxArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Covariate columns, comma-separated. A column holding text is a factor in treatment
    /// coding, as R's coxph codes it: one 0/1 column per level but the reference, named column
    /// and level run together (celltypesmallcell); the reference is the first level in sorted
    /// order unless --reference names another.
    #[arg(long, value_delimiter = ',', required = true)]
    covariates: Vec<String>,
    /// Reference level of a text covariate, as COLUMN=LEVEL (repeat or comma-separate for
    /// several columns).
    #[arg(long, value_delimiter = ',', value_parser = reference_level)]
    reference: Vec<(String, String)>,
    /// Handling of tied event times: efron or breslow.
    #[arg(long, default_value = "efron")]
    ties: Ties,
}

#[derive(clap::Args)]
struct KmArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Grouping column: one curve per value (R's strata `G=value`); one curve `all` without it.
    #[arg(long)]
    group: Option<String>,
    /// Scale on which the pointwise confidence limits are symmetric: log, log-log or plain.
    #[arg(long, default_value = "log")]
    conf_type: ConfType,
}

#[derive(clap::Args)]
struct LogrankArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Grouping column (two or more values).
    #[arg(long)]
    group: String,
}

#[derive(clap::Args)]
struct CindexArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Risk score column (higher = higher risk, as a Cox linear predictor).
    #[arg(long)]
    score: String,
}

#[derive(clap::Args)]
struct TdAucArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Risk score column (higher = higher risk, as a Cox linear predictor).
    #[arg(long)]
    score: String,
    /// Horizons, comma-separated, on the time column's scale.
    #[arg(long, value_delimiter = ',', required = true, value_parser = horizon)]
    times: Vec<f64>,
    /// Cases at horizon t: `le` = event with T <= t (riskRegression), `lt` = T < t (timeROC).
    #[arg(long, default_value = "le")]
    cases: CaseDefinition,
}

#[derive(clap::Args)]
struct LassoCoxArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Covariate columns, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    covariates: Vec<String>,
    /// Column of fixed fold ids 1..K (as R's `foldid`); otherwise seeded random folds.
    #[arg(long, conflicts_with_all = ["folds", "seed"])]
    foldid: Option<String>,
    /// Number of seeded random folds (our RNG: use `--foldid` to reproduce an R run).
    #[arg(long, default_value_t = 10)]
    folds: usize,
    /// Seed of the random folds.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// CV measure: partial-likelihood `deviance` (lower is better) or Harrell's `C`.
    #[arg(long, default_value = "deviance")]
    measure: CvMeasure,
    /// Elastic-net mixing in [0, 1] (1 = LASSO).
    #[arg(long, default_value_t = 1.0)]
    alpha: f64,
}

#[derive(clap::Args)]
struct IccArgs {
    /// CSV file with a header row.
    #[arg(long)]
    data: PathBuf,
    /// One column per rater, comma-separated (at least two).
    #[arg(long, value_delimiter = ',', required = true)]
    columns: Vec<String>,
    /// One ICC form (`1,1`, `2,1`, `3,1`, `1,k`, `2,k`, `3,k` or psych's `ICC2`, `ICC3k`, ...);
    /// all six when omitted.
    #[arg(long = "type")]
    kind: Option<String>,
}

#[derive(clap::Args)]
struct CalibrationArgs {
    #[command(flatten)]
    input: SurvInput,
    /// Column of each subject's predicted survival probability S(u | x) at the horizon, in
    /// [0, 1] (e.g. from `radsurv predict`): not a risk score.
    #[arg(long)]
    score: String,
    /// Horizon u, on the time column's scale.
    #[arg(long, value_parser = horizon)]
    time_horizon: f64,
    /// Number of equal-size groups of predicted survival.
    #[arg(long, default_value_t = 5)]
    groups: usize,
}

/// Parses a horizon: finite and > 0, like every follow-up time.
fn reference_level(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((column, level)) if !column.is_empty() && !level.is_empty() => {
            Ok((column.to_string(), level.to_string()))
        }
        _ => Err(format!("expected COLUMN=LEVEL, got {s:?}")),
    }
}

fn horizon(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 => Ok(t),
        _ => Err(format!("expected a finite time > 0, got {s:?}")),
    }
}

/// Runs the chosen method and prints its JSON on stdout.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match &args.method {
        Method::Cox(a) => print_json(&with_surv(&a.input, |t, s| cox_output(t, s, a))?)?,
        Method::Km(a) => print_json(&with_surv(&a.input, |t, s| km_output(t, s, a))?)?,
        Method::Logrank(a) => print_json(&with_surv(&a.input, |t, s| logrank_output(t, s, a))?)?,
        Method::Cindex(a) => print_json(&with_surv(&a.input, |t, s| cindex_output(t, s, a))?)?,
        Method::TdAuc(a) => print_json(&with_surv(&a.input, |t, s| td_auc_output(t, s, a))?)?,
        Method::LassoCox(a) => print_json(&with_surv(&a.input, |t, s| lasso_cox_output(t, s, a))?)?,
        Method::Calibration(a) => {
            print_json(&with_surv(&a.input, |t, s| calibration_output(t, s, a))?)?
        }
        Method::Icc(a) => {
            let table = DataTable::read_csv(&a.data)?;
            print_json(&icc_output(&table, a).with_context(|| file_name(&a.data))?)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the CSV and its survival outcome, then runs `method`; every error after reading (which
/// already names the file) is prefixed with the file name.
fn with_surv<T>(
    input: &SurvInput,
    method: impl FnOnce(&DataTable, &SurvData) -> radsurv_stats::Result<T>,
) -> anyhow::Result<T> {
    let table = DataTable::read_csv(&input.data)?;
    table
        .surv(&input.time, &input.event)
        .and_then(|surv| method(&table, &surv))
        .with_context(|| file_name(&input.data))
}

fn file_name(path: &Path) -> String {
    path.display().to_string()
}

/// Pretty JSON on stdout; struct fields keep their declared order, and serde_json writes a
/// non-finite number as `null`, which is where R reports `NA` or `Inf` (a median never reached, a
/// limit where S = 0), so no NaN is ever printed as a number.
fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    crate::output::print(&text)
}

/// What `summary(coxph)` prints.
#[derive(Serialize)]
struct CoxOutput {
    n: usize,
    events: usize,
    ties: &'static str,
    loglik_null: f64,
    loglik: f64,
    concordance: f64,
    concordance_se: f64,
    coefficients: Vec<CoxCoefficient>,
    tests: CoxTests,
}

/// The global tests `summary(coxph)` prints.
#[derive(Serialize)]
struct CoxTests {
    likelihood_ratio: GlobalTest,
    wald: GlobalTest,
    score: GlobalTest,
}

fn cox_output(table: &DataTable, surv: &SurvData, a: &CoxArgs) -> radsurv_stats::Result<CoxOutput> {
    let names: Vec<&str> = a.covariates.iter().map(String::as_str).collect();
    let design = table.factor_design(&names, &a.reference)?;
    let options = CoxOptions {
        ties: a.ties,
        ..CoxOptions::default()
    };
    let fit = cox::fit(surv, &design, &options)?;
    for warning in fit.warnings() {
        eprintln!("warning: {warning}");
    }
    Ok(CoxOutput {
        n: fit.n(),
        events: fit.events(),
        ties: options.ties.name(),
        loglik_null: fit.loglik_null(),
        loglik: fit.loglik(),
        concordance: fit.concordance().c,
        concordance_se: fit.concordance().se,
        coefficients: fit.coefficients(),
        tests: CoxTests {
            likelihood_ratio: fit.lr_test(),
            wald: fit.wald_test(),
            score: fit.score_test(),
        },
    })
}

#[derive(Serialize)]
struct KmOutput {
    groups: Vec<KmGroupOutput>,
}

/// One stratum's `summary(survfit)` table and its median with limits.
#[derive(Serialize)]
struct KmGroupOutput {
    group: String,
    table: Vec<KmStep>,
    median: f64,
    median_lower: f64,
    median_upper: f64,
}

fn km_output(table: &DataTable, surv: &SurvData, a: &KmArgs) -> radsurv_stats::Result<KmOutput> {
    let options = KmOptions {
        conf_type: a.conf_type,
        ..KmOptions::default()
    };
    let curves = match &a.group {
        Some(group) => km::kaplan_meier_by_group(surv, &table.text(group)?, group, &options),
        None => vec![("all".to_string(), km::kaplan_meier(surv, &options))],
    };
    Ok(KmOutput {
        groups: curves
            .into_iter()
            .map(|(group, curve)| km_group(group, &curve))
            .collect(),
    })
}

fn km_group(group: String, curve: &KmCurve) -> KmGroupOutput {
    let median = curve.median();
    KmGroupOutput {
        group,
        table: curve.steps().to_vec(),
        median: median.estimate,
        median_lower: median.lower,
        median_upper: median.upper,
    }
}

/// What `survdiff` prints.
#[derive(Serialize)]
struct LogrankOutput {
    chisq: f64,
    df: usize,
    p: f64,
    groups: Vec<LogRankRow>,
}

fn logrank_output(
    table: &DataTable,
    surv: &SurvData,
    a: &LogrankArgs,
) -> radsurv_stats::Result<LogrankOutput> {
    let test = logrank::logrank(surv, &table.text(&a.group)?, 0.0)?;
    Ok(LogrankOutput {
        chisq: test.chisq,
        df: test.df,
        p: test.p,
        groups: test.rows(),
    })
}

fn cindex_output(
    table: &DataTable,
    surv: &SurvData,
    a: &CindexArgs,
) -> radsurv_stats::Result<Concordance> {
    concordance::harrell(surv, &table.score(&a.score)?)
}

#[derive(Serialize)]
struct TdAucOutput {
    points: Vec<TdAuc>,
}

fn td_auc_output(
    table: &DataTable,
    surv: &SurvData,
    a: &TdAucArgs,
) -> radsurv_stats::Result<TdAucOutput> {
    let options = TdAucOptions {
        cases: a.cases,
        ..TdAucOptions::default()
    };
    let points = tdauc::td_auc(surv, &table.score(&a.score)?, &a.times, &options)?;
    Ok(TdAucOutput { points })
}

/// What `cv.glmnet` returns, with the coefficients at both λ named.
#[derive(Serialize)]
struct LassoCoxOutput {
    lambda: Vec<f64>,
    cvm: Vec<f64>,
    cvsd: Vec<f64>,
    nzero: Vec<usize>,
    lambda_min: f64,
    lambda_1se: f64,
    coefficients_min: Named,
    coefficients_1se: Named,
}

/// Coefficients as a JSON object `{name: value}` in covariate order.
struct Named(Vec<(String, f64)>);

impl Named {
    fn new(names: &[String], values: &[f64]) -> Self {
        Named(names.iter().cloned().zip(values.iter().copied()).collect())
    }
}

impl Serialize for Named {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

fn lasso_cox_output(
    table: &DataTable,
    surv: &SurvData,
    a: &LassoCoxArgs,
) -> radsurv_stats::Result<LassoCoxOutput> {
    let names: Vec<&str> = a.covariates.iter().map(String::as_str).collect();
    let design = table.design(&names)?;
    let folds = match &a.foldid {
        Some(column) => Folds::Fixed(fold_ids(table, column)?),
        None => Folds::Seeded {
            k: a.folds,
            seed: a.seed,
        },
    };
    let mut options = CvOptions {
        measure: a.measure,
        folds,
        ..CvOptions::default()
    };
    options.path.alpha = a.alpha;
    let fit = cv::cv_coxnet(&design, surv, &options)?;
    if let Some(lambda) = fit.fit.truncated_at {
        eprintln!(
            "warning: the coefficient path ends before lambda = {lambda}, where the solver hit its \
             sweep limit (glmnet likewise returns only the larger-lambda solutions)"
        );
    }
    Ok(LassoCoxOutput {
        lambda: fit.lambda.clone(),
        cvm: fit.cvm.clone(),
        cvsd: fit.cvsd.clone(),
        nzero: fit.nzero.clone(),
        lambda_min: fit.lambda_min,
        lambda_1se: fit.lambda_1se,
        coefficients_min: Named::new(&a.covariates, fit.coef_min()),
        coefficients_1se: Named::new(&a.covariates, fit.coef_1se()),
    })
}

/// Fold ids 1..K from a column; each must be a positive integer.
fn fold_ids(table: &DataTable, column: &str) -> radsurv_stats::Result<Vec<usize>> {
    table
        .numeric(column)?
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v >= 1.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
                Ok(v as usize)
            } else {
                Err(StatsError::InvalidValue {
                    row: i + 1,
                    column: column.to_string(),
                    reason: format!("fold id must be a positive integer, got {v}"),
                })
            }
        })
        .collect()
}

/// `psych::ICC`'s table, the rows asked for.
#[derive(Serialize)]
struct IccOutput {
    n: usize,
    k: usize,
    results: Vec<Icc>,
}

fn icc_output(table: &DataTable, a: &IccArgs) -> radsurv_stats::Result<IccOutput> {
    let raters = a
        .columns
        .iter()
        .map(|c| table.numeric(c))
        .collect::<radsurv_stats::Result<Vec<_>>>()?;
    let wanted = match &a.kind {
        Some(k) => Some(IccType::parse(k).ok_or_else(|| {
            StatsError::Degenerate(format!(
                "unknown ICC type {k:?} (expected 1,1 2,1 3,1 1,k 2,k 3,k or ICC1 ... ICC3k)"
            ))
        })?),
        None => None,
    };
    let result = icc::icc(&raters)?;
    Ok(IccOutput {
        n: result.n,
        k: result.k,
        results: result
            .rows
            .into_iter()
            .filter(|r| wanted.is_none_or(|w| w == r.kind))
            .collect(),
    })
}

#[derive(Serialize)]
struct CalibrationOutput {
    time_horizon: f64,
    groups: Vec<CalibrationGroup>,
}

fn calibration_output(
    table: &DataTable,
    surv: &SurvData,
    a: &CalibrationArgs,
) -> radsurv_stats::Result<CalibrationOutput> {
    let predicted = table.probability(&a.score)?;
    let groups = calibration::grouped(surv, &predicted, a.time_horizon, a.groups)?;
    for g in groups.iter().filter(|g| g.observed.is_nan()) {
        eprintln!(
            "warning: calibration group {}: no one is at risk at {} (its follow-up ends \
             earlier), so its observed survival is not estimable (null)",
            g.group, a.time_horizon
        );
    }
    Ok(CalibrationOutput {
        time_horizon: a.time_horizon,
        groups,
    })
}
