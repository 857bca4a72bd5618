//! Anderson acceleration of the chord iteration at one λ, and the small least-squares solve it
//! needs.

use std::collections::VecDeque;

use super::same_signs;
use crate::linalg::dot;

/// Anderson acceleration (Walker & Ni 2011, SIAM J. Numer. Anal. 49(4), "type II") of the chord
/// iteration $\beta \leftarrow T(\beta)$ at one λ with one $G$: with the last residuals
/// $f_i = T(\beta_i) - \beta_i$ and images $g_i = T(\beta_i)$, the next iterate is
/// $g_k - \sum_i \gamma_i (g_{i+1} - g_i)$ with $\gamma$ the least-squares solution of
/// $\sum_i \gamma_i (f_{i+1} - f_i) \approx f_k$. Where the signs of $T(\beta)$ are fixed the map
/// is smooth and the chord method linear, which the extrapolation speeds up; it restarts when the
/// signs change and is not used when it would change them (each $g_k$ is the exact minimiser of a
/// model, the extrapolate is not). Depth 3: deeper histories gave no fewer outer steps
/// (`benches/README.md`).
#[derive(Default)]
pub(super) struct Anderson {
    pub(super) images: VecDeque<Vec<f64>>,
    pub(super) residuals: VecDeque<Vec<f64>>,
}

impl Anderson {
    pub(super) const DEPTH: usize = 3;

    /// Records $g = T(x)$ and returns the next iterate.
    pub(super) fn next(&mut self, x: &[f64], g: &[f64]) -> Vec<f64> {
        if self.images.back().is_some_and(|last| !same_signs(last, g)) {
            self.images.clear();
            self.residuals.clear();
        }
        self.images.push_back(g.to_vec());
        self.residuals
            .push_back(g.iter().zip(x).map(|(a, b)| a - b).collect());
        if self.images.len() > Self::DEPTH + 1 {
            self.images.pop_front();
            self.residuals.pop_front();
        }
        let m = self.images.len() - 1;
        if m == 0 {
            return g.to_vec();
        }
        let f = &self.residuals;
        let differences: Vec<Vec<f64>> = (0..m)
            .map(|c| f[c + 1].iter().zip(&f[c]).map(|(a, b)| a - b).collect())
            .collect();
        let gamma = least_squares(differences, &f[m]);
        let mut next = g.to_vec();
        for (c, weight) in gamma.iter().enumerate() {
            let (later, earlier) = (&self.images[c + 1], &self.images[c]);
            for (v, (a, b)) in next.iter_mut().zip(later.iter().zip(earlier)) {
                *v -= weight * (a - b);
            }
        }
        if same_signs(&next, g) {
            next
        } else {
            g.to_vec()
        }
    }
}

/// $\gamma = \arg\min \lVert D\gamma - y\rVert_2$ for the few columns of $D$ by modified
/// Gram–Schmidt ($D = QR$, then $R\gamma = Q^\top y$; Golub & Van Loan, Matrix Computations,
/// 4th ed., §5.2). A column whose part orthogonal to the earlier ones is under $10^{-12}$ of
/// its norm is dependent on them and gets $\gamma_c = 0$ (a basic solution: the fit is the
/// same). Anderson acceleration has at most [`Anderson::DEPTH`] + 1 columns, where a general
/// SVD costs more than the step it accelerates.
pub(super) fn least_squares(mut columns: Vec<Vec<f64>>, y: &[f64]) -> Vec<f64> {
    let m = columns.len();
    let mut r = vec![vec![0.0; m]; m];
    let mut kept = vec![false; m];
    for c in 0..m {
        let (earlier, rest) = columns.split_at_mut(c);
        let column = &mut rest[0];
        let norm = dot(column, column).sqrt();
        for (i, q) in earlier.iter().enumerate().filter(|(i, _)| kept[*i]) {
            let projection = dot(q, column);
            r[i][c] = projection;
            column
                .iter_mut()
                .zip(q)
                .for_each(|(v, qv)| *v -= projection * qv);
        }
        let remaining = dot(column, column).sqrt();
        if remaining > 1e-12 * norm {
            r[c][c] = remaining;
            column.iter_mut().for_each(|v| *v /= remaining);
            kept[c] = true;
        }
    }
    let mut gamma: Vec<f64> = (0..m)
        .map(|c| if kept[c] { dot(&columns[c], y) } else { 0.0 })
        .collect();
    for c in (0..m).rev().filter(|&c| kept[c]) {
        let later: f64 = (c + 1..m).map(|k| r[c][k] * gamma[k]).sum();
        gamma[c] = (gamma[c] - later) / r[c][c];
    }
    gamma
}
