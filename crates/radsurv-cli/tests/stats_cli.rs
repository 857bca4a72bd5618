//! `radsurv stats`: the built binary on the shared data reproduces R's numbers through its JSON,
//! and bad clinical data exits with code 2 and a message naming file, row and column.
//! See: issue #4 (item 8).
#![allow(clippy::unwrap_used, clippy::panic)] // test helpers: a failure should panic with its message

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use radsurv_testdata::{data_path, Table, Tolerance};
use serde_json::Value;

fn radsurv_stats(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_radsurv"))
        .arg("stats")
        .args(args)
        .output()
        .unwrap()
}

/// Runs a method that must succeed and parses its JSON.
fn run_json(args: &[&str]) -> Value {
    let out = radsurv_stats(args);
    assert!(
        out.status.success(),
        "radsurv stats {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs a method that must fail with exit code 2 and returns its stderr.
fn run_err(args: &[&str]) -> String {
    let out = radsurv_stats(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
    stderr
}

fn stats_file(relative: &str) -> String {
    data_path(&format!("stats/{relative}"))
        .display()
        .to_string()
}

fn read_json(relative: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data_path(&format!("stats/{relative}"))).unwrap())
        .unwrap()
}

/// A JSON number, or NaN for `null` (R's `NA`), so that [`Tolerance`] compares NA with NA.
fn num(v: &Value) -> f64 {
    match v {
        Value::Null => f64::NAN,
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("not a number: {other}")),
    }
}

/// Checks `ours` against `expected` and returns the relative difference, for the worst-case line
/// each test prints.
#[track_caller]
fn check(tol: Tolerance, context: &str, ours: f64, expected: f64) -> f64 {
    tol.check(context, ours, expected);
    if ours == expected || ours.is_nan() {
        0.0
    } else {
        (ours - expected).abs() / expected.abs().max(f64::MIN_POSITIVE)
    }
}

/// Checks each `(our key, R column)` pair of one JSON object against one row of an R table and
/// returns the worst relative difference; `context` starts each failure message.
fn check_row(
    tol: Tolerance,
    context: &str,
    ours: &Value,
    row: &HashMap<&str, &str>,
    pairs: &[(&str, &str)],
) -> f64 {
    pairs
        .iter()
        .map(|&(key, r_key)| {
            let expected = radsurv_testdata::parse_f64(row[r_key]);
            check(tol, &format!("{context} {key}"), num(&ours[key]), expected)
        })
        .fold(0.0, f64::max)
}

#[test]
fn cox_matches_coxph_on_lung_veteran_and_pbc() {
    let tol = Tolerance::default();
    let mut worst = 0.0f64;
    for ds in ["lung", "veteran", "pbc"] {
        for ties in ["efron", "breslow"] {
            let model = read_json(&format!("expected/cox/{ds}_{ties}_model.json"));
            let terms: Vec<&str> = model["vcov_terms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let data = stats_file(&format!(
                "data/{}",
                model["settings"]["data"].as_str().unwrap()
            ));
            let covariates = terms.join(",");
            let ours = run_json(&[
                "cox",
                "--data",
                &data,
                "--time",
                "time",
                "--event",
                "status",
                "--covariates",
                &covariates,
                "--ties",
                ties,
            ]);
            let ctx = format!("{ds} {ties}");
            assert_eq!(ours["ties"], ties, "{ctx}");
            assert_eq!(ours["n"], model["n"], "{ctx} n");
            assert_eq!(ours["events"], model["nevent"], "{ctx} events");
            for (key, r_key) in [
                ("loglik_null", "loglik_null"),
                ("loglik", "loglik_model"),
                ("concordance", "concordance"),
                ("concordance_se", "concordance_se"),
            ] {
                let c = format!("{ctx} {key}");
                worst = worst.max(check(tol, &c, num(&ours[key]), num(&model[r_key])));
            }
            let expected = Table::read(&data_path(&format!(
                "stats/expected/cox/{ds}_{ties}_coef.csv"
            )));
            let coefs = ours["coefficients"].as_array().unwrap();
            assert_eq!(
                coefs.len(),
                expected.rows.len(),
                "{ctx}: number of coefficients"
            );
            for (row, coef) in expected.records().iter().zip(coefs) {
                assert_eq!(coef["name"], row["term"], "{ctx}: coefficient order");
                let pairs = [
                    ("coef", "coef"),
                    ("se", "se"),
                    ("hr", "hr"),
                    ("hr_lower", "hr_lower95"),
                    ("hr_upper", "hr_upper95"),
                    ("z", "z"),
                    ("p", "p_wald"),
                ];
                let c = format!("{ctx} {}", row["term"]);
                worst = worst.max(check_row(tol, &c, coef, row, &pairs));
            }
        }
    }
    eprintln!("cox: worst relative difference {worst:e}");
}

