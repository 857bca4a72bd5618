//! Concordance (C-index) of a risk score with right-censored survival: Harrell's C, time-weighted
//! (Uno-type) variants, their infinitesimal-jackknife standard error, and a paired comparison of
//! two scores.
//!
//! # Definition
//! Orientation: a **higher risk score means shorter survival** (a Cox linear predictor). A pair
//! $(i, j)$ is comparable when $T_i < T_j$ and $\delta_i = 1$, or when $T_i = T_j$, $\delta_i = 1$
//! and $\delta_j = 0$ (a censoring tied with an event is assumed to outlive it). Two events at the
//! same time are *tied on y* and excluded. Each comparable pair carries the time weight $v(T_i)$
//! of its event time:
//! $$C = \frac{\sum v\,[\,I(r_i > r_j) + \tfrac12 I(r_i = r_j)\,]}{\sum v},\qquad
//!   d = \frac{\mathrm{conc} - \mathrm{disc}}{\mathrm{conc} + \mathrm{disc} + \mathrm{tied}_x}.$$
//!
//! # Notation
//! $r$ risk score; $n(t)$ at risk, $d(t)$ events, $c(t)$ censorings at $t$; $\hat S$ the
//! Kaplan–Meier of $T$; $\hat G(t-) = \prod_{s<t}\{1 - c(s)/(n(s)-d(s))\}$ the Kaplan–Meier of the
//! censoring just before $t$, events leaving before censorings at tied times (what survival's
//! weights reproduce: with $c/n$ instead, lung's S/G C moves by 1.3e-5).
//!
//! # Settings and defaults
//! [`TimeWeight`]: `n` ($v = 1$, Harrell, the default), `S` ($v = N\hat S(t)/(n(t)-d(t))$),
//! `S/G` ($v = N\hat S(t)/\{(n(t)-d(t))\hat G(t-)\}$), `n/G2` ($v = \hat G(t-)^{-2}$, Uno);
//! event times above `ymax` (or below `ymin`) get weight 0. With fewer than two events every weight
//! is `n`, as survival does.
//!
//! # Variance
//! Infinitesimal jackknife (survival ≥ 3.0): with $C_k, D_k, T_k$ the weighted counts of the pairs
//! that observation $k$ belongs to (as event or as comparator) and $m = \mathrm{conc}+\mathrm{disc}+
//! \mathrm{tied}_x$, $\partial d/\partial w_k = [C_k - D_k - d\,(C_k+D_k+T_k)]/m$ and
//! $\operatorname{var}(C) = \tfrac14 \sum_k (\partial d/\partial w_k)^2$. The time weights are held
//! fixed in the derivative, as survival does. CI: $C \pm z_{0.975}\,\mathrm{se}$ (untransformed),
//! its limits clipped to [0, 1], the range of $C$.
//!
//! # Reference
//! R `survival::concordance(Surv(time, status) ~ risk, reverse = TRUE, timewt = w, ymax = tau)`
//! (survival 3.5-3): fields `concordance`, `sqrt(var)`, `count`. Golden:
//! `stats/expected/concordance/concordance_survival.csv`.
//!
//! # Known differences
//! survival first merges times that differ by less than $\sqrt{\epsilon}$ relatively (`aeqSurv`);
//! we compare times exactly. Risk scores are compared exactly, as survival's `match(unique())`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::distributions::{qnorm, z_two_sided};
use crate::surv::TieGroups;
use crate::{Result, StatsError, SurvData};

/// Time weighting of comparable pairs (survival's `timewt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeWeight {
    /// `"n"`: every comparable pair counts 1 (Harrell's C).
    #[default]
    N,
    /// `"S"`: $N\hat S(t)/(n(t)-d(t))$.
    S,
    /// `"S/G"`: $N\hat S(t)/\{(n(t)-d(t))\hat G(t-)\}$.
    SOverG,
    /// `"n/G2"`: $\hat G(t-)^{-2}$ (Uno's C when combined with `ymax = tau`).
    NOverG2,
}

