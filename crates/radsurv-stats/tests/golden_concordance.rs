//! Golden test: concordance against R `survival::concordance` (survival 3.5-3).
//! Reads `stats/expected/concordance/concordance_survival.csv` whole (lung, veteran, pbc; every
//! time weight); gbsg rows are skipped because its data file is not in the shared set.

use radsurv_stats::concordance::{concordance, ConcordanceOptions, TimeWeight};
use radsurv_stats::SurvData;
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};

fn data_file(dataset: &str) -> &'static str {
    match dataset {
        "lung" => "stats/data/lung_cc.csv",
        "veteran" => "stats/data/veteran.csv",
        "pbc" => "stats/data/pbc_cc.csv",
        other => panic!("no data file for {other}"),
    }
}

fn marker(dataset: &str, name: &str, data: &Table) -> Vec<f64> {
    match name {
        "cox_efron_lp" => Table::read(&data_path(&format!(
            "stats/expected/cox/{dataset}_efron_pred.csv"
        )))
        .f64_col("lp"),
        "neg_karno" => data.f64_col("karno").iter().map(|v| -v).collect(),
        col => data.f64_col(col),
    }
}

#[test]
fn concordance_matches_survival_package() {
    let expected = Table::read(&data_path(
        "stats/expected/concordance/concordance_survival.csv",
    ));
    let tol = Tolerance::default();
    let mut compared = 0;
    for row in expected.records() {
        let ds = row["dataset"];
        if ds == "gbsg" {
            continue;
        }
        let table = Table::read(&data_path(data_file(ds)));
        let surv = SurvData::new(
            &table.f64_col("time"),
            &table.f64_col("status"),
            "time",
            "status",
        )
        .unwrap();
        let risk = marker(ds, row["marker"], &table);
        let timewt = match row["timewt"] {
            "n" => TimeWeight::N,
            "S" => TimeWeight::S,
            "S/G" => TimeWeight::SOverG,
            "n/G2" => TimeWeight::NOverG2,
            w => panic!("unknown timewt {w}"),
        };
        let ymax = parse_f64(row["ymax"]);
        let opts = ConcordanceOptions {
            timewt,
            ymin: None,
            ymax: ymax.is_finite().then_some(ymax),
        };
        let fit = concordance(&surv, &risk, &opts).unwrap();
        let ctx = format!("{ds} {} {}", row["marker"], row["timewt"]);
        for (name, ours) in [
            ("c", fit.c),
            ("se", fit.se),
            ("lower95", fit.lower),
            ("upper95", fit.upper),
            ("concordant", fit.concordant),
            ("discordant", fit.discordant),
            ("tied_x", fit.tied_x),
            ("tied_y", fit.tied_y),
            ("tied_xy", fit.tied_xy),
        ] {
            tol.check(&format!("{ctx} {name}"), ours, parse_f64(row[name]));
            compared += 1;
        }
    }
    assert_eq!(compared, 24 * 9, "every lung/veteran/pbc row compared");
}
