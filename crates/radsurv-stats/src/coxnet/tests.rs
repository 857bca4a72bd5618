use super::active_set::Curvature;
use super::anderson::least_squares;
use super::likelihood::LogProduct;
use super::quadratic::Quadratic;
use super::*;

#[test]
fn soft_threshold_shrinks_towards_zero() {
    assert_eq!(soft_threshold(3.0, 1.0), 2.0);
    assert_eq!(soft_threshold(-3.0, 1.0), -2.0);
    assert_eq!(soft_threshold(0.5, 1.0), 0.0);
}

#[test]
fn log_product_sums_logarithms_without_overflow() {
    let values = [3.5, 1e-200, 7e250, 0.25, 1e300, 2.0];
    let counts = [1.0, 2.0, 1.0, 3.0, 2.0, 1.0];
    let mut product = LogProduct::default();
    for (&v, &d) in values.iter().zip(&counts) {
        product.multiply(v, d);
    }
    let expected: f64 = values.iter().zip(&counts).map(|(v, d)| d * v.ln()).sum();
    assert!((product.ln() - expected).abs() < 1e-12 * expected.abs());
    let mut extreme = LogProduct::default();
    extreme.multiply(f64::MIN_POSITIVE, 1.0);
    extreme.multiply(0.0, 1.0);
    assert_eq!(extreme.ln(), f64::NEG_INFINITY);
}

#[test]
fn least_squares_solves_and_skips_dependent_columns() {
    let columns = vec![
        vec![1.0, 0.0, 1.0, 2.0],
        vec![0.0, 1.0, 1.0, -1.0],
        vec![2.0, 2.0, 4.0, 2.0], // 2 * first + 2 * second
    ];
    let gamma_true = [0.5, -1.5];
    let y: Vec<f64> = (0..4)
        .map(|r| gamma_true[0] * columns[0][r] + gamma_true[1] * columns[1][r])
        .collect();
    let gamma = least_squares(columns, &y);
    assert!((gamma[0] - 0.5).abs() < 1e-12 && (gamma[1] + 1.5).abs() < 1e-12);
    assert_eq!(gamma[2], 0.0);
}

/// The factor that follows the active-set method's supports (updated, and renamed when
/// $S$ grows) solves the same systems as one formed from $G$ directly.
/// Two equal columns make $G_{AA}$ singular: the factor is built for $G + \delta I$ with a
/// small $\delta$ instead of failing, and columns added later get the same shift.
#[test]
fn singular_support_is_factored_with_a_small_diagonal_shift() {
    let time = [5.0, 3.0, 8.0, 1.0, 6.0, 2.0, 7.0];
    let status = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    let twin = vec![1.0, 4.0, 2.0, 8.0, 5.0, 7.0, 3.0];
    let other = vec![2.0, 1.0, 0.0, 3.0, 1.0, 4.0, 2.0];
    let names = (0..3).map(|j| format!("x{j}")).collect();
    let design = Design::new(names, vec![twin.clone(), twin, other]).unwrap();
    let data = SurvData::new(&time, &status, "t", "s").unwrap();
    let problem = Problem::new(&design, &data);
    let model = Quadratic::new(&problem.sets, &[0.0; 7]);
    let mut curvature = Curvature::new(&problem, &model, &[0, 1]);
    let g = curvature.gram.clone();
    assert!(curvature.factor_for(&[0, 1], 0.0).is_some());
    let top = g[0].max(g[3]);
    assert!(curvature.shift > 0.0 && curvature.shift <= 1e-4 * top);
    assert_eq!(curvature.diagonal(0), g[0] + curvature.shift);
    curvature.extend(&problem, &[0, 1, 2]);
    let fresh = Curvature::new(&problem, &model, &[0, 1, 2]);
    assert!((curvature.diagonal(2) - fresh.diagonal(2) - curvature.shift).abs() < 1e-15);
    // off the diagonal, no shift
    assert!((curvature.column(2)[0] - fresh.column(2)[0]).abs() < 1e-15);
}

