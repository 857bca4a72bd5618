//! `radsurv extract`.

use std::process::ExitCode;

/// Arguments of `radsurv extract`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv extract` is not built yet")
}
