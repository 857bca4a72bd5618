//! Dense kernels of the penalised Cox solver: dot products and column combinations that
//! vectorise, and a Cholesky factor that follows a changing set of variables.
//!
//! The kernels are compiled twice (`multiversion`): for the baseline x86-64 target (SSE2, two
//! doubles per instruction) and with AVX (four), chosen once at run time. Neither version uses
//! fused multiply-adds and both do the same additions in the same order, so the results are
//! identical bit for bit; AVX only halves the instructions. The dot products keep four partial
//! sums per column, which LLVM turns into one vector per column only when it cannot see how
//! the sums are combined at the end (see `dot_lanes`). The matrix products (`gemm`, from
//! matrixmultiply) do use fused multiply-adds where the CPU has them.
//!
//! [`UpdatableCholesky`] holds $A = LL^\top$ for the principal submatrix $A$ of a symmetric
//! positive definite matrix on the current variables, kept in the order they were added. Adding a variable appends a row to $L$ (one forward substitution, $O(m^2/2)$); removing one
//! deletes its row and restores the triangle with Givens rotations ($O((m-j)^2)$ for the $j$-th
//! of $m$). This is the standard updating of Golub & Van Loan (Matrix Computations, 4th ed.,
//! §6.5.4), done in place: nalgebra's `Cholesky::insert_column`/`remove_column` allocate, zero and
//! copy a new $(m\pm1)^2$ matrix at every change, which dominated the LASSO active-set method.
//! Building a factor from scratch ([`UpdatableCholesky::from_entries`]) is a blocked Cholesky
//! whose bulk is matrix products instead of one forward substitution per variable.

use multiversion::multiversion;
use nalgebra::{DMatrixView, DMatrixViewMut};

/// $a^\top b$ with four running sums, so the compiler can vectorise it (a single running sum
/// fixes the order of the additions and cannot be).
#[multiversion(targets("x86_64+avx"))]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    dot_lanes(a, b)
}

/// The body of [`dot`], inlined into the kernels that call it in a loop.
#[inline(always)]
fn dot_lanes(a: &[f64], b: &[f64]) -> f64 {
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
    // black_box: seeing the pairwise sum below, LLVM packs lanes (0, 1) and (2, 3) into
    // 128-bit vectors with shuffles instead of keeping the four sums in one 256-bit vector;
    // the sums are unchanged
    let sums = std::hint::black_box(sums);
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + rest
}

/// [`dot`] of four columns with one vector (each vector element loaded once; the same sums in
/// the same order as `dot`).
#[multiversion(targets("x86_64+avx"))]
pub(crate) fn dot4(columns: [&[f64]; 4], v: &[f64]) -> [f64; 4] {
    dot4_lanes(columns, v)
}

/// The body of [`dot4`], inlined into the kernels that call it in a loop.
#[inline(always)]
fn dot4_lanes(columns: [&[f64]; 4], v: &[f64]) -> [f64; 4] {
    let len = columns.iter().map(|c| c.len()).fold(v.len(), usize::min);
    let [a, b, c, d] = columns;
    let (a, b, c, d, v) = (&a[..len], &b[..len], &c[..len], &d[..len], &v[..len]);
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
    // black_box as in `dot_lanes`
    let sums = std::hint::black_box(sums);
    // no array::from_fn/map here: a generic helper that is not inlined would be compiled
    // without AVX and called per use
    let finish = |column: &[f64], s: [f64; 4]| {
        let rest: f64 = column[tail..]
            .iter()
            .zip(&v[tail..])
            .map(|(x, y)| x * y)
            .sum();
        (s[0] + s[1]) + (s[2] + s[3]) + rest
    };
    [
        finish(a, sums[0]),
        finish(b, sums[1]),
        finish(c, sums[2]),
        finish(d, sums[3]),
    ]
}

/// $x_k^\top v$ for each of `columns`, four columns at a time ([`dot4`], then [`dot`] for the
/// rest).
pub(crate) fn dots(columns: &[&[f64]], v: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(columns.len());
    let mut quads = columns.chunks_exact(4);
    for quad in quads.by_ref() {
        out.extend(dot4([quad[0], quad[1], quad[2], quad[3]], v));
    }
    out.extend(quads.remainder().iter().map(|c| dot(c, v)));
    out
}

