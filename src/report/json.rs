//! `--output json`: a stable, documented structure (see README, "JSON output").

use serde::Serialize;

use super::ReportContext;
use crate::finding::{Applicability, Finding, Location, ObjectRef, Severity};

/// Bumped on any incompatible change of the structure.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Output<'a> {
    version: u32,
    kubernetes_version: String,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    start: Position,
    end: Position,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<JsonRendered<'a>>,
}

/// Where a finding on rendered output was found: the renders, and the place in
/// their output (`file` is the render's name).
#[derive(Serialize)]
struct JsonRendered<'a> {
    contexts: &'a [String],
    file: &'a str,
    start: Position,
    end: Position,
    precision: crate::finding::Precision,
}

/// The edits of a fix, in the finding's file (applied together by `--fix`).
#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: Position,
    end: Position,
    replacement: &'a str,
}

/// A 1-based line and column (in Unicode code points) and a 0-based byte offset.
#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct Related<'a> {
    file: &'a str,
    start: Position,
    end: Position,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    files: usize,
    resources: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    /// Present when the run registered CustomResourceDefinitions.
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_resources: Option<CustomResources>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomResources {
    crds: usize,
    validated: usize,
    without_crd: usize,
}

fn positions(location: &Location) -> (Position, Position) {
    let at = |offset: usize| {
        let lc = location.source.line_col(offset);
        Position { line: lc.line, column: lc.col, offset: offset + location.source.offset_base }
    };
    (at(location.span.start as usize), at(location.span.end as usize))
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    let (start, end) = positions(&f.location);
    JsonFinding {
        rule: f.rule,
        severity: f.severity,
        message: &f.message,
        file: &f.location.source.name,
        start,
        end,
        pointer: f.pointer.as_deref(),
        object: f.object.as_ref(),
        document: f.document,
        template: f.template.as_deref(),
        label: f.label.as_deref(),
        note: f.note.as_deref(),
        help: f.help.as_deref(),
        related: f
            .secondary
            .iter()
            .map(|l| {
                let (start, end) = positions(&l.location);
                Related { file: &l.location.source.name, start, end, message: &l.message }
            })
            .collect(),
        suppressed: f.suppressed.as_deref(),
        fix: f.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability,
            title: &fix.title,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let (start, end) = positions(&Location { source: f.location.source.clone(), span: e.span });
                    JsonEdit { start, end, replacement: &e.replacement }
                })
                .collect(),
        }),
        rendered: f.rendered.as_ref().map(|r| {
            let (start, end) = positions(&r.location);
            JsonRendered { contexts: &r.contexts, file: &r.location.source.name, start, end, precision: r.precision }
        }),
    }
}

pub fn render(cx: &ReportContext<'_>) -> String {
    let r = cx.result;
    let output = Output {
        version: FORMAT_VERSION,
        kubernetes_version: cx.version.to_string(),
        findings: cx.findings().iter().map(finding).collect(),
        summary: Summary {
            files: r.files,
            resources: r.resources,
            skipped: r.skipped,
            errors: r.count(Severity::Error),
            warnings: r.count(Severity::Warning),
            infos: r.count(Severity::Info),
            suppressed: r.suppressed,
            custom_resources: (r.custom.crds > 0 || r.custom.validated > 0).then_some(CustomResources {
                crds: r.custom.crds,
                validated: r.custom.validated,
                without_crd: r.custom.without_crd,
            }),
        },
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
