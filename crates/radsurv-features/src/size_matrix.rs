//! The (grey level × size) count matrix shared by GLRLM, GLSZM and GLDM, and the sums their
//! features are made of.

use crate::neighbours::EPS;

/// A (grey level × size) count matrix — run lengths here, zone sizes in GLSZM, dependence
/// counts in GLDM — with the sums every one of those classes' features is made of.
///
/// PyRadiomics deletes empty size columns and absent grey levels; zero rows and columns add
/// nothing to these sums, so they may stay.
pub(crate) struct SizeMatrix {
    /// Grey level value of each row ($i$).
    pub levels: Vec<f64>,
    /// Size of each column ($j$).
    pub sizes: Vec<f64>,
    /// Counts, row-major `levels.len() × sizes.len()`.
    pub counts: Vec<f64>,
}

impl SizeMatrix {
    /// $N = \sum_{i,j} \mathbf P(i,j)$.
    pub fn total(&self) -> f64 {
        self.counts.iter().sum()
    }

    /// $p_g(i) = \sum_j \mathbf P(i,j)$.
    fn level_sums(&self) -> Vec<(f64, f64)> {
        let n = self.sizes.len();
        self.levels
            .iter()
            .enumerate()
            .map(|(r, &i)| (i, self.counts[r * n..(r + 1) * n].iter().sum()))
            .collect()
    }

    /// $p_s(j) = \sum_i \mathbf P(i,j)$.
    fn size_sums(&self) -> Vec<(f64, f64)> {
        let n = self.sizes.len();
        let mut sums: Vec<(f64, f64)> = self.sizes.iter().map(|&j| (j, 0.0)).collect();
        for row in self.counts.chunks_exact(n) {
            for (sum, &c) in sums.iter_mut().zip(row) {
                sum.1 += c;
            }
        }
        sums
    }

    /// $\sum_{i,j} \mathbf P(i,j)\, f(i,j) / N$.
    pub fn weighted(&self, f: impl Fn(f64, f64) -> f64) -> f64 {
        let n = self.sizes.len();
        let mut s = 0.0;
        for (r, &i) in self.levels.iter().enumerate() {
            for (c, &j) in self.sizes.iter().enumerate() {
                let count = self.counts[r * n + c];
                if count != 0.0 {
                    s += count * f(i, j);
                }
            }
        }
        s / self.total()
    }

    /// $\sum_i p_g(i)^2 / N$.
    pub fn level_non_uniformity(&self) -> f64 {
        self.level_sums().iter().map(|(_, p)| p * p).sum::<f64>() / self.total()
    }

    /// $\sum_j p_s(j)^2 / N$.
    pub fn size_non_uniformity(&self) -> f64 {
        self.size_sums().iter().map(|(_, p)| p * p).sum::<f64>() / self.total()
    }

    /// Population variance of $i$ under $p_g(i)/N$.
    pub fn level_variance(&self) -> f64 {
        variance(&self.level_sums(), self.total())
    }

    /// Population variance of $j$ under $p_s(j)/N$.
    pub fn size_variance(&self) -> f64 {
        variance(&self.size_sums(), self.total())
    }

    /// $-\sum_{i,j} p \log_2(p + \epsilon)$ with $p = \mathbf P/N$.
    pub fn entropy(&self) -> f64 {
        let total = self.total();
        -self
            .counts
            .iter()
            .map(|&c| c / total)
            .map(|p| p * (p + EPS).log2())
            .sum::<f64>()
    }

    /// $N / \sum_{i,j} j\,\mathbf P(i,j)$ (runs or zones per voxel).
    pub fn percentage(&self) -> f64 {
        1.0 / self.weighted(|_, j| j)
    }
}

/// $\sum_x w_x (x - \mu)^2 / N$ with $\mu = \sum_x w_x x / N$.
fn variance(weights: &[(f64, f64)], total: f64) -> f64 {
    let mean: f64 = weights.iter().map(|(x, w)| x * w / total).sum();
    weights
        .iter()
        .map(|(x, w)| w / total * (x - mean).powi(2))
        .sum()
}
