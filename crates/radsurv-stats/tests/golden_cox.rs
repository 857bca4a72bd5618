//! Cox models against R survival 3.5-3 `coxph` (`stats/expected/cox/`): coefficients, SE and
//! p-values within 1e-6 relative; log-likelihoods, tests, concordance, means, vcov, univariable
//! fits, `basehaz(centered = FALSE)` and `survfit(fit, newdata)` predictions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a panic names the failure

use radsurv_stats::cox::{self, CoxFit, CoxOptions, Ties};
use radsurv_stats::{DataTable, Design, SurvData};
use radsurv_testdata::{data_path, parse_f64, Table, Tolerance};
use serde_json::Value;

const DATASETS: [&str; 3] = ["lung", "veteran", "pbc"];

fn readme() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(data_path("stats/expected/cox/README.json")).unwrap(),
    )
    .unwrap()
}

struct Case {
    surv: SurvData,
    design: Design,
    pred_times: Vec<f64>,
}

fn case(ds: &str) -> Case {
    let spec = &readme()["datasets"][ds];
    let table = DataTable::read_csv(&data_path(&format!(
        "stats/data/{}",
        spec["file"].as_str().unwrap()
    )))
    .unwrap();
    let covs: Vec<&str> = spec["covariates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    Case {
        surv: table.surv("time", "status").unwrap(),
        design: table.design(&covs).unwrap(),
        pred_times: spec["pred_times"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect(),
    }
}

fn fitted(c: &Case, ties: Ties) -> CoxFit {
    let fit = cox::fit(
        &c.surv,
        &c.design,
        &CoxOptions {
            ties,
            ..CoxOptions::default()
        },
    )
    .unwrap();
    assert!(
        fit.converged() && fit.warnings().is_empty(),
        "{:?}",
        fit.warnings()
    );
    fit
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data_path(path)).unwrap()).unwrap()
}

#[test]
fn coefficient_tables_match_coxph() {
    let tol = Tolerance::default();
    for ds in DATASETS {
        let c = case(ds);
        for ties in [Ties::Efron, Ties::Breslow] {
            let fit = fitted(&c, ties);
            let expected = Table::read(&data_path(&format!(
                "stats/expected/cox/{ds}_{}_coef.csv",
                ties.name()
            )));
            let rows = expected.records();
            assert_eq!(rows.len(), fit.coefficients().len());
            for (row, ours) in rows.iter().zip(fit.coefficients()) {
                assert_eq!(row["term"], ours.name);
                let ctx = |k: &str| format!("{ds} {} {} {k}", ties.name(), ours.name);
                for (k, v) in [
                    ("coef", ours.estimate.coef),
                    ("se", ours.estimate.se),
                    ("hr", ours.estimate.hr),
                    ("hr_lower95", ours.estimate.hr_lower),
                    ("hr_upper95", ours.estimate.hr_upper),
                    ("z", ours.estimate.z),
                    ("p_wald", ours.estimate.p),
                ] {
                    tol.check(&ctx(k), v, parse_f64(row[k]));
                }
            }
        }
    }
}

#[test]
fn model_summaries_match_coxph() {
    let tol = Tolerance::default();
    for ds in DATASETS {
        let c = case(ds);
        for ties in [Ties::Efron, Ties::Breslow] {
            let fit = fitted(&c, ties);
            let m = json(&format!(
                "stats/expected/cox/{ds}_{}_model.json",
                ties.name()
            ));
            let ctx = |k: &str| format!("{ds} {} {k}", ties.name());
            let num = |v: &Value| v.as_f64().unwrap();
            assert_eq!(fit.n() as f64, num(&m["n"]));
            assert_eq!(fit.events() as f64, num(&m["nevent"]));
            assert_eq!(
                fit.iterations() as f64,
                num(&m["iter"]),
                "{}",
                ctx("iterations")
            );
            tol.check(
                &ctx("loglik_null"),
                fit.loglik_null(),
                num(&m["loglik_null"]),
            );
            tol.check(&ctx("loglik"), fit.loglik(), num(&m["loglik_model"]));
            for (name, test) in [
                ("lr_test", fit.lr_test()),
                ("wald_test", fit.wald_test()),
                ("score_test", fit.score_test()),
            ] {
                tol.check(
                    &ctx(&format!("{name} stat")),
                    test.statistic,
                    num(&m[name]["stat"]),
                );
                assert_eq!(test.df as f64, num(&m[name]["df"]));
                tol.check(&ctx(&format!("{name} p")), test.p, num(&m[name]["p"]));
            }
            tol.check(
                &ctx("concordance"),
                fit.concordance().c,
                num(&m["concordance"]),
            );
            tol.check(
                &ctx("concordance se"),
                fit.concordance().se,
                num(&m["concordance_se"]),
            );
            for (j, name) in fit.names().iter().enumerate() {
                tol.check(
                    &ctx(&format!("mean {name}")),
                    fit.means()[j],
                    num(&m["means"][name]),
                );
                for k in 0..fit.names().len() {
                    tol.check(
                        &ctx(&format!("vcov {j},{k}")),
                        fit.var()[j][k],
                        num(&m["vcov"][j][k]),
                    );
                }
            }
        }
    }
}

