//! Hostile input through the binary: panics, aborts, closed or full output, limits, and
//! results that would silently be wrong all end in a clear error (exit status 2).
#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use std::process::{Command, Output, Stdio};

fn radsurv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radsurv"))
}

fn label_map() -> String {
    radsurv_testdata::data_path("pyradiomics/images/breast1_label.nrrd")
        .display()
        .to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Exit status 2 and a message containing every one of `words`.
fn assert_error(output: &Output, words: &[&str]) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    for word in words {
        assert!(text.contains(word), "{word:?} not in: {text}");
    }
}

#[test]
fn a_panic_on_any_thread_exits_2_with_a_message() {
    let output = radsurv()
        .args(["info", &label_map()])
        .env("RADSURV_TEST_PANIC", "planted panic")
        .output()
        .unwrap();
    assert_error(&output, &["internal error", "planted panic", "bug"]);
}

#[test]
fn a_full_standard_output_is_an_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = radsurv()
        .args(["info", &label_map()])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_error(&output, &["standard output"]);
}

#[test]
fn a_closed_standard_output_is_an_error() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = radsurv()
        .args(["info", &label_map()])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_error(&output, &["standard output"]);
}

fn breast(kind: &str) -> String {
    radsurv_testdata::data_path(&format!("pyradiomics/images/breast1_{kind}.nrrd"))
        .display()
        .to_string()
}

fn extract_with_params(params: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("params.yaml");
    std::fs::write(&file, params).unwrap();
    radsurv()
        .args([
            "extract",
            "--image",
            &breast("image"),
            "--mask",
            &breast("label"),
        ])
        .arg("--params")
        .arg(&file)
        .output()
        .unwrap()
}

#[test]
fn a_bin_width_asking_for_too_many_grey_levels_names_the_setting_and_the_limit() {
    for width in ["1e-9", "1e-300"] {
        let output = extract_with_params(&format!("setting:\n  binWidth: {width}\n"));
        assert_error(&output, &["binWidth", "RADSURV_MAX_GREY_LEVELS"]);
    }
    let output = extract_with_params("setting:\n  binCount: 4294967295\n");
    assert_error(&output, &["binCount", "RADSURV_MAX_GREY_LEVELS"]);
}

#[test]
fn a_tiny_resampled_spacing_names_the_voxel_limit() {
    let output =
        extract_with_params("setting:\n  resampledPixelSpacing: [1.0e-300, 1.0e-300, 1.0e-300]\n");
    assert_error(&output, &["spacing", "RADSURV_MAX_VOXELS"]);
}

#[test]
fn a_spacing_coarser_than_the_roi_names_the_setting_not_an_empty_mask() {
    for spacing in ["[1.0e300, 1.0e300, 1.0e300]", "[1000, 1000, 1000]"] {
        let output =
            extract_with_params(&format!("setting:\n  resampledPixelSpacing: {spacing}\n"));
        assert_error(&output, &["resampledPixelSpacing", "too coarse"]);
    }
}

