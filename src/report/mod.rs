//! Reporters: each turns a run's findings into one output format.
//!
//! Checks never format output; they produce [`crate::finding::Finding`]s, and one
//! module here per format renders them.

mod human;
mod json;

use crate::lint::LintResult;
use crate::schema::KubeVersion;

/// What every reporter may need besides the findings.
pub struct ReportContext<'a> {
    pub result: &'a LintResult,
    pub version: KubeVersion,
    /// ANSI colours (human output only).
    pub color: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

impl Format {
    pub const ALL: &'static [(&'static str, Format)] = &[("human", Format::Human), ("json", Format::Json)];

    pub fn parse(text: &str) -> Option<Format> {
        Self::ALL.iter().find(|(name, _)| *name == text).map(|(_, f)| *f)
    }

    pub fn render(self, cx: &ReportContext<'_>) -> String {
        match self {
            Format::Human => human::render(cx),
            Format::Json => json::render(cx),
        }
    }
}

/// The one-line summary printed after human output (to standard error).
pub fn summary_line(result: &LintResult) -> String {
    use crate::finding::Severity;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut counts = Vec::new();
    for (severity, word) in [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Info, "info")] {
        let n = result.count(severity);
        if n > 0 {
            counts.push(plural(n, word));
        }
    }
    let found = if counts.is_empty() { "no problems".to_string() } else { counts.join(", ") };
    let mut skipped = if result.skipped > 0 { format!(", {} skipped", result.skipped) } else { String::new() };
    if result.suppressed > 0 {
        skipped += &format!(", {} suppressed", result.suppressed);
    }
    format!(
        "Checked {} and {}{skipped} in {}ms: {found}",
        plural(result.files, "file"),
        plural(result.resources, "resource"),
        result.elapsed.as_millis()
    )
}
