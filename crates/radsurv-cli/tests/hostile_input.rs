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