/// `out` $\mathrel{+}= \sum_k \delta_k x_k$ over the `(column, δ)` pairs, four columns at a
/// time (each `out` element loaded and stored once per four); the additions are those of
/// adding the columns one after another, in the same order.
#[multiversion(targets("x86_64+avx"))]
pub(crate) fn add_scaled_columns(out: &mut [f64], columns: &[(&[f64], f64)]) {
    let mut quads = columns.chunks_exact(4);
    for quad in quads.by_ref() {
        let [(xa, da), (xb, db), (xc, dc), (xd, dd)] = [quad[0], quad[1], quad[2], quad[3]];
        let rows = xa.iter().zip(xb).zip(xc.iter().zip(xd));
        for (o, ((a, b), (c, d))) in out.iter_mut().zip(rows) {
            *o = *o + a * da + b * db + c * dc + d * dd;
        }
    }
    for &(x, delta) in quads.remainder() {
        for (o, v) in out.iter_mut().zip(x) {
            *o += v * delta;
        }
    }
}

/// `out[i]` $= e^{x_i - y_i}$ for every `i` (up to the shortest of `x`, `y` and `out`),
/// within one unit in the last place (ulp) of the correctly rounded value (subnormal results,
/// below $e^{-708.4}$, within 1 ulp of their own spacing).
///
/// The textbook method (Muller, Elementary Functions, 3rd ed., §11.2; Cody & Waite, Software
/// Manual for the Elementary Functions, 1980, ch. 6) in operations that vectorise, with no table
/// and no branch: for $y = x_i - y_i$,
/// $$y = k \ln 2 + r, \quad k = \operatorname{round}(y / \ln 2), \quad |r| \le \tfrac{\ln 2}{2},
/// \qquad e^y = 2^k e^r,$$
/// - $k$ rounded by adding and subtracting $1.5 \cdot 2^{52}$ (no float-to-integer conversion,
///   which AVX2 does not have for 64-bit integers);
/// - $r = (y - k\,\ell_{hi}) - k\,\ell_{lo}$ with $\ln 2 = \ell_{hi} + \ell_{lo}$ split so that
///   $\ell_{hi}$ has 32 significant bits: $k\,\ell_{hi}$ and the first subtraction are exact
///   (and the rounding of the second is carried along, [`reduced_argument`]);
/// - $e^r$ by its Taylor polynomial of degree 13 (remainder $< 5 \cdot 10^{-18}$ relative on
///   $|r| \le \ln 2 / 2$), [`exp_reduced`];
/// - $2^k$ as two powers of two $2^j\,2^{k-j}$, $j \approx k/2$, each written as its bits
///   ($(j + 1023) \ll 52$): both are normal numbers for every $k$ that occurs, so the scaling is
///   exact for normal results and results down to the smallest subnormal come out of the last
///   multiplication's rounding.
///
/// $y$ is clamped to $[-746, 710]$ first (still giving $0$ and $+\infty$, which lie beyond), so
/// $-\infty \mapsto 0$; NaN stays NaN; $y = 0$ (or $-0$) gives exactly 1. Only additions and
/// multiplications, no fused multiply-add: the AVX2 and the baseline builds give the same bits.
#[multiversion(targets("x86_64+avx2"))]
pub(crate) fn exp_difference(x: &[f64], y: &[f64], out: &mut [f64]) {
    // no calls and no branches in the body: LLVM vectorises this loop (4 lanes with AVX2, 2
    // without) and finishes the remainder one lane at a time with the same operations
    for (o, (a, b)) in out.iter_mut().zip(x.iter().zip(y)) {
        *o = exp_lane(a - b);
    }
}

/// $1.5 \cdot 2^{52}$: adding it to $|t| < 2^{51}$ rounds $t$ to an integer held in the low bits
/// of the mantissa.
const ROUNDING: f64 = 6_755_399_441_055_744.0;

