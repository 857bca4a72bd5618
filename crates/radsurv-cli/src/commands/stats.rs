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
use radsurv_stats::concordance;
use radsurv_stats::cox::{self, CoxOptions, Ties};
use radsurv_stats::cv::{self, CvMeasure, CvOptions, Folds};
use radsurv_stats::icc::{self, IccType};
use radsurv_stats::km::{self, ConfType, KmCurve, KmOptions};
use radsurv_stats::logrank;
use radsurv_stats::tdauc::{self, CaseDefinition, TdAucOptions};
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
    /// Harrell's C of a risk score with IJ standard error, as R `survival::concordance(Surv(time,
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

/// Pretty JSON on stdout; struct fields keep their declared order.
fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    crate::output::print(&text)
}

/// A statistic that may be undefined: `null` where R reports `NA` or `Inf` (a median never
/// reached, a limit where S = 0), so no NaN is ever printed as a number.
type Num = Option<f64>;

fn num(x: f64) -> Num {
    x.is_finite().then_some(x)
}

fn nums(xs: &[f64]) -> Vec<Num> {
    xs.iter().copied().map(num).collect()
}

#[derive(Serialize)]
struct CoxOutput {
    n: usize,
    events: usize,
    ties: &'static str,
    loglik_null: Num,
    loglik: Num,
    concordance: Num,
    concordance_se: Num,
    coefficients: Vec<CoxCoefficientOutput>,
    tests: CoxTestsOutput,
}

/// The global tests `summary(coxph)` prints.
#[derive(Serialize)]
struct CoxTestsOutput {
    likelihood_ratio: TestOutput,
    wald: TestOutput,
    score: TestOutput,
}

#[derive(Serialize)]
struct TestOutput {
    statistic: Num,
    df: usize,
    p: Num,
}

impl From<cox::ChiSquareTest> for TestOutput {
    fn from(t: cox::ChiSquareTest) -> Self {
        TestOutput {
            statistic: num(t.stat),
            df: t.df,
            p: num(t.p),
        }
    }
}

#[derive(Serialize)]
struct CoxCoefficientOutput {
    name: String,
    coef: Num,
    se: Num,
    hr: Num,
    hr_lower: Num,
    hr_upper: Num,
    z: Num,
    p: Num,
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
        loglik_null: num(fit.loglik_null()),
        loglik: num(fit.loglik()),
        concordance: num(fit.concordance().c),
        concordance_se: num(fit.concordance().se),
        coefficients: fit
            .coefficients()
            .into_iter()
            .map(|c| CoxCoefficientOutput {
                name: c.name,
                coef: num(c.coef),
                se: num(c.se),
                hr: num(c.hr),
                hr_lower: num(c.hr_lower),
                hr_upper: num(c.hr_upper),
                z: num(c.z),
                p: num(c.p),
            })
            .collect(),
        tests: CoxTestsOutput {
            likelihood_ratio: fit.lr_test().into(),
            wald: fit.wald_test().into(),
            score: fit.score_test().into(),
        },
    })
}

#[derive(Serialize)]
struct KmOutput {
    groups: Vec<KmGroupOutput>,
}

#[derive(Serialize)]
struct KmGroupOutput {
    group: String,
    table: Vec<KmRowOutput>,
    median: Num,
    median_lower: Num,
    median_upper: Num,
}

#[derive(Serialize)]
struct KmRowOutput {
    time: f64,
    n_risk: usize,
    n_event: usize,
    n_censor: usize,
    surv: Num,
    std_err: Num,
    lower: Num,
    upper: Num,
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
        table: curve
            .steps()
            .iter()
            .map(|s| KmRowOutput {
                time: s.time,
                n_risk: s.n_risk,
                n_event: s.n_event,
                n_censor: s.n_censor,
                surv: num(s.surv),
                std_err: num(s.std_err_surv()),
                lower: num(s.lower),
                upper: num(s.upper),
            })
            .collect(),
        median: num(median.estimate),
        median_lower: num(median.lower),
        median_upper: num(median.upper),
    }
}

#[derive(Serialize)]
struct LogrankOutput {
    chisq: Num,
    df: usize,
    p: Num,
    groups: Vec<LogrankGroupOutput>,
}

/// One row of what `survdiff` prints: N, observed, expected, (O−E)²/E and (O−E)²/V.
#[derive(Serialize)]
struct LogrankGroupOutput {
    group: String,
    n: usize,
    observed: Num,
    expected: Num,
    oe2_over_e: Num,
    oe2_over_v: Num,
}

