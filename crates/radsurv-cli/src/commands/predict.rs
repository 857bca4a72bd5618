//! `radsurv predict`.

use std::process::ExitCode;

/// Arguments of `radsurv predict`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv predict` is not built yet")
}