#[test]
fn km_table_and_medians_match_survfit_on_lung() {
    let tol = Tolerance::new(1e-9, 1e-12);
    let expected = Table::read(&data_path("stats/expected/km/lung_km_table.csv"));
    let medians = Table::read(&data_path("stats/expected/km/lung_median.csv"));
    let data = stats_file("data/lung_cc.csv");
    let base = ["km", "--data", &data, "--time", "time", "--event", "status"];
    let overall = run_json(&base);
    let by_sex = run_json(&[&base[..], &["--group", "sex"]].concat());
    let groups: Vec<&Value> = overall["groups"]
        .as_array()
        .unwrap()
        .iter()
        .chain(by_sex["groups"].as_array().unwrap())
        .collect();
    let labels: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["all", "sex=1", "sex=2"]);
    let (mut worst, mut rows) = (0.0f64, 0);
    for group in groups {
        let label = group["group"].as_str().unwrap();
        let want: Vec<_> = expected
            .records()
            .into_iter()
            .filter(|r| r["strata"] == label)
            .collect();
        let table = group["table"].as_array().unwrap();
        assert_eq!(table.len(), want.len(), "{label}: rows");
        for (ours, r) in table.iter().zip(&want) {
            let pairs = [
                ("time", "time"),
                ("n_risk", "n_risk"),
                ("n_event", "n_event"),
                ("n_censor", "n_censor"),
                ("surv", "surv"),
                ("std_err", "std_err_surv"),
                ("lower", "lower_log"),
                ("upper", "upper_log"),
            ];
            let c = format!("{label} t={}", r["time"]);
            worst = worst.max(check_row(tol, &c, ours, r, &pairs));
            rows += 1;
        }
        let m = medians
            .records()
            .into_iter()
            .find(|r| r["strata"] == label && r["conf_type"] == "log")
            .unwrap();
        let pairs = [
            ("median", "median"),
            ("median_lower", "median_lcl95"),
            ("median_upper", "median_ucl95"),
        ];
        check_row(tol, label, group, &m, &pairs);
    }
    eprintln!("km: {rows} rows, worst relative difference {worst:e}");
}

#[test]
fn logrank_matches_survdiff_on_lung() {
    let expected = read_json("expected/km/lung_logrank.json");
    let data = stats_file("data/lung_cc.csv");
    for part in ["two_group", "multi_group"] {
        let want = &expected[part];
        let group = want["variable"].as_str().unwrap();
        let ours = run_json(&[
            "logrank", "--data", &data, "--time", "time", "--event", "status", "--group", group,
        ]);
        let tol = Tolerance::new(1e-8, 1e-15);
        check(
            tol,
            &format!("{group} chisq"),
            num(&ours["chisq"]),
            num(&want["logrank"]["chisq"]),
        );
        check(
            tol,
            &format!("{group} p"),
            num(&ours["p"]),
            num(&want["logrank"]["p"]),
        );
        assert_eq!(ours["df"], want["logrank"]["df"], "{group} df");
    }
}

