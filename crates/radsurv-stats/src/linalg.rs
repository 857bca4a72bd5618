//! Dense kernels of the penalised Cox solver: dot products that vectorise, and a Cholesky factor
//! that follows a changing set of variables.
//!
//! [`UpdatableCholesky`] holds $A = LL^\top$ for the principal submatrix $A$ of a symmetric
//! positive definite matrix on the current variables, kept in the order they were added. Adding a variable appends a row to $L$ (one forward substitution, $O(m^2/2)$); removing one
//! deletes its row and restores the triangle with Givens rotations ($O((m-j)^2)$ for the $j$-th
//! of $m$). This is the standard updating of Golub & Van Loan (Matrix Computations, 4th ed.,
//! §6.5.4), done in place: nalgebra's `Cholesky::insert_column`/`remove_column` allocate, zero and
//! copy a new $(m\pm1)^2$ matrix at every change, which dominated the LASSO active-set method.

/// $a^\top b$ with four running sums, so the compiler can vectorise it (a single running sum
/// fixes the order of the additions and cannot be).
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let len = a.len().min(b.len());
    let (a, b) = (&a[..len], &b[..len]);
    let mut sums = [0.0; 4];
    for (x, y) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        for l in 0..4 {
            sums[l] += x[l] * y[l];
        }
    }
    let tail = len - len % 4;
    let rest: f64 = a[tail..].iter().zip(&b[tail..]).map(|(x, y)| x * y).sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + rest
}

/// [`dot`] of four columns with one vector (each vector element loaded once; the same sums in
/// the same order as `dot`).
pub(crate) fn dot4(columns: [&[f64]; 4], v: &[f64]) -> [f64; 4] {
    let len = columns.iter().map(|c| c.len()).fold(v.len(), usize::min);
    let [a, b, c, d] = columns.map(|col| &col[..len]);
    let v = &v[..len];
    let mut sums = [[0.0; 4]; 4];
    let quads = a
        .chunks_exact(4)
        .zip(b.chunks_exact(4))
        .zip(c.chunks_exact(4).zip(d.chunks_exact(4)))
        .zip(v.chunks_exact(4));
    for (((a, b), (c, d)), v) in quads {
        for l in 0..4 {
            sums[0][l] += a[l] * v[l];
            sums[1][l] += b[l] * v[l];
            sums[2][l] += c[l] * v[l];
            sums[3][l] += d[l] * v[l];
        }
    }
    let tail = len - len % 4;
    let columns = [a, b, c, d];
    std::array::from_fn(|k| {
        let rest: f64 = columns[k][tail..]
            .iter()
            .zip(&v[tail..])
            .map(|(x, y)| x * y)
            .sum();
        let s = sums[k];
        (s[0] + s[1]) + (s[2] + s[3]) + rest
    })
}

/// $L$ row by row (row $r$ holds $L_{r,0..=r}$) with the variables in factor order.
#[derive(Debug, Clone, Default)]
pub(crate) struct UpdatableCholesky {
    variables: Vec<usize>,
    rows: Vec<Vec<f64>>,
}

impl UpdatableCholesky {
    /// The variables, in factor order.
    pub(crate) fn variables(&self) -> &[usize] {
        &self.variables
    }

    /// Renames each variable $v$ to `new_name[v]`.
    pub(crate) fn rename(&mut self, new_name: &[usize]) {
        for v in &mut self.variables {
            *v = new_name[*v];
        }
    }

    /// Appends `variable` with its entries `column` against the current variables (in factor
    /// order) and its diagonal entry `diagonal`. Returns `false`, leaving the factor unchanged,
    /// when the extended matrix is not numerically positive definite: a pivot under
    /// $10^{-12}$ of the diagonal means the variable is a combination of the others to working
    /// precision.
    pub(crate) fn push(&mut self, variable: usize, column: &[f64], diagonal: f64) -> bool {
        let mut row = column.to_vec();
        self.forward_substitute(&mut row);
        let pivot = diagonal - dot(&row, &row);
        if !(pivot > 1e-12 * diagonal && pivot.is_finite()) {
            return false;
        }
        row.push(pivot.sqrt());
        self.variables.push(variable);
        self.rows.push(row);
        true
    }

    /// Removes the variable at factor position `j`: dropping row $j$ leaves each later row with
    /// one entry right of the diagonal, which a Givens rotation of columns $(k, k+1)$ folds back
    /// into the diagonal, for $k = j, j+1, \dots$ ($LL^\top$ is unchanged by rotations from the
    /// right).
    pub(crate) fn remove(&mut self, j: usize) {
        self.variables.remove(j);
        self.rows.remove(j);
        for k in j..self.rows.len() {
            let (a, b) = (self.rows[k][k], self.rows[k][k + 1]);
            let r = a.hypot(b);
            let (c, s) = (a / r, b / r);
            for row in &mut self.rows[k..] {
                let (x, y) = (row[k], row[k + 1]);
                row[k] = c * x + s * y;
                row[k + 1] = c * y - s * x;
            }
            self.rows[k].pop();
        }
    }

    /// Solves $LL^\top x = b$ in place ($b$ in factor order).
    pub(crate) fn solve(&self, b: &mut [f64]) {
        self.forward_substitute(b);
        for (r, row) in self.rows.iter().enumerate().rev() {
            b[r] /= row[r];
            let x = b[r];
            for (v, l) in b[..r].iter_mut().zip(&row[..r]) {
                *v -= l * x;
            }
        }
    }

    /// $b \leftarrow L^{-1} b$ for the first `b.len()` rows.
    fn forward_substitute(&self, b: &mut [f64]) {
        for r in 0..b.len() {
            let row = &self.rows[r];
            b[r] = (b[r] - dot(&row[..r], &b[..r])) / row[r];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