#[test]
fn a_pad_distance_past_any_image_names_the_setting_and_the_limit() {
    let output = extract_with_params("setting:\n  padDistance: 1000000000\n");
    assert_error(&output, &["padDistance", "RADSURV_MAX_PAD_DISTANCE"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("padDistance").count(), 1, "{stderr}");
}

#[test]
fn label_0_is_refused_as_the_background() {
    let output = radsurv()
        .args([
            "extract",
            "--image",
            &breast("image"),
            "--mask",
            &breast("label"),
        ])
        .args(["--label", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--label"), "{}", stderr(&output));
}

#[test]
fn too_many_jobs_and_patients_name_their_limits() {
    let dir = tempfile::tempdir().unwrap();
    let output = radsurv()
        .args(["synth", "--patients", "18446744073709551615", "--out"])
        .arg(dir.path().join("cohort"))
        .output()
        .unwrap();
    assert_error(&output, &["--patients", "RADSURV_MAX_SYNTH_PATIENTS"]);

    let manifest = dir.path().join("manifest.csv");
    std::fs::write(
        &manifest,
        format!(
            "case_id,image,mask\nb,{},{}\n",
            breast("image"),
            breast("label")
        ),
    )
    .unwrap();
    let output = radsurv()
        .args(["extract", "--jobs", "100000", "--manifest"])
        .arg(&manifest)
        .arg("--out")
        .arg(dir.path().join("features.csv"))
        .output()
        .unwrap();
    assert_error(&output, &["--jobs", "RADSURV_MAX_THREADS"]);
}

/// A model with one categorical covariate (`bclc`: A reference, B coded) and one feature.
fn model_json(sd: f64, coefficients: &str, cumhaz: f64) -> String {
    format!(
        r#"{{
  "software": {{"name": "radsurv", "version": "0"}},
  "time_unit": "months",
  "extraction_params_yaml": "setting:\n  binWidth: 25\n",
  "reader": "A",
  "features": [{{"name": "original_firstorder_Mean", "mean": 10.0, "sd": {sd}, "coefficient": 0.5}}],
  "columns": [{{"covariate": "bclc", "source_column": "bclc", "name": "bclc=B", "label": "BCLC B",
               "coding": {{"coding": "level", "level": "B"}}}}],
  "coefficients": {coefficients},
  "means": [0.5, 0.0],
  "baseline": [{{"key": "1y", "time": 12.0, "cumhaz": {cumhaz}, "survival": 0.8}}],
  "risk_threshold": 0.0,
  "categorical_levels": {{"bclc": ["A", "B"]}}
}}"#
    )
}

struct Predict {
    dir: tempfile::TempDir,
}

impl Predict {
    fn new(model: &str, clinical: &str, features: &str) -> Predict {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.json"), model).unwrap();
        std::fs::write(dir.path().join("clinical.csv"), clinical).unwrap();
        std::fs::write(dir.path().join("features.csv"), features).unwrap();
        Predict { dir }
    }

    fn record_params(&self, params: &str) {
        std::fs::write(self.dir.path().join("features.params.yaml"), params).unwrap();
    }

    fn run(&self) -> Output {
        let p = |name: &str| self.dir.path().join(name);
        radsurv()
            .arg("predict")
            .arg("--model")
            .arg(p("model.json"))
            .arg("--data")
            .arg(p("clinical.csv"))
            .arg("--features")
            .arg(p("features.csv"))
            .output()
            .unwrap()
    }
}

const FEATURES: &str =
    "case_id,original_firstorder_Mean\nP1,12\nP2,abc\nP3,\nP4,8\n=HYPERLINK(1),9\n";
const CLINICAL: &str = "id,bclc\nP1,B\nP2,A\nP3,A\nP4,C\n=HYPERLINK(1),A\n";

#[test]
fn predict_refuses_unseen_levels_and_text_features_and_reports_imputation() {
    let run = Predict::new(&model_json(2.0, "[0.7, 1.0]", 0.2), CLINICAL, FEATURES);
    run.record_params("setting:\n  binWidth: 25\n");
    let output = run.run();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("patient P4") && text.contains("\"bclc\"") && text.contains("A, B"),
        "{text}"
    );
    assert!(
        text.contains("patient P2") && text.contains("\"abc\" is not a number"),
        "{text}"
    );
    assert!(!text.contains("patient P2: patient"), "{text}");
    assert!(
        text.contains("patient P3") && text.contains("training mean"),
        "{text}"
    );
    assert!(!text.contains("extracted with other parameters"), "{text}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\n'=HYPERLINK(1),"), "{stdout}");
    let p3 = stdout.lines().find(|l| l.starts_with("P3,")).unwrap();
    assert!(p3.ends_with(",original_firstorder_Mean"), "{p3}");
}

