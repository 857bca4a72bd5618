use super::cholesky::BLOCK;
use super::exp::exp_lane;
use super::*;

/// Units in the last place between two non-negative doubles (consecutive doubles of one sign
/// have consecutive bit patterns).
fn ulps(a: f64, b: f64) -> u64 {
    a.to_bits().abs_diff(b.to_bits())
}

/// The largest distance in ulps of `exp_difference` (every $y_i$ = `shift`) from
/// `(x - shift).exp()`, where, and the share of results that differ at all.
fn worst_ulps(x: &[f64], shift: f64) -> (u64, f64, f64) {
    let mut out = vec![f64::NAN; x.len()];
    exp_difference(x, &vec![shift; x.len()], &mut out);
    let (mut worst, mut at, mut differ) = (0, 0.0, 0);
    for (&v, &e) in x.iter().zip(&out) {
        let d = ulps(e, (v - shift).exp());
        differ += usize::from(d > 0);
        if d > worst {
            (worst, at) = (d, v - shift);
        }
    }
    (worst, at, differ as f64 / x.len() as f64)
}

/// Within 1 ulp of glibc's `exp` (itself within about 0.502 ulp of the correctly rounded
/// value) and, away from subnormals, equal to it almost everywhere.
#[test]
fn exp_difference_is_within_one_ulp() {
    let n = 1_000_000;
    let sweep: Vec<f64> = (0..=n).map(|i| -746.0 * i as f64 / n as f64).collect();
    let (worst, at, differ) = worst_ulps(&sweep, 0.0);
    assert!(
        worst <= 1 && differ < 0.02,
        "{worst} ulps at {at}, {differ} differ"
    );
    // the reduced argument, densely: [-2, 0] and its images shifted by an eta
    let near: Vec<f64> = (0..=n).map(|i| 3.25 - 2.0 * i as f64 / n as f64).collect();
    let (worst, at, differ) = worst_ulps(&near, 3.25);
    assert!(
        worst <= 1 && differ < 0.02,
        "{worst} ulps at {at}, {differ} differ"
    );
    // subnormal results
    let subnormal: Vec<f64> = (0..=n)
        .map(|i| -708.0 - 38.0 * i as f64 / n as f64)
        .collect();
    let (worst, at, _) = worst_ulps(&subnormal, 0.0);
    assert!(worst <= 1, "{worst} ulps at {at}");
}

#[test]
fn exp_difference_special_arguments() {
    let x = [
        0.0,
        -0.0,
        -1e-300,
        -5e-324,
        -1e-17,
        -1.1e-16,
        -1e-10,
        -std::f64::consts::LN_2 / 2.0,
        -708.39,
        -708.4,
        -744.4,
        -745.1,
        -745.2,
        -746.0,
        -1e6,
        f64::MIN,
        f64::NEG_INFINITY,
    ];
    let mut out = [f64::NAN; 17];
    exp_difference(&x, &[0.0; 17], &mut out);
    for (v, e) in x.iter().zip(&out) {
        assert!(ulps(*e, v.exp()) <= 1, "exp({v}) = {e}, not {}", v.exp());
    }
    assert_eq!(out[0], 1.0);
    assert_eq!(out[1], 1.0);
    assert_eq!(out[12..], [0.0; 5]);
    let mut one = [0.0];
    exp_difference(&[f64::NAN], &[0.0], &mut one);
    assert!(one[0].is_nan());
    exp_difference(&[1.0], &[f64::NAN], &mut one);
    assert!(one[0].is_nan());
    // positive arguments (not used) are still exp, up to overflow
    for v in [1e-300, 0.5, 1.0, 100.0, 709.0, 709.78] {
        exp_difference(&[v], &[0.0], &mut one);
        assert!(ulps(one[0], v.exp()) <= 1, "exp({v}) = {}", one[0]);
    }
    for v in [709.8, 710.0, 1e300, f64::INFINITY] {
        exp_difference(&[v], &[0.0], &mut one);
        assert_eq!(one[0], f64::INFINITY);
    }
}

/// The vectorised loop, its remainder and one lane at a time (kept from vectorising) agree
/// bit for bit: no operation depends on the instruction set.
#[test]
fn exp_difference_lanes_agree_with_one_at_a_time() {
    let x: Vec<f64> = (0..11).map(|i| -0.37 * (i * i) as f64).collect();
    for len in 0..=x.len() {
        let mut out = vec![f64::NAN; len];
        exp_difference(&x[..len], &[1.5; 11], &mut out);
        for (v, e) in x.iter().zip(&out) {
            let one = exp_lane(std::hint::black_box(v - 1.5));
            assert_eq!(e.to_bits(), one.to_bits(), "length {len}, x = {v}");
        }
    }
}