/// Options of [`concordance`]; `Default` is Harrell's C over all event times.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ConcordanceOptions {
    /// Time weighting.
    pub timewt: TimeWeight,
    /// Event times below this get weight 0.
    pub ymin: Option<f64>,
    /// Event times above this get weight 0 (Uno's truncation time $\tau$).
    pub ymax: Option<f64>,
}

/// A concordance estimate with its pair counts (weighted when the time weight is not `n`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concordance {
    /// The concordance $C = (\mathrm{conc} + \mathrm{tied}_x/2)/(\mathrm{conc}+\mathrm{disc}+\mathrm{tied}_x)$.
    pub c: f64,
    /// Infinitesimal-jackknife standard error.
    pub se: f64,
    /// Lower 95 % limit, $C - z_{0.975}\,\mathrm{se}$, at least 0.
    pub lower: f64,
    /// Upper 95 % limit, $C + z_{0.975}\,\mathrm{se}$, at most 1.
    pub upper: f64,
    /// Comparable pairs where the earlier event has the higher risk.
    pub concordant: f64,
    /// Comparable pairs where the earlier event has the lower risk.
    pub discordant: f64,
    /// Comparable pairs tied on the risk score.
    pub tied_x: f64,
    /// Pairs of events at the same time with different risk (not comparable).
    pub tied_y: f64,
    /// Pairs of events at the same time with the same risk.
    pub tied_xy: f64,
    /// Per-observation influence $\partial C/\partial w_k$ (sums of squares give `se²`).
    #[serde(skip)]
    pub influence: Vec<f64>,
}

/// Harrell's C: [`concordance`] with the default options (`timewt = "n"`).
///
/// $$C = \frac{\sum_{i,j} \delta_i I(T_i < T_j)\,[I(r_i > r_j) + \tfrac12 I(r_i = r_j)]}
///           {\sum_{i,j} \delta_i I(T_i < T_j)}$$
/// (censorings tied with an event count as later). Matches R
/// `survival::concordance(Surv(time, status) ~ risk, reverse = TRUE)`.
///
/// # Errors
/// As [`concordance`].
pub fn harrell(data: &SurvData, risk: &[f64]) -> Result<Concordance> {
    concordance(data, risk, &ConcordanceOptions::default())
}

/// Uno's C truncated at `tau`: pairs weighted by $\hat G(T_i-)^{-2}$, event times $> \tau$ dropped.
///
/// $$C_\tau = \frac{\sum_{i,j} \delta_i \hat G(T_i-)^{-2} I(T_i < T_j, T_i \le \tau)\,
///   [I(r_i > r_j) + \tfrac12 I(r_i = r_j)]}{\sum_{i,j} \delta_i \hat G(T_i-)^{-2} I(T_i < T_j, T_i \le \tau)}$$
/// Matches R `survival::concordance(..., reverse = TRUE, timewt = "n/G2", ymax = tau)`.
///
/// # Errors
/// As [`concordance`].
pub fn uno(data: &SurvData, risk: &[f64], tau: f64) -> Result<Concordance> {
    let opts = ConcordanceOptions {
        timewt: TimeWeight::NOverG2,
        ymin: None,
        ymax: Some(tau),
    };
    concordance(data, risk, &opts)
}

