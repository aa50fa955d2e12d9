//! Findings: plain data that every reporter renders.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{LineCol, SourceFile, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file.
#[derive(Clone, Debug)]
pub struct Location {
    pub source: Arc<SourceFile>,
    pub span: Span,
}

impl Location {
    pub fn start(&self) -> LineCol {
        self.source.line_col(self.span.start as usize)
    }

    /// The end position, inclusive of the last character (as editors and SARIF
    /// expect an exclusive end column one past it, this is the exclusive end).
    pub fn end(&self) -> LineCol {
        self.source.line_col(self.span.end as usize)
    }
}

/// A secondary place a finding refers to, with a short message.
#[derive(Clone, Debug)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// The Kubernetes object a finding belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ObjectRef {
    /// `Deployment/web` (or `Deployment` when unnamed).
    pub fn display(&self) -> String {
        match (&self.kind, &self.name) {
            (Some(k), Some(n)) => format!("{k}/{n}"),
            (Some(k), None) => k.clone(),
            (None, Some(n)) => n.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Whether `--fix` applies a fix by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning, or makes the one clearly intended: applied by `--fix`.
    Safe,
    /// Changes what the object does: applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the text of `span` (in the finding's file) with `replacement`; an empty
/// span inserts, an empty replacement deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A mechanical correction of a finding: edits applied together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, imperative (`remove \`replicas\``).
    pub title: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { applicability: Applicability::Safe, title: title.into(), edits }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { applicability: Applicability::Unsafe, title: title.into(), edits }
    }
}

/// How sure the source location of a finding on rendered output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// The field itself, in the file it came from (a resource, a patch, a template
    /// line written as rendered).
    Exact,
    /// The line of the same key: a template line with `{{ }}`, or the nearest field.
    Line,
    /// Only the file is known; the rendered line is shown.
    File,
}

/// A finding on the output of a render (a Helm chart, a Kustomize root): which
/// renders showed it, and where in their output.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// `chart charts/web`, `kustomize overlays/prod`: several when a base is seen
    /// through several overlays.
    pub contexts: Vec<String>,
    /// The place in the rendered output.
    pub location: Location,
    pub precision: Precision,
}

impl Rendered {
    /// The note reporters show.
    pub fn note(&self) -> String {
        let how = match self.precision {
            Precision::Exact => "",
            Precision::Line => " (the line of the same key: the exact place is not known)",
            Precision::File => " (only the file is known)",
        };
        format!("rendered from {}{how}", self.contexts.join(", "))
    }
}

#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule or check id (`unknown-field`).
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// A short text shown under the primary span.
    pub label: Option<String>,
    pub secondary: Vec<Label>,
    /// Context: why this is a problem.
    pub note: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// The JSON pointer of the field within the object (`/spec/replicas`).
    pub pointer: Option<String>,
    pub object: Option<ObjectRef>,
    /// The document's index in its file (0-based).
    pub document: Option<usize>,
    /// The chart template the document was rendered from (`# Source:` in `helm
    /// template` output).
    pub template: Option<String>,
    /// Set when a suppression covers the finding: how it was suppressed.
    pub suppressed: Option<String>,
    /// Set for a finding on rendered output, moved to the file a person edits.
    pub rendered: Option<Box<Rendered>>,
    /// The edits that correct it, when they are mechanical (`kval lint --fix`).
    pub fix: Option<Fix>,
    /// For an unknown field that the schema has at another level: where it belongs.
    pub belongs: Option<Belongs>,
}

/// Where an unknown field belongs, found in the schema one or two objects up or a
/// few levels down (`imagePullSecrets` in a container belongs to the Pod spec): the
/// data a fix that moves the field needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Belongs {
    /// The field's name.
    pub field: String,
    /// The dotted path of the object it belongs in (`spec.template.spec`; list
    /// indices left out; empty for the top level).
    pub path: String,
    /// The schema type of that object (`PodSpec`; empty when the schema names none).
    pub type_name: String,
}

impl Belongs {
    /// The field's full dotted path where it belongs.
    pub fn field_path(&self) -> String {
        if self.path.is_empty() { self.field.clone() } else { format!("{}.{}", self.path, self.field) }
    }
}

impl Finding {
    /// Whether the finding fails a run at `fail_on` (a suppressed one, listed with
    /// `--show-suppressed`, never does).
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.severity >= fail_on && self.suppressed.is_none()
    }

    pub fn new(rule: &'static str, severity: Severity, location: Location, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity,
            message: message.into(),
            location,
            label: None,
            secondary: Vec::new(),
            note: None,
            help: None,
            pointer: None,
            object: None,
            document: None,
            template: None,
            suppressed: None,
            rendered: None,
            fix: None,
            belongs: None,
        }
    }

    /// Attaches a fix (none when `fix` is `None`: the edit could not be made).
    pub fn fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn secondary(mut self, location: Location, message: impl Into<String>) -> Self {
        self.secondary.push(Label { location, message: message.into() });
        self
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Where the finding's object came from: the chart template, or the render.
    pub fn origin_note(&self) -> Option<String> {
        match (&self.rendered, &self.template) {
            (Some(r), _) => Some(r.note()),
            (None, Some(t)) => Some(format!("in template `{t}`")),
            (None, None) => None,
        }
    }

    /// The order findings are reported in: by file, position, then rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &'static str, &str) {
        // In the file's offsets: findings may be on different parts of a large file.
        let (source, span) = (&self.location.source, self.location.span);
        (&source.name, source.offset(span.start), source.offset(span.end), self.rule, &self.message)
    }
}
