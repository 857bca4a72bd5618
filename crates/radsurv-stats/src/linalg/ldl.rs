//! The small dense $LDL^\top$ factorisation of the Cox fitters, after survival's `cholesky2`:
//! a pivot below a tolerance marks a column as a combination of the earlier ones.

/// $LDL^\top$ factor of a symmetric positive-definite matrix (unit lower-triangular $L$).
pub(crate) struct Ldl {
    /// Row-major; strictly lower part holds $L$, the diagonal holds $D$.
    m: Vec<Vec<f64>>,
}

#[allow(clippy::needless_range_loop)] // index loops mirror the matrix algebra
impl Ldl {
    /// Factors `a`; a pivot below `toler` × the largest diagonal marks column `Err(index)` as
    /// (numerically) a combination of the earlier ones, as survival's `cholesky2`.
    pub(crate) fn factor(a: &[Vec<f64>], toler: f64) -> std::result::Result<Ldl, usize> {
        let n = a.len();
        let mut m: Vec<Vec<f64>> = a.to_vec();
        let largest = (0..n).map(|i| m[i][i]).fold(0.0, f64::max);
        let eps = if largest > 0.0 {
            largest * toler
        } else {
            toler
        };
        for i in 0..n {
            let pivot = m[i][i];
            if !pivot.is_finite() || pivot < eps {
                return Err(i);
            }
            for j in i + 1..n {
                let l = m[j][i] / pivot;
                m[j][i] = l;
                m[j][j] -= l * l * pivot;
                for k in j + 1..n {
                    m[k][j] -= l * m[k][i];
                }
            }
        }
        Ok(Ldl { m })
    }

    pub(crate) fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = b.len();
        let mut y = b.to_vec();
        for i in 0..n {
            for k in 0..i {
                y[i] -= self.m[i][k] * y[k];
            }
        }
        for i in 0..n {
            y[i] /= self.m[i][i];
        }
        for i in (0..n).rev() {
            for k in i + 1..n {
                y[i] -= self.m[k][i] * y[k];
            }
        }
        y
    }

    pub(crate) fn inverse(&self) -> Vec<Vec<f64>> {
        let n = self.m.len();
        let mut inv = vec![vec![0.0; n]; n];
        for j in 0..n {
            let mut e = vec![0.0; n];
            e[j] = 1.0;
            let col = self.solve(&e);
            for i in 0..n {
                inv[i][j] = col[i];
            }
        }
        // Symmetrise away round-off so var is exactly symmetric.
        for i in 0..n {
            for j in 0..i {
                let v = (inv[i][j] + inv[j][i]) / 2.0;
                inv[i][j] = v;
                inv[j][i] = v;
            }
        }
        inv
    }
}

/// Solves $Ax = b$ for symmetric positive-definite $A$; `None` when $A$ is singular.
pub(crate) fn solve_symmetric(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    Ldl::factor(a, f64::EPSILON.powf(0.75))
        .ok()
        .map(|f| f.solve(b))
}
