//! `--output compact`: one line per finding, `file:line:col: severity[rule-id]:
//! message`, the form editors' quickfix lists (`errorformat=%f:%l:%c:\ %m`) and grep
//! read. JUnit and GitHub output reuse these lines.

use super::ReportContext;
use crate::finding::Finding;

pub fn render(cx: &ReportContext<'_>) -> String {
    cx.findings().iter().map(|f| line(f) + "\n").collect()
}

/// `examples/job.yaml:30:5: error[invalid-type]: message`, on one line.
pub fn line(f: &Finding) -> String {
    let start = f.location.start();
    format!(
        "{}:{}:{}: {}[{}]: {}{}",
        f.location.source.name,
        start.line,
        start.col,
        f.severity,
        f.rule,
        one_line(&f.message),
        if f.suppressed.is_some() { " (suppressed)" } else { "" }
    )
}

/// The lines that follow the message in formats with room for them: the chart
/// template, the note and the help.
pub fn details(f: &Finding) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(origin) = f.origin_note() {
        lines.push(format!("note: {origin}"));
    }
    if let Some(note) = &f.note {
        lines.push(format!("note: {}", one_line(note)));
    }
    if let Some(help) = &f.help {
        lines.push(format!("help: {}", one_line(help)));
    }
    if let Some(how) = &f.suppressed {
        lines.push(format!("note: {}", one_line(how)));
    }
    lines
}

/// Messages are one line by convention; a line break would split a finding in two.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
