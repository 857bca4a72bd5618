//! `radsurv study CONFIG.yaml --out DIR`: the whole seed analysis with a progress display, then
//! the report (`report.html` and `figures/`) from the same code as `radsurv demo`.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use radsurv_study::outputs::{check_study_output, model_path};
use radsurv_study::{run_study, ModelFile, Progress, StudyConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `radsurv study`.
#[derive(clap::Args)]
pub struct Args {
    /// Study config (YAML); see `examples/study.yaml`.
    pub config: PathBuf,
    /// Study folder to write results, tables, model, log, report.html and figures/ into; not
    /// the folder of the config, manifest, clinical table or parameter file.
    #[arg(long)]
    pub out: PathBuf,
    /// Write into a non-empty --out folder, replacing the files a previous run left there.
    #[arg(long)]
    pub force: bool,
}

/// Runs the study; exit 1 when some cases failed extraction (they are excluded and listed).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = StudyConfig::from_file(&args.config)
        .with_context(|| format!("reading study config {}", args.config.display()))?;
    check_study_output(&config, &args.config, &args.out, args.force)?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>12} {msg} [{bar:30}] {pos}/{len}")
            .context("progress template")?
            .progress_chars("=> "),
    );
    let results = run_study(&config, &args.out, &|p| show(&bar, p))
        .with_context(|| format!("study {}", args.config.display()))?;
    bar.finish_and_clear();
    let model_file = model_path(&args.out);
    let model = ModelFile::read(&model_file)
        .with_context(|| format!("cannot read the model {}", model_file.display()))?;
    let written = radsurv_report::write_study_report(&results, Some(&model), None, &args.out)
        .context("cannot write the report")?;
    crate::output::print(&format!(
        "{}report in {}\n",
        summary(&results, &args.out),
        written.html.display()
    ))?;
    for warning in &results.extraction.params_warnings {
        eprintln!("warning: extraction parameters: {warning}");
    }
    for f in &results.extraction.failed {
        eprintln!(
            "failed: case {} reader {}: {}",
            f.case_id, f.reader, f.error
        );
    }
    Ok(if results.extraction.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn show(bar: &ProgressBar, progress: Progress) {
    match progress {
        Progress::Step { index, total, name } => {
            bar.set_prefix(format!("step {index}/{total}"));
            bar.set_message(name);
            bar.set_length(total as u64);
            bar.set_position(index as u64);
        }
        Progress::Extraction { done, total } => {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }
}

/// A short summary of the results for the terminal.
pub fn summary(results: &radsurv_study::StudyResults, out: &std::path::Path) -> String {
    let c = &results.cohorts;
    let mut text = format!(
        "training n={} ({} events), validation n={} ({} events); {} features selected\n",
        c.training.n,
        c.training.events,
        c.validation.n,
        c.validation.events,
        results.selected_features.len()
    );
    for (key, m) in results.models.iter() {
        text.push_str(&format!(
            "  {key:<15} C training {:.3} ({:.3}–{:.3}), validation {:.3} ({:.3}–{:.3})\n",
            m.c_index.training.value,
            m.c_index.training.lower,
            m.c_index.training.upper,
            m.c_index.validation.value,
            m.c_index.validation.lower,
            m.c_index.validation.upper,
        ));
    }
    text.push_str(&format!("results in {}\n", out.display()));
    text
}
