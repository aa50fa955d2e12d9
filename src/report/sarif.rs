//! `--output sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! One run per invocation. `tool.driver.rules` describes the rules that have
//! results (with their documentation as help), results point at the exact region (lines,
//! columns in code points, byte offsets) with the JSON pointer as a logical location,
//! and paths are relative to `%SRCROOT%`, the working directory. The structures below
//! hold only what kval fills; `tests/sarif/` validates the output against the
//! official schema.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use super::ReportContext;
use crate::finding::{Finding, Location, ObjectRef, Severity};
use crate::input::STDIN_NAME;
use crate::rules::{ALL, Rule};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub shows at most this many characters of a rule's full description.
const MAX_DESCRIPTION: usize = 1024;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

/// What GitHub code scanning reads besides the standard fields.
#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
    /// For security rules: a CVSS-like score GitHub ranks alerts by.
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    kubernetes_version: String,
    #[serde(skip_serializing_if = "is_zero")]
    omitted_findings: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [SarifLocation; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// For a finding listed with `--show-suppressed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
    /// With a baseline: `new`, or `unchanged` for a baselined finding (`--show-suppressed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    /// The fix of a finding, which code-scanning UIs can offer (`kval lint --fix`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

/// A suppression in the file (kval's comment or annotation): SARIF viewers such as
/// GitHub code scanning show the result as dismissed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression {
    kind: &'static str,
    justification: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text>,
}

/// Lines and columns are 1-based, the end column exclusive; columns count code
/// points (`columnKind`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    /// For a finding on a rendered chart or Kustomize root (whose location is the
    /// source file): the renders and the place in their output.
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<RenderedProperties<'a>>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.object.is_none()
            && self.document.is_none()
            && self.template.is_none()
            && self.note.is_none()
            && self.help.is_none()
            && self.rendered.is_none()
    }
}

