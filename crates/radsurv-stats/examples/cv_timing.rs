//! Times `coxnet` (one path) and `cv_coxnet` (K-fold, deviance) on a CSV with columns
//! `time,status,<covariates...>` (time in days, converted to years as the golden tests do).
//!
//! Usage: `cv_timing <data.csv> [foldid.csv (row,foldid)] [repetitions]`; prints
//! `path_seconds=<best> cv_seconds=<best> lambda_min=<..> lambda_1se=<..>`.
//! Used by `scripts/bench_coxnet_vs_glmnet.sh`.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test/bench support: a panic names the failure

use std::time::Instant;

use radsurv_stats::coxnet::{coxnet, CoxnetOptions};
use radsurv_stats::cv::{cv_coxnet, CvOptions, Folds};
use radsurv_stats::{Design, SurvData};

type BoxError = Box<dyn std::error::Error>;

fn read_columns(path: &str) -> Result<(Vec<String>, Vec<Vec<f64>>), BoxError> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers: Vec<String> = reader.headers()?.iter().map(String::from).collect();
    let mut columns = vec![Vec::new(); headers.len()];
    for record in reader.records() {
        for (c, v) in columns.iter_mut().zip(record?.iter()) {
            c.push(v.trim().parse::<f64>()?);
        }
    }
    Ok((headers, columns))
}

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    let data_file = args
        .get(1)
        .ok_or("usage: cv_timing <data.csv> [foldid.csv] [reps]")?;
    let (headers, columns) = read_columns(data_file)?;
    let years: Vec<f64> = columns[0].iter().map(|t| t / 365.25).collect();
    let surv = SurvData::new(&years, &columns[1], "time", "status")?;
    let design = Design::new(headers[2..].to_vec(), columns[2..].to_vec())?;
    let folds = match args.get(2).filter(|f| !f.is_empty()) {
        Some(f) => Folds::Fixed(read_columns(f)?.1[1].iter().map(|&v| v as usize).collect()),
        None => Folds::Seeded { k: 10, seed: 1 },
    };
    let reps: usize = args.get(3).map_or(Ok(3), |r| r.parse())?;
    let mut best_path = f64::INFINITY;
    let mut best_cv = f64::INFINITY;
    let mut last = None;
    for _ in 0..reps {
        let start = Instant::now();
        coxnet(&design, &surv, &CoxnetOptions::default())?;
        best_path = best_path.min(start.elapsed().as_secs_f64());
        let opts = CvOptions {
            folds: folds.clone(),
            ..Default::default()
        };
        let start = Instant::now();
        let cv = cv_coxnet(&design, &surv, &opts)?;
        best_cv = best_cv.min(start.elapsed().as_secs_f64());
        last = Some(cv);
    }
    let cv = last.ok_or("no repetitions")?;
    println!(
        "path_seconds={best_path:.6} cv_seconds={best_cv:.6} lambda_min={} lambda_1se={} nlambda={}",
        cv.lambda_min,
        cv.lambda_1se,
        cv.lambda.len()
    );
    Ok(())
}
