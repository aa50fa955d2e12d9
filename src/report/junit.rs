//! `--output junit`: JUnit XML as GitLab, Jenkins and most CI servers read it. One
//! `<testsuite>` per file, one `<testcase>` per object, one `<failure>` per finding at
//! or above `--fail-on`; lower findings go to the test case's `<system-out>`, and
//! objects skipped for lack of a schema are `<skipped>`.

use std::fmt::Write;

use super::objects::{self, FileTests, Test};
use super::{ReportContext, compact};

pub fn render(cx: &ReportContext<'_>) -> String {
    let files = objects::group(cx);
    let mut body = String::new();
    let mut totals = Counts::default();
    for file in &files {
        let counts = Counts::of(cx, file);
        let name = file.name.to_cow();
        let _ = writeln!(
            body,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0" skipped="{}">"#,
            escape(&name),
            counts.tests,
            counts.failures,
            counts.skipped
        );
        for test in &file.tests {
            write_test(&mut body, cx, &name, test);
        }
        body.push_str("  </testsuite>\n");
        totals.add(&counts);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"kval\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n{body}</testsuites>\n",
        totals.tests, totals.failures, totals.skipped
    )
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl Counts {
    fn of(cx: &ReportContext<'_>, file: &FileTests<'_>) -> Counts {
        let findings = file.tests.iter().flat_map(|t| &t.findings);
        Counts {
            tests: file.tests.len(),
            failures: findings.filter(|f| f.fails(cx.fail_on)).count(),
            skipped: file.tests.iter().filter(|t| t.object.is_some_and(|o| o.skipped)).count(),
        }
    }

    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.skipped += other.skipped;
    }
}

fn write_test(out: &mut String, cx: &ReportContext<'_>, file: &str, test: &Test<'_>) {
    let line = test.object.map_or(1, |o| o.line);
    let _ = write!(
        out,
        r#"    <testcase name="{}" classname="{}" file="{}" line="{line}""#,
        escape(&test.label()),
        escape(file),
        escape(file)
    );
    let skipped = test.object.is_some_and(|o| o.skipped);
    if test.findings.is_empty() && !skipped {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if skipped {
        out.push_str("      <skipped message=\"no schema for this custom resource\"/>\n");
    }
    let mut system_out = String::new();
    for f in &test.findings {
        let mut text = compact::line(f);
        for line in compact::details(f) {
            text.push('\n');
            text.push_str(&line);
        }
        if f.fails(cx.fail_on) {
            let _ = writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                escape(&f.message),
                f.rule,
                escape_text(&text)
            );
        } else {
            system_out.push_str(&text);
            system_out.push('\n');
        }
    }
    if !system_out.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", escape_text(&system_out));
    }
    out.push_str("    </testcase>\n");
}

/// Escapes text for an XML attribute. Line breaks and tabs become character
/// references (an XML parser would otherwise turn them into spaces), and characters
/// XML 1.0 does not allow become U+FFFD.
fn escape(text: &str) -> String {
    escape_xml(text, true)
}

/// Escapes the text of an element, where line breaks stay as they are.
fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if !attribute => out.push('\n'),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_invalid_characters() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(escape("x\ny\u{1}"), "x&#10;y\u{FFFD}");
        assert_eq!(escape_text("x\ny<"), "x\ny&lt;");
    }
}
