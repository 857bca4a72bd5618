//! Writing the study folder: `results.json`, `model.json`, `features.csv` (both readers),
//! `tables/*.csv`, `decisions.log` and the `config.yaml` that reproduces the run.

use crate::batch::CaseFeatures;
use crate::config::StudyConfig;
use crate::decisions::Decisions;
use crate::error::{Result, StudyError};
use crate::feature_table::{self, KeyColumns, RowKey};
use crate::files::{spreadsheet_safe, write_atomically};
use crate::model_file::ModelFile;
use crate::results::{CoxRow, GroupComparison, StudyResults};
use std::path::{Path, PathBuf};

/// Checks that results may be written into `out_dir` before anything is: it must not be the
/// folder of one of `inputs` (its outputs, such as `config.yaml` or `features.csv`, would
/// replace a same-named input), and an existing folder that holds files is written into only
/// when `overwrite` is set (a previous run's files are replaced).
///
/// # Errors
/// [`StudyError::UnsafeOutput`] naming the folder and the input or the overwrite option.
pub fn check_output_folder(out_dir: &Path, inputs: &[PathBuf], overwrite: bool) -> Result<()> {
    let refuse = |reason: String| StudyError::UnsafeOutput {
        path: out_dir.to_path_buf(),
        reason,
    };
    let Ok(out) = out_dir.canonicalize() else {
        return Ok(()); // not there yet: it holds nothing
    };
    for input in inputs {
        let folder = input
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        if folder.as_deref() == Some(out.as_path()) {
            return Err(refuse(format!(
                "holds the input {}; write results into another folder so no input is replaced",
                input.display()
            )));
        }
    }
    let holds_files = std::fs::read_dir(&out)
        .map_err(|e| StudyError::io(out_dir, e))?
        .next()
        .is_some();
    if holds_files && !overwrite {
        return Err(refuse(
            "is not empty; allow replacing the files in it (--force; force=True in Python), or \
             choose a new folder"
                .into(),
        ));
    }
    Ok(())
}

/// [`check_output_folder`] for the study of the config file at `config_path`: its inputs are
/// that file and the files it names.
///
/// # Errors
/// As [`check_output_folder`].
pub fn check_study_output(
    config: &StudyConfig,
    config_path: &Path,
    out_dir: &Path,
    overwrite: bool,
) -> Result<()> {
    let mut inputs = config.input_files();
    inputs.push(config_path.to_path_buf());
    check_output_folder(out_dir, &inputs, overwrite)
}

/// The path of a study folder's model file.
pub fn model_path(out_dir: &Path) -> PathBuf {
    out_dir.join("model.json")
}

/// Writes every output file into `out_dir` (which exists).
///
/// # Errors
/// [`StudyError::Io`] or [`StudyError::Json`] naming the file.
pub fn write_all(
    out_dir: &Path,
    config: &StudyConfig,
    results: &StudyResults,
    model: &ModelFile,
    features: &[CaseFeatures],
    names: &[String],
    log: &Decisions,
) -> Result<()> {
    let results_path = out_dir.join("results.json");
    let json = serde_json::to_string_pretty(results).map_err(|source| StudyError::Json {
        path: results_path.clone(),
        source,
    })?;
    write(&results_path, &json)?;
    model.write(&model_path(out_dir))?;
    write(&out_dir.join("decisions.log"), &log.to_text())?;
    write(&out_dir.join("config.yaml"), &config.to_yaml()?)?;
    let features_csv = out_dir.join("features.csv");
    write_features(&features_csv, features, names)?;
    write(
        &crate::batch::params_file_beside(&features_csv),
        &results.extraction.params_yaml,
    )?;
    let tables = out_dir.join("tables");
    std::fs::create_dir_all(&tables).map_err(|e| StudyError::io(&tables, e))?;
    write_tables(&tables, results)
}

fn write(path: &Path, text: &str) -> Result<()> {
    write_atomically(path, text.as_bytes())
}

