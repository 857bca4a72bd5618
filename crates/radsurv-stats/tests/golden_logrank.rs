//! Log-rank and Peto–Peto tests against R `survdiff` (`stats/expected/km/<ds>_logrank.json`),
//! within 1e-8 relative (the JSON carries 15 significant digits).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic names the failure

use radsurv_stats::logrank::{logrank, LogRankTest};
use radsurv_stats::DataTable;
use radsurv_testdata::{data_path, Tolerance};
use serde_json::Value;

const TOL: Tolerance = Tolerance {
    rel: 1e-8,
    abs: 1e-12,
};

fn check(ds: &str, what: &str, ours: &LogRankTest, expected: &Value) {
    let num = |v: &Value| v.as_f64().unwrap();
    let ctx = |c: &str| format!("{ds} {what} {c}");
    TOL.check(&ctx("chisq"), ours.chisq, num(&expected["chisq"]));
    assert_eq!(ours.df as f64, num(&expected["df"]), "{}", ctx("df"));
    TOL.check(&ctx("p"), ours.p, num(&expected["p"]));
    let groups: Vec<String> = expected["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .collect();
    let var_name = groups[0].split('=').next().unwrap();
    let ours_groups: Vec<String> = ours
        .groups
        .iter()
        .map(|g| format!("{var_name}={g}"))
        .collect();
    assert_eq!(ours_groups, groups, "{}", ctx("groups"));
    for g in 0..groups.len() {
        assert_eq!(ours.n[g] as f64, num(&expected["n"][g]), "{}", ctx("n"));
        TOL.check(
            &ctx("observed"),
            ours.observed[g],
            num(&expected["observed"][g]),
        );
        TOL.check(
            &ctx("expected"),
            ours.expected[g],
            num(&expected["expected"][g]),
        );
        for h in 0..groups.len() {
            TOL.check(&ctx("var"), ours.var[g][h], num(&expected["var"][g][h]));
        }
    }
}

#[test]
fn logrank_matches_survdiff() {
    for (ds, file) in [
        ("lung", "lung_cc.csv"),
        ("veteran", "veteran.csv"),
        ("pbc", "pbc_cc.csv"),
    ] {
        let table = DataTable::read_csv(&data_path(&format!("stats/data/{file}"))).unwrap();
        let surv = table.surv("time", "status").unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(data_path(&format!("stats/expected/km/{ds}_logrank.json")))
                .unwrap(),
        )
        .unwrap();
        let two = &expected["two_group"];
        let g2 = table.text(two["variable"].as_str().unwrap()).unwrap();
        check(
            ds,
            "logrank",
            &logrank(&surv, &g2, 0.0).unwrap(),
            &two["logrank"],
        );
        check(
            ds,
            "peto-peto",
            &logrank(&surv, &g2, 1.0).unwrap(),
            &two["peto_peto_rho1"],
        );
        let multi = &expected["multi_group"];
        let gm = table.text(multi["variable"].as_str().unwrap()).unwrap();
        check(
            ds,
            "multi-group logrank",
            &logrank(&surv, &gm, 0.0).unwrap(),
            &multi["logrank"],
        );
    }
}
