//! [`UpdatableCholesky`]: a Cholesky factor that follows a changing set of variables, with a
//! blocked factorisation for building one from scratch.

use multiversion::multiversion;
use nalgebra::{DMatrixView, DMatrixViewMut};

use super::{add_scaled_columns, dot, dot4_lanes, dot_lanes};

/// Columns per block of [`UpdatableCholesky::from_entries`]: wide enough that most of the work
/// is matrix products, narrow enough that little is left outside them (`benches/README.md`).
pub(super) const BLOCK: usize = 48;

/// $L$ row by row (row $r$ holds $L_{r,0..=r}$) with the variables in factor order.
#[derive(Debug, Clone, Default)]
pub(crate) struct UpdatableCholesky {
    variables: Vec<usize>,
    pub(super) rows: Vec<Vec<f64>>,
    /// $1/L_{rr}$: the triangular solves multiply by it, because each solved entry waits for
    /// the one before it and a division takes several times as long as a multiplication.
    inverse_diagonal: Vec<f64>,
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

    /// The factor of the $m \times m$ matrix $M$ with
    /// $M_{rc} = $ `entry(variables[r], variables[c])` $+ \rho\,[r = c]$ ($\rho$ = `ridge`), the
    /// variables in the given order: the factor that pushing them one by one would build, so
    /// [`push`](Self::push), [`remove`](Self::remove) and [`solve`](Self::solve) continue from it.
    /// `entry` is read on and below the diagonal only ($r \ge c$; $M$ is symmetric). Returns `None`
    /// under [`push`](Self::push)'s rule: some pivot (the square of $L_{rr}$) is not above
    /// $10^{-12} M_{rr}$ or not finite.
    ///
    /// Left-looking block Cholesky (Golub & Van Loan, Matrix Computations, 4th ed., §4.2.9; the
    /// order of LAPACK's `dpotrf`): for each block of `BLOCK` columns $J$, in a dense column-major
    /// copy of $M$'s lower triangle,
    /// $$M_{J' J} \leftarrow M_{J' J} - L_{J' K} L_{J K}^\top, \qquad K = \text{the columns before } J,\;
    /// J' = \text{the rows from } J \text{ on},$$
    /// one matrix product (nalgebra's `gemm`, which packs into matrixmultiply's kernels) holding
    /// all but $O(m^2 \cdot \text{BLOCK})$ of the $m^3/3$ flops; then the block's columns are
    /// finished one by one (subtract the earlier columns of the block, take the square root of the
    /// pivot, scale the rest of the column by its inverse). Adding variables one at a time does the
    /// same flops as $m$ forward substitutions, one row at a time, at a fraction of the speed.
    pub(crate) fn from_entries(
        variables: &[usize],
        entry: impl Fn(usize, usize) -> f64,
        ridge: f64,
    ) -> Option<Self> {
        let m = variables.len();
        let mut lower = lower_triangle(variables, entry, ridge);
        let diagonal: Vec<f64> = (0..m).map(|r| lower[r * m + r]).collect();
        for first in (0..m).step_by(BLOCK) {
            let width = BLOCK.min(m - first);
            subtract_earlier_blocks(&mut lower, m, first, width);
            factor_block_columns(&mut lower, m, first..first + width, &diagonal)?;
        }
        let rows: Vec<Vec<f64>> = (0..m)
            .map(|r| (0..=r).map(|c| lower[c * m + r]).collect())
            .collect();
        Some(Self {
            variables: variables.to_vec(),
            inverse_diagonal: rows.iter().zip(0..).map(|(row, r)| 1.0 / row[r]).collect(),
            rows,
        })
    }

    /// Appends `variable` with its entries `column` against the current variables (in factor
    /// order) and its diagonal entry `diagonal`. Returns `false`, leaving the factor unchanged,
    /// when the extended matrix is not numerically positive definite: a pivot under
    /// $10^{-12}$ of the diagonal means the variable is a combination of the others to working
    /// precision.
    pub(crate) fn push(&mut self, variable: usize, column: &[f64], diagonal: f64) -> bool {
        let mut row = column.to_vec();
        forward_substitute(&self.rows, &self.inverse_diagonal, &mut row);
        let pivot = diagonal - dot(&row, &row);
        if !(pivot > 1e-12 * diagonal && pivot.is_finite()) {
            return false;
        }
        row.push(pivot.sqrt());
        self.inverse_diagonal.push(1.0 / pivot.sqrt());
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
        self.inverse_diagonal.remove(j);
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
            self.inverse_diagonal[k] = 1.0 / self.rows[k][k];
        }
    }

    /// Solves $LL^\top x = b$ in place ($b$ in factor order).
    pub(crate) fn solve(&self, b: &mut [f64]) {
        forward_substitute(&self.rows, &self.inverse_diagonal, b);
        back_substitute(&self.rows, &self.inverse_diagonal, b);
    }
}

/// The lower triangle of $M$ (see [`UpdatableCholesky::from_entries`]), column-major in an
/// $m \times m$ buffer; the strict upper triangle is zero and never read.
fn lower_triangle(
    variables: &[usize],
    entry: impl Fn(usize, usize) -> f64,
    ridge: f64,
) -> Vec<f64> {
    let m = variables.len();
    let mut lower = vec![0.0; m * m];
    for (c, &v) in variables.iter().enumerate() {
        let column = &mut lower[c * m..(c + 1) * m];
        for (out, &u) in column[c..].iter_mut().zip(&variables[c..]) {
            *out = entry(u, v);
        }
        column[c] += ridge;
    }
    lower
}