/// A fixed symmetric positive definite 6 × 6 matrix.
fn matrix(r: usize, c: usize) -> f64 {
    let a = |i: usize, k: usize| ((i * 7 + k * 3) % 5) as f64 - 2.0;
    (0..6).map(|k| a(r, k) * a(c, k)).sum::<f64>() + if r == c { 1.0 } else { 0.0 }
}

fn factor_of(variables: &[usize]) -> UpdatableCholesky {
    let mut f = UpdatableCholesky::default();
    for &v in variables {
        let column: Vec<f64> = f.variables().iter().map(|&u| matrix(u, v)).collect();
        assert!(f.push(v, &column, matrix(v, v)));
    }
    f
}

/// Solves $A_{VV}x = b$ and checks the residual.
fn assert_solves(f: &UpdatableCholesky) {
    let vars = f.variables();
    let b: Vec<f64> = (0..vars.len()).map(|i| i as f64 - 1.5).collect();
    let mut x = b.clone();
    f.solve(&mut x);
    for (r, &u) in vars.iter().enumerate() {
        let ax: f64 = vars.iter().zip(&x).map(|(&v, xv)| matrix(u, v) * xv).sum();
        assert!(
            (ax - b[r]).abs() < 1e-10,
            "{vars:?} row {r}: {ax} vs {}",
            b[r]
        );
    }
}

#[test]
fn pushes_and_removals_keep_an_exact_factor() {
    let mut f = factor_of(&[0, 2, 4, 5]);
    assert_solves(&f);
    f.remove(1);
    assert_eq!(f.variables(), &[0, 4, 5]);
    assert_solves(&f);
    f.remove(2);
    let column: Vec<f64> = f.variables().iter().map(|&u| matrix(u, 3)).collect();
    assert!(f.push(3, &column, matrix(3, 3)));
    assert_eq!(f.variables(), &[0, 4, 3]);
    assert_solves(&f);
    f.remove(0);
    assert_solves(&f);
}

#[test]
fn a_dependent_variable_is_refused() {
    let mut f = factor_of(&[0, 1]);
    let column: Vec<f64> = f.variables().iter().map(|&u| matrix(u, 0)).collect();
    assert!(!f.push(7, &column, matrix(0, 0)));
    assert_eq!(f.variables(), &[0, 1]);
}

/// A positive semi-definite $s \times s$ Gram matrix $X^\top X / n$, column-major, of
/// pseudo-random $X$ with $n = 2s + 10$ rows, and the variables $\{0, \dots, s-1\}$ minus
/// every fifth, in a scrambled order.
fn gram_and_variables(s: usize) -> (Vec<f64>, Vec<usize>) {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(s as u64);
    let n = 2 * s + 10;
    let x: Vec<f64> = (0..n * s).map(|_| rng.random_range(-1.0..1.0)).collect();
    let mut gram = vec![0.0; s * s];
    for c in 0..s {
        for r in 0..s {
            let (xr, xc) = (&x[r * n..(r + 1) * n], &x[c * n..(c + 1) * n]);
            gram[c * s + r] = xr.iter().zip(xc).map(|(a, b)| a * b).sum::<f64>() / n as f64;
        }
    }
    let mut variables: Vec<usize> = (0..s).filter(|v| v % 5 != 4).collect();
    variables.sort_by_key(|&v| (v % 3, std::cmp::Reverse(v)));
    (gram, variables)
}

fn pushed(
    variables: &[usize],
    entry: impl Fn(usize, usize) -> f64,
    ridge: f64,
) -> Option<UpdatableCholesky> {
    let mut f = UpdatableCholesky::default();
    for &v in variables {
        let column: Vec<f64> = f.variables().iter().map(|&u| entry(u, v)).collect();
        if !f.push(v, &column, entry(v, v) + ridge) {
            return None;
        }
    }
    Some(f)
}

/// The largest $|x_i - y_i|$ over $\max_i |y_i|$ of the solves of one right-hand side.
fn solve_difference(f: &UpdatableCholesky, g: &UpdatableCholesky) -> f64 {
    let b: Vec<f64> = (0..f.variables().len())
        .map(|i| 1.0 + (i as f64).sin() / 2.0)
        .collect();
    let (mut x, mut y) = (b.clone(), b);
    f.solve(&mut x);
    g.solve(&mut y);
    let scale = y.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    x.iter()
        .zip(&y)
        .fold(0.0_f64, |a, (x, y)| a.max((x - y).abs()))
        / scale
}

