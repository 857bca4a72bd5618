//! The clinical half of the synthetic cohort: Table 1 variables, TACE dates and overall survival.
//!
//! Categorical variables are allocated with **exact counts** (largest-remainder rounding of the
//! seed's Table 1 counts, then a seeded shuffle), so any cohort size reproduces the seed's
//! proportions as closely as integers allow, and n = 168 reproduces Table 1 exactly. Continuous
//! variables are drawn per patient from that patient's own random stream.

use super::{PlantedModel, SynthError, PATTERN_COMPONENTS};
use chrono::{Days, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_distr::StandardNormal;
use serde::Serialize;

/// Days in a month: $365.25/12$, the convention that turns follow-up days into months.
pub(crate) const DAYS_PER_MONTH: f64 = 30.4375;

/// The seed's Table 1, overall column (n = 168): counts per level, in the order documented.
mod table1 {
    /// Male, female.
    pub const GENDER: [f64; 2] = [141.0, 27.0];
    /// AFP < 400 ng/mL, ≥ 400 ng/mL.
    pub const AFP: [f64; 2] = [109.0, 59.0];
    /// TBIL < 17 µmol/L, ≥ 17 µmol/L.
    pub const TBIL: [f64; 2] = [105.0, 63.0];
    /// HBV infection no, yes.
    pub const HBV: [f64; 2] = [39.0, 129.0];
    /// Tumour number < 3, ≥ 3.
    pub const TUMOUR_NUMBER: [f64; 2] = [55.0, 113.0];
    /// Circular/quasi-circular, irregular, peritumoral enhancement.
    pub const MORPHOLOGY: [f64; 3] = [96.0, 44.0, 28.0];
    /// BCLC A, B.
    pub const BCLC: [f64; 2] = [49.0, 119.0];
    /// Child-Pugh A, B.
    pub const CHILD_PUGH: [f64; 2] = [145.0, 23.0];
    /// C-TACE only, DEB-TACE in at least one session.
    pub const TACE_TYPE: [f64; 2] = [135.0, 33.0];
    /// Training (TACE before January 2019), validation (from January 2019).
    pub const PERIOD: [f64; 2] = [112.0, 56.0];
}

/// Share of patients per centre (not reported by the seed; three hospitals of unequal size).
const CENTRE_SHARES: [f64; 3] = [0.42, 0.33, 0.25];

/// Age is a normal $N(64.6, 18.6^2)$ truncated to the inclusion range 18–75 years: the untruncated
/// parameters were solved numerically so that the truncated mean and SD equal Table 1's
/// 56.06 ± 12.59 years.
const AGE_NORMAL: (f64, f64) = (64.6, 18.6);
const AGE_RANGE: (f64, f64) = (18.0, 75.0);

/// Target-lesion diameter is log-normal with median 4.9 cm and $\sigma = 0.2$ (Table 1: median
/// 4.9 cm, IQR 4.2–5.5 cm, i.e. $\ln(5.5/4.2)/1.349 \approx 0.2$), kept within 2–9 cm so the
/// lesion fits a ≤ 160 × 160 × 30 volume.
const DIAMETER_CM: (f64, f64) = (4.9, 0.2);
const DIAMETER_RANGE_CM: (f64, f64) = (2.0, 9.0);

/// Lesion morphology as Table 1 reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Morphology {
    /// Circular or quasi-circular.
    Circular,
    /// Irregular margin.
    Irregular,
    /// Peritumoral enhancement.
    PeritumoralEnhancement,
}

impl Morphology {
    /// The value written to `clinical.csv`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Morphology::Circular => "circular",
            Morphology::Irregular => "irregular",
            Morphology::PeritumoralEnhancement => "peritumoral_enhancement",
        }
    }
}