fn csv_error(path: &Path) -> impl Fn(csv::Error) -> StudyError + '_ {
    move |e| StudyError::Csv {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes rows (first row = header) as CSV, every text cell [`spreadsheet_safe`], atomically.
fn write_csv(path: &Path, rows: Vec<Vec<String>>) -> Result<()> {
    let safe = rows
        .into_iter()
        .map(|row| row.iter().map(|cell| spreadsheet_safe(cell)).collect())
        .collect();
    write_records(path, safe)
}

/// Writes rows whose cells are already as they should appear as CSV, atomically.
fn write_records(path: &Path, rows: Vec<Vec<String>>) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row).map_err(csv_error(path))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| StudyError::io(path, e.into_error()))?;
    write_atomically(path, &bytes)
}

/// `features.csv`: the [`feature_table`](crate::feature_table) layout with a `reader` column,
/// rows sorted by case and reader; a value the extractor could not compute is written `NaN`, as
/// `radsurv extract --manifest` writes it.
fn write_features(path: &Path, features: &[CaseFeatures], names: &[String]) -> Result<()> {
    let mut sorted: Vec<&CaseFeatures> = features.iter().collect();
    sorted.sort_by(|a, b| (&a.case_id, &a.reader).cmp(&(&b.case_id, &b.reader)));
    let columns = KeyColumns {
        reader: true,
        region: false,
    };
    let mut rows = vec![feature_table::header(names.to_vec(), columns)];
    rows.extend(sorted.into_iter().map(|f| {
        let key = RowKey {
            case_id: &f.case_id,
            reader: Some(&f.reader),
            region: None,
        };
        let values = f.values.iter().map(|v| v.unwrap_or(f64::NAN));
        feature_table::fields(&key, columns, values)
    }));
    write_records(path, rows)
}

fn num(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), num)
}