/// $M_{J'J} \mathrel{-}= L_{J'K} L_{JK}^\top$ for the block $J$ = `first..first + width`, the
/// finished columns $K$ = `0..first` and the rows $J'$ = `first..m`: one `gemm` on views of the
/// column-major buffer (the transpose is a view with the strides swapped, no copy). It also
/// writes the upper triangle of the diagonal block, which is never read.
fn subtract_earlier_blocks(lower: &mut [f64], m: usize, first: usize, width: usize) {
    if first == 0 {
        return;
    }
    let (finished, rest) = lower.split_at_mut(first * m);
    let below = DMatrixView::from_slice_with_strides(&finished[first..], m - first, first, 1, m);
    let block_transposed =
        DMatrixView::from_slice_with_strides(&finished[first..], first, width, m, 1);
    let mut target =
        DMatrixViewMut::from_slice_with_strides_mut(&mut rest[first..], m - first, width, 1, m);
    target.gemm(-1.0, &below, &block_transposed, 1.0);
}

/// Finishes the columns `block` of $L$ once the earlier blocks are subtracted: for each column
/// $j$, subtract $L_{ji} L_{j.., i}$ for the block's columns $i < j$ ([`add_scaled_columns`]),
/// then $L_{jj} = \sqrt{\text{pivot}}$ and the entries below are divided by it. `None` when a
/// pivot fails [`UpdatableCholesky::push`]'s test against `diagonal` (the diagonal of $M$).
fn factor_block_columns(
    lower: &mut [f64],
    m: usize,
    block: std::ops::Range<usize>,
    diagonal: &[f64],
) -> Option<()> {
    for j in block.clone() {
        // on the stack: the slices borrow this column's split of the buffer
        let mut earlier: [(&[f64], f64); BLOCK] = [(&[], 0.0); BLOCK];
        let (before, rest) = lower.split_at_mut(j * m);
        let column = &mut rest[j..m];
        let count = j - block.start;
        for (slot, i) in earlier.iter_mut().zip(block.start..j) {
            let finished = &before[i * m + j..(i + 1) * m];
            *slot = (finished, -finished[0]);
        }
        add_scaled_columns(column, &earlier[..count]);
        let pivot = column[0];
        if !(pivot > 1e-12 * diagonal[j] && pivot.is_finite()) {
            return None;
        }
        let inverse = 1.0 / pivot.sqrt();
        column[0] = pivot.sqrt();
        for v in &mut column[1..] {
            *v *= inverse;
        }
    }
    Some(())
}

/// $b \leftarrow L^{-1} b$ for the first `b.len()` rows of $L$ (`rows`, row by row). Four rows
/// at a time: their products with the entries solved before them are one [`dot4`] (each entry
/// loaded once per four rows), then the 4 × 4 triangle is solved entry by entry.
#[multiversion(targets("x86_64+avx"))]
fn forward_substitute(rows: &[Vec<f64>], inverse_diagonal: &[f64], b: &mut [f64]) {
    let m = b.len();
    let mut first = 0;
    while first + 4 <= m {
        let block = [
            &rows[first][..first],
            &rows[first + 1][..first],
            &rows[first + 2][..first],
            &rows[first + 3][..first],
        ];
        let solved = dot4_lanes(block, &b[..first]);
        for (k, done) in solved.into_iter().enumerate() {
            let r = first + k;
            let row = &rows[r];
            let within: f64 = (first..r).map(|i| row[i] * b[i]).sum();
            b[r] = (b[r] - done - within) * inverse_diagonal[r];
        }
        first += 4;
    }
    for r in first..m {
        b[r] = (b[r] - dot_lanes(&rows[r][..r], &b[..r])) * inverse_diagonal[r];
    }
}

/// $b \leftarrow L^{-\top} b$ for $L$ given row by row (column-oriented: each solved entry is
/// subtracted from the entries above it; four rows at a time, so each of those is loaded and
/// stored once per four, with the subtractions in the same order as one row at a time).
#[multiversion(targets("x86_64+avx"))]
fn back_substitute(rows: &[Vec<f64>], inverse_diagonal: &[f64], b: &mut [f64]) {
    let mut end = rows.len();
    while end >= 4 {
        let first = end - 4;
        let mut x = [0.0; 4];
        for k in (0..4).rev() {
            let r = first + k;
            b[r] *= inverse_diagonal[r];
            x[k] = b[r];
            for (v, l) in b[first..r].iter_mut().zip(&rows[r][first..r]) {
                *v -= l * x[k];
            }
        }
        let [l0, l1, l2, l3] = [
            &rows[first][..first],
            &rows[first + 1][..first],
            &rows[first + 2][..first],
            &rows[first + 3][..first],
        ];
        let ls = l0.iter().zip(l1).zip(l2.iter().zip(l3));
        for (v, ((e0, e1), (e2, e3))) in b[..first].iter_mut().zip(ls) {
            *v = *v - e3 * x[3] - e2 * x[2] - e1 * x[1] - e0 * x[0];
        }
        end = first;
    }
    for r in (0..end).rev() {
        b[r] *= inverse_diagonal[r];
        let x = b[r];
        for (v, l) in b[..r].iter_mut().zip(&rows[r][..r]) {
            *v -= l * x;
        }
    }
}
