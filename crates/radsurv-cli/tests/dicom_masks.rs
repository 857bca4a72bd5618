//! RTSTRUCT and DICOM-SEG masks from the command line: every ROI in one command (single case and
//! manifest with a `roi` column), `radsurv mask`, and an unknown ROI exiting 2 with the list.
#![allow(clippy::unwrap_used)] // test helpers: a failure should panic with its message

use std::process::Command;

fn radsurv() -> Command {
    Command::new(env!("CARGO_BIN_EXE_radsurv"))
}

fn data(relative: &str) -> String {
    radsurv_testdata::data_path(relative).display().to_string()
}

/// A parameter file with two cheap features, to keep the debug-build test fast.
fn params(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("p.yaml");
    std::fs::write(
        &p,
        "featureClass:\n  firstorder: [Mean]\n  shape: [VoxelVolume]\n",
    )
    .unwrap();
    p
}

#[test]
fn all_rois_writes_one_row_per_segment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rois.csv");
    let run = radsurv()
        .args(["extract", "--image", &data("dicom/STS_019/ct"), "--mask"])
        .arg(data("dicom/STS_019/seg_two_segments.dcm"))
        .arg("--params")
        .arg(params(dir.path()))
        .args(["--all-rois", "--format", "csv", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("roi,label,"), "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[1].starts_with("GTV,1,") && lines[2].starts_with("GTV core,2,"),
        "{text}"
    );
}

#[test]
fn manifest_roi_column_and_all_rois() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.csv");
    std::fs::write(
        &manifest,
        format!(
            "case_id,image,mask,roi\nS19,{ct},{seg},GTV core\nS19b,{ct},{rt},\n",
            ct = data("dicom/STS_019/ct"),
            seg = data("dicom/STS_019/seg_two_segments.dcm"),
            rt = data("dicom/STS_019/rtstruct.dcm"),
        ),
    )
    .unwrap();
    let run = |all: bool, out: &std::path::Path| {
        let mut cmd = radsurv();
        cmd.args(["extract", "--manifest"])
            .arg(&manifest)
            .arg("--params")
            .arg(params(dir.path()))
            .arg("--out")
            .arg(out)
            .args(["--jobs", "1"]);
        if all {
            cmd.arg("--all-rois");
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out).unwrap()
    };
    let one = run(false, &dir.path().join("one.csv"));
    assert_eq!(one.lines().count(), 3, "{one}");
    let all = run(true, &dir.path().join("all.csv"));
    assert!(all.starts_with("case_id,roi,label,"), "{all}");
    let rows: Vec<&str> = all.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{all}");
    assert!(
        rows.iter().any(|r| r.starts_with("S19,GTV core,2,")),
        "{all}"
    );
    assert!(
        rows.iter().any(|r| r.starts_with("S19b,GTV_Mass_CT,1,")),
        "{all}"
    );
}

#[test]
fn mask_command_writes_the_rasterised_roi() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gtv.nrrd");
    let run = radsurv()
        .args(["mask", "--image", &data("dicom/STS_042/ct"), "--mask"])
        .arg(data("dicom/STS_042/rtstruct.dcm"))
        .args(["--roi", "GTV_Mass_CT", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = radsurv_image::read(&out).unwrap();
    let reference = radsurv_image::read(data("dicom/STS_042/reference_mask.nrrd")).unwrap();
    assert_eq!(written.data(), reference.data());
}

#[test]
fn unknown_roi_exits_2_listing_the_rois() {
    let run = radsurv()
        .args(["extract", "--image", &data("dicom/STS_019/ct"), "--mask"])
        .arg(data("dicom/STS_019/seg_two_segments.dcm"))
        .args(["--roi", "liver"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no segment named or numbered \"liver\"")
            && stderr.contains("1 \"GTV\", 2 \"GTV core\""),
        "{stderr}"
    );
    let run = radsurv()
        .args(["extract", "--image", &data("dicom/STS_019/ct"), "--mask"])
        .arg(data("dicom/STS_019/seg_two_segments.dcm"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("holds 2 segments, choose one"), "{stderr}");
}
