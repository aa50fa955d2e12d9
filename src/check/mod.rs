//! Checks of one source: read its documents, find each one's schema, validate, and
//! run the document rules.

mod constraints;
pub mod external;
pub mod formats;
mod hints;
mod kind;
pub mod path;
mod schema;

use std::sync::Arc;

use rayon::prelude::*;

use crate::crd::Registry;
use crate::document::Document;
use crate::finding::{Finding, Location, ObjectRef};
use crate::limits::Limits;
use crate::rules::inventory::Resource;
use crate::rules::{Context, Rule, RuleSet, schema as checks};
use crate::schema::Catalog;
use crate::source::{SourceFile, SourceRef, Span};
use crate::yaml::{self, YamlErrorKind};

pub use kind::{Resolution, Sources, Target};

/// What a check of one source needs.
pub struct Checker<'a> {
    catalog: &'a Catalog,
    rules: &'a RuleSet,
    limits: &'a Limits,
    ignore_missing_schemas: bool,
    document_checks: Vec<fn(&Document, &mut Context<'_>)>,
    /// The CustomResourceDefinitions and `--schema-location`s of the run.
    sources: Sources<'a>,
    admission: Option<&'a crate::admission::Admission>,
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
    /// Custom resources validated against a CRD of the run, and custom resources
    /// whose CRD is not in the run.
    pub custom: (usize, usize),
    /// The source's `kval.dev/ignore` annotations and `# kval-ignore` comments.
    pub suppressions: Vec<crate::suppress::Suppression>,
    /// YAML that is not Kubernetes, skipped (see [`crate::document::is_other_yaml`]).
    pub not_kubernetes: bool,
}

impl SourceReport {
    /// Adds the report of the next part of the same file.
    pub fn append(&mut self, part: SourceReport) {
        self.findings.extend(part.findings);
        self.resources += part.resources;
        self.skipped += part.skipped;
        self.inventory.extend(part.inventory);
        self.objects.extend(part.objects);
        self.custom = (self.custom.0 + part.custom.0, self.custom.1 + part.custom.1);
        self.suppressions.extend(part.suppressions);
        self.not_kubernetes |= part.not_kubernetes;
    }

    /// Points the objects kept for later (the inventory and the object list) at
    /// `source` instead of the text they were read from, so that the text can go.
    pub fn keep_only(&mut self, source: &SourceRef) {
        self.inventory.iter_mut().for_each(|r| r.source = source.clone());
        self.objects.iter_mut().for_each(|o| o.source = source.clone());
    }
}

/// An object of the input, for reporters that list objects rather than findings
/// (JUnit, TAP: one test per object).
#[derive(Clone, Debug)]
pub struct CheckedObject {
    pub source: SourceRef,
    /// The text of the object (see [`extent`]), in the file's offsets (see
    /// [`SourceFile::offset`]): a finding that starts inside belongs to it.
    pub span: Span,
    /// The line the object starts on, kept so that reports need not read the file
    /// again.
    pub line: usize,
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
    /// A custom resource that no CRD of the run defines.
    pub missing_crd: bool,
    /// Findings beyond `Limits::max_file_findings`, only counted.
    pub dropped: usize,
}

impl<'a> Checker<'a> {
    pub fn new(catalog: &'a Catalog, rules: &'a RuleSet, limits: &'a Limits, ignore_missing_schemas: bool) -> Self {
        Checker {
            catalog,
            rules,
            limits,
            ignore_missing_schemas,
            document_checks: rules.document_checks(),
            sources: Sources::default(),
            admission: None,
        }
    }

    /// Validates custom resources against the CRDs of `registry`.
    pub fn with_crds(mut self, registry: &'a Registry) -> Self {
        self.sources.crds = Some(registry);
        self
    }

    /// Runs the admission checks (Pod Security, policies) of the run.
    pub fn with_admission(mut self, admission: &'a crate::admission::Admission) -> Self {
        self.admission = Some(admission);
        self
    }

    /// Validates custom resources without a CRD against `--schema-location` schemas.
    pub fn with_schema_locations(mut self, locations: &'a external::SchemaLocations) -> Self {
        self.sources.external = Some(locations);
        self
    }

    /// Reads and checks every document of a source.
    pub fn check_source(&self, source: &Arc<SourceFile>) -> SourceReport {
        let mut findings = Vec::new();
        let documents = self.read(source, &mut findings);
        self.check_documents(source, &documents, findings)
    }