#[test]
fn cindex_and_td_auc_match_survival_riskregression_and_timeroc_on_lung() {
    let tol = Tolerance::default();
    let concordance = Table::read(&data_path(
        "stats/expected/concordance/concordance_survival.csv",
    ));
    let tdauc = Table::read(&data_path("stats/expected/tdauc/tdauc.csv"));
    // ph_ecog is a column of the data; the Cox linear predictor is in the prediction file, which
    // carries time and status in the same row order.
    let sources = [
        ("ph_ecog", stats_file("data/lung_cc.csv"), "ph_ecog"),
        (
            "cox_efron_lp",
            stats_file("expected/cox/lung_efron_pred.csv"),
            "lp",
        ),
    ];
    let mut worst = 0.0f64;
    for (marker, data, column) in &sources {
        let surv = [
            "--data",
            data.as_str(),
            "--time",
            "time",
            "--event",
            "status",
        ];
        let c = run_json(&[&["cindex"], &surv[..], &["--score", column]].concat());
        let want = concordance
            .records()
            .into_iter()
            .find(|r| r["dataset"] == "lung" && r["marker"] == *marker && r["timewt"] == "n")
            .unwrap();
        let pairs = [
            ("c", "c"),
            ("se", "se"),
            ("lower", "lower95"),
            ("upper", "upper95"),
        ];
        worst = worst.max(check_row(tol, &format!("{marker} C"), &c, &want, &pairs));
        let rows: Vec<_> = tdauc
            .records()
            .into_iter()
            .filter(|r| r["dataset"] == "lung" && r["marker"] == *marker)
            .collect();
        let times: Vec<&str> = rows.iter().map(|r| r["time"]).collect();
        let times = times.join(",");
        for (cases, reference) in [("le", "riskRegression"), ("lt", "timeROC")] {
            let ours = run_json(
                &[
                    &["td-auc"],
                    &surv[..],
                    &["--score", column, "--times", &times, "--cases", cases],
                ]
                .concat(),
            );
            let points = ours["points"].as_array().unwrap();
            assert_eq!(points.len(), rows.len());
            for (p, r) in points.iter().zip(&rows) {
                for key in ["auc", "se", "lower", "upper"] {
                    let c = format!("{marker} t={} {reference} {key}", r["time"]);
                    let r = radsurv_testdata::parse_f64(r[format!("{key}_{reference}").as_str()]);
                    worst = worst.max(check(tol, &c, num(&p[key]), r));
                }
            }
        }
    }
    eprintln!("cindex + td-auc: worst relative difference {worst:e}");
}

/// The simulation with R's fold ids appended as a `foldid` column.
fn simulation_with_folds(dir: &Path) -> (PathBuf, String) {
    let sim = std::fs::read_to_string(data_path("stats/data/sim_n168_p107.csv")).unwrap();
    let folds =
        Table::read(&data_path("stats/expected/glmnet/sim_n168_p107_foldid.csv")).str_col("foldid");
    let mut lines = sim.lines();
    let header = lines.next().unwrap();
    let mut text = format!("{header},foldid\n");
    let mut n = 0;
    for (line, fold) in lines.zip(&folds) {
        text.push_str(&format!("{line},{fold}\n"));
        n += 1;
    }
    assert_eq!(n, folds.len(), "one fold id per row");
    let path = dir.join("sim_with_folds.csv");
    std::fs::write(&path, text).unwrap();
    let covariates: Vec<&str> = header.split(',').filter(|h| h.starts_with('x')).collect();
    (path, covariates.join(","))
}

