//! `radsurv`: CT radiomics survival modelling from the command line.
//!
//! This binary only parses arguments, shows progress and maps errors to exit codes
//! (0 success, 1 a batch finished with failed cases, 2 error); the science lives in the libraries.

mod allocator;
mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: allocator::HugePageAllocator = allocator::HugePageAllocator;

/// Build, validate and report CT-radiomics survival models.
#[derive(Parser)]
#[command(name = "radsurv", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole study on a built-in synthetic cohort and write its report.
    Demo(commands::demo::Args),
    /// Run a study from a YAML config and write results and report.
    Study(commands::study::Args),
    /// Score new patients with a saved model.
    Predict(commands::predict::Args),
    /// Extract PyRadiomics-identical features from one case or a manifest.
    Extract(commands::extract::Args),
    /// Survival and classical statistics on a CSV file, printed as JSON.
    Stats(commands::stats::Args),
    /// Generate a deterministic synthetic post-TACE cohort.
    Synth(commands::synth::Args),
    /// Describe an image or mask file: geometry, pixel type, values, labels.
    Info(commands::info::Args),
}

fn main() -> ExitCode {
    allocator::keep_freed_memory();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(args),
        Command::Study(args) => commands::study::run(args),
        Command::Predict(args) => commands::predict::run(args),
        Command::Extract(args) => commands::extract::run(args),
        Command::Stats(args) => commands::stats::run(args),
        Command::Synth(args) => commands::synth::run(args),
        Command::Info(args) => commands::info::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", error_message(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause whose text is already in the
/// message: the libraries' messages include their source, which `{:#}` would print again.
fn error_message(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for text in err.chain().map(|cause| cause.to_string()) {
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}
