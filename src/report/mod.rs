//! Reporters: each turns a run's findings into one output format.
//!
//! Checks never format output; they produce [`crate::finding::Finding`]s, and one
//! module here per format renders them.

mod compact;
mod github;
pub(crate) mod human;
mod json;
mod junit;
mod objects;
mod sarif;
mod tap;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::finding::{Finding, Severity};
use crate::lint::LintResult;
use crate::schema::KubeVersion;

/// What every reporter may need besides the findings.
pub struct ReportContext<'a> {
    pub result: &'a LintResult,
    pub version: KubeVersion,
    /// ANSI colours (human output only).
    pub color: bool,
    /// The lowest severity that fails the run: such findings are JUnit failures and
    /// make a TAP test `not ok`.
    pub fail_on: Severity,
    /// Show at most this many findings (`--max-findings`).
    pub max_findings: Option<usize>,
}

impl ReportContext<'_> {
    /// The findings to show: all of them, or the first `--max-findings`.
    pub fn findings(&self) -> &[Finding] {
        let all = &self.result.findings;
        self.max_findings.and_then(|n| all.get(..n)).unwrap_or(all)
    }

    /// How many findings `--max-findings` leaves out.
    pub fn omitted(&self) -> usize {
        self.result.findings.len() - self.findings().len()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Tap,
    Github,
    Compact,
}

impl Format {
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("human", Format::Human),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("junit", Format::Junit),
        ("tap", Format::Tap),
        ("github", Format::Github),
        ("compact", Format::Compact),
    ];

    pub fn parse(text: &str) -> Option<Format> {
        Self::ALL.iter().find(|(name, _)| *name == text).map(|(_, f)| *f)
    }

    pub fn render(self, cx: &ReportContext<'_>) -> String {
        // Every format turns offsets into lines: the line index of each file a
        // finding is in is built on every core first, not one file after another.
        cx.findings().par_iter().for_each(|f| {
            f.location.source.line_col(0);
        });
        match self {
            Format::Human => human::render(cx),
            Format::Json => json::render(cx),
            Format::Sarif => sarif::render(cx),
            Format::Junit => junit::render(cx),
            Format::Tap => tap::render(cx),
            Format::Github => github::render(cx),
            Format::Compact => compact::render(cx),
        }
    }

    /// Whether programs rather than people read this format on standard output (the
    /// summary line is then left out unless asked for).
    pub fn for_programs(self) -> bool {
        matches!(self, Format::Json | Format::Sarif | Format::Junit | Format::Tap)
    }

    /// Whether the format lists every object (one test per object), not only findings.
    pub fn lists_objects(self) -> bool {
        matches!(self, Format::Junit | Format::Tap)
    }
}

/// One `--output FORMAT[=PATH]`: a format, written to standard output or to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    /// `None` for standard output (no `=PATH`, or `=-`).
    pub path: Option<PathBuf>,
}

impl Output {
    pub fn parse(text: &str) -> Result<Output, String> {
        let (name, path) = match text.split_once('=') {
            Some((name, path)) => (name, Some(path)),
            None => (text, None),
        };
        let format = Format::parse(name).ok_or_else(|| {
            let names: Vec<_> = Format::ALL.iter().map(|(n, _)| format!("`{n}`")).collect();
            format!("unknown format `{name}`; expected one of {}", names.join(", "))
        })?;
        let path = match path {
            None | Some("-") => None,
            Some("") => return Err(format!("`{text}`: the path after `=` is empty")),
            Some(path) => Some(PathBuf::from(path)),
        };
        Ok(Output { format, path })
    }
}

/// The one-line summary printed after human output (to standard error).
pub fn summary_line(result: &LintResult) -> String {
    let plural = crate::text::plural;
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
    if result.not_kubernetes > 0 {
        skipped += &format!(", {} not Kubernetes", result.not_kubernetes);
    }
    format!(
        "Checked {} and {}{skipped} in {}ms: {found}",
        plural(result.files, "file"),
        plural(result.resources, "resource"),
        result.elapsed.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_parse() {
        assert_eq!(Output::parse("json"), Ok(Output { format: Format::Json, path: None }));
        assert_eq!(Output::parse("sarif=-"), Ok(Output { format: Format::Sarif, path: None }));
        assert_eq!(
            Output::parse("junit=out/kval.xml"),
            Ok(Output { format: Format::Junit, path: Some(PathBuf::from("out/kval.xml")) })
        );
        assert!(Output::parse("sarif=").unwrap_err().contains("empty"));
        assert!(Output::parse("xml=a").unwrap_err().contains("unknown format `xml`"));
    }
}
