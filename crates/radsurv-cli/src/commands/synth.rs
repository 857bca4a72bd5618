//! `radsurv synth`.

use std::process::ExitCode;

/// Arguments of `radsurv synth`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv synth` is not built yet")
}