/// Concordance of `risk` (higher = shorter survival) with the survival data; see the module doc
/// for the formula, weights and variance.
///
/// Matches R `survival::concordance(Surv(time, status) ~ risk, reverse = TRUE, timewt, ymin, ymax)`:
/// `concordance`, `sqrt(var)`, `count`. Runs in $O(n \log n)$ (two Fenwick trees over the risk ranks).
///
/// # Errors
/// [`StatsError::Degenerate`] when `risk` has a different length or no pair is comparable;
/// [`StatsError::InvalidValue`] (column `risk`) for a non-finite score.
pub fn concordance(
    data: &SurvData,
    risk: &[f64],
    opts: &ConcordanceOptions,
) -> Result<Concordance> {
    check_risk(data, risk)?;
    let weights = event_time_weights(data, opts);
    let counts = count_pairs(data, risk, &weights);
    let m = counts.concordant + counts.discordant + counts.tied_x;
    if m <= 0.0 {
        return Err(StatsError::Degenerate(
            "no comparable pairs for the concordance".into(),
        ));
    }
    let somers = (counts.concordant - counts.discordant) / m;
    let influence: Vec<f64> = (0..data.len())
        .map(|k| {
            let (c, d, t) = (counts.inf_conc[k], counts.inf_disc[k], counts.inf_tied[k]);
            // dC/dw = (dd/dw)/2 since C = (d + 1)/2
            ((c - d) / m - somers / m * (c + d + t)) / 2.0
        })
        .collect();
    let se = influence.iter().map(|v| v * v).sum::<f64>().sqrt();
    let c = (somers + 1.0) / 2.0;
    let z = qnorm(0.975);
    Ok(Concordance {
        c,
        se,
        lower: (c - z * se).max(0.0),
        upper: (c + z * se).min(1.0),
        concordant: counts.concordant,
        discordant: counts.discordant,
        tied_x: counts.tied_x,
        tied_y: counts.tied_y,
        tied_xy: counts.tied_xy,
        influence,
    })
}

/// Paired comparison of two risk scores' concordance on the same subjects.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcordanceComparison {
    /// $C_a$ on the full data.
    pub c_a: f64,
    /// $C_b$ on the full data.
    pub c_b: f64,
    /// $C_a - C_b$ on the full data.
    pub difference: f64,
    /// Bootstrap standard deviation of $C_a^* - C_b^*$.
    pub se: f64,
    /// 2.5 % percentile of the bootstrap differences.
    pub lower: f64,
    /// 97.5 % percentile of the bootstrap differences.
    pub upper: f64,
    /// Two-sided p of $z = (C_a - C_b)/\mathrm{se}$ against N(0, 1).
    pub p: f64,
    /// Resamples that had comparable pairs (those without are skipped and not counted).
    pub n_boot: usize,
}

