//! `radsurv extract --manifest`: a broken case is reported and left out, the others are written,
//! and `--resume` skips finished cases. See: issue #3.
#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use std::path::Path;
use std::process::Command;

fn radsurv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radsurv"))
}

fn image(case: &str, kind: &str) -> String {
    radsurv_testdata::data_path(&format!("pyradiomics/images/{case}_{kind}.nrrd"))
        .display()
        .to_string()
}

fn data_rows(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn manifest_with_one_broken_case_writes_the_others_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.csv");
    std::fs::write(
        &manifest,
        format!(
            "case_id,image,mask\nbrain,{},{}\nbroken,{},missing_mask.nrrd\n",
            image("brain1", "image"),
            image("brain1", "label"),
            image("brain1", "image"),
        ),
    )
    .unwrap();
    let out = dir.path().join("features.csv");
    let run = |resume: bool| {
        let mut cmd = radsurv();
        cmd.args(["extract", "--manifest"])
            .arg(&manifest)
            .arg("--out")
            .arg(&out)
            .args(["--jobs", "2"]);
        if resume {
            cmd.arg("--resume");
        }
        cmd.output().unwrap()
    };

    let first = run(false);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("case broken") && stderr.contains("missing_mask.nrrd"),
        "{stderr}"
    );
    let header = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.starts_with("case_id,original_shape_Elongation,"),
        "{header}"
    );
    assert_eq!(header.split(',').count(), 1 + 107);
    let rows = data_rows(&out);
    assert_eq!(rows.len(), 1);
    assert!(rows[0].starts_with("brain,"));

    let again = run(true);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        data_rows(&out),
        rows,
        "resume must keep finished rows and not repeat them"
    );
}

/// PyRadiomics skips a LoG sigma too large for an image: brain1 (25 slices of 6.5 mm) has no
/// 160 mm LoG image while lung1 (48 slices of 5 mm) has one. In a batch the case without it is
/// reported, naming the missing feature, and the other is written, in either order; alone, it is
/// extracted with a warning, as PyRadiomics warns.
#[test]
fn a_case_without_a_log_image_is_reported_and_the_others_written() {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("log.yaml");
    std::fs::write(
        &params,
        "imageType:\n  LoG:\n    sigma: [160.0]\nfeatureClass:\n  firstorder: [Mean]\n",
    )
    .unwrap();
    for order in [["brain1", "lung1"], ["lung1", "brain1"]] {
        let manifest = dir.path().join("manifest.csv");
        let rows: String = order
            .iter()
            .map(|case| format!("{case},{},{}\n", image(case, "image"), image(case, "label")))
            .collect();
        std::fs::write(&manifest, format!("case_id,image,mask\n{rows}")).unwrap();
        let out = dir.path().join("features.csv");
        let run = radsurv()
            .args(["extract", "--manifest"])
            .arg(&manifest)
            .arg("--params")
            .arg(&params)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("case brain1")
                && stderr.contains("missing \"log-sigma-160-0-mm-3D_firstorder_Mean\"")
                && stderr.contains("LoG sigma too large"),
            "{stderr}"
        );
        let written = data_rows(&out);
        assert_eq!(written.len(), 1, "{written:?}");
        assert!(written[0].starts_with("lung1,"), "{written:?}");
    }
    let single = radsurv()
        .args(["extract", "--image", &image("brain1", "image")])
        .args(["--mask", &image("brain1", "label")])
        .arg("--params")
        .arg(&params)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&single.stderr);
    assert_eq!(single.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning:") && stderr.contains("LoG sigma too large"),
        "{stderr}"
    );
}

#[test]
fn single_case_json_has_every_default_feature() {
    let output = radsurv()
        .args([
            "extract",
            "--image",
            &image("brain1", "image"),
            "--mask",
            &image("brain1", "label"),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json.len(), 107);
    assert!(json["original_firstorder_Mean"].is_f64());
}

#[test]
fn invalid_params_exit_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("p.yaml");
    std::fs::write(&params, "setting:\n  binWidth: -3\n").unwrap();
    let output = radsurv()
        .args([
            "extract",
            "--image",
            &image("brain1", "image"),
            "--mask",
            &image("brain1", "label"),
            "--params",
        ])
        .arg(&params)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("setting.binWidth"));
}

/// `--params seed` is the study's built-in profile: the same features as its parameter file;
/// `--params pyradiomics-default` equals no `--params` at all.
#[test]
fn built_in_profiles_by_name_equal_their_parameter_files() {
    let run = |params: &[&str]| {
        let out = radsurv()
            .args(["extract", "--image", &image("brain1", "image"), "--mask"])
            .arg(image("brain1", "label"))
            .args(params)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let seed_file = radsurv_testdata::data_path("pyradiomics/params/resampled1mm_bw25.yaml");
    assert_eq!(
        run(&["--params", "seed"]),
        run(&["--params", &seed_file.display().to_string()])
    );
    assert_eq!(run(&["--params", "pyradiomics-default"]), run(&[]));
}

/// `extract --help` names the profile that applies without `--params` and the study's own; `study
/// --help` promises the report.
#[test]
fn help_names_the_default_profile_and_the_report() {
    let help = |command: &str| {
        let out = radsurv().args([command, "--help"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let extract = help("extract");
    assert!(
        extract.contains("Without --params: `pyradiomics-default`") && extract.contains("`seed`"),
        "{extract}"
    );
    assert!(help("study").contains("report.html"));
}