    /// Checks the documents read from a source (`findings`: those of reading it).
    pub fn check_documents(
        &self,
        source: &Arc<SourceFile>,
        documents: &[Document],
        findings: Vec<Finding>,
    ) -> SourceReport {
        let (other, findings): (Vec<Finding>, Vec<Finding>) =
            findings.into_iter().partition(|f| f.rule == checks::NOT_KUBERNETES.id);
        let mut report = SourceReport { findings, not_kubernetes: !other.is_empty(), ..SourceReport::default() };
        for f in other {
            self.push(&mut report.findings, f);
        }
        report.suppressions = crate::suppress::collect(source, documents);
        let mut dropped = 0;
        // The documents of a large file (a bundle of CRDs) are checked on every core, a
        // chunk at a time so that `--max-file-findings` still bounds what is held.
        let reports = documents.chunks(64).flat_map(|chunk| {
            let reports: Vec<DocumentReport> = chunk.par_iter().map(|doc| self.check_document(doc)).collect();
            chunk.iter().zip(reports)
        });
        for (doc, mut checked) in reports {
            let room = self.limits.max_file_findings.saturating_sub(report.findings.len());
            dropped += checked.dropped + checked.findings.len().saturating_sub(room);
            checked.findings.truncate(room);
            let span = extent(doc);
            report.objects.push(CheckedObject {
                source: SourceRef::live(source),
                span: Span::new(source.offset(span.start), source.offset(span.end)),
                line: source.line_col(span.start as usize).line,
                document: doc.index,
                object: doc.object.clone(),
                template: doc.template.clone(),
                skipped: matches!(checked.resolution, Resolution::Skipped),
            });
            report.custom.1 += usize::from(checked.missing_crd);
            match &checked.resolution {
                Resolution::Skipped => report.skipped += 1,
                Resolution::Schema(target) => {
                    report.custom.0 += usize::from(!matches!(target, Target::Builtin(_)));
                    report.resources += 1;
                }
                Resolution::Reported => report.resources += 1,
            }
            if doc.kind().is_some() {
                let known = matches!(checked.resolution, Resolution::Schema(_));
                report.inventory.push(Resource::extract(doc, known));
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
        self.read_part(source, findings).0
    }

    /// [`Checker::read`], also returning the document indices the source used (see
    /// [`yaml::Stream::slots`]): the documents of a part of a file that follows are
    /// numbered after them.
    pub fn read_part(&self, source: &Arc<SourceFile>, findings: &mut Vec<Finding>) -> (Vec<Document>, usize) {
        let (documents, dropped, slots) = self.read_counting(source, findings);
        self.report_dropped(source, dropped, findings);
        (documents, slots)
    }

    /// [`Checker::read`], returning the number of problems beyond the limit on
    /// findings instead of reporting it.
    fn read_counting(&self, source: &Arc<SourceFile>, findings: &mut Vec<Finding>) -> (Vec<Document>, usize, usize) {
        let stream = yaml::load(&source.text, self.limits);
        let slots = stream.slots;
        if crate::document::is_other_yaml(&stream) {
            // Recorded whatever the rule's setting: it marks the file as skipped (see
            // `check_documents`). What such a file says (`on:` read as `true`) is the
            // business of the program that reads it.
            let message =
                format!("`{}` is not a Kubernetes manifest: no document has `apiVersion` or `kind`", source.name);
            findings.push(source_finding(&checks::NOT_KUBERNETES, source, message).note("kval skipped it"));
            return (Vec::new(), 0, slots);
        }
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
        (documents, dropped, slots)
    }

    /// Finds a document's schema, validates it and runs the document rules.
    pub fn check_document(&self, doc: &Document) -> DocumentReport {
        let mut cx = Context::new(self.catalog, doc, self.rules);
        cx.limit_findings(self.limits.max_file_findings);
        let mut missing_crd = false;
        let resolution = kind::resolve(&mut cx, self.sources, self.ignore_missing_schemas, &mut missing_crd);
        if let Resolution::Schema(target) = &resolution {
            schema::validate(&mut cx, target, self.sources.crds);
        }
        // The rules also run on custom workloads with a known Pod template
        // (DeploymentConfig, Rollout), whether kval has their schema or not.
        let workload = || crate::rules::pod::PodTemplate::of(doc).is_some_and(|p| p.is_custom_workload());
        if matches!(resolution, Resolution::Schema(_)) || workload() {
            for check in &self.document_checks {
                check(doc, &mut cx);
            }
        }
        // Admission sees every object, custom resources too.
        if let Some(admission) = self.admission {
            admission.check(doc, &mut cx);
        }
        if let Some(crds) = self.sources.crds.filter(|_| crate::crd::is_crd(doc)) {
            for problem in crds.problems(doc) {
                let mut f = cx.finding(&checks::INVALID_CRD, problem.span, &problem.message).pointer(&problem.pointer);
                f.note.clone_from(&problem.note);
                f.help.clone_from(&problem.help);
                cx.report(f);
            }
        }
        let dropped = cx.dropped();
        DocumentReport { resolution, findings: cx.into_findings(), missing_crd, dropped }
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
