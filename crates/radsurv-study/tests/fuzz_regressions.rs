//! Every input a fuzz target crashed on (`fuzz/regressions/<target>/`, copied there by
//! `scripts/fuzz.sh`) is replayed through the same parser: it may be an error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: panics report failures

use std::path::{Path, PathBuf};

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions")
}

/// Writes `data` as `name` in a fresh folder and returns the folder (kept alive) and the path.
fn as_file(name: &str, data: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, data).unwrap();
    (dir, path)
}

/// The parse a fuzz target runs, by target name (as in `fuzz/fuzz_targets/`).
fn replay(target: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match target {
        "nrrd" => {
            let (_dir, path) = as_file("x.nrrd", data);
            let _ = radsurv_image::nrrd::read(&path);
            let _ = radsurv_image::seg_nrrd::list_segments(&path);
        }
        "nifti" => {
            let (_dir, path) = as_file("x.nii", data);
            let _ = radsurv_image::nifti::read(&path);
        }
        "dicom" => {
            let (dir, _path) = as_file("series/slice.dcm", data);
            let _ = radsurv_image::dicom::read_series(dir.path().join("series"), None);
        }
        "rtstruct" => {
            if let Ok(set) = radsurv_image::rtstruct::parse(data, Path::new("rtstruct.dcm")) {
                for roi in &set.rois {
                    let _ = set.rasterise(roi, &coarse_ct_grid());
                }
            }
        }
        "seg" => {
            if let Ok(seg) = radsurv_image::dicom_seg::parse(data, Path::new("seg.dcm")) {
                for segment in &seg.segments {
                    let _ = seg.mask(segment.number, ct_grid());
                }
            }
        }
        "params_yaml" => {
            let _ = radsurv_features::Settings::from_yaml_str(&text, "fuzz.yaml");
        }
        "manifest_csv" => {
            let (_dir, path) = as_file("manifest.csv", data);
            let _ = radsurv_study::manifest::read_manifest(&path);
        }
        "clinical_csv" => {
            let (dir, _path) = as_file("clinical.csv", data);
            let config =
                radsurv_study::StudyConfig::from_yaml(CLINICAL_CONFIG, dir.path()).unwrap();
            let _ = radsurv_study::cohort::Cohort::load(&config);
        }
        "stats_csv" => {
            let _ = radsurv_stats::DataTable::from_reader(data, "fuzz.csv");
        }
        "study_config" => {
            if let Ok(config) = radsurv_study::StudyConfig::from_yaml(&text, Path::new(".")) {
                let _ = config.validate();
            }
        }
        "model_json" => {
            let (_dir, path) = as_file("model.json", data);
            let _ = radsurv_study::ModelFile::read(&path);
        }
        other => panic!("fuzz/regressions/{other}: no such fuzz target"),
    }
}

/// The grid of the CT series the RTSTRUCT and SEG fuzz seeds were drawn on (as `fuzz/src/lib.rs`).
fn ct_grid() -> &'static radsurv_image::Geometry {
    static GRID: std::sync::OnceLock<radsurv_image::Geometry> = std::sync::OnceLock::new();
    GRID.get_or_init(|| {
        let series = radsurv_testdata::data_path("dicom/STS_019/ct");
        radsurv_image::dicom::read_series(series, None)
            .expect("the test CT series")
            .geometry()
            .clone()
    })
}

/// [`ct_grid`] with rows and columns a quarter as fine, as the RTSTRUCT fuzz target uses it.
fn coarse_ct_grid() -> radsurv_image::Geometry {
    let mut grid = ct_grid().clone();
    for axis in 0..2 {
        grid.size[axis] = grid.size[axis].div_ceil(4);
        grid.spacing[axis] *= 4.0;
    }
    grid
}

/// The fuzz targets' config whose clinical table is the fuzzed file.
const CLINICAL_CONFIG: &str = include_str!("../../../fuzz/clinical_config.yaml");

#[test]
fn every_fuzz_crash_input_is_an_error_not_a_panic() {
    let Ok(targets) = std::fs::read_dir(regressions()) else {
        return;
    };
    for target in targets.map(|t| t.unwrap().path()).filter(|t| t.is_dir()) {
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for input in std::fs::read_dir(&target).unwrap() {
            let input = input.unwrap().path();
            let data = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| replay(&name, &data));
            assert!(outcome.is_ok(), "{} panicked", input.display());
        }
    }
}
