//! Time-dependent AUC against riskRegression `Score` (cases T ≤ t) and timeROC (cases T < t),
//! point and SE within 1e-6 relative (`stats/expected/tdauc/tdauc.csv`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic names the failure

use radsurv_stats::tdauc::{roc_curve, td_auc, CaseDefinition, TdAucOptions};
use radsurv_stats::DataTable;
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};

/// The marker column for each dataset, as the R script builds it.
fn marker(ds: &str, name: &str, table: &DataTable) -> Vec<f64> {
    match name {
        "cox_efron_lp" => Table::read(&data_path(&format!(
            "stats/expected/cox/{ds}_efron_pred.csv"
        )))
        .f64_col("lp"),
        "neg_karno" => table.numeric("karno").unwrap().iter().map(|v| -v).collect(),
        other => table.numeric(other).unwrap(),
    }
}

/// A reference value, confidence limits clipped to [0, 1] as radsurv clips them: riskRegression
/// clips its own, timeROC does not.
fn clipped_limit(column: &str, text: &str) -> f64 {
    let value = parse_f64(text);
    match column {
        "lower" | "upper" => value.clamp(0.0, 1.0),
        _ => value,
    }
}

#[test]
fn td_auc_matches_risk_regression_and_time_roc() {
    let tol = Tolerance::default();
    let expected = Table::read(&data_path("stats/expected/tdauc/tdauc.csv"));
    let mut compared = 0;
    for row in expected.records() {
        let ds = row["dataset"];
        let file = match ds {
            "lung" => "lung_cc.csv",
            "veteran" => "veteran.csv",
            "pbc" => "pbc_cc.csv",
            other => panic!("no input file known for {other}"),
        };
        let table = DataTable::read_csv(&data_path(&format!("stats/data/{file}"))).unwrap();
        let surv = table.surv("time", "status").unwrap();
        let m = marker(ds, row["marker"], &table);
        let t = parse_f64(row["time"]);
        for (cases, suffix) in [
            (CaseDefinition::AtOrBefore, "riskRegression"),
            (CaseDefinition::Before, "timeROC"),
        ] {
            let opts = TdAucOptions {
                cases,
                ..TdAucOptions::default()
            };
            let ours = td_auc(&surv, &m, &[t], &opts).unwrap()[0];
            let ctx = |c: &str| format!("{ds} {} t={t} {c}_{suffix}", row["marker"]);
            for (c, v) in [
                ("auc", ours.auc),
                ("se", ours.se),
                ("lower", ours.lower),
                ("upper", ours.upper),
            ] {
                tol.check(
                    &ctx(c),
                    v,
                    clipped_limit(c, row[format!("{c}_{suffix}").as_str()]),
                );
                compared += 1;
            }
            if cases == CaseDefinition::AtOrBefore {
                assert_eq!(
                    ours.n_cases as f64,
                    parse_f64(row["n_cases"]),
                    "{}",
                    ctx("n_cases")
                );
                assert_eq!(
                    ours.n_controls as f64,
                    parse_f64(row["n_controls"]),
                    "{}",
                    ctx("n_controls")
                );
                tol.check(&ctx("G_t"), ours.censoring_survival, parse_f64(row["G_t"]));
            }
        }
    }
    assert_eq!(compared, 20 * 8);
}

/// The ROC points' trapezoidal area is the AUC (ties in the marker give the ½ credit as a
/// diagonal segment), on every reference row.
#[test]
fn roc_curve_area_equals_td_auc() {
    let expected = Table::read(&data_path("stats/expected/tdauc/tdauc.csv"));
    for row in expected
        .records()
        .into_iter()
        .filter(|r| r["dataset"] == "lung")
    {
        let table = DataTable::read_csv(&data_path("stats/data/lung_cc.csv")).unwrap();
        let surv = table.surv("time", "status").unwrap();
        let m = marker("lung", row["marker"], &table);
        let t = parse_f64(row["time"]);
        let curve = roc_curve(&surv, &m, t, CaseDefinition::AtOrBefore).unwrap();
        let area: f64 = curve
            .fpr
            .windows(2)
            .zip(curve.tpr.windows(2))
            .map(|(f, p)| (f[1] - f[0]) * (p[1] + p[0]) / 2.0)
            .sum();
        let auc = td_auc(&surv, &m, &[t], &TdAucOptions::default()).unwrap()[0].auc;
        Tolerance::new(1e-12, 1e-12).check(&format!("lung t={t}"), area, auc);
        assert_eq!(
            (curve.fpr.last(), curve.tpr.last()),
            (Some(&1.0), Some(&1.0))
        );
    }
}
