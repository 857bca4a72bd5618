//! Criterion benches of the penalised Cox path and its 10-fold CV:
//! `cargo bench -p radsurv-stats --bench coxnet`.
//! * `sim_n168_p107`: the shared simulation with R's fold ids (compare with
//!   `scripts/bench_coxnet_vs_glmnet.sh`, which times R's cv.glmnet on the same input);
//! * `n1000_p1000`: a seeded (ChaCha8) Gaussian design, 10 true effects of 0.5, exponential
//!   event and censoring times.
#![allow(clippy::unwrap_used, missing_docs)] // bench setup: a failure should panic with the cause

use criterion::{criterion_group, criterion_main, Criterion};
use radsurv_stats::coxnet::{coxnet, CoxnetOptions};
use radsurv_stats::cv::{cv_coxnet, CvOptions, Folds};
use radsurv_stats::{Design, SurvData};
use radsurv_testdata::{data_path, Table};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn simulation() -> (SurvData, Design, Vec<usize>) {
    let table = Table::read(&data_path("stats/data/sim_n168_p107.csv"));
    let years: Vec<f64> = table.f64_col("time").iter().map(|t| t / 365.25).collect();
    let surv = SurvData::new(&years, &table.f64_col("status"), "time", "status").unwrap();
    let names: Vec<String> = table.headers[2..].to_vec();
    let columns = names.iter().map(|n| table.f64_col(n)).collect();
    let folds = Table::read(&data_path("stats/expected/glmnet/sim_n168_p107_foldid.csv"))
        .f64_col("foldid")
        .iter()
        .map(|&f| f as usize)
        .collect();
    (surv, Design::new(names, columns).unwrap(), folds)
}

/// Standard normals by Box–Muller (keeps the bench on `rand` alone).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn generated(n: usize, p: usize) -> (SurvData, Design) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let columns: Vec<Vec<f64>> = (0..p)
        .map(|_| (0..n).map(|_| normal(&mut rng)).collect())
        .collect();
    let (mut time, mut status) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let eta: f64 = columns.iter().take(10).map(|c| 0.5 * c[i]).sum();
        let event = -rng.random_range(f64::EPSILON..1.0).ln() / eta.exp();
        let censor = -rng.random_range(f64::EPSILON..1.0).ln() / 0.5;
        time.push(event.min(censor));
        status.push(if event <= censor { 1.0 } else { 0.0 });
    }
    let names = (1..=p).map(|j| format!("x{j:04}")).collect();
    (
        SurvData::new(&time, &status, "time", "status").unwrap(),
        Design::new(names, columns).unwrap(),
    )
}

fn bench_case(c: &mut Criterion, name: &str, surv: &SurvData, design: &Design, folds: Folds) {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.bench_function("path", |b| {
        b.iter(|| coxnet(design, surv, &CoxnetOptions::default()).unwrap())
    });
    let opts = CvOptions {
        folds,
        ..Default::default()
    };
    group.bench_function("cv10", |b| {
        b.iter(|| cv_coxnet(design, surv, &opts).unwrap())
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let (surv, design, folds) = simulation();
    bench_case(c, "sim_n168_p107", &surv, &design, Folds::Fixed(folds));
    let (surv, design) = generated(1000, 1000);
    bench_case(
        c,
        "n1000_p1000",
        &surv,
        &design,
        Folds::Seeded { k: 10, seed: 1 },
    );
}

criterion_group!(coxnet_benches, benches);
criterion_main!(coxnet_benches);