/// The rendered output is no file of the repository: it is described here rather
/// than as a location code-scanning tools would try to open.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RenderedProperties<'a> {
    contexts: &'a [String],
    precision: crate::finding::Precision,
    /// The finding's place in the rendered output (as in JSON output).
    start_line: usize,
    start_column: usize,
    /// The rendered line.
    text: String,
    /// Labels of the finding that are in the rendered output.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<RenderedLabel>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RenderedLabel {
    start_line: usize,
    start_column: usize,
    message: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub fn render(cx: &ReportContext<'_>) -> String {
    // The rules that have results, in `kval rules` order: the log stays small and
    // does not change when rules are added.
    let rules: Vec<&Rule> = ALL.iter().copied().filter(|r| cx.findings().iter().any(|f| f.rule == r.id)).collect();
    let rule_index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results = cx
        .findings()
        .iter()
        .map(|f| {
            let fingerprint = fingerprint(f);
            let occurrence = seen.entry(fingerprint.clone()).or_insert(0);
            *occurrence += 1;
            let mut r = result(f, rule_index.get(f.rule).copied(), format!("{fingerprint}:{occurrence}"));
            if cx.result.baselined.is_some() {
                let baselined = f.suppressed.as_deref() == Some(crate::baseline::SUPPRESSED);
                r.baseline_state = Some(if baselined { "unchanged" } else { "new" });
            }
            r
        })
        .collect();
    let mut base_ids = BTreeMap::new();
    if let Some(root) = std::env::current_dir().ok().and_then(|dir| file_uri(&dir)) {
        let description = Some(Text { text: "the directory kval ran in".into() });
        base_ids.insert(SRCROOT, ArtifactLocation { uri: root + "/", uri_base_id: None, description });
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "kval",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            invocations: [Invocation { execution_successful: cx.result.unreadable == 0 }],
            original_uri_base_ids: base_ids,
            results,
            column_kind: "unicodeCodePoints",
            properties: RunProperties { kubernetes_version: cx.version.to_string(), omitted_findings: cx.omitted() },
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let doc = rule.documentation();
    ReportingDescriptor {
        id: rule.id,
        name: rule.id.split('-').map(capitalize).collect(),
        short_description: Text { text: rule.summary.to_string() },
        full_description: Text { text: full_description(&doc).unwrap_or_else(|| rule.summary.to_string()) },
        help: Help { text: doc.clone(), markdown: doc },
        default_configuration: Configuration { level: level(rule.severity) },
        properties: RuleProperties {
            tags: [rule.category.as_str()],
            precision: "very-high",
            problem_severity: match rule.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
            security_severity: crate::rules::security::security_severity(rule),
        },
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The first paragraph of a rule's "What it does" section, on one line, within
/// GitHub's limit.
fn full_description(doc: &str) -> Option<String> {
    let section = doc.split("## What it does").nth(1)?;
    let paragraph: Vec<&str> =
        section.trim_start().lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
    let text = paragraph.join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= MAX_DESCRIPTION {
        return Some(text);
    }
    Some(text.chars().take(MAX_DESCRIPTION - 1).collect::<String>() + "…")
}

fn result(f: &Finding, rule_index: Option<usize>, fingerprint: String) -> SarifResult<'_> {
    let logical = f.pointer.as_ref().map(|pointer| LogicalLocation {
        name: pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~"),
        fully_qualified_name: pointer.clone(),
    });
    SarifResult {
        rule_id: f.rule,
        rule_index,
        level: level(f.severity),
        message: Text { text: f.message.clone() },
        locations: [SarifLocation {
            id: None,
            physical_location: physical(&f.location),
            logical_locations: logical.into_iter().collect(),
            message: None,
        }],
        related_locations: f
            .secondary
            .iter()
            .filter(|label| !in_rendered(f, &label.location))
            .enumerate()
            .map(|(i, label)| SarifLocation {
                id: Some(i + 1),
                physical_location: physical(&label.location),
                logical_locations: Vec::new(),
                message: Some(Text { text: label.message.clone() }),
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([("primaryLocationLineHash", fingerprint)]),
        suppressions: f.suppressed.as_ref().map(|how| [Suppression { kind: "inSource", justification: how.clone() }]),
        baseline_state: None,
        fixes: f.fix.iter().map(|fix| sarif_fix(f, fix)).collect(),
        properties: ResultProperties {
            object: f.object.as_ref(),
            document: f.document,
            template: f.template.as_deref(),
            note: f.note.as_deref(),
            help: f.help.as_deref(),
            rendered: f.rendered.as_deref().map(|r| rendered(f, r)),
        },
    }
}

/// Whether a location is in the rendered output a finding was mapped from.
fn in_rendered(f: &Finding, location: &Location) -> bool {
    f.rendered.as_ref().is_some_and(|r| r.location.source.name == location.source.name)
}

fn rendered<'a>(f: &'a Finding, r: &'a crate::finding::Rendered) -> RenderedProperties<'a> {
    let start = r.location.start();
    let labels = f
        .secondary
        .iter()
        .filter(|label| in_rendered(f, &label.location))
        .map(|label| {
            let at = label.location.start();
            RenderedLabel { start_line: at.line, start_column: at.col, message: label.message.clone() }
        })
        .collect();
    RenderedProperties {
        contexts: &r.contexts,
        precision: r.precision,
        start_line: start.line,
        start_column: start.col,
        text: r.location.source.line_text(start.line).trim().to_string(),
        labels,
    }
}

fn sarif_fix(f: &Finding, fix: &crate::finding::Fix) -> SarifFix {
    let replacements = fix
        .edits
        .iter()
        .filter_map(|e| {
            let location = Location { source: f.location.source.clone(), span: e.span };
            let deleted_region = physical(&location).region?;
            Some(Replacement { deleted_region, inserted_content: Text { text: e.replacement.clone() } })
        })
        .collect();
    let text = format!("{} ({})", fix.title, fix.applicability.as_str());
    let change = ArtifactChange { artifact_location: artifact(&f.location.source.name), replacements };
    SarifFix { description: Text { text }, artifact_changes: [change] }
}

fn physical(location: &Location) -> PhysicalLocation {
    let source = &location.source;
    // A file that could not be read has no text to point into.
    let region = (!source.text.is_empty()).then(|| {
        let (start, end) = (location.start(), location.end());
        Region {
            start_line: start.line,
            start_column: start.col,
            end_line: end.line,
            end_column: end.col,
            byte_offset: location.span.start as usize + source.offset_base,
            byte_length: location.span.range().len(),
        }
    });
    PhysicalLocation { artifact_location: artifact(&source.name), region }
}

/// A relative path becomes a relative URI against `%SRCROOT%`, an absolute one a
/// `file:` URI, and standard input the relative URI `stdin` with a description.
fn artifact(name: &str) -> ArtifactLocation {
    if name == STDIN_NAME {
        let description = Some(Text { text: "standard input".into() });
        return ArtifactLocation { uri: "stdin".into(), uri_base_id: None, description };
    }
    let path = Path::new(name);
    if path.is_absolute()
        && let Some(uri) = file_uri(path)
    {
        return ArtifactLocation { uri, uri_base_id: None, description: None };
    }
    ArtifactLocation {
        uri: percent_encode(&name.replace('\\', "/"), false),
        uri_base_id: Some(SRCROOT),
        description: None,
    }
}

/// `file:///abs/path` for an absolute path (`file:///C:/x` on Windows).
fn file_uri(path: &Path) -> Option<String> {
    let text = path.to_str()?.replace('\\', "/");
    let text = text.trim_end_matches('/');
    let slash = if text.starts_with('/') { "" } else { "/" };
    Some(format!("file://{slash}{}", percent_encode(text, true)))
}

/// Percent-encodes all but unreserved characters and `/` (and `:` where it cannot
/// be mistaken for a scheme).
fn percent_encode(text: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (keep_colon && b == b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What identifies a finding across runs when lines move: its rule, file, object,
/// field and message (64-bit FNV-1a, in hex). Equal ones are told apart by an
/// occurrence number.
fn fingerprint(f: &Finding) -> String {
    let object = f
        .object
        .as_ref()
        .map(|o| [&o.api_version, &o.kind, &o.namespace, &o.name].map(|p| p.as_deref().unwrap_or("")).join("/"));
    let parts = [
        f.rule,
        f.location.source.name.as_str(),
        object.as_deref().unwrap_or(""),
        f.pointer.as_deref().unwrap_or(""),
        f.message.as_str(),
    ];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let a = artifact("deploy/my app/web.yaml");
        assert_eq!((a.uri.as_str(), a.uri_base_id), ("deploy/my%20app/web.yaml", Some(SRCROOT)));
        assert_eq!(artifact("../x:y.yaml").uri, "../x%3Ay.yaml");
        assert_eq!(artifact("/tmp/a b.yaml").uri, "file:///tmp/a%20b.yaml");
        assert_eq!(artifact(STDIN_NAME).uri, "stdin");
    }

    #[test]
    fn descriptions_fit_github() {
        for rule in ALL {
            let d = descriptor(rule);
            assert!(!d.full_description.text.is_empty(), "{}", rule.id);
            assert!(d.full_description.text.chars().count() <= MAX_DESCRIPTION, "{}", rule.id);
            assert!(d.name.len() <= 255 && !d.name.contains('-'), "{}", d.name);
        }
    }
}