#[test]
fn predict_warns_when_features_were_extracted_with_other_settings() {
    let run = Predict::new(
        &model_json(2.0, "[0.7, 1.0]", 0.2),
        "id,bclc\nP1,B\n",
        FEATURES,
    );
    run.record_params("setting:\n  binWidth: 5\n");
    let output = run.run();
    assert!(
        stderr(&output).contains("other parameters"),
        "{}",
        stderr(&output)
    );
    std::fs::remove_file(run.dir.path().join("features.params.yaml")).unwrap();
    let output = run.run();
    assert!(
        stderr(&output).contains("does not record"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn predict_passes_on_the_warning_of_a_model_whose_cox_fit_warned() {
    let warning = "Loglik converged before variable 1; coefficient may be infinite";
    let clean = model_json(2.0, "[0.7, 1.0]", 0.2);
    let model = format!(
        "{},\n  \"fit_warnings\": [\"{warning}\"]\n}}",
        clean.strip_suffix("\n}").unwrap()
    );
    let run = Predict::new(&model, "id,bclc\nP1,B\n", FEATURES);
    run.record_params("setting:\n  binWidth: 25\n");
    let output = run.run();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains(warning) && text.contains("not reliable"),
        "{text}"
    );
}

#[test]
fn predict_reports_a_missing_clinical_column_once() {
    let run = Predict::new(
        &model_json(2.0, "[0.7, 1.0]", 0.2),
        "id,age\nP1,60\nP4,70\n",
        FEATURES,
    );
    let output = run.run();
    assert_error(&output, &["bclc"]);
    assert_eq!(
        stderr(&output).matches("bclc").count(),
        1,
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("``"), "{}", stderr(&output));
}

#[test]
fn predict_refuses_a_model_that_would_give_wrong_scores() {
    for (model, words) in [
        (model_json(0.0, "[0.7, 1.0]", 0.2), ["sd", "positive"]),
        (model_json(2.0, "[0.7]", 0.2), ["coefficients", "terms"]),
        (
            model_json(2.0, "[0.7, 1.0, 3.0]", 0.2),
            ["coefficients", "terms"],
        ),
        (model_json(2.0, "[0.7, 1.0]", -0.5), ["cumhaz", "≥ 0"]),
        ("\n".to_string(), ["the file", "is empty"]),
    ] {
        let output = Predict::new(&model, CLINICAL, FEATURES).run();
        assert_error(&output, &["model.json", words[0], words[1]]);
    }
}

#[test]
fn readme_predict_commands_name_the_features_to_score() {
    let readme = include_str!("../../../README.md");
    let commands: Vec<&str> = readme
        .lines()
        .filter(|l| l.contains("radsurv predict --"))
        .collect();
    assert!(!commands.is_empty(), "README has no predict command");
    for line in commands {
        assert!(
            line.contains("--features") || line.contains("--manifest"),
            "README: {line}"
        );
    }
}

/// Writes `text` as `name` in `dir` and returns its path as a string.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn stats(args: &[&str]) -> Output {
    radsurv().arg("stats").args(args).output().unwrap()
}

/// A survival table whose `big` column is near the largest double and whose `same` column is
/// constant: every statistic either answers or refuses, never panics.
fn extreme_table(dir: &tempfile::TempDir) -> String {
    let mut text = String::from("time,event,big,same,group,r1,r2\n");
    for i in 0..12 {
        let big = if i % 2 == 0 { 1.7e308 } else { -1.6e308 };
        text += &format!(
            "{},{},{big:e},5,{},{big:e},{:e}\n",
            i + 1,
            i % 3 % 2,
            i % 2,
            -big
        );
    }
    file(dir, "extreme.csv", &text)
}

#[test]
fn no_statistic_panics_on_extreme_or_constant_columns() {
    let dir = tempfile::tempdir().unwrap();
    let data = extreme_table(&dir);
    let surv = ["--data", &data, "--time", "time", "--event", "event"];
    let with = |method: &str, rest: &[&str]| {
        let mut args = vec![method];
        if method != "icc" {
            args.extend(surv);
        }
        args.extend(rest);
        stats(&args)
    };
    let runs = [
        with("cox", &["--covariates", "big"]),
        with("cox", &["--covariates", "same"]),
        with("km", &["--group", "group"]),
        with("logrank", &["--group", "group"]),
        with("cindex", &["--score", "big"]),
        with("td-auc", &["--score", "big", "--times", "5"]),
        with("lasso-cox", &["--covariates", "big,r1", "--folds", "3"]),
        with("icc", &["--data", &data, "--columns", "r1,r2"]),
        with("icc", &["--data", &data, "--columns", "same,same"]),
        with("calibration", &["--score", "big", "--time-horizon", "5"]),
    ];
    for output in runs {
        let text = stderr(&output);
        assert!(matches!(output.status.code(), Some(0 | 2)), "{text}");
        assert!(!text.contains("internal error"), "{text}");
    }
    let constant = with("icc", &["--data", &data, "--columns", "same,same"]);
    assert_error(&constant, &["every rating is 5"]);
    let huge = with("icc", &["--data", &data, "--columns", "r1,r2"]);
    assert_error(&huge, &["overflow", "rescale"]);
}

#[test]
fn a_constant_score_is_an_error_and_c_index_limits_stay_in_0_1() {
    let dir = tempfile::tempdir().unwrap();
    let data = file(
        &dir,
        "c.csv",
        "time,event,flat,nearly\n1,1,3,4\n2,1,3,3\n3,1,3,1\n4,0,3,2\n",
    );
    let surv = [
        "--data",
        data.as_str(),
        "--time",
        "time",
        "--event",
        "event",
    ];
    for method in ["cindex", "td-auc"] {
        let mut args = vec![method];
        args.extend(surv);
        args.extend(["--score", "flat"]);
        if method == "td-auc" {
            args.extend(["--times", "2"]);
        }
        assert_error(&stats(&args), &["\"flat\"", "single value 3", "must vary"]);
    }
    let mut args = vec!["cindex"];
    args.extend(surv);
    args.extend(["--score", "nearly"]);
    let output = stats(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (lower, upper) = (
        json["lower"].as_f64().unwrap(),
        json["upper"].as_f64().unwrap(),
    );
    assert!((0.0..=1.0).contains(&lower) && upper <= 1.0, "{json}");
}

/// On pbc at one year timeROC's unclipped upper limit is above 1 (see the tdauc reference).
#[test]
fn td_auc_limits_stay_in_0_1_for_both_case_definitions() {
    let data = radsurv_testdata::data_path("stats/expected/cox/pbc_efron_pred.csv");
    for cases in ["le", "lt"] {
        let output = stats(&[
            "td-auc",
            "--data",
            data.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
            "--score",
            "lp",
            "--times",
            "365,730",
            "--cases",
            cases,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        for point in json["points"].as_array().unwrap() {
            let (lower, upper) = (
                point["lower"].as_f64().unwrap(),
                point["upper"].as_f64().unwrap(),
            );
            assert!(
                0.0 <= lower && lower <= upper && upper <= 1.0,
                "{cases}: {point}"
            );
        }
    }
}

#[test]
fn calibration_names_the_score_column_and_does_not_carry_km_past_follow_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = file(
        &dir,
        "cal.csv",
        "time,event,s,bad\n1,1,0.1,0.5\n2,0,0.2,0.5\n3,0,0.3,1.5\n10,0,0.8,0.5\n11,1,0.9,0.5\n12,0,0.95,0.5\n",
    );
    let surv = [
        "--data",
        data.as_str(),
        "--time",
        "time",
        "--event",
        "event",
    ];
    let run = |score: &str, horizon: &str| {
        let mut args = vec!["calibration"];
        args.extend(surv);
        args.extend(["--score", score, "--time-horizon", horizon, "--groups", "2"]);
        stats(&args)
    };
    assert_error(&run("bad", "5"), &["\"bad\"", "row 3", "[0, 1]"]);
    let output = run("s", "5");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("group 1"), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["groups"][0]["observed"].is_null(), "{json}");
    assert!(json["groups"][1]["observed"].is_number(), "{json}");
}

#[test]
fn fold_counts_out_of_range_say_what_was_asked() {
    let dir = tempfile::tempdir().unwrap();
    let data = extreme_table(&dir);
    for (folds, said) in [("0", "0 folds asked for 12 rows"), ("13", "13 folds asked")] {
        let output = stats(&[
            "lasso-cox",
            "--data",
            &data,
            "--time",
            "time",
            "--event",
            "event",
            "--covariates",
            "group,time",
            "--folds",
            folds,
        ]);
        assert_error(&output, &[said]);
        assert!(!stderr(&output).contains("got max"), "{}", stderr(&output));
    }
}

/// A folder with a manifest of the breast case under the given ids (one row each).
fn manifest_of(ids: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("case_id,image,mask\n");
    for id in ids {
        text += &format!("\"{id}\",{},{}\n", breast("image"), breast("label"));
    }
    let manifest = dir.path().join("manifest.csv");
    std::fs::write(&manifest, text).unwrap();
    (dir, manifest)
}

/// `extract --manifest` with a cheap parameter file (first-order features only).
fn extract_batch(manifest: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Output {
    let params = manifest.with_file_name("params.yaml");
    if !params.exists() {
        std::fs::write(&params, "featureClass:\n  firstorder:\n").unwrap();
    }
    radsurv()
        .arg("extract")
        .arg("--manifest")
        .arg(manifest)
        .arg("--params")
        .arg(&params)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn csv_rows(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn features_csv_neutralises_text_keys_only_and_resume_reads_them_back() {
    let (dir, manifest) = manifest_of(&["=1+2", "-x", "@SUM(A1)", "P1"]);
    let out = dir.path().join("features.csv");
    let output = extract_batch(&manifest, &out, &["--jobs", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = csv_rows(&out);
    for id in ["'=1+2,", "'-x,", "'@SUM(A1),", "P1,"] {
        assert!(rows.iter().any(|r| r.starts_with(id)), "{id} in {rows:?}");
    }
    // Feature values are numbers written as they are, negative ones too.
    let header = std::fs::read_to_string(&out).unwrap();
    let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
    let minimum = header
        .iter()
        .position(|h| *h == "original_firstorder_Minimum")
        .unwrap();
    let value = rows[0].split(',').nth(minimum).unwrap();
    assert!(
        value.parse::<f64>().is_ok() && !value.starts_with('\''),
        "{value}"
    );
    // --resume recognises every neutralised id as done: nothing is extracted twice.
    let again = extract_batch(&manifest, &out, &["--resume"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(csv_rows(&out), rows);
}

#[test]
fn resume_keeps_a_complete_last_row_without_newline_and_refuses_other_parameters() {
    let (dir, manifest) = manifest_of(&["P1", "P2"]);
    let out = dir.path().join("features.csv");
    let output = extract_batch(&manifest, &out, &["--jobs", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut rows = csv_rows(&out);
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::write(&out, text.trim_end_matches('\n')).unwrap();
    let again = extract_batch(&manifest, &out, &["--resume"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let mut resumed = csv_rows(&out);
    rows.sort();
    resumed.sort();
    assert_eq!(resumed, rows, "every case keeps exactly one row");

    std::fs::write(
        manifest.with_file_name("params.yaml"),
        "featureClass:\n  firstorder:\nsetting:\n  binWidth: 5\n",
    )
    .unwrap();
    let other = extract_batch(&manifest, &out, &["--resume"]);
    assert_error(
        &other,
        &["other parameters", "features.params.yaml", "--resume"],
    );
    std::fs::remove_file(dir.path().join("features.params.yaml")).unwrap();
    let unrecorded = extract_batch(&manifest, &out, &["--resume"]);
    assert_error(&unrecorded, &["records the parameters"]);
}

#[test]
fn resume_keeps_an_unterminated_last_row_whose_case_left_the_manifest() {
    let (dir, manifest) = manifest_of(&["P1", "P2"]);
    let out = dir.path().join("features.csv");
    let output = extract_batch(&manifest, &out, &["--jobs", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&out).unwrap();
    let unterminated = text.trim_end_matches('\n');
    std::fs::write(&out, unterminated).unwrap();
    let last_case = unterminated
        .lines()
        .last()
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let kept = if last_case == "P1" { "P2" } else { "P1" };
    std::fs::write(
        &manifest,
        format!(
            "case_id,image,mask\n{kept},{},{}\n",
            breast("image"),
            breast("label")
        ),
    )
    .unwrap();
    let resumed = extract_batch(&manifest, &out, &["--resume"]);
    assert_error(&resumed, &["has no newline", last_case, "--resume"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), unterminated);
}

#[test]
fn resume_refuses_another_label_than_the_rows_were_extracted_with() {
    let (dir, manifest) = manifest_of(&["P1"]);
    let out = dir.path().join("features.csv");
    let output = extract_batch(&manifest, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // Label 1 is the parameter file's default: the same extraction.
    let same = extract_batch(&manifest, &out, &["--resume", "--label", "1"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let other = extract_batch(&manifest, &out, &["--resume", "--label", "2"]);
    assert_error(&other, &["other parameters", "features.params.yaml"]);
}

#[test]
fn a_manifest_repeating_a_case_and_reader_is_refused_naming_both_lines() {
    let (dir, manifest) = manifest_of(&["P1", "P2", "P1"]);
    let output = extract_batch(&manifest, &dir.path().join("f.csv"), &[]);
    assert_error(&output, &["manifest.csv", "line 4", "\"P1\"", "line 2"]);
}

#[test]
fn no_output_replaces_an_input() {
    let (dir, manifest) = manifest_of(&["P1"]);
    let before = std::fs::read(&manifest).unwrap();
    let output = extract_batch(&manifest, &manifest, &[]);
    assert_error(&output, &["is an input"]);
    assert_eq!(std::fs::read(&manifest).unwrap(), before);

    let mask = dir.path().join("mask.nrrd");
    std::fs::copy(breast("label"), &mask).unwrap();
    let before = std::fs::read(&mask).unwrap();
    for command in [&["extract"][..], &["mask"][..]] {
        let output = radsurv()
            .args(command)
            .args(["--image", &breast("image"), "--mask"])
            .arg(&mask)
            .arg("--out")
            .arg(&mask)
            .output()
            .unwrap();
        assert_error(&output, &["is an input"]);
        assert_eq!(std::fs::read(&mask).unwrap(), before);
    }

    // A study writes config.yaml, features.csv, ... : never into its inputs' folder.
    let config = dir.path().join("config.yaml");
    std::fs::write(&config, radsurv_study_example(&manifest)).unwrap();
    std::fs::write(dir.path().join("clinical.csv"), "id\n").unwrap();
    let before = std::fs::read(&config).unwrap();
    let output = radsurv()
        .arg("study")
        .arg(&config)
        .arg("--out")
        .arg(dir.path())
        .arg("--force")
        .output()
        .unwrap();
    assert_error(&output, &["holds the input"]);
    assert_eq!(std::fs::read(&config).unwrap(), before);
}

/// The example study config pointing at `manifest` and a `clinical.csv` beside it.
fn radsurv_study_example(manifest: &std::path::Path) -> String {
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/study.yaml"),
    )
    .unwrap();
    let mut lines: Vec<String> = example.lines().map(str::to_string).collect();
    for line in &mut lines {
        if line.starts_with("manifest:") {
            *line = format!("manifest: {}", manifest.display());
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_non_empty_output_folder_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let clinical = dir.path().join("clinical.csv");
    std::fs::write(&clinical, "my own data\n").unwrap();
    let output = radsurv()
        .args(["synth", "--patients", "4", "--reader-b", "2", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_error(&output, &["not empty", "--force"]);
    assert_eq!(std::fs::read_to_string(&clinical).unwrap(), "my own data\n");
}

/// `extract --image --mask --out <path>` on the breast case.
fn extract_single_to(out: &std::path::Path) -> Output {
    radsurv()
        .args([
            "extract",
            "--image",
            &breast("image"),
            "--mask",
            &breast("label"),
        ])
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn an_output_that_is_a_link_or_a_pipe_is_written_through_not_replaced() {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("features.json");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = extract_single_to(&link);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("original_"));

    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let output = extract_single_to(&fifo);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(fifo.metadata().unwrap().file_type().is_fifo());
    let mut text = String::new();
    let _ = reader.read_to_string(&mut text);
    assert!(text.contains("original_"), "{text:?}");
}

#[test]
fn a_single_case_error_names_the_image_and_mask() {
    let dir = tempfile::tempdir().unwrap();
    let params = file(&dir, "p.yaml", "setting:\n  label: 7\n");
    let output = radsurv()
        .args([
            "extract",
            "--image",
            &breast("image"),
            "--mask",
            &breast("label"),
        ])
        .args(["--params", &params])
        .output()
        .unwrap();
    assert_error(&output, &["breast1_image.nrrd", "breast1_label.nrrd"]);
}

#[test]
fn a_texture_distance_past_the_image_neither_panics_nor_hangs() {
    let output = extract_with_params(
        "featureClass:\n  glcm: [Contrast]\nsetting:\n  distances: [1, 4294967295]\n",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn predict_refuses_a_repeated_patient_or_feature_row() {
    let model = model_json(2.0, "[0.7, 1.0]", 0.2);
    let twice = Predict::new(&model, "id,bclc\nP1,B\nP4,A\nP1,A\n", FEATURES);
    assert_error(
        &twice.run(),
        &["clinical.csv", "row 3", "duplicate patient id \"P1\""],
    );
    let features = format!("{FEATURES}P1,13\n");
    let twice = Predict::new(&model, "id,bclc\nP1,B\n", &features);
    assert_error(
        &twice.run(),
        &["features.csv", "row 6", "\"P1\" has a second row"],
    );
}