#[test]
fn support_factor_follows_support_changes_growth_and_shrinking() {
    let time = [5.0, 3.0, 8.0, 1.0, 6.0, 2.0, 7.0, 4.0, 9.0, 10.0];
    let status = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0];
    let columns: Vec<Vec<f64>> = (0..6)
        .map(|j| {
            (0..10)
                .map(|i| ((3 * i * (j + 1) + j) % 11) as f64)
                .collect()
        })
        .collect();
    let names = (0..6).map(|j| format!("x{j}")).collect();
    let data = SurvData::new(&time, &status, "t", "s").unwrap();
    let problem = Problem::new(&Design::new(names, columns).unwrap(), &data);
    let model = Quadratic::new(&problem.sets, &[0.0; 10]);
    let full = Curvature::new(&problem, &model, &[0, 1, 2, 3, 4, 5]);
    let ridge = 0.5;
    let check = |curvature: &mut Curvature, support: &[usize]| {
        let order = curvature.factor_for(support, ridge).unwrap();
        let b: Vec<f64> = (0..order.len()).map(|i| i as f64 + 1.0).collect();
        let mut x = b.clone();
        curvature.factor.solve(&mut x);
        for (r, &u) in order.iter().enumerate() {
            let (cu, gu) = (curvature.set[u], full.column(curvature.set[u]));
            let ax: f64 = order
                .iter()
                .zip(&x)
                .map(|(&v, xv)| (gu[curvature.set[v]] + if v == u { ridge } else { 0.0 }) * xv)
                .sum();
            assert!(
                (ax - b[r]).abs() < 1e-10,
                "support {support:?}, column {cu}"
            );
        }
    };
    let mut curvature = Curvature::new(&problem, &model, &[0, 2, 3, 5]);
    for support in [vec![0, 1, 3], vec![0, 1, 2, 3], vec![0, 2, 3], vec![1, 2]] {
        check(&mut curvature, &support);
    }
    curvature.extend(&problem, &[0, 1, 2, 3, 4, 5]);
    for support in [vec![2, 3], vec![1, 2, 3, 4], vec![0, 1, 2, 3, 4, 5]] {
        check(&mut curvature, &support);
    }
    // dropping columns 0 and 3, both in the factor, leaves G and the factor exact
    curvature.restrict(&[1, 2, 4, 5]);
    assert_eq!(curvature.set, [1, 2, 4, 5]);
    assert_eq!(curvature.factor.variables().len(), 4);
    for support in [vec![0, 1, 2, 3], vec![0, 3], vec![1, 2]] {
        check(&mut curvature, &support);
    }
}

/// Gradient, Hessian products and log-likelihood where the predictors spread over thousands,
/// so that one global shift would leave the late risk sets' sums 0, against a direct
/// computation with each risk set's log-sum-exp: $\pi_{ik} = e^{\eta_i - \mathrm{LSE}_k}$,
/// $g_i = \delta_i - \sum_k d_k\pi_{ik}$, $(Hv)_i = \sum_k d_k\pi_{ik}(v_i - \sum_l \pi_{lk}v_l)$.
#[test]
fn model_is_exact_however_far_apart_the_predictors_are() {
    // sorted by time already; a tie at t = 3 (an event and a censoring)
    let time = [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0];
    let status = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
    let eta = [0.0, -900.0, 3.0, -1800.0, -2500.0, -2400.0, -3600.0];
    let v = [0.5, -1.0, 2.0, 0.25, -3.0, 1.5, 1.0];
    let data = SurvData::new(&time, &status, "t", "s").unwrap();
    let sets = RiskSets::new(&data);
    assert_eq!(sets.order, (0..7).collect::<Vec<_>>());
    let model = Quadratic::new(&sets, &eta);
    let mut hv = vec![0.0; 7];
    model.hessian.times(&v, &mut hv);
    // the direct computation, over the groups with events
    let (mut grad, mut expected_hv, mut loglik) = (status.to_vec(), vec![0.0; 7], 0.0);
    for &(start, _, d) in sets.groups.iter().filter(|g| g.2 > 0.0) {
        let max = eta[start..]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let lse = max
            + eta[start..]
                .iter()
                .map(|e| (e - max).exp())
                .sum::<f64>()
                .ln();
        let pi: Vec<f64> = eta[start..].iter().map(|e| (e - lse).exp()).collect();
        let mean: f64 = pi.iter().zip(&v[start..]).map(|(p, v)| p * v).sum();
        for (i, p) in (start..7).zip(&pi) {
            grad[i] -= d * p;
            expected_hv[i] += d * p * (v[i] - mean);
        }
        loglik -= d * lse;
    }
    loglik += eta.iter().zip(&status).map(|(e, s)| e * s).sum::<f64>();
    for i in 0..7 {
        assert!(
            (model.grad[i] - grad[i]).abs() < 1e-14,
            "g[{i}] {} vs {}",
            model.grad[i],
            grad[i]
        );
        assert!(
            (hv[i] - expected_hv[i]).abs() < 1e-14,
            "Hv[{i}] {} vs {}",
            hv[i],
            expected_hv[i]
        );
    }
    assert!(
        (model.loglik - loglik).abs() < 1e-12 * loglik.abs(),
        "{} vs {loglik}",
        model.loglik
    );
}

