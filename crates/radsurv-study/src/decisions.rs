//! The decision log: one line per choice or drop the pipeline made, in order, written to
//! `decisions.log` so a reader can follow every feature and patient through the study.

/// An append-only list of `[step] text` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decisions {
    lines: Vec<String>,
}

impl Decisions {
    /// Records one decision of a pipeline step.
    pub fn note(&mut self, step: &str, text: impl AsRef<str>) {
        self.lines.push(format!("[{step}] {}", text.as_ref()));
    }

    /// The lines recorded so far.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The log as text, one decision per line.
    pub fn to_text(&self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}
