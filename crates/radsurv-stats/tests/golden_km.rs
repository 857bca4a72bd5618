//! Kaplan–Meier tables, medians/quartiles and survival at fixed times against R survival 3.5-3
//! (`stats/expected/km/`). KM tables within 1e-9 relative.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic names the failure

use radsurv_stats::km::{kaplan_meier, kaplan_meier_by_group, ConfType, KmCurve, KmOptions};
use radsurv_stats::{DataTable, SurvData};
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};

const DATASETS: [(&str, &str, &str); 3] = [
    ("lung", "lung_cc.csv", "sex"),
    ("veteran", "veteran.csv", "trt"),
    ("pbc", "pbc_cc.csv", "trt"),
];

const TOL: Tolerance = Tolerance {
    rel: 1e-9,
    abs: 1e-14,
};

fn load(file: &str) -> (DataTable, SurvData) {
    let table = DataTable::read_csv(&data_path(&format!("stats/data/{file}"))).unwrap();
    let surv = table.surv("time", "status").unwrap();
    (table, surv)
}

/// Curves labelled as R's strata: "all", then "<group>=<value>".
fn curves(
    table: &DataTable,
    surv: &SurvData,
    group: &str,
    conf_type: ConfType,
) -> Vec<(String, KmCurve)> {
    let opts = KmOptions {
        conf_type,
        ..KmOptions::default()
    };
    let mut out = vec![("all".to_string(), kaplan_meier(surv, &opts))];
    out.extend(kaplan_meier_by_group(
        surv,
        &table.text(group).unwrap(),
        group,
        &opts,
    ));
    out
}

fn rows_of<'a>(
    expected: &'a Table,
    strata: &str,
) -> Vec<std::collections::HashMap<&'a str, &'a str>> {
    expected
        .records()
        .into_iter()
        .filter(|r| r["strata"] == strata)
        .collect()
}

#[test]
fn km_tables_match_survfit() {
    let mut compared = 0;
    for (ds, file, group) in DATASETS {
        let (table, surv) = load(file);
        let expected = Table::read(&data_path(&format!("stats/expected/km/{ds}_km_table.csv")));
        let by_type: Vec<Vec<(String, KmCurve)>> =
            [ConfType::Log, ConfType::LogLog, ConfType::Plain]
                .into_iter()
                .map(|ct| curves(&table, &surv, group, ct))
                .collect();
        for (k, (strata, curve)) in by_type[0].iter().enumerate() {
            let rows = rows_of(&expected, strata);
            assert_eq!(
                rows.len(),
                curve.steps().len(),
                "{ds} {strata}: number of rows"
            );
            for (i, (row, step)) in rows.iter().zip(curve.steps()).enumerate() {
                let ctx = |c: &str| format!("{ds} {strata} row {i} {c}");
                let mut check = |c: &str, ours: f64| {
                    TOL.check(&ctx(c), ours, parse_f64(row[c]));
                    compared += 1;
                };
                check("time", step.time);
                check("n_risk", step.n_risk as f64);
                check("n_event", step.n_event as f64);
                check("n_censor", step.n_censor as f64);
                check("surv", step.surv);
                check("std_err_surv", step.std_err_surv());
                check("std_err_cumhaz", step.std_err);
                check("lower_log", step.lower);
                check("upper_log", step.upper);
                let ll = by_type[1][k].1.steps()[i];
                check("lower_loglog", ll.lower);
                check("upper_loglog", ll.upper);
                let pl = by_type[2][k].1.steps()[i];
                check("lower_plain", pl.lower);
                check("upper_plain", pl.upper);
                check("cumhaz_na", step.cumhaz);
                check("std_chaz", step.std_chaz);
            }
        }
    }
    assert!(compared > 10_000, "only {compared} values compared");
}

#[test]
fn medians_quartiles_and_rmean_match_print_survfit() {
    for (ds, file, group) in DATASETS {
        let (table, surv) = load(file);
        let expected = Table::read(&data_path(&format!("stats/expected/km/{ds}_median.csv")));
        for (ct, name) in [
            (ConfType::Log, "log"),
            (ConfType::LogLog, "log-log"),
            (ConfType::Plain, "plain"),
        ] {
            let curves = curves(&table, &surv, group, ct);
            // survfit.rmean = "common": restricted to the largest time over the strata.
            let tau_groups = curves[1..]
                .iter()
                .map(|(_, c)| c.max_time())
                .fold(0.0, f64::max);
            for (strata, curve) in &curves {
                let row = expected
                    .records()
                    .into_iter()
                    .find(|r| r["strata"] == strata && r["conf_type"] == name)
                    .unwrap_or_else(|| panic!("{ds}: no row {strata} {name}"));
                let ctx = |c: &str| format!("{ds} {strata} {name} {c}");
                let check = |c: &str, ours: f64| TOL.check(&ctx(c), ours, parse_f64(row[c]));
                let tau = if strata == "all" {
                    curve.max_time()
                } else {
                    tau_groups
                };
                let rm = curve.restricted_mean(tau);
                check("n", curve.n() as f64);
                check("events", curve.events() as f64);
                check("rmean", rm.rmean);
                check("se_rmean", rm.se);
                let med = curve.median();
                check("median", med.estimate);
                check("median_lcl95", med.lower);
                check("median_ucl95", med.upper);
                for (p, c) in [(0.25, "q25"), (0.75, "q75")] {
                    let q = curve.quantile(p);
                    check(c, q.estimate);
                    check(&format!("{c}_lcl"), q.lower);
                    check(&format!("{c}_ucl"), q.upper);
                }
                let q50 = curve.quantile(0.5);
                TOL.check(&ctx("quantile(0.5) = median"), q50.estimate, med.estimate);
            }
        }
    }
}

#[test]
fn survival_at_times_matches_summary_survfit() {
    let groups_json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data_path("stats/expected/km/README.json")).unwrap(),
    )
    .unwrap();
    for (ds, file, group) in DATASETS {
        let (table, surv) = load(file);
        let spec = groups_json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["dataset"] == ds)
            .unwrap();
        let times: Vec<f64> = spec["km_times"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let expected = Table::read(&data_path(&format!(
            "stats/expected/km/{ds}_surv_at_times.csv"
        )));
        for (strata, curve) in curves(&table, &surv, group, ConfType::Log) {
            let rows = rows_of(&expected, &strata);
            let ours = curve.at_times(&times);
            assert_eq!(rows.len(), ours.len(), "{ds} {strata}");
            for (row, at) in rows.iter().zip(&ours) {
                let ctx = |c: &str| format!("{ds} {strata} t={} {c}", at.time);
                let check = |c: &str, v: f64| TOL.check(&ctx(c), v, parse_f64(row[c]));
                check("time", at.time);
                check("n_risk", at.n_risk as f64);
                check("n_event_cum_since_prev", at.n_event as f64);
                check("surv", at.surv);
                check("std_err_surv", at.std_err_surv);
                check("lower_log", at.lower);
                check("upper_log", at.upper);
            }
        }
    }
}
