//! `radsurv synth`: writes the deterministic synthetic post-TACE cohort.

use anyhow::Context;
use radsurv_study::synth::{self, SynthConfig};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `radsurv synth`.
#[derive(clap::Args)]
pub struct Args {
    /// Folder to write the cohort into (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Write into a non-empty --out folder, replacing the files of a cohort already there.
    #[arg(long)]
    pub force: bool,
    /// Number of patients.
    #[arg(long, default_value_t = 168)]
    pub patients: usize,
    /// Seed of every random stream: the same seed gives byte-identical files.
    #[arg(long, default_value_t = synth::DEFAULT_SEED)]
    pub seed: u64,
    /// Patients segmented by a second reader (for the ICC filter).
    #[arg(long, default_value_t = 40)]
    pub reader_b: usize,
}

/// Generates the cohort and prints what was written.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = SynthConfig {
        patients: args.patients,
        seed: args.seed,
        reader_b_patients: args.reader_b,
        ..SynthConfig::default()
    };
    radsurv_study::outputs::check_output_folder(&args.out, &[], args.force)?;
    let started = Instant::now();
    let summary = synth::generate(&config, &args.out)
        .with_context(|| format!("generating the synthetic cohort in {}", args.out.display()))?;
    crate::output::print(&format!(
        "{} patients ({} training before 2019-01-01, {} validation), {} deaths, {} with reader B, in {:.1} s\n\
         clinical: {}\nmanifest: {} (paths relative to its folder)\ntruth:    {} (for tests only)\n",
        summary.patients,
        summary.training,
        summary.validation,
        summary.events,
        summary.reader_b_patients,
        started.elapsed().as_secs_f64(),
        summary.clinical.display(),
        summary.manifest.display(),
        summary.truth.display(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
