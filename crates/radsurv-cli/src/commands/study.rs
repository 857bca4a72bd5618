//! `radsurv study`.

use std::process::ExitCode;

/// Arguments of `radsurv study`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv study` is not built yet")
}
