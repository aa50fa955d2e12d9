//! Checks of one source: read its documents, find each one's schema, validate, and
//! run the document rules.

// Input-derived data must never make kval panic (see README, "Hostile and broken input").
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

mod formats;
mod hints;
mod kind;
pub mod path;
mod schema;

use std::sync::Arc;

use crate::document::Document;
use crate::finding::{Finding, Location, ObjectRef};
use crate::limits::Limits;
use crate::rules::inventory::Resource;
use crate::rules::{Context, Rule, RuleSet, schema as checks};
use crate::schema::Catalog;
use crate::source::{SourceFile, Span};
use crate::yaml::{self, YamlErrorKind};

pub use kind::Resolution;

/// What a check of one source needs.
pub struct Checker<'a> {
    catalog: &'a Catalog,
    rules: &'a RuleSet,
    limits: &'a Limits,
    ignore_missing_schemas: bool,
    document_checks: Vec<fn(&Document, &mut Context<'_>)>,
}

/// What the check of one source found.
#[derive(Default)]
pub struct SourceReport {
    pub findings: Vec<Finding>,
    /// Objects checked.
    pub resources: usize,
    /// Custom resources skipped for lack of a schema.
    pub skipped: usize,
    /// What the cross-document rules need of each object checked.
    pub inventory: Vec<Resource>,
    /// Every object checked or skipped, in file order.
    pub objects: Vec<CheckedObject>,
}

/// An object of the input, for reporters that list objects rather than findings
/// (JUnit, TAP: one test per object).
#[derive(Clone, Debug)]
pub struct CheckedObject {
    /// The text of the object (see [`extent`]): a finding that starts inside belongs
    /// to it.
    pub location: Location,
    pub document: usize,
    pub object: ObjectRef,
    pub template: Option<String>,
    /// A custom resource without a schema, skipped (`--ignore-missing-schemas`).
    pub skipped: bool,
}

/// What the check of one document found.
pub struct DocumentReport {
    pub resolution: Resolution,
    pub findings: Vec<Finding>,
    /// Findings beyond `Limits::max_file_findings`, only counted.
    pub dropped: usize,
}

impl<'a> Checker<'a> {
    pub fn new(catalog: &'a Catalog, rules: &'a RuleSet, limits: &'a Limits, ignore_missing_schemas: bool) -> Self {
        Checker { catalog, rules, limits, ignore_missing_schemas, document_checks: rules.document_checks() }
    }

    /// Reads and checks every document of a source.
    pub fn check_source(&self, source: &Arc<SourceFile>) -> SourceReport {
        let mut report = SourceReport::default();
        let (documents, mut dropped) = self.read_counting(source, &mut report.findings);
        for doc in &documents {
            let mut checked = self.check_document(doc);
            let room = self.limits.max_file_findings.saturating_sub(report.findings.len());
            dropped += checked.dropped + checked.findings.len().saturating_sub(room);
            checked.findings.truncate(room);
            report.objects.push(CheckedObject {
                location: doc.location(extent(doc)),
                document: doc.index,
                object: doc.object.clone(),
                template: doc.template.clone(),
                skipped: matches!(checked.resolution, Resolution::Skipped),
            });
            match checked.resolution {
                Resolution::Skipped => report.skipped += 1,
                Resolution::Schema(_) => {
                    report.resources += 1;
                    report.inventory.push(Resource::extract(doc));
                }
                Resolution::Reported => report.resources += 1,
            }
            report.findings.extend(checked.findings);
        }
        self.report_dropped(source, dropped, &mut report.findings);
        report.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report
    }

    /// One finding for those beyond `--max-file-findings`, which were only counted.
    fn report_dropped(&self, source: &Arc<SourceFile>, dropped: usize, findings: &mut Vec<Finding>) {
        if dropped > 0 {
            let message = format!(
                "more than {} findings in `{}`: {dropped} more {} not reported (set `--max-file-findings` to raise the limit)",
                self.limits.max_file_findings,
                source.name,
                if dropped == 1 { "is" } else { "are" }
            );
            self.push(findings, source_finding(&checks::LIMIT_EXCEEDED, source, message));
        }
    }

    /// Loads the documents of a source; problems reading it go to `findings`.
    pub fn read(&self, source: &Arc<SourceFile>, findings: &mut Vec<Finding>) -> Vec<Document> {
        let (documents, dropped) = self.read_counting(source, findings);
        self.report_dropped(source, dropped, findings);
        documents
    }

