use super::*;

/// survival's tests/book1.R data (the row with a missing status dropped).
fn book1() -> (SurvData, Design) {
    let data = SurvData::new(
        &[9.0, 1.0, 1.0, 6.0, 6.0, 8.0],
        &[1.0, 1.0, 0.0, 1.0, 1.0, 0.0],
        "time",
        "status",
    )
    .unwrap();
    let x = Design::new(vec!["x".into()], vec![vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0]]).unwrap();
    (data, x)
}

#[test]
fn book1_breslow_mle_is_closed_form() {
    let (data, x) = book1();
    let opts = CoxOptions {
        ties: Ties::Breslow,
        ..CoxOptions::default()
    };
    let fit = fit(&data, &x, &opts).unwrap();
    let expected = (1.5 + 33f64.sqrt() / 2.0).ln();
    assert!(
        (fit.coef()[0] - expected).abs() < 1e-6,
        "{} vs {expected}",
        fit.coef()[0]
    );
    assert!(fit.converged() && fit.warnings().is_empty());
}

/// Closed forms of the Breslow fit on book1 at $r = e^\beta$ (Therneau & Grambsch, appendix).
fn book1_loglik(beta: f64) -> f64 {
    let r = beta.exp();
    2.0 * beta - ((3.0 * r + 3.0).ln() + 2.0 * (r + 3.0).ln())
}

fn book1_information(beta: f64) -> f64 {
    let r = beta.exp();
    r / (r + 1.0).powi(2) + 6.0 * r / (r + 3.0).powi(2)
}

#[test]
fn book1_loglik_variance_and_baseline_hazard_are_closed_form() {
    let (data, x) = book1();
    for iter_max in [0, 20] {
        let opts = CoxOptions {
            ties: Ties::Breslow,
            iter_max,
            ..CoxOptions::default()
        };
        let fit = fit(&data, &x, &opts).unwrap();
        let beta = fit.coef()[0];
        let r = beta.exp();
        assert!((fit.loglik() - book1_loglik(beta)).abs() < 1e-12);
        assert!((fit.loglik_null() - book1_loglik(0.0)).abs() < 1e-12);
        assert!((fit.var()[0][0] - 1.0 / book1_information(beta)).abs() < 1e-12);
        // Hazard increments at x = 0 at the distinct times 1, 6, 8, 9.
        let increments = [1.0 / (3.0 * r + 3.0), 2.0 / (r + 3.0), 0.0, 1.0];
        let mut cumulative = 0.0;
        for ((t, h), (expected_t, inc)) in fit
            .baseline_cumhaz(false)
            .iter()
            .zip([1.0, 6.0, 8.0, 9.0].iter().zip(increments))
        {
            cumulative += inc;
            assert_eq!(t, expected_t);
            assert!(
                (h - cumulative).abs() < 1e-12,
                "H0({t}) = {h}, expected {cumulative}"
            );
        }
    }
}

#[test]
fn book1_one_newton_step_from_zero_is_eight_fifths() {
    let (data, x) = book1();
    let opts = CoxOptions {
        ties: Ties::Breslow,
        iter_max: 1,
        ..CoxOptions::default()
    };
    let fit = fit(&data, &x, &opts).unwrap();
    assert!((fit.coef()[0] - 1.6).abs() < 1e-12, "{}", fit.coef()[0]);
}

#[test]
fn collinear_column_is_named() {
    let (data, _) = book1();
    let a = vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0];
    let b: Vec<f64> = a.iter().map(|v| 2.0 * v + 1.0).collect();
    let x = Design::new(vec!["a".into(), "b".into()], vec![a, b]).unwrap();
    let err = fit(&data, &x, &CoxOptions::default()).unwrap_err();
    assert!(
        matches!(err, StatsError::Singular { ref column } if column == "b"),
        "{err}"
    );
}

#[test]
fn separation_warns_like_r() {
    // Everyone with x = 1 dies before everyone with x = 0: the MLE is +infinity.
    let data = SurvData::new(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[1.0; 6], "t", "s").unwrap();
    let x = Design::new(vec!["x".into()], vec![vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0]]).unwrap();
    let fit = fit(&data, &x, &CoxOptions::default()).unwrap();
    assert!(
        fit.warnings()
            .iter()
            .any(|w| w.contains("infinite") && w.contains('x')),
        "{:?}",
        fit.warnings()
    );
    assert!(fit.may_be_infinite(0));
}