/// Paired bootstrap comparison of two scores' concordance: `n_boot` resamples of whole subjects
/// (rows drawn with replacement, ChaCha8 seeded by `seed`), the same rows for both scores.
///
/// $$\widehat{\mathrm{se}} = \operatorname{sd}_b(C^{*b}_a - C^{*b}_b),\quad
///   p = 2\,\Phi(-|C_a - C_b|/\widehat{\mathrm{se}}),\quad
///   \mathrm{CI} = [q_{0.025}, q_{0.975}] \text{ of } C^{*}_a - C^{*}_b \text{ (percentile, R type 7)}$$
/// The usual paired bootstrap (as `compareC`'s alternative or a `boot` call on both C's).
///
/// # Errors
/// As [`concordance`] on the full data; [`StatsError::Degenerate`] when `n_boot < 2` or fewer
/// than two resamples had comparable pairs.
pub fn compare_bootstrap(
    data: &SurvData,
    risk_a: &[f64],
    risk_b: &[f64],
    opts: &ConcordanceOptions,
    n_boot: usize,
    seed: u64,
) -> Result<ConcordanceComparison> {
    let c_a = concordance(data, risk_a, opts)?.c;
    let c_b = concordance(data, risk_b, opts)?.c;
    if n_boot < 2 {
        return Err(StatsError::Degenerate(
            "the bootstrap needs at least 2 resamples".into(),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = data.len();
    let mut diffs = Vec::with_capacity(n_boot);
    for _ in 0..n_boot {
        let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let sample = data.subset(&rows);
        let pick = |r: &[f64]| rows.iter().map(|&i| r[i]).collect::<Vec<_>>();
        let (a, b) = (
            concordance(&sample, &pick(risk_a), opts),
            concordance(&sample, &pick(risk_b), opts),
        );
        if let (Ok(a), Ok(b)) = (a, b) {
            diffs.push(a.c - b.c);
        }
    }
    if diffs.len() < 2 {
        return Err(StatsError::Degenerate(
            "fewer than 2 usable bootstrap resamples".into(),
        ));
    }
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    let var = diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (diffs.len() - 1) as f64;
    let se = var.sqrt();
    diffs.sort_by(f64::total_cmp);
    let difference = c_a - c_b;
    let p = if se > 0.0 {
        z_two_sided(difference / se)
    } else {
        f64::NAN
    };
    Ok(ConcordanceComparison {
        c_a,
        c_b,
        difference,
        se,
        lower: quantile_type7(&diffs, 0.025),
        upper: quantile_type7(&diffs, 0.975),
        p,
        n_boot: diffs.len(),
    })
}

/// R's default (type 7) quantile of sorted values.
fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn check_risk(data: &SurvData, risk: &[f64]) -> Result<()> {
    if risk.len() != data.len() {
        return Err(StatsError::Degenerate(format!(
            "{} risk scores for {} observations",
            risk.len(),
            data.len()
        )));
    }
    if let Some(row) = risk.iter().position(|r| !r.is_finite()) {
        return Err(StatsError::InvalidValue {
            row: row + 1,
            column: "risk".into(),
            reason: format!("risk score must be finite, got {}", risk[row]),
        });
    }
    Ok(())
}

/// The weight $v(t)$ for each distinct event time, ascending, as a (time, weight) list.
fn event_time_weights(data: &SurvData, opts: &ConcordanceOptions) -> Vec<(f64, f64)> {
    let table = TieGroups::of(data).risk_table();
    let timewt = if data.events() < 2 {
        TimeWeight::N
    } else {
        opts.timewt
    };
    let total = data.len() as f64;
    let (mut surv, mut cens_surv) = (1.0, 1.0);
    let mut out = Vec::new();
    for row in &table {
        let (n, d, c) = (row.n_risk as f64, row.n_event as f64, row.n_censor as f64);
        let g_before = cens_surv;
        surv *= 1.0 - d / n;
        // at a tied time the events leave first: G drops by c/(n - d) (matches survival)
        if n > d {
            cens_surv *= 1.0 - c / (n - d);
        }
        if d == 0.0 {
            continue;
        }
        let pairs_per_event = if surv == 0.0 { 0.0 } else { surv / (n - d) };
        let mut w = match timewt {
            TimeWeight::N => 1.0,
            TimeWeight::S => total * pairs_per_event,
            TimeWeight::SOverG => total * pairs_per_event / g_before,
            TimeWeight::NOverG2 => 1.0 / (g_before * g_before),
        };
        let t = row.time;
        if opts.ymin.is_some_and(|lo| t < lo) || opts.ymax.is_some_and(|hi| t > hi) {
            w = 0.0;
        }
        // an event time with nobody left to compare gives 0/0 or x/0: no pairs, weight 0
        out.push((t, if w.is_finite() { w } else { 0.0 }));
    }
    out
}

/// Fenwick tree of weights indexed by risk rank, answering "weight below / at / above rank r".
struct RankTree {
    cumulative: Vec<f64>,
    at: Vec<f64>,
    total: f64,
}

impl RankTree {
    fn new(ranks: usize) -> Self {
        RankTree {
            cumulative: vec![0.0; ranks + 1],
            at: vec![0.0; ranks],
            total: 0.0,
        }
    }

    fn add(&mut self, rank: usize, w: f64) {
        self.at[rank] += w;
        self.total += w;
        let mut i = rank + 1;
        while i < self.cumulative.len() {
            self.cumulative[i] += w;
            i += i & i.wrapping_neg();
        }
    }

    /// Total weight at ranks strictly below `rank`.
    fn below(&self, rank: usize) -> f64 {
        let (mut i, mut s) = (rank, 0.0);
        while i > 0 {
            s += self.cumulative[i];
            i -= i & i.wrapping_neg();
        }
        s
    }

    /// (below, at, above) weights relative to `rank`.
    fn split(&self, rank: usize) -> (f64, f64, f64) {
        let below = self.below(rank);
        let at = self.at[rank];
        (below, at, self.total - below - at)
    }
}

/// Weighted pair counts and per-observation influence columns.
struct PairCounts {
    concordant: f64,
    discordant: f64,
    tied_x: f64,
    tied_y: f64,
    tied_xy: f64,
    inf_conc: Vec<f64>,
    inf_disc: Vec<f64>,
    inf_tied: Vec<f64>,
}

/// Walks from the longest time down: censorings at a time join the risk set before that time's
/// events are counted (so they count as outliving them); tied events are counted against the risk
/// set before any of them joins it. A second tree of event weights gives each comparator's
/// influence as (event weight below it at the end) − (at the moment it entered).
fn count_pairs(data: &SurvData, risk: &[f64], weights: &[(f64, f64)]) -> PairCounts {
    let n = data.len();
    let status = data.status();
    let mut sorted_risk = risk.to_vec();
    sorted_risk.sort_by(f64::total_cmp);
    sorted_risk.dedup();
    let rank: Vec<usize> = risk
        .iter()
        .map(|r| sorted_risk.partition_point(|v| v < r))
        .collect();
    let groups = TieGroups::of(data);

    let mut at_risk = RankTree::new(sorted_risk.len());
    let mut events = RankTree::new(sorted_risk.len());
    let mut pc = PairCounts {
        concordant: 0.0,
        discordant: 0.0,
        tied_x: 0.0,
        tied_y: 0.0,
        tied_xy: 0.0,
        inf_conc: vec![0.0; n],
        inf_disc: vec![0.0; n],
        inf_tied: vec![0.0; n],
    };
    let mut weight_idx = weights.len();
    // descending time; at equal times the censorings enter first
    for group in groups.groups().iter().rev() {
        let rows = groups.rows(group);
        for &obs in rows.iter().filter(|&&i| !status[i]) {
            enter_risk_set(obs, rank[obs], &mut at_risk, &events, &mut pc);
        }
        if group.events == 0 {
            continue;
        }
        let tied: Vec<usize> = rows.iter().copied().filter(|&i| status[i]).collect();
        weight_idx -= 1;
        let v = weights[weight_idx].1;
        for &e in &tied {
            let (below, at, above) = at_risk.split(rank[e]);
            pc.concordant += v * below;
            pc.discordant += v * above;
            pc.tied_x += v * at;
            pc.inf_conc[e] += v * below;
            pc.inf_disc[e] += v * above;
            pc.inf_tied[e] += v * at;
            events.add(rank[e], v);
        }
        count_tied_events(&tied, &rank, v, &mut pc);
        for &e in &tied {
            enter_risk_set(e, rank[e], &mut at_risk, &events, &mut pc);
        }
    }
    for (k, &r) in rank.iter().enumerate() {
        let (below, at, above) = events.split(r);
        pc.inf_conc[k] += above;
        pc.inf_disc[k] += below;
        pc.inf_tied[k] += at;
    }
    pc
}

/// Adds an observation to the risk set, first subtracting the event weights already seen (they
/// are not its comparators).
fn enter_risk_set(
    obs: usize,
    rank: usize,
    at_risk: &mut RankTree,
    events: &RankTree,
    pc: &mut PairCounts,
) {
    let (below, at, above) = events.split(rank);
    pc.inf_conc[obs] -= above;
    pc.inf_disc[obs] -= below;
    pc.inf_tied[obs] -= at;
    at_risk.add(rank, 1.0);
}

/// Pairs among events at one time: tied on y, and tied on both when their ranks are equal.
fn count_tied_events(tied: &[usize], rank: &[usize], v: f64, pc: &mut PairCounts) {
    let d = tied.len() as f64;
    let mut ranks: Vec<usize> = tied.iter().map(|&e| rank[e]).collect();
    ranks.sort_unstable();
    let mut same_xy = 0.0;
    let mut k = 0;
    while k < ranks.len() {
        let run = ranks[k..].iter().take_while(|&&r| r == ranks[k]).count() as f64;
        same_xy += run * (run - 1.0) / 2.0;
        k += run as usize;
    }
    pc.tied_y += v * (d * (d - 1.0) / 2.0 - same_xy);
    pc.tied_xy += v * same_xy;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all pairs, Harrell weights.
    fn brute(time: &[f64], status: &[f64], risk: &[f64]) -> (f64, f64, f64) {
        let (mut c, mut d, mut t) = (0.0, 0.0, 0.0);
        for i in 0..time.len() {
            for j in 0..time.len() {
                let comparable = status[i] == 1.0
                    && (time[i] < time[j] || (time[i] == time[j] && status[j] == 0.0));
                if comparable {
                    if risk[i] > risk[j] {
                        c += 1.0
                    } else if risk[i] < risk[j] {
                        d += 1.0
                    } else {
                        t += 1.0
                    }
                }
            }
        }
        (c, d, t)
    }

    #[test]
    fn counts_equal_brute_force_with_ties() {
        let time = [5.0, 3.0, 3.0, 8.0, 3.0, 1.0, 9.0, 5.0, 2.0, 7.0];
        let status = [1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0];
        let risk = [0.5, 1.0, 0.2, 0.5, 1.0, 2.0, -1.0, 0.5, 0.7, 0.1];
        let data = SurvData::new(&time, &status, "t", "s").unwrap();
        let fit = harrell(&data, &risk).unwrap();
        let (c, d, t) = brute(&time, &status, &risk);
        assert_eq!((fit.concordant, fit.discordant, fit.tied_x), (c, d, t));
        assert!((fit.c - (c + t / 2.0) / (c + d + t)).abs() < 1e-15);
        assert_eq!(fit.tied_xy, 1.0); // the two events at t=3 share risk 1.0
    }

    #[test]
    fn influence_matches_numerical_derivative_of_weights() {
        // IJ: dC/dw_k at w = 1 equals the brute-force derivative of the weighted C
        let time = [4.0, 2.0, 6.0, 3.0, 5.0, 1.0];
        let status = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0];
        let risk = [0.3, 0.9, 0.1, 0.3, 0.4, 0.8];
        let data = SurvData::new(&time, &status, "t", "s").unwrap();
        let fit = harrell(&data, &risk).unwrap();
        let weighted_c = |w: &[f64]| {
            let (mut num, mut den) = (0.0, 0.0);
            for i in 0..6 {
                for j in 0..6 {
                    if status[i] == 1.0 && time[i] < time[j] {
                        let s = if risk[i] > risk[j] {
                            1.0
                        } else if risk[i] < risk[j] {
                            0.0
                        } else {
                            0.5
                        };
                        num += w[i] * w[j] * s;
                        den += w[i] * w[j];
                    }
                }
            }
            num / den
        };
        for k in 0..6 {
            let h = 1e-6;
            let mut w = [1.0; 6];
            w[k] += h;
            let deriv = (weighted_c(&w) - weighted_c(&[1.0; 6])) / h;
            assert!(
                (deriv - fit.influence[k]).abs() < 1e-5,
                "obs {k}: {deriv} vs {}",
                fit.influence[k]
            );
        }
    }

    #[test]
    fn rejects_bad_scores() {
        let data = SurvData::new(&[1.0, 2.0], &[1.0, 0.0], "t", "s").unwrap();
        assert!(harrell(&data, &[1.0]).is_err());
        let err = harrell(&data, &[1.0, f64::NAN]).unwrap_err();
        assert!(err.to_string().contains("row 2"));
        let censored = SurvData::new(&[1.0, 2.0], &[0.0, 0.0], "t", "s").unwrap();
        assert!(harrell(&censored, &[1.0, 2.0]).is_err());
    }

    #[test]
    fn bootstrap_comparison_of_a_score_with_itself_is_zero() {
        let time = [5.0, 3.0, 4.0, 8.0, 6.0, 1.0, 9.0, 2.0];
        let status = [1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0];
        let risk = [0.5, 1.0, 0.2, 0.1, 1.0, 2.0, -1.0, 0.7];
        let data = SurvData::new(&time, &status, "t", "s").unwrap();
        let cmp =
            compare_bootstrap(&data, &risk, &risk, &ConcordanceOptions::default(), 50, 7).unwrap();
        assert_eq!(cmp.difference, 0.0);
        assert_eq!(cmp.se, 0.0);
        assert_eq!(cmp.n_boot, 50);
    }
}