/// n = p = 300 and λ down to 1e-4 of λ_max: the fit nears separation and the predictors
/// spread over hundreds; the path still ends with finite values (with one global shift it
/// ended in NaN).
#[test]
fn nearly_separable_path_ends_finite() {
    let (n, p) = (300, 300);
    let mut state = 12345u64;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let columns: Vec<Vec<f64>> = (0..p)
        .map(|_| (0..n).map(|_| uniform() - 0.5).collect())
        .collect();
    // exponential times with a hazard driven by the first five covariates
    let time: Vec<f64> = (0..n)
        .map(|i| {
            let lp: f64 = columns[..5].iter().map(|c| 2.0 * c[i]).sum();
            -uniform().ln() * (-lp).exp()
        })
        .collect();
    let status: Vec<f64> = (0..n).map(|_| f64::from(uniform() < 0.7)).collect();
    let data = SurvData::new(&time, &status, "t", "s").unwrap();
    let names = (0..p).map(|k| format!("x{k}")).collect();
    let design = Design::new(names, columns).unwrap();
    let opts = CoxnetOptions {
        lambda_min_ratio: Some(1e-4),
        ..Default::default()
    };
    let fit = coxnet(&design, &data, &opts).unwrap();
    assert!(
        fit.dev_ratio.iter().all(|d| d.is_finite()),
        "{:?}",
        fit.dev_ratio
    );
    assert!(fit.beta.iter().flatten().all(|b| b.is_finite()));
    assert!(fit.dev_ratio.last().is_some_and(|d| *d > 0.99));
}

#[test]
fn default_lambda_ratio_is_glmnets_so_n_equal_to_p_takes_1e_4() {
    // glmnet: lambda.min.ratio = ifelse(nobs < nvars, 0.01, 1e-4); the exponent 1/99 is
    // single precision (`lambda_sequence`), hence 1e-7
    let time = [2.0, 5.0, 3.0, 8.0, 1.0, 7.0];
    let status = [1.0, 0.0, 1.0, 1.0, 1.0, 0.0];
    let data = SurvData::new(&time, &status, "t", "s").unwrap();
    let column = |k: usize| (0..6).map(|i| ((i * 7 + k * 3) % 5) as f64).collect();
    let ratio_for = |p: usize| {
        let design = Design::new(
            (0..p).map(|k| format!("x{k}")).collect(),
            (0..p).map(column).collect(),
        )
        .unwrap();
        let fit = coxnet(&design, &data, &CoxnetOptions::default()).unwrap();
        (fit.lambda[1] / fit.lambda[0]).powi(99)
    };
    assert!((ratio_for(6) / 1e-4 - 1.0).abs() < 1e-7, "n = p");
    assert!((ratio_for(7) / 1e-2 - 1.0).abs() < 1e-7, "n < p");
    assert!((ratio_for(5) / 1e-4 - 1.0).abs() < 1e-7, "n > p");
}

/// With λ = 0 and one covariate the fit is the unpenalised Breslow MLE; survival's book1
/// example (Therneau & Grambsch) has the closed form β = log(1.5 + √33/2).
#[test]
fn unpenalised_fit_matches_closed_form_breslow_mle() {
    // the book1 data (Therneau & Grambsch), the row with a missing status dropped:
    // l(b) = 2b - log(3e^b + 3) - 2 log(e^b + 3), so e^b solves r^2 - 3r - 6 = 0
    let time = [9.0, 1.0, 1.0, 6.0, 6.0, 8.0];
    let status = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0];
    let x = vec![vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0]];
    let data = SurvData::new(&time, &status, "t", "s").unwrap();
    let design = Design::new(vec!["x".into()], x).unwrap();
    let opts = CoxnetOptions {
        lambda: Some(vec![1.0, 0.0]),
        ..Default::default()
    };
    let fit = coxnet(&design, &data, &opts).unwrap();
    let expected = (1.5 + 33f64.sqrt() / 2.0).ln();
    assert!(
        (fit.beta[1][0] - expected).abs() < 1e-8,
        "{} vs {expected}",
        fit.beta[1][0]
    );
    assert_eq!(fit.beta[0][0], 0.0);
}
