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

mod cholesky;
mod exp;
mod ldl;
#[cfg(test)]
mod tests;

pub(crate) use cholesky::UpdatableCholesky;
pub(crate) use exp::exp_difference;
pub(crate) use ldl::{solve_symmetric, Ldl};

use multiversion::multiversion;

/// $a^\top b$ summed left to right, as R's C loops do (the unpenalised Cox fit keeps R's order
/// of additions; [`dot`] reorders them to vectorise).
pub(crate) fn dot_in_order(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// $a^\top b$ with four running sums, so the compiler can vectorise it (a single running sum
/// fixes the order of the additions and cannot be).
#[multiversion(targets("x86_64+avx"))]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    dot_lanes(a, b)
}

/// The body of [`dot`], inlined into the kernels that call it in a loop.
#[inline(always)]
pub(super) fn dot_lanes(a: &[f64], b: &[f64]) -> f64 {
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
pub(super) fn dot4_lanes(columns: [&[f64]; 4], v: &[f64]) -> [f64; 4] {
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