/// Everything drawn for one patient before imaging and survival are derived.
#[derive(Debug, Clone)]
pub(crate) struct Patient {
    /// Case id, `P001`, `P002`, ...
    pub id: String,
    /// Centre index 0, 1, 2 (written as `C1`, `C2`, `C3`).
    pub centre: usize,
    /// Date of the first TACE (and of the post-TACE CT).
    pub tace_date: NaiveDate,
    /// Gender.
    pub male: bool,
    /// Age in whole years.
    pub age: u32,
    /// AFP ≥ 400 ng/mL.
    pub afp_ge400: bool,
    /// Total bilirubin ≥ 17 µmol/L.
    pub tbil_ge17: bool,
    /// HBV infection.
    pub hbv: bool,
    /// Target-lesion diameter in cm (one decimal).
    pub tl_diameter_cm: f64,
    /// Number of tumours.
    pub tumour_count: u32,
    /// Target-lesion morphology.
    pub morphology: Morphology,
    /// BCLC stage B (else A); set by [`assign_bclc`] once the whole cohort is drawn.
    pub bclc_b: bool,
    /// Standard logistic variate of the staging score (what the recorded stage owes to anything
    /// but tumour number and size).
    pub staging_noise: f64,
    /// Child-Pugh B (else A).
    pub child_pugh_b: bool,
    /// DEB-TACE in at least one session (else C-TACE only).
    pub deb_tace: bool,
    /// Largest tumour diameter in cm (the target lesion unless another tumour is larger).
    pub largest_diameter_cm: f64,
    /// The latent lipiodol-pattern variable, $N(0,1)$; higher means a worse pattern.
    pub latent: f64,
    /// Idiosyncratic noise of the pattern components, $N(0,1)$ each.
    pub pattern_noise: [f64; PATTERN_COMPONENTS],
    /// $U(0,1)$ variate that fixes the true survival time by inversion.
    pub survival_uniform: f64,
    /// Standard exponential variate that fixes the loss-to-follow-up time.
    pub dropout_exponential: f64,
}

impl Patient {
    /// Tumour number ≥ 3 (Table 1's grouping and the seed's Cox covariate).
    pub(crate) fn tumour_number_ge3(&self) -> bool {
        self.tumour_count >= 3
    }
}

/// Cohort-level allocation of the categorical variables, one label per patient.
pub(crate) struct Design {
    centre: Vec<usize>,
    validation: Vec<usize>,
    female: Vec<usize>,
    afp: Vec<usize>,
    tbil: Vec<usize>,
    hbv: Vec<usize>,
    tumour_number_ge3: Vec<usize>,
    morphology: Vec<usize>,
    child_pugh: Vec<usize>,
    tace_type: Vec<usize>,
}

impl Design {
    /// Allocates every categorical variable with exact counts for `n` patients.
    ///
    /// BCLC stage is left to [`assign_bclc`], which needs the drawn tumour burden.
    pub(crate) fn draw(n: usize, rng: &mut impl Rng) -> Self {
        let tumour_number_ge3 = shuffled_labels(n, &table1::TUMOUR_NUMBER, rng);
        Design {
            centre: shuffled_labels(n, &CENTRE_SHARES, rng),
            validation: shuffled_labels(n, &table1::PERIOD, rng),
            female: shuffled_labels(n, &table1::GENDER, rng),
            afp: shuffled_labels(n, &table1::AFP, rng),
            tbil: shuffled_labels(n, &table1::TBIL, rng),
            hbv: shuffled_labels(n, &table1::HBV, rng),
            tumour_number_ge3,
            morphology: shuffled_labels(n, &table1::MORPHOLOGY, rng),
            child_pugh: shuffled_labels(n, &table1::CHILD_PUGH, rng),
            tace_type: shuffled_labels(n, &table1::TACE_TYPE, rng),
        }
    }

    /// Draws patient `index` from its own stream, given the cohort allocation.
    pub(crate) fn patient(&self, index: usize, id: String, rng: &mut impl Rng) -> Patient {
        let tace_date = tace_date(self.validation[index] == 1, rng);
        let age = truncated_normal(AGE_NORMAL, AGE_RANGE, rng).round() as u32;
        let tl_diameter_cm = round_to(log_normal_in(DIAMETER_CM, DIAMETER_RANGE_CM, rng), 1);
        let tumour_count = tumour_count(self.tumour_number_ge3[index] == 1, rng);
        // In about one multifocal patient in six another tumour is larger than the target lesion.
        let largest_diameter_cm = if tumour_count > 1 && rng.random_bool(1.0 / 6.0) {
            round_to(tl_diameter_cm * rng.random_range(1.05..1.4), 1)
        } else {
            tl_diameter_cm
        };
        Patient {
            id,
            centre: self.centre[index],
            tace_date,
            male: self.female[index] == 0,
            age,
            afp_ge400: self.afp[index] == 1,
            tbil_ge17: self.tbil[index] == 1,
            hbv: self.hbv[index] == 1,
            tl_diameter_cm,
            tumour_count,
            morphology: match self.morphology[index] {
                0 => Morphology::Circular,
                1 => Morphology::Irregular,
                _ => Morphology::PeritumoralEnhancement,
            },
            bclc_b: false,
            staging_noise: logistic(rng),
            child_pugh_b: self.child_pugh[index] == 1,
            deb_tace: self.tace_type[index] == 1,
            largest_diameter_cm,
            latent: rng.sample(StandardNormal),
            pattern_noise: std::array::from_fn(|_| rng.sample(StandardNormal)),
            survival_uniform: open_unit(rng),
            dropout_exponential: -open_unit(rng).ln(),
        }
    }
}

