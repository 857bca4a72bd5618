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
//! | `bclc` | text | `A` (29.2 %) or `B`; every patient with ≥ 3 tumours is B |
//! | `child_pugh` | text | `A` (86.3 %) or `B` |
//! | `tace_type` | text | `C-TACE` (80.4 %) or `DEB-TACE` (DEB in at least one session) |
//! | `largest_diameter_cm` | number | largest tumour diameter, cm (Six-and-twelve input; the target lesion unless another tumour is larger) |
//! | `tumour_count` | integer | number of tumours, 1–7 (Six-and-twelve input) |
//! | `os_months` | number | overall survival from the TACE date, months (days / 30.4375, 2 decimals) |
//! | `os_event` | 0/1 | 1 = death, 0 = censored (alive at 2024-12-31 or lost to follow-up) |
//!
//! Categorical columns have exact counts (Table 1's shares rounded by largest remainder), so the
//! default 168 patients reproduce Table 1's counts exactly.
//!
//! # The planted truth
//! Overall survival follows a Weibull proportional-hazards model ([`PlantedModel`]) with hazard
//! ratios 2.0 for AFP ≥ 400, 1.8 for ≥ 3 tumours (the seed's multivariable Cox, Table 2) and
//! $e^{\beta_L}$ per SD of a latent lipiodol-pattern variable $z \sim N(0,1)$, which also drives
//! the deposits' coverage, density, heterogeneity and fragmentation in the image (see
//! `phantom.rs`): the radiomics signal the study must find. The Weibull scale is set so that the
//! drawn true times have median 25 months and the loss-to-follow-up rate so that about 75 % of
//! deaths are observed (the seed: median OS 25.0 months, 77 % events).
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

pub use phantom::{LipiodolPattern, ReaderBStyle, Scanner, PATTERN_LOADING, SCANNERS};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20190101;

/// The survival model planted in the cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedModel {
    /// Log hazard ratio of AFP ≥ 400 ng/mL (default $\ln 2$).
    pub beta_afp_ge400: f64,
    /// Log hazard ratio of ≥ 3 tumours (default $\ln 1.8$).
    pub beta_tumour_number_ge3: f64,
    /// Log hazard ratio per SD of the latent lipiodol-pattern variable (default 0.7).
    pub beta_latent: f64,
    /// Weibull shape $k$ of the baseline hazard (default 1.3: hazard rising with time).
    pub weibull_shape: f64,
    /// Median of the true survival times, months (default 25).
    pub median_os_months: f64,
    /// Share of patients whose death is observed (default 0.75).
    pub event_fraction: f64,
}

impl Default for PlantedModel {
    fn default() -> Self {
        PlantedModel {
            beta_afp_ge400: 2.0_f64.ln(),
            beta_tumour_number_ge3: 1.8_f64.ln(),
            beta_latent: 0.7,
            weibull_shape: 1.3,
            median_os_months: 25.0,
            event_fraction: 0.75,
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
    let patients: Vec<cohort::Patient> = (0..n)
        .map(|i| {
            let id = format!("P{:0width$}", i + 1);
            design.patient(i, id, &mut stream_rng(config.seed, Stream::Clinical(i)))
        })
        .collect();
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
    let constants = [m.beta_afp_ge400, m.beta_tumour_number_ge3, m.beta_latent];
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
