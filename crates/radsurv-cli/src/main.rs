//! `radsurv`: CT radiomics survival modelling from the command line.
//!
//! This binary only parses arguments, shows progress and maps errors to exit codes
//! (0 success, 1 a batch finished with failed cases, 2 error); the science lives in the libraries.

mod allocator;
mod commands;
mod output;

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
    /// Write one ROI or segment of a mask file on the image grid (uint8, 1 inside).
    Mask(commands::mask::Args),
}

fn main() -> ExitCode {
    exit_2_on_panic();
    allocator::keep_freed_memory();
    main_thread_joins_the_thread_pool();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => commands::demo::run(args),
        Command::Study(args) => commands::study::run(args),
        Command::Predict(args) => commands::predict::run(args),
        Command::Extract(args) => commands::extract::run(args),
        Command::Stats(args) => commands::stats::run(args),
        Command::Synth(args) => commands::synth::run(args),
        Command::Info(args) => commands::info::run(args),
        Command::Mask(args) => commands::mask::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", error_message(err.as_ref()));
            ExitCode::from(2)
        }
    }
}

/// Any panic, on any thread, ends the process with exit status 2 and a one-line message instead
/// of a backtrace dump and status 101: a panic is a bug, but the user still gets the error
/// contract every command promises. A write to a closed or full standard output by a `print!`
/// that is left is reported as such.
fn exit_2_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if payload.starts_with("failed printing to stdout") {
            eprintln!("error: cannot write to standard output ({payload})");
        } else {
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!(
                "error: internal error{place}: {payload}\n\
                 This is a bug in radsurv; please report it with the command that caused it."
            );
        }
        std::process::exit(2);
    }));
    panic_when_asked_by_a_test();
}

/// Debug builds panic on purpose when `RADSURV_TEST_PANIC` is set, so a test can check through
/// the binary that a panic becomes exit status 2 with a message.
fn panic_when_asked_by_a_test() {
    #[cfg(debug_assertions)]
    if let Some(message) = std::env::var_os("RADSURV_TEST_PANIC") {
        std::thread::spawn(move || panic!("{}", message.to_string_lossy()))
            .join()
            .ok();
    }
}

/// Makes the main thread one of rayon's workers (the pool's size still comes from
/// `RAYON_NUM_THREADS` or the CPU count). Otherwise every parallel loop is handed to another
/// thread while the main thread sleeps, and with one thread each hand-over is pure waiting
/// (`benches/README.md`). If a pool already exists, the default one stays.
fn main_thread_joins_the_thread_pool() {
    let _ = rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global();
}

/// The error and its causes joined by ": ", leaving out a cause whose text is already in the
/// message: the libraries' messages include their source, which `{:#}` would print again.
pub(crate) fn error_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut message = String::new();
    let causes = std::iter::successors(Some(err), |e| e.source());
    for text in causes.map(|cause| cause.to_string()) {
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
