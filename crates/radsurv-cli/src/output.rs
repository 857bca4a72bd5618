//! Standard output written fallibly: a closed pipe or a full disk is an error naming standard
//! output (exit status 2), never a panic.

use anyhow::Context;
use std::io::Write;

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}