/// First day of the study period (first TACE).
pub(crate) fn study_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default()
}

/// The seed's training/validation cutoff: TACE before this date is training.
pub(crate) fn split_cutoff() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default()
}

/// Last day of recruitment.
fn study_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 12, 31).unwrap_or_default()
}

/// End of follow-up: administrative censoring date of every patient still alive.
pub(crate) fn follow_up_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default()
}

/// Survival outcome of one patient and the quantities it was derived from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Outcome {
    /// $\eta = \beta^\top x$ of the planted proportional-hazards model.
    pub linear_predictor: f64,
    /// True (latent) survival time in months.
    pub true_months: f64,
    /// Loss-to-follow-up time in months (`None` when no patient is lost).
    pub dropout_months: Option<f64>,
    /// Months from TACE to the end of follow-up.
    pub admin_months: f64,
    /// Observed time in whole days (at least 1).
    pub os_days: u32,
    /// Observed time in months, `os_days / 30.4375` rounded to 2 decimals.
    pub os_months: f64,
    /// Death observed.
    pub event: bool,
}

/// The fitted constants of the survival model (they depend on the drawn cohort).
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Calibration {
    /// Weibull scale $\lambda$ in months.
    pub weibull_scale_months: f64,
    /// Loss-to-follow-up hazard per month.
    pub dropout_rate_per_month: f64,
}

/// Linear predictor of the planted model (see the module doc of `synth`):
/// $\eta = \beta_A[AFP\ge400] + \beta_3[N\ge3] + \beta_N (N-1) + \beta_D \ln(D_{max}/4.9)/\sigma_D +
/// \beta_L z$.
pub(crate) fn linear_predictor(model: &PlantedModel, p: &Patient) -> f64 {
    model.beta_afp_ge400 * f64::from(u8::from(p.afp_ge400))
        + model.beta_tumour_number_ge3 * f64::from(u8::from(p.tumour_number_ge3()))
        + model.beta_per_tumour * f64::from(p.tumour_count - 1)
        + model.beta_per_diameter_sd * (p.largest_diameter_cm / DIAMETER_CM.0).ln() / DIAMETER_CM.1
        + model.beta_latent * p.latent
}

