//! The Breslow log partial likelihood on risk sets: rows in time order, tied times grouped,
//! exponentials and risk-set sums held on scales that neither overflow nor underflow.

use crate::linalg::{dot, exp_difference};
use crate::surv::TieGroups;
use crate::SurvData;

/// Rows sorted by time with the groups of tied times: what the Breslow likelihood needs.
pub(super) struct RiskSets {
    /// Original row index of each sorted position.
    pub(super) order: Vec<usize>,
    /// Event indicator (1 or 0) per sorted position.
    pub(super) event: Vec<f64>,
    /// `(start, end, events)` of each run of equal times, ascending.
    pub(super) groups: Vec<(usize, usize, f64)>,
}

impl RiskSets {
    pub(super) fn new(data: &SurvData) -> Self {
        let tie_groups = TieGroups::of(data);
        let status = data.status();
        let event = tie_groups
            .order()
            .iter()
            .map(|&i| f64::from(u8::from(status[i])))
            .collect();
        let groups = tie_groups
            .groups()
            .iter()
            .map(|g| (g.start, g.end, g.events as f64))
            .collect();
        RiskSets {
            order: tie_groups.order().to_vec(),
            event,
            groups,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.order.len()
    }

    /// $-\sum_k d_k \log d_k$.
    pub(super) fn saturated_loglik(&self) -> f64 {
        -self
            .groups
            .iter()
            .filter(|g| g.2 > 0.0)
            .map(|g| g.2 * g.2.ln())
            .sum::<f64>()
    }

    /// The exponentials of a sorted linear predictor and the risk-set sums, each on its risk
    /// set's scale ([`Exponentials`], [`RiskSums`]).
    pub(super) fn scale(&self, eta: &[f64], exps: &mut Exponentials, sums: &mut RiskSums) {
        let n = self.len();
        let groups = self.groups.len();
        exps.weight.resize(n, 0.0);
        sums.sums.resize(groups, 0.0);
        // Usually one shift, by the largest η, keeps every risk-set sum far from underflow; it
        // is the one scale of all risk sets, so every step is 1.
        let top = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        exps.step.clear();
        exps.step.resize(n, 1.0);
        sums.shift.clear();
        sums.shift.resize(groups, top);
        sums.row_shift.clear();
        sums.row_shift.resize(n, top);
        exp_difference(eta, &sums.row_shift, &mut exps.weight);
        self.sum_risk_sets(exps, &mut sums.sums);
        // the sums decrease along the groups: the last is the smallest
        if sums.sums.last().is_some_and(|&s| s >= SMALLEST_RISK_SUM) {
            return;
        }
        // m_k = max over R_k, a suffix maximum; one-row groups skip the slice fold's set-up
        let mut max = f64::NEG_INFINITY;
        for (m, &(start, end, _)) in sums.shift.iter_mut().zip(&self.groups).rev() {
            let later = max;
            if end == start + 1 {
                max = max.max(eta[start]);
                sums.row_shift[start] = max;
            } else {
                max = eta[start..end].iter().copied().fold(max, f64::max);
                sums.row_shift[start..end].fill(max);
            }
            // the scale changes only where a new maximum appears (about ln n times)
            if max != later && end < n {
                exps.step[end - 1] = (later - max).exp();
            }
            *m = max;
        }
        exp_difference(eta, &sums.row_shift, &mut exps.weight);
        self.sum_risk_sets(exps, &mut sums.sums);
    }

    /// $\hat S_k$ per group, from the last group back, changing scale by the steps.
    pub(super) fn sum_risk_sets(&self, exps: &Exponentials, sums: &mut [f64]) {
        let mut running = 0.0;
        for (sum, &(start, end, _)) in sums.iter_mut().zip(&self.groups).rev() {
            running *= exps.step[end - 1];
            // most times are untied: a one-row group skips the slice sum's set-up
            running += if end == start + 1 {
                exps.weight[start]
            } else {
                exps.weight[start..end].iter().sum::<f64>()
            };
            *sum = running;
        }
    }

    /// Breslow log partial likelihood of a sorted linear predictor.
    pub(super) fn loglik(&self, eta: &[f64]) -> f64 {
        let (mut exps, mut sums) = (Exponentials::default(), RiskSums::default());
        self.scale(eta, &mut exps, &mut sums);
        self.loglik_scaled(eta, &sums)
    }

    /// $\ell = \sum_i \delta_i\eta_i - \sum_k d_k(m_k + \ln\hat S_k)$ from the scaled sums.
    pub(super) fn loglik_scaled(&self, eta: &[f64], sums: &RiskSums) -> f64 {
        let mut log_sums = LogProduct::default();
        let mut shifts = 0.0;
        let groups = self.groups.iter().zip(&sums.sums).zip(&sums.shift);
        for ((g, &s), &m) in groups.filter(|((g, _), _)| g.2 > 0.0) {
            log_sums.multiply(s, g.2);
            shifts += g.2 * m;
        }
        dot(&self.event, eta) - shifts - log_sums.ln()
    }
}

/// The smallest risk-set sum for which one shift for all risk sets is kept: $1/\hat S_k^2$ stays
/// below $10^{200}$ and the weights that underflow weigh under $10^{-200}$ of their sums.
pub(super) const SMALLEST_RISK_SUM: f64 = 1e-100;

/// The exponentials of a sorted linear predictor, each relative to a shift of its risk set, so
/// that nothing the likelihood needs can overflow or underflow however far apart the $\eta_i$
/// are.
///
/// Group $k$ has a shift $m_k$; row $i$ of group $k$ has the weight $u_i = e^{\eta_i - m_k}$ and
/// the group the sum $\hat S_k = S_k e^{-m_k}$. Every term of the gradient and the Hessian is a
/// product of ratios $e^{\eta_i}/S_k$ with $i \in R_k$, which these give without forming $S_k$
/// itself. Usually one shift serves all groups, $m_k = \max_i\eta_i$; when that leaves a sum
/// under [`SMALLEST_RISK_SUM`] (the predictors spread over more than ~230, as at the nearly
/// separable end of a path with $n = p = 1000$, where one shift had let late sums underflow and
/// $1/S_k^2$ overflow), each group takes its risk set's maximum, $m_k = \max_{j \in R_k}\eta_j$
/// (a suffix maximum, as $R_k$ is the rows from the first of $t_k$ on), so that $u_i \le 1$ and
/// $\hat S_k \in [1, n]$. Sums running over the groups change scale from group $k+1$ to group
/// $k$ by the factor $e^{m_{k+1} - m_k} \le 1$.
#[derive(Clone, Default)]
pub(super) struct Exponentials {
    /// $u_i$ per row.
    pub(super) weight: Vec<f64>,
    /// Per row $i$: $e^{m_{k(i+1)} - m_{k(i)}}$ for the groups $k(\cdot)$ of rows $i+1$ and $i$
    /// (1 inside a group and on the last row).
    pub(super) step: Vec<f64>,
}

/// The risk-set sums of [`Exponentials`], per group (and the scratch that forms them).
#[derive(Default)]
pub(super) struct RiskSums {
    /// $m_k$.
    pub(super) shift: Vec<f64>,
    /// $\hat S_k$.
    pub(super) sums: Vec<f64>,
    /// $m_{k(i)}$ per row.
    pub(super) row_shift: Vec<f64>,
}

/// $\sum_k d_k \ln S_k$ as $\ln \prod_k S_k^{d_k}$, the product kept as a mantissa in $[1, 2)$
/// times a power of two so that it cannot overflow: one logarithm for the whole sum instead of
/// one per event time, as the logarithms are a visible share of a CV's work. Each factor adds a relative rounding error of at most $2^{-53}$ to the product, i.e. at
/// most $1.1 \times 10^{-16}$ to the logarithm, where adding the terms' logarithms rounds to the
/// last place of the growing sum.
#[derive(Debug, Clone, Copy)]
pub(super) struct LogProduct {
    pub(super) mantissa: f64,
    pub(super) exponent: i64,
    /// The logarithms of factors outside the normal range, added directly.
    pub(super) direct: f64,
}

impl Default for LogProduct {
    fn default() -> Self {
        LogProduct {
            mantissa: 1.0,
            exponent: 0,
            direct: 0.0,
        }
    }
}

impl LogProduct {
    pub(super) const EXPONENT_BITS: u64 = 0x7ff << 52;

    /// Multiplies by $v^d$ ($d$ a count).
    pub(super) fn multiply(&mut self, v: f64, d: f64) {
        // a normal v times a mantissa in [1, 2) stays normal unless v is within a factor 2 of
        // the ends of the range
        if !(v > 2.0 * f64::MIN_POSITIVE && v < 0.5 * f64::MAX) {
            self.direct += d * v.ln();
            return;
        }
        // (a signed count: converting to i64 is one instruction, to u64 a sequence)
        for _ in 0..d as i64 {
            let bits = (self.mantissa * v).to_bits();
            self.exponent += ((bits & Self::EXPONENT_BITS) >> 52) as i64 - 1023;
            self.mantissa = f64::from_bits((bits & !Self::EXPONENT_BITS) | (1023 << 52));
        }
    }

    pub(super) fn ln(self) -> f64 {
        self.mantissa.ln() + self.exponent as f64 * std::f64::consts::LN_2 + self.direct
    }
}
