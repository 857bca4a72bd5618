//! A deterministic synthetic multi-centre post-TACE cohort shaped like the seed study
//! (`shared/seed/paper.md`, Table 1 and Methods), with a known truth: `radsurv synth`.
//!
//! Nobody can share the seed's patients, so the demo and every test of the study pipeline run on
//! this cohort. [`generate`] writes, into one folder:
//!
//! | file | content |
//! |---|---|
//! | `images/<id>.nii.gz` | non-contrast CT within 24 h after the first TACE: int16 HU, ≤ 160 × 160 × 30 voxels, 0.6–0.8 mm in-plane, 5 mm slices |
//! | `masks/readerA/<id>.nii.gz` | reader A's lipiodol VOI for every patient: uint8, label 1, the image's geometry |
//! | `masks/readerB/<id>.nii.gz` | reader B's VOI for a random subset (40 by default) |
//! | `clinical.csv` | one row per patient, columns below |
//! | `manifest.csv` | `case_id,image,mask,reader` (reader `A` or `B`), for `radsurv extract --manifest`; paths are **relative to the cohort folder** with `/` separators |
//! | `truth.json` | planted coefficients, fitted calibration constants, per-patient latent variable, lipiodol pattern, linear predictor and true times: **for tests only; a study must never read it** |
//!
//! # `clinical.csv` columns
//! | column | type | meaning (seed Table 1 overall share) |
//! |---|---|---|
//! | `id` | text | case id `P001`, `P002`, … (same as the manifest's `case_id`) |
//! | `centre` | text | `C1`, `C2`, `C3` (42 / 33 / 25 %; scanners in [`SCANNERS`]) |
//! | `tace_date` | date | first TACE, ISO `YYYY-MM-DD`; 2016-01-01 … 2018-12-31 for 2/3 of patients, 2019-01-01 … 2023-12-31 for 1/3, so a January 2019 cutoff splits 112 / 56 at n = 168 |
//! | `gender` | text | `male` (83.9 %) or `female` |
//! | `age` | integer | years, 18–75, mean 56.1, SD 12.6 |
//! | `afp_ge400` | 0/1 | AFP ≥ 400 ng/mL (35.1 %) |
//! | `tbil_ge17` | 0/1 | total bilirubin ≥ 17 µmol/L (37.5 %) |
//! | `hbv` | 0/1 | HBV infection (76.8 %) |
//! | `tl_diameter_cm` | number | target-lesion diameter, cm, 1 decimal (median 4.9, IQR 4.2–5.5) |
//! | `tumour_number_ge3` | 0/1 | three or more tumours (67.3 %) |
//! | `morphology` | text | `circular` (57.1 %), `irregular` (26.2 %), `peritumoral_enhancement` (16.7 %) |
//! | `bclc` | text | `A` (29.2 %) or `B`; from tumour burden (see the generative model) |
//! | `child_pugh` | text | `A` (86.3 %) or `B` |
//! | `tace_type` | text | `C-TACE` (80.4 %) or `DEB-TACE` (DEB in at least one session) |
//! | `largest_diameter_cm` | number | largest tumour diameter, cm (Six-and-twelve input; the target lesion unless another tumour is larger) |
//! | `tumour_count` | integer | number of tumours, 1–15 (Six-and-twelve input) |
//! | `os_months` | number | overall survival from the TACE date, months (days / 30.4375, 2 decimals) |
//! | `os_event` | 0/1 | 1 = death, 0 = censored (alive at 2024-12-31 or lost to follow-up) |
//!
//! Categorical columns have exact counts (Table 1's shares rounded by largest remainder), so the
//! default 168 patients reproduce Table 1's counts exactly.
//!
//! # The generative model
//! The cohort is a twin of the seed study: its variables have Table 1's distributions, depend on
//! each other as they do in HCC treated by TACE, and drive survival so that the seed's analysis,
//! run on it, lands on the paper's published findings (`data/seed_study.json`, checked by
//! [`crate::seed_study::checklist`]). Every constant below is a rule with its source; none was
//! chosen by looking at one seed's results.
//!
//! **Clinical variables.** Categorical columns have Table 1's exact counts (above), shuffled
//! independently, except where a dependence is stated. Tumour count $N$ is 1 (55 %) or 2 below
//! three tumours and $3 + G$ with $G$ geometric ($P(\text{one more}) = 0.68$, at most 15) from
//! three on: multinodular livers carry on average five nodules, so diameter + number spreads
//! across the Six-and-twelve strata as in that score's cohorts (`shared/refs/domain.md` §1).
//! The target-lesion diameter is log-normal (median 4.9 cm, $\sigma_D = 0.2$, Table 1); the
//! largest diameter $D_{max}$ is the target lesion's, or in one multifocal patient in six another
//! tumour 5–40 % larger.
//!
//! **BCLC stage** follows tumour burden without copying tumour number: the 119/168 patients with
//! the highest staging score $s = 0.5\,[N \ge 3] + 0.5\,\ln(D_{max}/4.9)/\sigma_D + \epsilon$,
//! $\epsilon$ standard logistic, are stage B. The weights make B likelier with more nodules and a
//! larger tumour, yet leave most of the stage unexplained by tumour number, as the seed's Table 2
//! requires: BCLC B has HR 1.07 where tumour number has 1.66. A larger weight on tumour number
//! carries its survival effect into BCLC, which the univariable screening then keeps.
//!
//! **Survival.** True times follow a Weibull proportional-hazards model ([`PlantedModel`]),
//! $S(t \mid x) = \exp[-(t/\lambda)^k e^{\eta}]$ with
//! $$\eta = \beta_A[AFP \ge 400] + \beta_3 [N \ge 3] + \beta_N (N - 1) + \beta_D \ln(D_{max}/4.9)/\sigma_D + \beta_L z,$$
//! $z \sim N(0,1)$ the latent lipiodol-pattern trait, independent of the clinical variables. The
//! defaults are population values: `scripts/synth_planted_model.R` runs the seed's analysis on
//! many simulated cohorts of this model (the rad-score stood in for by a variable correlated with
//! $z$ as a demo run's is), no seed of this generator involved, and over those cohorts these
//! values put the analysis's medians near the seed's numbers:
//! - $\beta_A = 1.1$, $\beta_3 = 0.3$, $\beta_N = 0.3$: a Cox model on AFP ≥ 400 and ≥ 3 tumours
//!   alone omits $z$ and the continuous burden, so it estimates HRs attenuated from the planted
//!   ones; these give multivariable HRs near Table 2's 2.02 and 1.79, and univariable tests
//!   significant in most seed-sized training cohorts (Table 2: p = 0.002 and 0.009).
//! - $\beta_N$ per nodule and $\beta_D = 0.2$ per SD of log diameter: diameter + number alone
//!   then ranks patients as the seed's Six-and-twelve does (C 0.67 training, 0.64 validation).
//!   The burden acts mostly through the count, as in the seed, where the univariable HR of a
//!   target lesion ≥ 7 cm is 0.95: a stronger diameter effect makes that rare level significant
//!   in a third of seed-sized cohorts, and the screening then keeps it.
//! - $\beta_L = 1.0$: with AFP and tumour number, a rad-score tracking $z$ brings the combined
//!   model to the seed's C (0.72 training, 0.68 validation) and above Six-and-twelve's.
//! - $k = 2.1$: the C-index hardly depends on $k$ (a monotone transform of the true times; only
//!   censoring moves), while the ratio of the risk groups' medians is about $HR^{1/k}$, $HR$ the
//!   hazard ratio between the groups. Over simulated cohorts whose combined C is the seed's (a
//!   rad-score correlated 0.8 with $z$, as a demo run's), the low-risk median is 2.8 times the
//!   high-risk one at $k = 1.8$, 2.5 at 2.0, 2.3 at 2.2 and 2.1 at 2.5; the seed's ratios,
//!   37/16 = 2.3 (training) and 35/14 = 2.5 (validation), lie between $k = 2.0$ and 2.2, hence 2.1.
//! - $\lambda$ makes the drawn true times' median 23.4 months. The seed reports five Kaplan-Meier
//!   medians: 25.0 (19.8–30.2) over all patients and the risk groups' 16 and 37 (training), 14
//!   and 35 (validation) months. In this model each is on average a fixed multiple of the true
//!   times' median (simulated: 1.00 overall; 0.66 and 1.59 in training; 0.65 and 1.56 in
//!   validation), so each published median, divided by its multiple, estimates that median:
//!   25.0 from the overall one, 21.5–24.4 from the risk groups'. The four group medians carry
//!   four times the overall one's weight (inverse variance from the published CIs), and the
//!   pooled estimate is 23.4; anchoring on the overall median alone put every risk group's
//!   median 3–16 % above the seed's. The overall KM median is then 23.4, inside the seed's CI.
//!
//! **Follow-up.** TACE dates are uniform over 2016–2018 (training) and 2019–2023 (validation);
//! every patient alive on 2024-12-31 is censored there, and loss to follow-up is exponential at
//! the largest rate that still leaves 77 % of deaths observed (the seed: 130 of 168). The seed's
//! "130 (77.38 %) had either died or were lost to follow-up, while 38 (22.62 %) remained alive"
//! is read as its Kaplan-Meier counts, 130 events and 38 censored; the events here are deaths
//! and the lost are censored at their last contact, as overall survival requires. Read literally
//! (38 known alive at the end, the lost counted with the deaths) it cannot hold in this model:
//! even with nobody lost, fewer than 38 patients outlive a follow-up ending 2024-12-31.
//!
//! **Radiomics signal.** $z$ is not seen by the study; it shapes the lipiodol deposits through
//! eight pattern components $u_k = \rho z + \sqrt{1-\rho^2}\,e_k$, $\rho = 0.7$ (see
//! `phantom.rs`): coverage, mean density, density heterogeneity, deposit grain, compactness,
//! mottling scale, core-to-rim density gradient and washed-out share. Each component moves a
//! different family of first-order, shape and texture features and carries its own noise, so
//! many features correlate with $z$.
//!
//! *Known limitation.* The features that pass the ICC and Spearman filters vary together along a
//! few directions (lesion size, mean density, heterogeneity), not each with noise of its own as
//! real tissue gives them, so a few of them already carry what the rest know about $z$: LASSO at
//! λ.min keeps fewer features than the seed's 16, and the twin checklist's count check fails
//! more often than it holds. A stronger planted effect does not change that; features that vary
//! independently beyond $z$ would. `scripts/twin_lasso_count.py` measures the three cases on a
//! demo run. Even such ideal features leave the count to chance at the planted signal's strength:
//! `scripts/lasso_count_ideal.R` measures how often a seed-sized cohort then keeps 8–24 features.
//!
//! **Readers.** Reader A thresholds at 200 HU inside a contour 1.5 mm outside the lesion; reader B
//! (40 patients, as the seed) picks a threshold of 160–320 HU, a contour 2.5 mm inside to 2 mm
//! outside, and in a third of cases leaves out an end slice: faint and boundary-sensitive
//! features fall below ICC 0.75, most others pass.
//!
//! # Determinism
//! Every random number comes from ChaCha8 seeded with the cohort seed, one stream per purpose and
//! patient (cohort allocation; clinical draws, image and reader B of patient $i$). Patients are
//! rendered in parallel, each from its own streams, so the output is byte-identical for a seed
//! whatever the thread count; nothing depends on hash-map order or on the clock.