/// Survival outcomes of the whole cohort.
///
/// True times follow a Weibull proportional-hazards model, $S(t\mid x) = \exp[-(t/\lambda)^k
/// e^{\eta}]$, drawn by inversion: $T = \lambda\,(-\ln U\,e^{-\eta})^{1/k}$. Since $T$ is linear in
/// $\lambda$, $\lambda$ is set so that the median of the drawn true times equals the target median.
/// Each patient is censored at the end of follow-up (2024-12-31) or when lost to follow-up,
/// $C = E/c$ with $E$ standard exponential; the rate $c$ is the largest for which the event
/// fraction still reaches the target (bisection; the event fraction falls as $c$ grows). When
/// administrative censoring alone already leaves fewer events than the target, $c = 0$.
///
/// # Errors
/// [`SynthError::InvalidConfig`] for an empty cohort.
pub(crate) fn outcomes(
    model: &PlantedModel,
    patients: &[Patient],
) -> Result<(Vec<Outcome>, Calibration), SynthError> {
    if patients.is_empty() {
        return Err(SynthError::InvalidConfig {
            reason: "a cohort needs at least one patient".into(),
        });
    }
    let eta: Vec<f64> = patients
        .iter()
        .map(|p| linear_predictor(model, p))
        .collect();
    let unit_times: Vec<f64> = patients
        .iter()
        .zip(&eta)
        .map(|(p, e)| (-p.survival_uniform.ln() * (-e).exp()).powf(1.0 / model.weibull_shape))
        .collect();
    let scale = model.median_os_months / median(&unit_times);
    let true_months: Vec<f64> = unit_times.iter().map(|t| t * scale).collect();
    let admin_months: Vec<f64> = patients
        .iter()
        .map(|p| months_between(p.tace_date, follow_up_end()))
        .collect();
    let dropout_rate = dropout_rate_for_event_fraction(
        model.event_fraction,
        &true_months,
        &admin_months,
        patients,
    );
    let calibration = Calibration {
        weibull_scale_months: scale,
        dropout_rate_per_month: dropout_rate,
    };
    let outcomes = patients
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let dropout_months =
                (dropout_rate > 0.0).then_some(p.dropout_exponential / dropout_rate);
            let censor = dropout_months.unwrap_or(f64::INFINITY).min(admin_months[i]);
            let event = true_months[i] <= censor;
            let observed = true_months[i].min(censor);
            let os_days = ((observed * DAYS_PER_MONTH).round() as u32).max(1);
            Outcome {
                linear_predictor: eta[i],
                true_months: true_months[i],
                dropout_months,
                admin_months: admin_months[i],
                os_days,
                os_months: round_to(f64::from(os_days) / DAYS_PER_MONTH, 2),
                event,
            }
        })
        .collect();
    Ok((outcomes, calibration))
}

/// Fraction of patients whose true time comes before both censoring times at dropout rate `c`.
fn event_fraction(c: f64, true_months: &[f64], admin_months: &[f64], patients: &[Patient]) -> f64 {
    let events = patients
        .iter()
        .enumerate()
        .filter(|&(i, p)| {
            let dropout = if c > 0.0 {
                p.dropout_exponential / c
            } else {
                f64::INFINITY
            };
            true_months[i] <= dropout.min(admin_months[i])
        })
        .count();
    events as f64 / patients.len() as f64
}

/// Largest dropout rate whose event fraction is still at least `target` (0 if none is).
fn dropout_rate_for_event_fraction(
    target: f64,
    true_months: &[f64],
    admin_months: &[f64],
    patients: &[Patient],
) -> f64 {
    let fraction = |c: f64| event_fraction(c, true_months, admin_months, patients);
    if fraction(0.0) < target {
        return 0.0;
    }
    let mut hi = 0.01;
    while fraction(hi) >= target && hi < 1e6 {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if fraction(mid) >= target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Calendar months (of 30.4375 days) from `from` to `to`.
fn months_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / DAYS_PER_MONTH
}

/// Median of a non-empty slice (mean of the middle two for even length).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }
}

/// Integer counts per level that sum to `n`, by largest-remainder rounding of `weights`.
pub(crate) fn exact_counts(n: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let quotas: Vec<f64> = weights.iter().map(|w| w / total * n as f64).collect();
    let mut counts: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let remainder = |k: usize| quotas[k] - quotas[k].floor();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Ties in the remainder go to the earlier level, so the rounding is deterministic.
    order.sort_by(|&a, &b| remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b)));
    let missing = n - counts.iter().sum::<usize>();
    for &k in order.iter().take(missing) {
        counts[k] += 1;
    }
    counts
}

/// One level index per patient, with exact counts, in random order.
fn shuffled_labels(n: usize, weights: &[f64], rng: &mut impl Rng) -> Vec<usize> {
    let mut labels: Vec<usize> = exact_counts(n, weights)
        .iter()
        .enumerate()
        .flat_map(|(level, &count)| std::iter::repeat_n(level, count))
        .collect();
    labels.shuffle(rng);
    labels
}