/// The largest residual $|M x - b|$ over $\max |b|$ of a solve with `f`.
fn relative_residual(
    f: &UpdatableCholesky,
    entry: impl Fn(usize, usize) -> f64,
    ridge: f64,
) -> f64 {
    let vars = f.variables();
    let b: Vec<f64> = (0..vars.len()).map(|i| (i as f64).cos()).collect();
    let mut x = b.clone();
    f.solve(&mut x);
    let worst = vars
        .iter()
        .zip(&b)
        .zip(&x)
        .fold(0.0_f64, |worst, ((&u, bu), xu)| {
            let mx: f64 = vars.iter().zip(&x).map(|(&v, xv)| entry(u, v) * xv).sum();
            worst.max((mx + ridge * xu - bu).abs())
        });
    worst / b.iter().fold(0.0_f64, |a, v| a.max(v.abs()))
}

#[test]
fn from_entries_builds_the_factor_push_builds() {
    for s in [1, 2, 6, BLOCK, BLOCK + 1, BLOCK + 2, 2 * BLOCK + 2, 80, 250] {
        let (gram, variables) = gram_and_variables(s);
        let entry = |r: usize, c: usize| gram[c * s + r];
        let ridge = 0.05;
        let built = UpdatableCholesky::from_entries(&variables, entry, ridge);
        let built = built.unwrap_or_else(|| panic!("size {s} refused"));
        let reference = pushed(&variables, entry, ridge).unwrap_or_default();
        assert_eq!(built.variables(), reference.variables());
        assert_eq!(built.rows.len(), reference.rows.len());
        for (r, (a, b)) in built.rows.iter().zip(&reference.rows).enumerate() {
            assert_eq!(a.len(), r + 1);
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() < 1e-12, "size {s} row {r}: {x} vs {y}");
            }
        }
        let difference = solve_difference(&built, &reference);
        assert!(
            difference < 1e-10,
            "size {s}: solves differ by {difference}"
        );
        assert!(relative_residual(&built, entry, ridge) < 1e-10, "size {s}");
    }
}

#[test]
fn from_entries_of_nothing_is_empty() {
    let f = UpdatableCholesky::from_entries(&[], |_, _| 1.0, 0.0).unwrap_or_default();
    assert!(f.variables().is_empty());
    f.solve(&mut []);
}

#[test]
fn from_entries_refuses_a_dependent_variable() {
    let s = 3 * BLOCK;
    let (mut gram, _) = gram_and_variables(s);
    // variable 0 := variable 1 + variable 2 (its row and column of the Gram matrix follow)
    for c in 0..s {
        gram[c * s] = gram[c * s + 1] + gram[c * s + 2];
    }
    for r in 0..s {
        gram[r] = gram[s + r] + gram[2 * s + r];
    }
    let entry = |r: usize, c: usize| gram[c * s + r];
    for position in [2, BLOCK - 1, BLOCK, 2 * BLOCK + 3] {
        let mut variables: Vec<usize> = (3..s).collect();
        variables.insert(0, 1);
        variables.insert(1, 2);
        variables.insert(position, 0);
        assert!(pushed(&variables, entry, 0.0).is_none());
        assert!(UpdatableCholesky::from_entries(&variables, entry, 0.0).is_none());
        // a ridge makes it definite again
        assert!(UpdatableCholesky::from_entries(&variables, entry, 1e-3).is_some());
    }
    assert!(UpdatableCholesky::from_entries(&[0, 1], |_, _| f64::NAN, 1.0).is_none());
}

#[test]
fn a_built_factor_keeps_updating() {
    let s = 2 * BLOCK + 20;
    let (gram, all) = gram_and_variables(s);
    let entry = |r: usize, c: usize| gram[c * s + r];
    let (start, later) = all.split_at(all.len() - 10);
    let mut f = UpdatableCholesky::from_entries(start, entry, 0.1).unwrap_or_default();
    for j in [BLOCK + 3, 0, BLOCK - 1, 2] {
        f.remove(j);
        assert!(relative_residual(&f, entry, 0.1) < 1e-10);
    }
    for &v in later {
        let column: Vec<f64> = f.variables().iter().map(|&u| entry(u, v)).collect();
        assert!(f.push(v, &column, entry(v, v) + 0.1));
    }
    assert_eq!(f.variables().len(), all.len() - 4);
    assert!(relative_residual(&f, entry, 0.1) < 1e-10);
}