    /// [`Checker::read`], returning the number of problems beyond the limit on
    /// findings instead of reporting it.
    fn read_counting(&self, source: &Arc<SourceFile>, findings: &mut Vec<Finding>) -> (Vec<Document>, usize) {
        let stream = yaml::load(&source.text, self.limits);
        for error in &stream.errors {
            let rule = match error.kind {
                YamlErrorKind::Syntax => &checks::YAML_SYNTAX,
                YamlErrorKind::DuplicateKey => &checks::DUPLICATE_KEY,
                YamlErrorKind::Limit => &checks::LIMIT_EXCEEDED,
            };
            let mut f = Finding::new(rule.id, rule.severity, location(source, error.span), &error.message);
            if let Some((span, message)) = &error.related {
                f = f.secondary(location(source, *span), message);
            }
            if let Some(help) = error.help {
                f = f.help(help);
            }
            f = f.label(error.label.unwrap_or(match error.kind {
                YamlErrorKind::Syntax => "the YAML parser stopped here",
                YamlErrorKind::DuplicateKey => "duplicate key",
                YamlErrorKind::Limit => "limit exceeded",
            }));
            self.push(findings, f);
        }
        for key in &stream.converted_keys {
            let written = source.slice(key.span);
            let f = Finding::new(
                checks::YAML_KEY_CONVERTED.id,
                checks::YAML_KEY_CONVERTED.severity,
                location(source, key.span),
                format!("the unquoted key `{written}` is read as `{}`", key.name),
            )
            .label(format!("read as `{}`", key.name))
            .note("Kubernetes reads YAML 1.1 (go-yaml v2) and turns non-string keys into strings")
            .help(format!("quote the key: `\"{written}\":`"));
            self.push(findings, f);
        }
        let dropped = stream.dropped;
        let mut shape_findings = Vec::new();
        let documents = Document::from_stream(source, stream, &mut shape_findings);
        for f in shape_findings {
            self.push(findings, f);
        }
        (documents, dropped)
    }

    /// Finds a document's schema, validates it and runs the document rules.
    pub fn check_document(&self, doc: &Document) -> DocumentReport {
        let mut cx = Context::new(self.catalog, doc, self.rules);
        cx.limit_findings(self.limits.max_file_findings);
        let resolution = kind::resolve(&mut cx, self.ignore_missing_schemas);
        if let Resolution::Schema(def) = resolution {
            schema::validate(&mut cx, def);
            for check in &self.document_checks {
                check(doc, &mut cx);
            }
        }
        let dropped = cx.dropped();
        DocumentReport { resolution, findings: cx.into_findings(), dropped }
    }

    /// Reports a source named on the command line that holds no object and gave no
    /// other finding (empty, or only comments and `---`): kubectl refuses it.
    pub fn expect_objects(&self, source: &Arc<SourceFile>, report: &mut SourceReport) {
        if report.objects.is_empty() && report.findings.is_empty() {
            let what = if source.text.trim().is_empty() { "is empty" } else { "holds no Kubernetes object" };
            let f = source_finding(&checks::NO_OBJECTS, source, format!("`{}` {what}", source.name))
                .note("`kubectl apply` refuses a file without objects: `error: no objects passed to apply`");
            self.push(&mut report.findings, f);
        }
    }

    /// Records a finding of a built-in check at its configured severity.
    pub fn push(&self, findings: &mut Vec<Finding>, mut finding: Finding) {
        if let Some(severity) = self.rules.severity(finding.rule) {
            finding.severity = severity;
            findings.push(finding);
        }
    }
}

/// The text an object occupies: its mapping and, for a whole YAML document, what
/// follows up to the next `---` line, where keys the loader dropped (a duplicate
/// key) still are. An item of a `List` is its mapping alone.
fn extent(doc: &Document) -> Span {
    let span = doc.root.span;
    if !doc.pointer_prefix.is_empty() {
        return span;
    }
    let text = doc.source.text.get(span.end as usize..).unwrap_or("");
    let end = text.match_indices("\n---").map(|(i, _)| i + 1).next().unwrap_or(text.len());
    Span::new(span.start as usize, span.end as usize + end)
}

/// A finding about a whole source (it cannot be read), at its start.
pub fn source_finding(rule: &'static Rule, source: &Arc<SourceFile>, message: String) -> Finding {
    Finding::new(rule.id, rule.severity, location(source, Span::point(0)), message)
}

fn location(source: &Arc<SourceFile>, span: Span) -> Location {
    Location { source: source.clone(), span }
}
