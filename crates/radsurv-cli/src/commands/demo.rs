//! `radsurv demo`: the whole study on a built-in synthetic cohort, end to end: generate the
//! cohort (`radsurv synth`), run the study (`radsurv study`) and write the report, with a progress
//! display a newcomer can follow.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use radsurv_study::outputs::model_path;
use radsurv_study::pipeline::Progress;
use radsurv_study::synth::{self, SynthConfig, DEFAULT_SEED};
use radsurv_study::{run_study, ModelFile, StudyConfig, StudyResults};

/// Arguments of `radsurv demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Folder for everything the demo writes (cohort, results.json, model.json, report.html).
    #[arg(long, default_value = "radsurv-demo")]
    out: PathBuf,
    /// Number of synthetic patients (the seed study had 168).
    #[arg(long, default_value_t = 168)]
    patients: usize,
    /// Seed of the synthetic cohort; the same seed gives byte-identical output.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Write into a non-empty --out folder, replacing the files a previous demo left there.
    #[arg(long)]
    force: bool,
}

/// Generates the cohort, runs the study and writes the report; prints where the report is.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    radsurv_study::outputs::check_output_folder(&args.out, &[], args.force)?;
    let started = Instant::now();
    welcome(&args);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    let cohort_dir = args.out.join("cohort");

    let synth_config = SynthConfig {
        patients: args.patients,
        seed: args.seed,
        ..Default::default()
    };
    let summary = step(
        1,
        "Generating a synthetic post-TACE cohort (CT images, masks, clinical data)",
        |_| {
            synth::generate(&synth_config, &cohort_dir)
                .with_context(|| format!("cannot generate the cohort in {}", cohort_dir.display()))
        },
    )?;
    println!(
        "      {} patients ({} training, {} validation), {} deaths, in {}",
        summary.patients,
        summary.training,
        summary.validation,
        summary.events,
        cohort_dir.display()
    );

    let results = step(
        2,
        "Running the study: features, selection, Cox models, validation",
        |bar| run_study_on(&cohort_dir, &args.out, bar),
    )?;

    let written = step(
        3,
        "Writing the report (figures, tables, risk calculator)",
        |_| {
            let model_file = model_path(&args.out);
            let model = ModelFile::read(&model_file)
                .with_context(|| format!("cannot read the model {}", model_file.display()))?;
            let demo = radsurv_report::DemoNotes {
                patients: args.patients,
                seed: args.seed,
            };
            radsurv_report::write_study_report(&results, Some(&model), Some(demo), &args.out)
                .context("cannot write the report")
        },
    )?;

    farewell(&written.html, &args.out, started.elapsed());
    Ok(ExitCode::SUCCESS)
}

/// Runs the example study config on the synthetic cohort, showing the pipeline's own progress
/// (current step, and cases extracted) on the step's spinner.
fn run_study_on(cohort_dir: &Path, out: &Path, bar: &ProgressBar) -> anyhow::Result<StudyResults> {
    let config = StudyConfig::for_synthetic_cohort(cohort_dir)
        .context("the example study config does not fit the synthetic cohort")?;
    let show = |p: Progress| match p {
        Progress::Step { index, total, name } => {
            bar.set_message(format!("step {index}/{total}: {name}"))
        }
        Progress::Extraction { done, total } => bar.set_message(format!(
            "extracting features: {done}/{total} image/mask pairs"
        )),
    };
    run_study(&config, out, &show).context("the study failed")
}

fn welcome(args: &Args) {
    println!();
    println!("  radsurv demo: CT radiomics survival modelling, end to end");
    println!();
    println!(
        "  This builds a synthetic cohort of {} liver-cancer patients treated with TACE (seed {}),",
        args.patients, args.seed
    );
    println!("  reproduces the seed study on it, and writes a report you can open in any browser.");
    println!();
}

fn farewell(html: &Path, out: &Path, elapsed: Duration) {
    let html = html.canonicalize().unwrap_or_else(|_| html.to_path_buf());
    println!();
    println!("  Done in {:.1} s. Open the report:", elapsed.as_secs_f64());
    println!();
    println!("      {}", html.display());
    println!();
    println!(
        "  Also in {}: results.json (every number), model.json (for `radsurv predict`),",
        out.display()
    );
    println!("  figures/ (SVG and PNG) and cohort/ (the synthetic images and clinical table).");
    println!();
}

/// Runs one numbered step under a spinner (which the step may update) and prints a tick with its
/// duration when it ends.
fn step<T>(
    number: usize,
    what: &str,
    work: impl FnOnce(&ProgressBar) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("  {spinner} {prefix}  {msg:.dim}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.set_message("");
    spinner.set_prefix(format!("[{number}/3] {what}"));
    spinner.enable_steady_tick(Duration::from_millis(100));
    let started = Instant::now();
    let result = work(&spinner);
    spinner.finish_and_clear();
    let mark = if result.is_ok() { "✓" } else { "✗" };
    println!(
        "  {mark} [{number}/3] {what} ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    result
}