#[test]
fn lasso_cox_with_r_folds_gives_cv_glmnet_lambda_min_and_1se() {
    let dir = tempfile::tempdir().unwrap();
    let (data, covariates) = simulation_with_folds(dir.path());
    let data = data.display().to_string();
    let summary = read_json("expected/glmnet/sim_n168_p107_summary.json");
    let tight = Table::read(&data_path(
        "stats/expected/glmnet/sim_n168_p107_coef_path_tight.csv",
    ));
    for (measure, key, file) in [("deviance", "cv_deviance", "deviance"), ("C", "cv_C", "C")] {
        // The simulation's times are days; glmnet's references used years, which is
        // rank-equivalent for the Breslow likelihood we fit (cox module, Known differences).
        let ours = run_json(&[
            "lasso-cox",
            "--data",
            &data,
            "--time",
            "time",
            "--event",
            "status",
            "--covariates",
            &covariates,
            "--foldid",
            "foldid",
            "--measure",
            measure,
        ]);
        let want = &summary[key];
        let tol = Tolerance::new(1e-12, 0.0);
        let lambda = ours["lambda"].as_array().unwrap();
        for which in ["min", "1se"] {
            let ctx = format!("{measure} lambda_{which}");
            check(
                tol,
                &ctx,
                num(&ours[format!("lambda_{which}").as_str()]),
                num(&want[format!("lambda_{which}").as_str()]),
            );
            let index = want[format!("index_{which}_1based").as_str()]
                .as_u64()
                .unwrap() as usize
                - 1;
            check(
                tol,
                &ctx,
                num(&lambda[index]),
                num(&want[format!("lambda_{which}").as_str()]),
            );
            // Coefficients at the optimum against glmnet's tight path (itself ~5e-5 from the
            // optimum at small λ; cv module, Known differences).
            let coefficients = ours[format!("coefficients_{which}").as_str()]
                .as_object()
                .unwrap();
            assert_eq!(coefficients.len(), 107);
            let row = &tight.records()[index];
            let mut worst = 0.0f64;
            let mut tight_nonzero = 0;
            for (name, value) in coefficients {
                let r = radsurv_testdata::parse_f64(row[name.as_str()]);
                worst = worst.max((num(value) - r).abs());
                tight_nonzero += usize::from(r != 0.0);
            }
            // nzero counts the exact solution's non-zeros, as the tight path does; R's
            // default-thresh fit can carry a spurious tiny one (λ.1se here: x0041 = 1.6e-5).
            assert_eq!(ours["nzero"][index], tight_nonzero, "{ctx} nzero");
            assert!(
                worst < 1e-4,
                "{ctx}: coefficients differ from glmnet's tight path by {worst:e}"
            );
            eprintln!("lasso-cox {ctx}: |beta - glmnet tight| <= {worst:e}");
        }
        let expected = Table::read(&data_path(&format!(
            "stats/expected/glmnet/sim_n168_p107_cv_{file}.csv"
        )));
        let (cvm, cvsd) = (expected.f64_col("cvm"), expected.f64_col("cvsd"));
        let index_min = want["index_min_1based"].as_u64().unwrap() as usize;
        let mut worst = 0.0f64;
        for l in 0..index_min {
            worst = worst
                .max((num(&ours["cvm"][l]) - cvm[l]).abs())
                .max((num(&ours["cvsd"][l]) - cvsd[l]).abs());
        }
        // R solves each fold only to glmnet's default thresh (cv module, Known differences).
        assert!(
            worst < 2e-2,
            "{measure}: cvm/cvsd differ from R by {worst:e}"
        );
        eprintln!("lasso-cox {measure}: worst |cvm/cvsd - R| up to lambda.min {worst:e}");
    }
}