mod cohort;
mod field;
mod output;
mod phantom;

pub use phantom::{
    LipiodolPattern, ReaderBStyle, Scanner, PATTERN_COMPONENTS, PATTERN_LOADING, SCANNERS,
};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20190101;

/// The survival model planted in the cohort (derivation of the defaults in the module doc).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedModel {
    /// Log hazard ratio of AFP ≥ 400 ng/mL (default 1.1).
    pub beta_afp_ge400: f64,
    /// Log hazard ratio of three or more tumours (default 0.3), on top of the per-tumour term.
    pub beta_tumour_number_ge3: f64,
    /// Log hazard ratio per tumour beyond the first (default 0.3).
    pub beta_per_tumour: f64,
    /// Log hazard ratio per SD of the log largest diameter (default 0.2).
    pub beta_per_diameter_sd: f64,
    /// Log hazard ratio per SD of the latent lipiodol-pattern variable (default 1.0).
    pub beta_latent: f64,
    /// Weibull shape $k$ of the baseline hazard (default 2.1: hazard rising with time).
    pub weibull_shape: f64,
    /// Median of the true survival times, months (default 23.4).
    pub median_os_months: f64,
    /// Share of patients whose death is observed (default 0.77).
    pub event_fraction: f64,
}

impl Default for PlantedModel {
    fn default() -> Self {
        PlantedModel {
            beta_afp_ge400: 1.1,
            beta_tumour_number_ge3: 0.3,
            beta_per_tumour: 0.3,
            beta_per_diameter_sd: 0.2,
            beta_latent: 1.0,
            weibull_shape: 2.1,
            median_os_months: 23.4,
            event_fraction: 0.77,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Number of patients (default 168, as the seed).
    pub patients: usize,
    /// Seed of every random stream.
    pub seed: u64,
    /// Patients segmented by reader B too (default 40, as the seed; at most `patients`).
    pub reader_b_patients: usize,
    /// The planted survival model.
    pub model: PlantedModel,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            patients: 168,
            seed: DEFAULT_SEED,
            reader_b_patients: 40,
            model: PlantedModel::default(),
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthSummary {
    /// Patients generated.
    pub patients: usize,
    /// Patients with a TACE date before 2019-01-01 (the seed's training cohort).
    pub training: usize,
    /// Patients from 2019-01-01 on (the seed's validation cohort).
    pub validation: usize,
    /// Observed deaths.
    pub events: usize,
    /// Patients with a reader B mask.
    pub reader_b_patients: usize,
    /// `clinical.csv`.
    pub clinical: PathBuf,
    /// `manifest.csv`.
    pub manifest: PathBuf,
    /// `truth.json`.
    pub truth: PathBuf,
}

/// Why a cohort could not be generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// The configuration cannot describe a cohort.
    #[error("invalid synthetic cohort: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: String,
    },
    /// A folder or file could not be created or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A volume could not be built or written.
    #[error("case {case_id}: {source}")]
    Image {
        /// The case.
        case_id: String,
        /// The image error (it names the file).
        #[source]
        source: radsurv_image::ImageError,
    },
    /// A CSV file could not be written.
    #[error("{}: {source}", .path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The CSV error.
        #[source]
        source: csv::Error,
    },
    /// `truth.json` could not be written.
    #[error("{}: {source}", .path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// A reader's threshold left no voxel in a case's VOI (a generator defect, never expected).
    #[error("case {case_id}: reader {reader}'s lipiodol VOI is empty")]
    EmptyMask {
        /// The case.
        case_id: String,
        /// `A` or `B`.
        reader: char,
    },
}

