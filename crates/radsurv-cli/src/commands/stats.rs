//! `radsurv stats`.

use std::process::ExitCode;

/// Arguments of `radsurv stats`.
#[derive(clap::Args)]
pub struct Args {}

/// Not built yet: says so and fails.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`radsurv stats` is not built yet")
}
