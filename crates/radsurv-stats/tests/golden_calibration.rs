//! Calibration at a horizon against the R reference (`stats/expected/calibration/`): the grouped
//! predicted-vs-KM tables exactly (1e-9), and the deterministic columns of `rms::calibrate`
//! (interval KM and its SE); the bootstrap columns only statistically (different RNG).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic names the failure

use radsurv_stats::calibration::{bootstrap, grouped, BootstrapOptions};
use radsurv_stats::cox::CoxOptions;
use radsurv_stats::DataTable;
use radsurv_testdata::{data_path, Table, Tolerance};
use serde_json::Value;

const CASES: [(&str, &str, &str); 3] = [
    ("lung", "lung_cc.csv", "365"),
    ("veteran", "veteran.csv", "180"),
    ("pbc", "pbc_cc.csv", "1825"),
];

fn settings() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(data_path("stats/expected/calibration/README.json")).unwrap(),
    )
    .unwrap()
}

fn covariates(ds: &str) -> Vec<String> {
    let cox: Value = serde_json::from_str(
        &std::fs::read_to_string(data_path("stats/expected/cox/README.json")).unwrap(),
    )
    .unwrap();
    cox["datasets"][ds]["covariates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn grouped_calibration_matches_reference_tables() {
    let tol = Tolerance::new(1e-9, 1e-14);
    for (ds, file, u) in CASES {
        let s = &settings()["settings"][ds];
        let table = DataTable::read_csv(&data_path(&format!("stats/data/{file}"))).unwrap();
        let surv = table.surv("time", "status").unwrap();
        // The R script groups the survfit.coxph predictions stored beside the Cox references.
        let pred = Table::read(&data_path(&format!(
            "stats/expected/cox/{ds}_efron_pred.csv"
        )))
        .f64_col(&format!("surv_t{u}"));
        let groups = grouped(
            &surv,
            &pred,
            s["u"].as_f64().unwrap(),
            s["groups"].as_u64().unwrap() as usize,
        )
        .unwrap();
        let expected = Table::read(&data_path(&format!(
            "stats/expected/calibration/{ds}_grouped_u{u}.csv"
        )));
        assert_eq!(expected.rows.len(), groups.len());
        for (row, g) in expected.records().iter().zip(&groups) {
            let ctx = |c: &str| format!("{ds} group {} {c}", g.group);
            for (c, v) in [
                ("group", g.group as f64),
                ("n", g.n as f64),
                ("pred_min", g.pred_min),
                ("pred_max", g.pred_max),
                ("mean_pred_surv", g.mean_predicted),
                ("obs_km_surv", g.observed),
                ("obs_km_se", g.observed_se),
                ("obs_lower95_log", g.observed_lower),
                ("obs_upper95_log", g.observed_upper),
                ("n_risk_at_u", g.n_risk as f64),
                ("events_by_u", g.events as f64),
            ] {
                tol.check(&ctx(c), v, radsurv_testdata::parse_f64(row[c]));
            }
        }
    }
}

#[test]
fn bootstrap_calibration_apparent_columns_match_rms() {
    for (ds, file, u) in CASES {
        let s = &settings()["settings"][ds];
        let table = DataTable::read_csv(&data_path(&format!("stats/data/{file}"))).unwrap();
        let surv = table.surv("time", "status").unwrap();
        let covs = covariates(ds);
        let design = table
            .design(&covs.iter().map(String::as_str).collect::<Vec<_>>())
            .unwrap();
        let opts = BootstrapOptions {
            u: s["u"].as_f64().unwrap(),
            m: s["rms_m"].as_u64().unwrap() as usize,
            b: s["rms_B"].as_u64().unwrap() as usize,
            seed: 2024,
            cox: CoxOptions::default(),
        };
        let ours = bootstrap(&surv, &design, &opts).unwrap();
        let expected = Table::read(&data_path(&format!(
            "stats/expected/calibration/{ds}_rms_calibrate_KM_u{u}.csv"
        )));
        assert_eq!(expected.rows.len(), ours.len(), "{ds}: number of intervals");
        let col = |c: &str| expected.f64_col(c);
        for (k, o) in ours.iter().enumerate() {
            let ctx = |c: &str| format!("{ds} interval {} {c}", k + 1);
            Tolerance::new(1e-9, 1e-14).check(&ctx("KM"), o.km, col("KM")[k]);
            Tolerance::new(1e-9, 1e-14).check(&ctx("std.err"), o.std_err, col("std.err")[k]);
            // cph converges at eps = 1e-4 (coxph 1e-9): see calibration.rs "Known differences".
            Tolerance::new(1e-4, 1e-9).check(
                &ctx("mean.predicted"),
                o.mean_predicted,
                col("mean.predicted")[k],
            );
            Tolerance::new(1e-9, 1e-12).check(
                &ctx("index.orig"),
                o.index_orig,
                o.km - o.mean_predicted,
            );
            // Bootstrap columns: another RNG, so only the same order of magnitude is expected.
            let r_opt = col("mean.optimism")[k];
            assert!(
                (o.mean_optimism - r_opt).abs() < 0.05,
                "{}: optimism {} vs R {}",
                ctx("mean.optimism"),
                o.mean_optimism,
                r_opt
            );
        }
    }
}
