//! `--output tap`: TAP version 13, one test per object (as kubeconform does), `not ok`
//! when the object has a finding at or above `--fail-on`. Each finding is listed in
//! the test's YAML block; objects skipped for lack of a schema are `# SKIP`.

use std::fmt::Write;

use super::ReportContext;
use super::objects::{self, Test};

pub fn render(cx: &ReportContext<'_>) -> String {
    let files = objects::group(cx);
    let count: usize = files.iter().map(|f| f.tests.len()).sum();
    let mut out = format!("TAP version 13\n1..{count}\n");
    let mut n = 0;
    for file in &files {
        let name = file.name.to_cow();
        for test in &file.tests {
            n += 1;
            write_test(&mut out, cx, n, &name, test);
        }
    }
    out
}

fn write_test(out: &mut String, cx: &ReportContext<'_>, n: usize, file: &str, test: &Test<'_>) {
    let failed = test.findings.iter().any(|f| f.fails(cx.fail_on));
    let status = if failed { "not ok" } else { "ok" };
    let description = match test.object {
        Some(_) => format!("{file} {}", test.label()),
        None => file.to_string(),
    };
    let skip = if test.object.is_some_and(|o| o.skipped) { " # SKIP no schema for this custom resource" } else { "" };
    let _ = writeln!(out, "{status} {n} - {}{skip}", escape(&description));
    if test.findings.is_empty() {
        return;
    }
    // JSON strings are valid YAML double-quoted scalars.
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let _ = writeln!(out, "  ---\n  findings:");
    for f in &test.findings {
        let start = f.location.start();
        let _ = writeln!(out, "    - rule: {}", f.rule);
        let _ = writeln!(out, "      severity: {}", f.severity);
        let _ = writeln!(out, "      message: {}", quote(&f.message));
        let at = format!("{}:{}:{}", f.location.source.name, start.line, start.col);
        let _ = writeln!(out, "      at: {}", quote(&at));
        if let Some(pointer) = &f.pointer {
            let _ = writeln!(out, "      pointer: {}", quote(pointer));
        }
        if let Some(template) = &f.template {
            let _ = writeln!(out, "      template: {}", quote(template));
        }
        if let Some(note) = &f.note {
            let _ = writeln!(out, "      note: {}", quote(note));
        }
        if let Some(help) = &f.help {
            let _ = writeln!(out, "      help: {}", quote(help));
        }
        if let Some(how) = &f.suppressed {
            let _ = writeln!(out, "      suppressed: {}", quote(how));
        }
    }
    let _ = writeln!(out, "  ...");
}

/// A `#` in a description would start a directive.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('#', "\\#").replace(['\r', '\n'], " ")
}