/// Generates the cohort described by `config` into `out_dir` (created if missing; existing files
/// of the same names are overwritten).
///
/// # Errors
/// [`SynthError::InvalidConfig`] for zero patients or a non-finite model constant; I/O, image and
/// serialisation errors name the file.
pub fn generate(config: &SynthConfig, out_dir: &Path) -> Result<SynthSummary, SynthError> {
    validate(config)?;
    let n = config.patients;
    let mut cohort_rng = stream_rng(config.seed, Stream::Cohort);
    let design = cohort::Design::draw(n, &mut cohort_rng);
    let reader_b_count = config.reader_b_patients.min(n);
    let mut reader_b_cases =
        rand::seq::index::sample(&mut cohort_rng, n, reader_b_count).into_vec();
    reader_b_cases.sort_unstable();

    let width = n.to_string().len().max(3);
    let mut patients: Vec<cohort::Patient> = (0..n)
        .map(|i| {
            let id = format!("P{:0width$}", i + 1);
            design.patient(i, id, &mut stream_rng(config.seed, Stream::Clinical(i)))
        })
        .collect();
    cohort::assign_bclc(&mut patients);
    let (outcomes, calibration) = cohort::outcomes(&config.model, &patients)?;
    let patterns: Vec<LipiodolPattern> = patients
        .iter()
        .map(|p| LipiodolPattern::from_latent(p.latent, p.pattern_noise, p.tl_diameter_cm * 10.0))
        .collect();
    let mut reader_b: Vec<Option<ReaderBStyle>> = vec![None; n];
    for &i in &reader_b_cases {
        reader_b[i] = Some(ReaderBStyle::draw(&mut stream_rng(
            config.seed,
            Stream::ReaderB(i),
        )));
    }

    let layout = output::Layout::create(out_dir)?;
    let voxel_counts: Vec<usize> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng = stream_rng(config.seed, Stream::Image(i));
            let volumes =
                phantom::render(&patients[i], &patterns[i], reader_b[i].as_ref(), &mut rng)
                    .map_err(|source| SynthError::Image {
                        case_id: patients[i].id.clone(),
                        source,
                    })?;
            layout.write_case(&patients[i].id, &volumes)
        })
        .collect::<Result<_, _>>()?;

    let cases = output::Cases {
        patients: &patients,
        outcomes: &outcomes,
        patterns: &patterns,
        reader_b: &reader_b,
        reader_a_voxels: &voxel_counts,
    };
    layout.write_clinical(&cases)?;
    layout.write_manifest(&cases)?;
    layout.write_truth(config, calibration, &cases)?;

    let validation = patients
        .iter()
        .filter(|p| p.tace_date >= cohort::split_cutoff())
        .count();
    Ok(SynthSummary {
        patients: n,
        training: n - validation,
        validation,
        events: outcomes.iter().filter(|o| o.event).count(),
        reader_b_patients: reader_b_count,
        clinical: layout.clinical_path(),
        manifest: layout.manifest_path(),
        truth: layout.truth_path(),
    })
}