fn header(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

fn cox_table(rows: &[CoxRow]) -> Vec<Vec<String>> {
    let mut out = vec![header(&[
        "name", "label", "coef", "se", "hr", "hr_lower", "hr_upper", "z", "p",
    ])];
    out.extend(rows.iter().map(|r| {
        vec![
            r.name.clone(),
            r.label.clone(),
            num(r.estimate.coef),
            num(r.estimate.se),
            num(r.estimate.hr),
            num(r.estimate.hr_lower),
            num(r.estimate.hr_upper),
            num(r.estimate.z),
            num(r.estimate.p),
        ]
    }));
    out
}

fn group_rows(out: &mut Vec<Vec<String>>, prefix: &[String], g: &GroupComparison) {
    let p = g.logrank.map_or(String::new(), |l| num(l.p));
    for s in &g.groups {
        let mut row = prefix.to_vec();
        row.extend([
            s.label.clone(),
            s.n.to_string(),
            s.events.to_string(),
            opt(s.median.value),
            opt(s.median.lower),
            opt(s.median.upper),
            p.clone(),
        ]);
        out.push(row);
    }
}

fn write_tables(dir: &Path, r: &StudyResults) -> Result<()> {
    let mut t1 = vec![header(&[
        "variable",
        "level",
        "overall",
        "training",
        "validation",
        "test",
        "statistic",
        "p",
    ])];
    t1.extend(r.table1.iter().map(|row| {
        vec![
            row.variable.clone(),
            row.level.clone().unwrap_or_default(),
            row.overall.clone(),
            row.training.clone(),
            row.validation.clone(),
            row.test.clone().unwrap_or_default(),
            opt(row.statistic),
            opt(row.p),
        ]
    }));
    write_csv(&dir.join("table1.csv"), t1)?;
    write_csv(&dir.join("univariable.csv"), cox_table(&r.univariable))?;
    write_csv(&dir.join("multivariable.csv"), cox_table(&r.multivariable))?;
    write_csv(
        &dir.join("combined_model.csv"),
        cox_table(&r.models.combined.coefficients),
    )?;

    let mut perf = vec![header(&[
        "model", "cohort", "measure", "horizon", "value", "lower", "upper",
    ])];
    let mut groups = vec![header(&[
        "model",
        "cohort",
        "group",
        "n",
        "events",
        "median_os",
        "median_lower",
        "median_upper",
        "logrank_p",
    ])];
    for (key, m) in r.models.iter() {
        for (cohort, c, aucs, rg) in [
            (
                "training",
                &m.c_index.training,
                &m.td_auc.training,
                &m.risk_groups.training,
            ),
            (
                "validation",
                &m.c_index.validation,
                &m.td_auc.validation,
                &m.risk_groups.validation,
            ),
        ] {
            perf.push(vec![
                key.into(),
                cohort.into(),
                "c_index".into(),
                String::new(),
                num(c.value),
                num(c.lower),
                num(c.upper),
            ]);
            for (h, a) in aucs {
                perf.push(vec![
                    key.into(),
                    cohort.into(),
                    "td_auc".into(),
                    h.clone(),
                    num(a.auc),
                    opt(a.lower),
                    opt(a.upper),
                ]);
            }
            group_rows(&mut groups, &[key.to_string(), cohort.to_string()], rg);
        }
    }
    write_csv(&dir.join("performance.csv"), perf)?;
    write_csv(&dir.join("risk_groups.csv"), groups)?;

    let mut sub = vec![header(&[
        "variable",
        "level",
        "cohort",
        "group",
        "n",
        "events",
        "median_os",
        "median_lower",
        "median_upper",
        "logrank_p",
    ])];
    for s in &r.subgroups {
        let cohort = serde_json::to_value(s.cohort)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        group_rows(
            &mut sub,
            &[s.variable.clone(), s.level.clone(), cohort],
            &s.comparison,
        );
    }
    write_csv(&dir.join("subgroups.csv"), sub)?;

    let mut cmp = vec![header(&[
        "cohort",
        "model_a",
        "model_b",
        "difference",
        "lower",
        "upper",
        "p",
    ])];
    for c in &r.c_comparisons {
        let name = |v: serde_json::Result<serde_json::Value>| {
            v.ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        cmp.push(vec![
            name(serde_json::to_value(c.cohort)),
            name(serde_json::to_value(c.model_a)),
            name(serde_json::to_value(c.model_b)),
            num(c.difference),
            num(c.lower),
            num(c.upper),
            num(c.p),
        ]);
    }
    write_csv(&dir.join("c_comparisons.csv"), cmp)?;

    let keys: Vec<String> = r
        .patients
        .first()
        .map(|p| p.survival.keys().cloned().collect())
        .unwrap_or_default();
    let mut pred = vec![header(&[
        "id",
        "cohort",
        "time",
        "event",
        "rad_score",
        "clinical_lp",
        "radiomics_lp",
        "combined_lp",
        "six_and_twelve",
        "risk_group",
    ])];
    pred[0].extend(keys.iter().map(|k| format!("surv_{k}")));
    for p in &r.patients {
        let cohort = serde_json::to_value(p.cohort)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut row = vec![
            p.id.clone(),
            cohort,
            num(p.time),
            u8::from(p.event).to_string(),
            num(p.rad_score),
            num(p.clinical_lp),
            num(p.radiomics_lp),
            num(p.combined_lp),
            num(p.six_and_twelve),
            p.risk_group.clone(),
        ];
        row.extend(
            keys.iter()
                .map(|k| p.survival.get(k).map_or(String::new(), |v| num(*v))),
        );
        pred.push(row);
    }
    write_csv(&dir.join("predictions.csv"), pred)?;

    let mut icc = vec![header(&["feature", "icc", "lower", "upper", "kept"])];
    icc.extend(r.selection.icc.iter().map(|i| {
        vec![
            i.feature.clone(),
            opt(i.icc),
            opt(i.lower),
            opt(i.upper),
            i.kept.to_string(),
        ]
    }));
    write_csv(&dir.join("icc.csv"), icc)?;

    let mut sel = vec![header(&["name", "coefficient", "mean", "sd"])];
    sel.extend(
        r.selected_features
            .iter()
            .map(|f| vec![f.name.clone(), num(f.coefficient), num(f.mean), num(f.sd)]),
    );
    write_csv(&dir.join("selected_features.csv"), sel)?;

    let mut cv = vec![header(&["lambda", "cvm", "cvsd", "nzero"])];
    let l = &r.lasso;
    cv.extend((0..l.lambda.len()).map(|k| {
        vec![
            num(l.lambda[k]),
            l.cvm.get(k).map_or(String::new(), |v| num(*v)),
            l.cvsd.get(k).map_or(String::new(), |v| num(*v)),
            l.nzero.get(k).map_or(String::new(), |v| v.to_string()),
        ]
    }));
    write_csv(&dir.join("lasso_cv.csv"), cv)
}