#[test]
fn icc_matches_psych_on_the_icc_sets() {
    let expected = Table::read(&data_path("stats/expected/basic/icc_psych.csv"));
    let sets = [
        (
            "shrout_fleiss",
            "data/icc_shrout_fleiss.csv",
            "rater1,rater2,rater3,rater4",
        ),
        ("lung_karno", "data/icc_lung_karno.csv", "rater1,rater2"),
        (
            "sim_readers_3",
            "data/icc_sim_readers.csv",
            "rater1,rater2,rater3",
        ),
        ("sim_readers_2", "data/icc_sim_readers.csv", "rater1,rater2"),
    ];
    let tol = Tolerance::default();
    let mut worst = 0.0f64;
    for (set, file, columns) in sets {
        let data = stats_file(file);
        let ours = run_json(&["icc", "--data", &data, "--columns", columns]);
        let want: Vec<_> = expected
            .records()
            .into_iter()
            .filter(|r| r["dataset"] == set)
            .collect();
        let results = ours["results"].as_array().unwrap();
        assert_eq!(results.len(), want.len(), "{set}");
        assert_eq!(
            ours["n"].as_u64().unwrap().to_string(),
            want[0]["n"],
            "{set} n"
        );
        for (row, r) in results.iter().zip(&want) {
            assert_eq!(row["type"], r["type"], "{set}");
            let pairs = [
                ("icc", "icc"),
                ("f", "F"),
                ("df1", "df1"),
                ("df2", "df2"),
                ("p", "p"),
                ("lower", "lower95"),
                ("upper", "upper95"),
            ];
            let c = format!("{set} {}", r["type"]);
            worst = worst.max(check_row(tol, &c, row, r, &pairs));
        }
    }
    // One form on request, in Shrout–Fleiss notation.
    let data = stats_file("data/icc_shrout_fleiss.csv");
    let one = run_json(&[
        "icc",
        "--data",
        &data,
        "--columns",
        "rater1,rater2,rater3,rater4",
        "--type",
        "2,1",
    ]);
    let results = one["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["type"], "ICC2");
    eprintln!("icc: worst relative difference {worst:e}");
}

#[test]
fn calibration_matches_the_grouped_reference_on_lung() {
    let expected = Table::read(&data_path(
        "stats/expected/calibration/lung_grouped_u365.csv",
    ));
    let data = stats_file("expected/cox/lung_efron_pred.csv");
    let ours = run_json(&[
        "calibration",
        "--data",
        &data,
        "--time",
        "time",
        "--event",
        "status",
        "--score",
        "surv_t365",
        "--time-horizon",
        "365",
        "--groups",
        "5",
    ]);
    let groups = ours["groups"].as_array().unwrap();
    assert_eq!(groups.len(), expected.rows.len());
    let tol = Tolerance::new(1e-9, 1e-12);
    let mut worst = 0.0f64;
    for (g, r) in groups.iter().zip(expected.records()) {
        let pairs = [
            ("group", "group"),
            ("n", "n"),
            ("pred_min", "pred_min"),
            ("pred_max", "pred_max"),
            ("mean_predicted", "mean_pred_surv"),
            ("observed", "obs_km_surv"),
            ("observed_se", "obs_km_se"),
            ("observed_lower", "obs_lower95_log"),
            ("observed_upper", "obs_upper95_log"),
            ("n_risk", "n_risk_at_u"),
            ("events", "events_by_u"),
        ];
        let c = format!("group {}", r["group"]);
        worst = worst.max(check_row(tol, &c, g, &r, &pairs));
    }
    eprintln!("calibration: worst relative difference {worst:e}");
}

/// Writes `text` as `name` into `dir` and returns the path as a string.
fn write_csv(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn bad_clinical_data_exits_2_naming_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    // (file name, CSV, method arguments after --data, what the message must contain)
    let cases: [(&str, &str, &[&str], &[&str]); 7] = [
        (
            "non_numeric_time.csv",
            "time,status,age\n5,1,60\nabc,0,61\n9,1,70\n",
            &[
                "cox",
                "--time",
                "time",
                "--event",
                "status",
                "--covariates",
                "age",
            ],
            &["row 2", "\"time\"", "not a number"],
        ),
        (
            "negative_time.csv",
            "time,status,age\n5,1,60\n7,0,61\n-9,1,70\n",
            &["km", "--time", "time", "--event", "status"],
            &["row 3", "\"time\"", "> 0"],
        ),
        (
            "missing_time.csv",
            "time,status,age\n5,1,60\nNA,0,61\n9,1,70\n",
            &["km", "--time", "time", "--event", "status"],
            &["row 2", "\"time\"", "missing"],
        ),
        (
            "status_2.csv",
            "time,status,age\n5,1,60\n7,2,61\n9,1,70\n",
            &[
                "cox",
                "--time",
                "time",
                "--event",
                "status",
                "--covariates",
                "age",
            ],
            &["row 2", "\"status\"", "0 or 1"],
        ),
        (
            "unknown_column.csv",
            "time,status,age\n5,1,60\n7,0,61\n9,1,70\n",
            &[
                "cox",
                "--time",
                "time",
                "--event",
                "status",
                "--covariates",
                "age,weight",
            ],
            &["unknown column", "\"weight\""],
        ),
        (
            "constant_covariate.csv",
            "time,status,age,sex\n5,1,60,1\n7,0,61,1\n9,1,70,1\n",
            &[
                "cox",
                "--time",
                "time",
                "--event",
                "status",
                "--covariates",
                "age,sex",
            ],
            &["row 1", "\"sex\"", "single value"],
        ),
        (
            "non_numeric_score.csv",
            "time,status,score\n5,1,0.1\n7,0,high\n9,1,0.3\n",
            &[
                "cindex", "--time", "time", "--event", "status", "--score", "score",
            ],
            &["row 2", "\"score\"", "not a number"],
        ),
    ];
    for (name, text, args, needles) in cases {
        let data = write_csv(dir.path(), name, text);
        let (method, rest) = args.split_first().unwrap();
        let stderr = run_err(&[&[*method, "--data", &data], rest].concat());
        assert!(
            stderr.contains(name),
            "{name}: the message must name the file: {stderr}"
        );
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "{name}: expected {needle:?} in {stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let data = stats_file("data/lung_cc.csv");
    let stderr = run_err(&[
        "td-auc", "--data", &data, "--time", "time", "--event", "status", "--score", "age",
        "--times", "365,nan",
    ]);
    assert!(
        stderr.contains("--times") && stderr.contains("nan"),
        "{stderr}"
    );
    let missing = dir.path().join("absent.csv").display().to_string();
    let stderr = run_err(&["icc", "--data", &missing, "--columns", "a,b"]);
    assert!(stderr.contains("absent.csv"), "{stderr}");
}

/// A text covariate is a factor in treatment coding, as R's coxph codes it; the three global tests
/// are those of `summary(coxph)`. Expected values: `testdata/stats/scripts/09_cox_factors.R`.
#[test]
fn cox_codes_a_text_column_as_r_does_and_prints_the_three_global_tests() {
    let veteran = stats_file("data/veteran.csv");
    let json = run_json(&[
        "cox",
        "--data",
        &veteran,
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "celltype,karno,trt",
    ]);
    let tol = Tolerance::new(1e-6, 0.0);
    let expected = Table::read(&data_path(
        "stats/expected/cox/veteran_celltype_factor_coef.csv",
    ));
    let coefficients = json["coefficients"].as_array().unwrap();
    let names: Vec<&str> = coefficients
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, expected.str_col("term"));
    for (c, (coef, se)) in coefficients.iter().zip(
        expected
            .f64_col("coef")
            .into_iter()
            .zip(expected.f64_col("se")),
    ) {
        tol.check("coef", num(&c["coef"]), coef);
        tol.check("se", num(&c["se"]), se);
    }
    let tests = Table::read(&data_path(
        "stats/expected/cox/veteran_celltype_factor_tests.csv",
    ));
    for row in tests.records() {
        let ours = &json["tests"][row["test"]];
        tol.check(
            row["test"],
            num(&ours["statistic"]),
            row["statistic"].parse().unwrap(),
        );
        tol.check(row["test"], num(&ours["p"]), row["p"].parse().unwrap());
        assert_eq!(ours["df"].as_u64(), row["df"].parse().ok());
    }
    let chosen = run_json(&[
        "cox",
        "--data",
        &veteran,
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "celltype,karno,trt",
        "--reference",
        "celltype=squamous",
    ]);
    assert_eq!(chosen["coefficients"][0]["name"], "celltypeadeno");
    let stderr = run_err(&[
        "cox",
        "--data",
        &veteran,
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "celltype",
        "--reference",
        "celltype=small",
    ]);
    assert!(
        stderr.contains("adeno, large, smallcell, squamous"),
        "{stderr}"
    );
}

/// `stats logrank` prints survdiff's table: N, observed, expected, (O−E)²/E and (O−E)²/V.
#[test]
fn logrank_prints_observed_and_expected_per_group_as_survdiff() {
    let json = run_json(&[
        "logrank",
        "--data",
        &stats_file("data/veteran.csv"),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "celltype",
    ]);
    let tol = Tolerance::new(1e-9, 1e-12);
    let expected = Table::read(&data_path(
        "stats/expected/cox/veteran_celltype_survdiff.csv",
    ));
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), expected.records().len());
    for (ours, row) in groups.iter().zip(expected.records()) {
        assert_eq!(ours["group"], row["group"]);
        assert_eq!(ours["n"].as_u64(), row["n"].parse().ok());
        for key in ["observed", "expected", "oe2_over_e", "oe2_over_v"] {
            tol.check(key, num(&ours[key]), row[key].parse().unwrap());
        }
    }
}