/// `ROUNDING` plus the exponent bias, so the low 11 bits of `(j + EXPONENT_ROUNDING).to_bits()`
/// are the biased exponent of $2^j$.
const EXPONENT_ROUNDING: f64 = ROUNDING + 1023.0;

/// $\ln 2$ rounded to 32 significant bits (bits `0x3fe62e42fee00000`): $k\,\ell_{hi}$ is exact
/// for $|k| < 2^{21}$.
const LN2_HI: f64 = 0.693_147_180_369_123_8;

/// $\ln 2 - \ell_{hi}$ rounded to double precision.
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// $1/n!$ for $n = 2, \dots, 13$ (each the correctly rounded quotient: $n!$ is exact in `f64`).
const TAYLOR: [f64; 12] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// $e^y$ for one lane of [`exp_difference`] (see there); inlined into its loop.
#[inline(always)]
fn exp_lane(y: f64) -> f64 {
    let y = y.clamp(-746.0, 710.0);
    let k = (y * std::f64::consts::LOG2_E + ROUNDING) - ROUNDING;
    let (r, r_low) = reduced_argument(y, k);
    let exp_r = exp_reduced(r, r_low);
    // k in [-1076, 1024]: both halves in [-538, 512], normal exponents
    let half = (k * 0.5 + EXPONENT_ROUNDING) - EXPONENT_ROUNDING;
    exp_r * power_of_two(half) * power_of_two(k - half)
}

/// $y - k \ln 2$ as $r$ + `r_low`: $y - k\,\ell_{hi}$ is exact, and the rounding error of
/// adding $-k\,\ell_{lo}$ to it is kept (Dekker's fast two-sum; where its condition fails both
/// terms are below $2 \cdot 10^{-7}$ and the error is below $10^{-22}$ anyway).
#[inline(always)]
fn reduced_argument(y: f64, k: f64) -> (f64, f64) {
    let high = y - k * LN2_HI;
    let low = -(k * LN2_LO);
    let r = high + low;
    (r, (high - r) + low)
}

/// $e^{r + \delta}$ for $|r| \le \ln 2/2$ and a tiny $\delta$ = `r_low`, as
/// $1 + r + r^2 q(r) + \delta(1 + r)$ with $q(r) = \sum_{n=2}^{13} r^{n-2}/n!$ by Estrin's scheme
/// (pairs, then pairs of pairs: a quarter of Horner's chain of dependent operations), and the
/// sum $1 + r$ split exactly into a rounded head and its error, which joins the small terms: the
/// only rounding of a large term is the last addition, so the result is off the correctly rounded
/// value only where the true value lies within about $0.05$ ulp of a midpoint.
#[inline(always)]
fn exp_reduced(r: f64, r_low: f64) -> f64 {
    let c = TAYLOR;
    let r2 = r * r;
    let r4 = r2 * r2;
    let pair = |i: usize| c[i] + c[i + 1] * r;
    let quad = |i: usize| pair(i) + pair(i + 2) * r2;
    let q = quad(0) + r4 * (quad(4) + r4 * quad(8));
    let head = 1.0 + r;
    let head_error = (1.0 - head) + r;
    head + (head_error + (r2 * q + (r_low + r_low * r)))
}

/// $2^j$ for an integer-valued $j \in [-1022, 1023]$, from its bits.
#[inline(always)]
fn power_of_two(j: f64) -> f64 {
    f64::from_bits((j + EXPONENT_ROUNDING).to_bits() << 52)
}

/// Columns per block of [`UpdatableCholesky::from_entries`]: wide enough that most of the work
/// is matrix products, narrow enough that little is left outside them (`benches/README.md`).
const BLOCK: usize = 48;

/// $L$ row by row (row $r$ holds $L_{r,0..=r}$) with the variables in factor order.
#[derive(Debug, Clone, Default)]
pub(crate) struct UpdatableCholesky {
    variables: Vec<usize>,
    rows: Vec<Vec<f64>>,
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

#[cfg(test)]
mod tests {
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
}
