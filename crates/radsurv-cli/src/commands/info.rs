//! `radsurv info`.

use std::process::ExitCode;

/// Arguments of `radsurv info`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv info` is not built yet")
}
