//! Standard output written fallibly: a closed pipe or a full disk is an error naming standard
//! output (exit status 2), never a panic.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// Refuses an output file that is one of the command's inputs (or its parameter file):
/// writing it would destroy the input.
pub fn refuse_overwriting_inputs(
    out: &Path,
    inputs: &[&Path],
    params: Option<&Path>,
) -> anyhow::Result<()> {
    let Ok(target) = out.canonicalize() else {
        return Ok(()); // not there yet, so it is no input
    };
    for input in inputs.iter().copied().chain(params) {
        if input.canonicalize().is_ok_and(|p| p == target) {
            anyhow::bail!(
                "--out {} is an input of this command ({}); choose another output file",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}
