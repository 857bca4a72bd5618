//! How the study writes the files a user opens: whole or not at all, and with text cells a
//! spreadsheet will not run as formulas.

use crate::error::{Result, StudyError};
use std::path::{Path, PathBuf};

/// Writes `bytes` to a temporary file beside `path` and renames it over `path`, so a reader
/// (or an interruption) never sees a half-written file and an existing file is replaced whole.
/// A symbolic link is followed (its target is replaced, the link stays), and a device, FIFO or
/// socket (`/dev/stdout`, a pipe) is written into directly: renaming over it would replace it.
///
/// # Errors
/// [`StudyError::Io`] naming `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = followed(path);
    let special = std::fs::metadata(&target).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        return std::fs::write(&target, bytes).map_err(|e| StudyError::io(path, e));
    }
    replace_with_temporary(&target, bytes).map_err(|e| StudyError::io(path, e))
}

/// Where `path` leads: itself, or the file a symbolic link names (which may not exist yet).
fn followed(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    match std::fs::read_link(path) {
        Ok(target) => path
            .parent()
            .map_or(target.clone(), |dir| dir.join(&target)),
        Err(_) => path.to_path_buf(),
    }
}

fn replace_with_temporary(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
}

/// A text cell a spreadsheet will not run as a formula (OWASP's CSV-injection rule): text
/// starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`. Numbers
/// (`-1.5`, `+3`) and every other text are unchanged. Text that already starts with `'`s before
/// such a character gets one more, so [`spreadsheet_text`] reads every cell back as it was.
pub fn spreadsheet_safe(cell: &str) -> String {
    if could_run_as_formula(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The text a [`spreadsheet_safe`] cell was made from: its leading `'` removed where
/// [`spreadsheet_safe`] added one, every other cell as it is.
pub fn spreadsheet_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if could_run_as_formula(rest) => rest,
        _ => cell,
    }
}

/// Text that, after any leading `'`s, starts like a formula and is not a number.
fn could_run_as_formula(cell: &str) -> bool {
    let text = cell.trim_start_matches('\'');
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.trim().parse::<f64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_text_is_neutralised_and_reads_back_as_it_was() {
        let cells = [
            "=HYPERLINK(\"x\")",
            "+cmd",
            "-A1",
            "@SUM(A1)",
            "\tx",
            "'=x",
            "''-y",
            "'plain",
            "plain",
            "-1.5",
            "+3",
            "'-1.5",
            "",
        ];
        for cell in cells {
            let safe = spreadsheet_safe(cell);
            assert_eq!(
                spreadsheet_text(&safe),
                cell,
                "{cell:?} written as {safe:?}"
            );
            let shown = safe.trim_start_matches('\'');
            let is_number = shown.trim().parse::<f64>().is_ok();
            assert!(
                safe.starts_with('\'')
                    || is_number
                    || !shown.starts_with(['=', '+', '-', '@', '\t']),
                "{cell:?} written as {safe:?}"
            );
        }
        assert_eq!(spreadsheet_safe("-1.5"), "-1.5");
        assert_eq!(spreadsheet_safe("=1+2"), "'=1+2");
    }
}