#[test]
fn univariable_fits_match_coxph() {
    let tol = Tolerance::default();
    for ds in DATASETS {
        let c = case(ds);
        for ties in [Ties::Efron, Ties::Breslow] {
            let fits = cox::univariable(
                &c.surv,
                &c.design,
                &CoxOptions {
                    ties,
                    ..CoxOptions::default()
                },
            )
            .unwrap();
            let expected = Table::read(&data_path(&format!(
                "stats/expected/cox/{ds}_{}_univariable.csv",
                ties.name()
            )));
            for (row, fit) in expected.records().iter().zip(&fits) {
                let coef = &fit.coefficients()[0];
                assert_eq!(row["term"], coef.name);
                let ctx = |k: &str| format!("{ds} {} univariable {} {k}", ties.name(), coef.name);
                for (k, v) in [
                    ("coef", coef.estimate.coef),
                    ("se", coef.estimate.se),
                    ("hr", coef.estimate.hr),
                    ("hr_lower95", coef.estimate.hr_lower),
                    ("hr_upper95", coef.estimate.hr_upper),
                    ("z", coef.estimate.z),
                    ("p_wald", coef.estimate.p),
                    ("loglik_null", fit.loglik_null()),
                    ("loglik_model", fit.loglik()),
                    ("lr_stat", fit.lr_test().statistic),
                    ("lr_p", fit.lr_test().p),
                    ("wald_stat", fit.wald_test().statistic),
                    ("wald_p", fit.wald_test().p),
                    ("score_stat", fit.score_test().statistic),
                    ("score_p", fit.score_test().p),
                    ("concordance", fit.concordance().c),
                    ("concordance_se", fit.concordance().se),
                ] {
                    tol.check(&ctx(k), v, parse_f64(row[k]));
                }
            }
        }
    }
}

#[test]
fn baseline_hazard_and_predictions_match_survfit_coxph() {
    let tol = Tolerance::default();
    for ds in DATASETS {
        let c = case(ds);
        for ties in [Ties::Efron, Ties::Breslow] {
            let fit = fitted(&c, ties);
            let base = Table::read(&data_path(&format!(
                "stats/expected/cox/{ds}_{}_basehaz.csv",
                ties.name()
            )));
            let ours = fit.baseline_cumhaz(false);
            let (times, h0) = (base.f64_col("time"), base.f64_col("cumhaz0"));
            assert_eq!(ours.len(), times.len(), "{ds} basehaz rows");
            for (k, &(t, h)) in ours.iter().enumerate() {
                assert_eq!(t, times[k]);
                tol.check(&format!("{ds} {} basehaz t={t}", ties.name()), h, h0[k]);
            }
            let pred = Table::read(&data_path(&format!(
                "stats/expected/cox/{ds}_{}_pred.csv",
                ties.name()
            )));
            let lp = fit.linear_predictors(&c.design).unwrap();
            let expected_lp = pred.f64_col("lp");
            let surv_cols: Vec<Vec<f64>> = c
                .pred_times
                .iter()
                .map(|t| pred.f64_col(&format!("surv_t{t}")))
                .collect();
            for i in 0..c.surv.len() {
                tol.check(
                    &format!("{ds} {} lp row {}", ties.name(), i + 1),
                    lp[i],
                    expected_lp[i],
                );
                let s = fit.predict_survival(&c.design.row(i), &c.pred_times);
                for (k, t) in c.pred_times.iter().enumerate() {
                    tol.check(
                        &format!("{ds} {} S({t}) row {}", ties.name(), i + 1),
                        s[k],
                        surv_cols[k][i],
                    );
                }
            }
        }
    }
}

/// A binary level held by one patient: Newton's steps for its coefficient overshoot until the risk
/// scores overflow, and coxph pulls its trial points back towards the last accepted one. After
/// `iter.max = 20` it has not converged and reports the last accepted coefficients; so must we,
/// with its warning, instead of failing on the overflowed step. Standard errors against R's
/// refit at those coefficients (see the script `stats/scripts/11_cox_sparse_level.R`).
#[test]
fn a_level_held_by_one_patient_follows_coxphs_pulled_back_steps() {
    let table = DataTable::read_csv(&data_path("stats/data/cox_sparse_level.csv")).unwrap();
    let fit = cox::fit(
        &table.surv("time", "status").unwrap(),
        &table
            .design(&["afp_ge400", "tl_ge7cm", "rad_score"])
            .unwrap(),
        &CoxOptions::default(),
    )
    .unwrap();
    assert!(!fit.converged());
    assert!(
        fit.warnings()
            .iter()
            .any(|w| w.contains("did not converge")),
        "{:?}",
        fit.warnings()
    );
    let tol = Tolerance::default();
    let expected = Table::read(&data_path("stats/expected/cox/sparse_level_coef.csv"));
    for (row, ours) in expected.records().iter().zip(fit.coefficients()) {
        assert_eq!(row["term"], ours.name);
        tol.check(&ours.name, ours.estimate.coef, parse_f64(row["coef"]));
        tol.check(&ours.name, ours.estimate.se, parse_f64(row["se"]));
        tol.check("loglik", fit.loglik(), parse_f64(row["loglik"]));
    }
}
