//! Points nomogram of the lung Cox model against `rms::nomogram`
//! (`stats/expected/nomogram/`). rms fits with `cph` (eps 1e-4), we with coxph's rule, so values
//! agree to the coefficients' difference (1e-6 relative here).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic names the failure

use radsurv_stats::cox::{self, CoxOptions};
use radsurv_stats::nomogram::{nomogram, NomogramOptions};
use radsurv_stats::DataTable;
use radsurv_testdata::{data_path, Table, Tolerance};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn lung_nomogram_matches_rms() {
    let tol = Tolerance::new(1e-6, 1e-9);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(data_path("stats/expected/nomogram/lung_nomogram.json")).unwrap(),
    )
    .unwrap();
    let table = DataTable::read_csv(&data_path("stats/data/lung_cc.csv")).unwrap();
    let surv = table.surv("time", "status").unwrap();
    let covs = ["age", "sex", "ph_ecog", "ph_karno", "wt_loss"];
    let design = table.design(&covs).unwrap();
    let fit = cox::fit(&surv, &design, &CoxOptions::default()).unwrap();
    let opts = NomogramOptions {
        survival_times: vec![365.0, 730.0],
        ..NomogramOptions::default()
    };
    let nom = nomogram(&fit, &design, &opts).unwrap();

    tol.check("sc", nom.scale, expected["sc"].as_f64().unwrap());
    tol.check(
        "Intercept",
        nom.intercept,
        expected["Intercept"].as_f64().unwrap(),
    );
    for axis in &nom.covariates {
        let e = &expected["variables"][axis.name.as_str()];
        assert_eq!(
            axis.values,
            floats(&e["values"]),
            "{} axis values",
            axis.name
        );
        for (k, (p, q)) in axis.points.iter().zip(floats(&e["points"])).enumerate() {
            tol.check(&format!("{} points[{k}]", axis.name), *p, q);
        }
        for (k, (p, q)) in axis.xbeta.iter().zip(floats(&e["xbeta"])).enumerate() {
            tol.check(&format!("{} xbeta[{k}]", axis.name), *p, q);
        }
    }
    assert_eq!(
        nom.total_points_axis,
        floats(&expected["total_points_axis"])
    );
    let lp_values = floats(&expected["lp_axis"]["lp"]);
    assert_eq!(nom.lp_axis.values.len(), lp_values.len());
    for (k, (ours, theirs)) in nom
        .lp_axis
        .points
        .iter()
        .zip(floats(&expected["lp_axis"]["points"]))
        .enumerate()
    {
        tol.check(&format!("lp axis[{k}]"), *ours, theirs);
        tol.check(
            &format!("lp value[{k}]"),
            nom.lp_axis.values[k],
            lp_values[k],
        );
    }
    for (t, axis) in &nom.survival_axes {
        let e = &expected[format!("surv_{t}_axis").as_str()];
        let (values, points) = (floats(&e["surv"]), floats(&e["points"]));
        assert_eq!(
            axis.values.len(),
            values.len(),
            "surv {t} ticks {:?}",
            axis.values
        );
        for k in 0..values.len() {
            tol.check(&format!("surv {t} tick[{k}]"), axis.values[k], values[k]);
            tol.check(&format!("surv {t} points[{k}]"), axis.points[k], points[k]);
        }
    }

    let profiles = Table::read(&data_path(
        "stats/expected/nomogram/lung_nomogram_profiles.csv",
    ));
    for row in profiles.records() {
        let x: Vec<f64> = covs.iter().map(|c| row[c].parse().unwrap()).collect();
        let total = nom.total_points(&fit, &x);
        let ctx = |c: &str| format!("profile row {} {c}", row["row"]);
        tol.check(
            &ctx("total_points"),
            total,
            row["total_points"].parse().unwrap(),
        );
        tol.check(
            &ctx("lp_rms_centred"),
            nom.linear_predictor(total),
            row["lp_rms_centred"].parse().unwrap(),
        );
        let s = fit.predict_survival(&x, &[365.0, 730.0]);
        tol.check(
            &ctx("surv365_rms"),
            s[0],
            row["surv365_rms"].parse().unwrap(),
        );
        tol.check(
            &ctx("surv730_rms"),
            s[1],
            row["surv730_rms"].parse().unwrap(),
        );
        tol.check(
            &ctx("surv365_survfit_coxph"),
            s[0],
            row["surv365_survfit_coxph"].parse().unwrap(),
        );
        tol.check(
            &ctx("surv730_survfit_coxph"),
            s[1],
            row["surv730_survfit_coxph"].parse().unwrap(),
        );
    }
}