fn logrank_output(
    table: &DataTable,
    surv: &SurvData,
    a: &LogrankArgs,
) -> radsurv_stats::Result<LogrankOutput> {
    let test = logrank::logrank(surv, &table.text(&a.group)?, 0.0)?;
    let groups = (0..test.groups.len())
        .map(|g| {
            let (o, e, v) = (test.observed[g], test.expected[g], test.var[g][g]);
            LogrankGroupOutput {
                group: test.groups[g].clone(),
                n: test.n[g],
                observed: num(o),
                expected: num(e),
                oe2_over_e: num((o - e).powi(2) / e),
                oe2_over_v: num((o - e).powi(2) / v),
            }
        })
        .collect();
    Ok(LogrankOutput {
        chisq: num(test.chisq),
        df: test.df,
        p: num(test.p),
        groups,
    })
}

#[derive(Serialize)]
struct CindexOutput {
    c: Num,
    se: Num,
    lower: Num,
    upper: Num,
}

fn cindex_output(
    table: &DataTable,
    surv: &SurvData,
    a: &CindexArgs,
) -> radsurv_stats::Result<CindexOutput> {
    let c = concordance::harrell(surv, &table.score(&a.score)?)?;
    Ok(CindexOutput {
        c: num(c.c),
        se: num(c.se),
        lower: num(c.lower),
        upper: num(c.upper),
    })
}

#[derive(Serialize)]
struct TdAucOutput {
    points: Vec<TdAucPointOutput>,
}

#[derive(Serialize)]
struct TdAucPointOutput {
    time: f64,
    auc: Num,
    se: Num,
    lower: Num,
    upper: Num,
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
    Ok(TdAucOutput {
        points: points
            .iter()
            .map(|p| TdAucPointOutput {
                time: p.time,
                auc: num(p.auc),
                se: num(p.se),
                lower: num(p.lower),
                upper: num(p.upper),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct LassoCoxOutput {
    lambda: Vec<Num>,
    cvm: Vec<Num>,
    cvsd: Vec<Num>,
    nzero: Vec<usize>,
    lambda_min: Num,
    lambda_1se: Num,
    coefficients_min: Named,
    coefficients_1se: Named,
}

/// Coefficients as a JSON object `{name: value}` in covariate order.
struct Named(Vec<(String, Num)>);

impl Named {
    fn new(names: &[String], values: &[f64]) -> Self {
        Named(names.iter().cloned().zip(nums(values)).collect())
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
        lambda: nums(&fit.lambda),
        cvm: nums(&fit.cvm),
        cvsd: nums(&fit.cvsd),
        nzero: fit.nzero.clone(),
        lambda_min: num(fit.lambda_min),
        lambda_1se: num(fit.lambda_1se),
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

#[derive(Serialize)]
struct IccOutput {
    n: usize,
    k: usize,
    results: Vec<IccRowOutput>,
}

#[derive(Serialize)]
struct IccRowOutput {
    #[serde(rename = "type")]
    kind: &'static str,
    icc: Num,
    f: Num,
    df1: Num,
    df2: Num,
    p: Num,
    lower: Num,
    upper: Num,
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
            .iter()
            .filter(|r| wanted.is_none_or(|w| w == r.kind))
            .map(|r| IccRowOutput {
                kind: r.kind.label(),
                icc: num(r.icc),
                f: num(r.f),
                df1: num(r.df1),
                df2: num(r.df2),
                p: num(r.p),
                lower: num(r.lower),
                upper: num(r.upper),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct CalibrationOutput {
    time_horizon: f64,
    groups: Vec<CalibrationGroupOutput>,
}

#[derive(Serialize)]
struct CalibrationGroupOutput {
    group: usize,
    n: usize,
    pred_min: Num,
    pred_max: Num,
    mean_predicted: Num,
    observed: Num,
    observed_se: Num,
    observed_lower: Num,
    observed_upper: Num,
    n_risk: usize,
    events: usize,
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
        groups: groups.iter().map(calibration_group).collect(),
    })
}

fn calibration_group(g: &CalibrationGroup) -> CalibrationGroupOutput {
    CalibrationGroupOutput {
        group: g.group,
        n: g.n,
        pred_min: num(g.pred_min),
        pred_max: num(g.pred_max),
        mean_predicted: num(g.mean_predicted),
        observed: num(g.observed),
        observed_se: num(g.observed_se),
        observed_lower: num(g.observed_lower),
        observed_upper: num(g.observed_upper),
        n_risk: g.n_risk,
        events: g.events,
    }
}