/// Rejects configurations that cannot describe a cohort.
fn validate(config: &SynthConfig) -> Result<(), SynthError> {
    let invalid = |reason: &str| {
        Err(SynthError::InvalidConfig {
            reason: reason.to_string(),
        })
    };
    if config.patients == 0 {
        return invalid("`patients` must be at least 1");
    }
    if let Err(e) =
        radsurv_image::limits::SYNTH_PATIENTS.check(config.patients as f64, "--patients")
    {
        return invalid(&e.to_string());
    }
    let m = &config.model;
    let constants = [
        m.beta_afp_ge400,
        m.beta_tumour_number_ge3,
        m.beta_per_tumour,
        m.beta_per_diameter_sd,
        m.beta_latent,
    ];
    if constants.iter().any(|b| !b.is_finite()) {
        return invalid("every planted log hazard ratio must be finite");
    }
    if !(m.weibull_shape.is_finite() && m.weibull_shape > 0.0) {
        return invalid("`weibull_shape` must be positive");
    }
    if !(m.median_os_months.is_finite() && m.median_os_months > 0.0) {
        return invalid("`median_os_months` must be positive");
    }
    if !(m.event_fraction > 0.0 && m.event_fraction <= 1.0) {
        return invalid("`event_fraction` must lie in (0, 1]");
    }
    Ok(())
}

/// The purpose of a random stream.
#[derive(Debug, Clone, Copy)]
enum Stream {
    /// Cohort-level allocation (categorical variables, reader B subset).
    Cohort,
    /// Clinical draws of patient `i`.
    Clinical(usize),
    /// Image of patient `i`.
    Image(usize),
    /// Reader B's choices for patient `i`.
    ReaderB(usize),
}

/// ChaCha8 keyed by the seed, on the stream of `stream`: independent, reproducible sequences
/// whatever order the patients are processed in.
fn stream_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let id = match stream {
        Stream::Cohort => 0,
        Stream::Clinical(i) => 1 + 3 * i as u64,
        Stream::Image(i) => 2 + 3 * i as u64,
        Stream::ReaderB(i) => 3 + 3 * i as u64,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id);
    rng
}