/// Assigns BCLC B to the patients with the highest staging score
/// $s = a_N [N \ge 3] + a_D \ln(D_{max}/4.9)/\sigma_D + \epsilon$ ($\epsilon$ standard logistic), up
/// to Table 1's count of stage B: the stage follows tumour burden (more nodules and a larger largest
/// tumour make B likelier) without being a copy of tumour number, as the seed's Table 2 requires
/// (BCLC B HR 1.07 beside tumour number's 1.66). Ties in the score go to the earlier patient.
pub(crate) fn assign_bclc(patients: &mut [Patient]) {
    let n = patients.len();
    let stage_b_count = exact_counts(n, &table1::BCLC)[1];
    let score = |p: &Patient| {
        STAGING_TUMOUR_NUMBER * f64::from(u8::from(p.tumour_number_ge3()))
            + STAGING_DIAMETER * (p.largest_diameter_cm / DIAMETER_CM.0).ln() / DIAMETER_CM.1
            + p.staging_noise
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        score(&patients[b])
            .total_cmp(&score(&patients[a]))
            .then(a.cmp(&b))
    });
    for (rank, &i) in order.iter().enumerate() {
        patients[i].bclc_b = rank < stage_b_count;
    }
}

/// Weight of three or more tumours in the staging score (logistic scale).
const STAGING_TUMOUR_NUMBER: f64 = 0.5;
/// Weight of one SD of log largest diameter in the staging score.
const STAGING_DIAMETER: f64 = 0.5;

/// TACE date uniform over January 2016 – December 2018 (training) or January 2019 – December
/// 2023 (validation).
fn tace_date(validation: bool, rng: &mut impl Rng) -> NaiveDate {
    let (from, to) = if validation {
        (split_cutoff(), study_end())
    } else {
        (study_start(), split_cutoff() - Days::new(1))
    };
    let span = (to - from).num_days().max(0) as u64;
    from + Days::new(rng.random_range(0..=span))
}

/// Tumour count: 1 (55 %) or 2 below three tumours; from three on, each further nodule with
/// probability [`EXTRA_NODULE`] (a geometric tail, at most [`MAX_TUMOURS`]).
fn tumour_count(ge3: bool, rng: &mut impl Rng) -> u32 {
    if !ge3 {
        return if rng.random_bool(0.55) { 1 } else { 2 };
    }
    let mut count = 3;
    while count < MAX_TUMOURS && rng.random_bool(EXTRA_NODULE) {
        count += 1;
    }
    count
}

/// Probability of one more nodule in multinodular disease: a mean of 3 + 0.68/0.32 ≈ 5.1 nodules,
/// so that diameter + number spreads over the Six-and-twelve strata as multinodular cohorts do.
const EXTRA_NODULE: f64 = 0.68;
/// Most tumours counted in one liver.
const MAX_TUMOURS: u32 = 15;

/// A standard logistic draw.
fn logistic(rng: &mut impl Rng) -> f64 {
    let u = open_unit(rng);
    (u / (1.0 - u)).ln()
}

/// A normal draw truncated to `range`, by rejection.
fn truncated_normal((mean, sd): (f64, f64), (lo, hi): (f64, f64), rng: &mut impl Rng) -> f64 {
    loop {
        let z: f64 = rng.sample(StandardNormal);
        let x = mean + sd * z;
        if (lo..=hi).contains(&x) {
            return x;
        }
    }
}

/// A log-normal draw with the given median and log-SD, kept within `range` by rejection.
fn log_normal_in((median, sigma): (f64, f64), (lo, hi): (f64, f64), rng: &mut impl Rng) -> f64 {
    loop {
        let z: f64 = rng.sample(StandardNormal);
        let x = median * (sigma * z).exp();
        if (lo..=hi).contains(&x) {
            return x;
        }
    }
}

/// A uniform draw on the open interval (0, 1), safe for `ln`.
fn open_unit(rng: &mut impl Rng) -> f64 {
    loop {
        let u: f64 = rng.random();
        if u > 0.0 {
            return u;
        }
    }
}

/// `x` rounded to `decimals` decimal places.
pub(crate) fn round_to(x: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (x * factor).round() / factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_counts_reproduce_table1_at_168_and_sum_to_n() {
        assert_eq!(exact_counts(168, &table1::AFP), vec![109, 59]);
        assert_eq!(exact_counts(168, &table1::MORPHOLOGY), vec![96, 44, 28]);
        for n in [1, 7, 24, 100, 500] {
            assert_eq!(
                exact_counts(n, &table1::MORPHOLOGY).iter().sum::<usize>(),
                n
            );
        }
    }

    #[test]
    fn months_between_counts_days_over_30_4375() {
        let a = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let b = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        assert!((months_between(a, b) - 366.0 / DAYS_PER_MONTH).abs() < 1e-12);
    }
}
