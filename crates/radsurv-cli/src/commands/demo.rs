//! `radsurv demo`.

use std::process::ExitCode;

/// Arguments of `radsurv demo`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv demo` is not built yet")
}
