//! `--output github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's files:
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`.

use std::fmt::Write;

use super::{ReportContext, compact};
use crate::finding::{Applicability, Finding, Severity};

pub fn render(cx: &ReportContext<'_>) -> String {
    let mut out = String::new();
    for f in cx.findings() {
        let _ = writeln!(out, "{}", command(f));
    }
    out
}

fn command(f: &Finding) -> String {
    // A suppressed finding (`--show-suppressed`) is only a notice: it must not look
    // like, or count as, a live error in the pull request.
    let level = match f.severity {
        _ if f.suppressed.is_some() => "notice",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let source = &f.location.source;
    let start = f.location.start();
    // GitHub accepts columns only on a one-line range: a span over several lines
    // (a block scalar) is marked on its first line.
    let first_line_end = match source.slice(f.location.span).find(['\n', '\r']) {
        Some(i) => f.location.span.start as usize + i,
        None => f.location.span.end as usize,
    };
    let end = source.line_col(first_line_end);
    // The end column is the last character's, at least the start's.
    let end_column = end.col.saturating_sub(1).max(start.col);
    let properties = [
        ("file", source.name.clone()),
        ("line", start.line.to_string()),
        ("col", start.col.to_string()),
        ("endLine", start.line.to_string()),
        ("endColumn", end_column.to_string()),
        ("title", format!("kval {}{}", f.rule, if f.suppressed.is_some() { " (suppressed)" } else { "" })),
    ];
    let properties: Vec<String> = properties.iter().map(|(k, v)| format!("{k}={}", escape_property(v))).collect();
    let mut message = f.message.clone();
    for line in compact::details(f) {
        message.push('\n');
        message.push_str(&line);
    }
    // Annotations cannot carry a suggested change (a pull-request review comment
    // through the REST API can): they name the fix and the command that applies it.
    if let Some(fix) = &f.fix {
        let flags = match fix.applicability {
            Applicability::Safe => "--fix",
            Applicability::Unsafe => "--fix --unsafe-fixes",
        };
        let _ = write!(message, "\nfix: {} (`kval lint {flags}`)", fix.title);
    }
    format!("::{level} {}::{}", properties.join(","), escape_data(&message))
}

/// As `escapeData` in `actions/toolkit`'s `command.ts`.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// As `escapeProperty` in `actions/toolkit`: also `:` and `,`, which delimit
/// properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
