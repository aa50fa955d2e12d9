//! Kubernetes objects read from a source: the unit every check works on.
//!
//! A YAML stream becomes one [`Document`] per object. `kind: List` and typed lists
//! (`ConfigMapList`) become one document per item, each with its own location.

use std::sync::Arc;

use crate::finding::{Finding, Location, ObjectRef, Severity};
use crate::rules::{Rule, schema as checks};
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Stream, Value};

#[derive(Debug)]
pub struct Document {
    pub source: Arc<SourceFile>,
    /// Index of the YAML document in its file (0-based).
    pub index: usize,
    pub root: Node,
    /// JSON pointer of this object within its YAML document: empty, or
    /// `/items/3` for an item of a list.
    pub pointer_prefix: String,
    pub object: ObjectRef,
    /// The chart template the document was rendered from, when it is `helm
    /// template` output (see [`helm_template`]).
    pub template: Option<String>,
}

impl Document {
    /// Splits a loaded stream into objects. Problems with the shape of a document
    /// (not a mapping, a list without items) become findings.
    pub fn from_stream(source: &Arc<SourceFile>, stream: Stream, findings: &mut Vec<Finding>) -> Vec<Document> {
        let mut documents = Vec::new();
        for raw in stream.documents {
            let template = helm_template(source, raw.root.span.start as usize);
            match &raw.root.value {
                Value::Null => {} // empty or comment-only
                Value::Map(_) if is_list(&raw.root) => {
                    expand_list(source, raw.index, raw.root, template, &mut documents, findings)
                }
                Value::Map(_) => documents.push(Document::new(source, raw.index, raw.root, String::new(), template)),
                _ => findings.push(
                    Finding::new(
                        checks::INVALID_DOCUMENT.id,
                        checks::INVALID_DOCUMENT.severity,
                        Location { source: source.clone(), span: head(&raw.root) },
                        format!("a Kubernetes object must be a mapping, but this document is {}", describe(&raw.root)),
                    )
                    .help("write the object as `key: value` pairs starting with `apiVersion:` and `kind:`"),
                ),
            }
        }
        documents
    }

    fn new(
        source: &Arc<SourceFile>,
        index: usize,
        root: Node,
        pointer_prefix: String,
        template: Option<String>,
    ) -> Document {
        let text = |path: &[&str]| root.at(path).and_then(Node::as_str).map(str::to_string);
        let object = ObjectRef {
            api_version: text(&["apiVersion"]),
            kind: text(&["kind"]),
            namespace: text(&["metadata", "namespace"]),
            name: text(&["metadata", "name"]).or_else(|| text(&["metadata", "generateName"])),
        };
        Document { source: source.clone(), index, root, pointer_prefix, object, template }
    }

    pub fn kind(&self) -> Option<&str> {
        self.object.kind.as_deref()
    }

    pub fn api_version(&self) -> Option<&str> {
        self.object.api_version.as_deref()
    }

    pub fn location(&self, span: Span) -> Location {
        Location { source: self.source.clone(), span }
    }

    /// A finding on this document, with the rule's default severity.
    pub fn finding(&self, rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(rule.id, rule.severity, self.location(span), message);
        finding.object = Some(self.object.clone());
        finding.document = Some(self.index);
        finding.template.clone_from(&self.template);
        finding
    }

    /// The span to point at for the whole object: its `kind` value, else its start.
    pub fn head_span(&self) -> Span {
        self.root.get("kind").map_or_else(|| head(&self.root), |k| k.span)
    }
}

/// Whether a YAML document is meant as a Kubernetes object: a mapping with
/// `apiVersion` or `kind` at its top level. One of the two is enough, so that a
/// manifest missing the other is still reported; a document with neither (a
/// docker-compose file, a CI workflow, `package.json`) is some other YAML.
pub fn is_kubernetes_object(root: &Node) -> bool {
    root.is_map() && (root.get("apiVersion").is_some() || root.get("kind").is_some())
}

/// Whether a stream is YAML that is not Kubernetes: it reads without a syntax
/// error, has a document with content, and none of its documents is a Kubernetes
/// object (see [`is_kubernetes_object`]). Such a file is skipped instead of reported
/// (`not-kubernetes`); what it says (`on:` read as `true`, a duplicate key) is the
/// business of the program that reads it.
pub fn is_other_yaml(stream: &Stream) -> bool {
    if stream.errors.iter().any(|e| e.kind == crate::yaml::YamlErrorKind::Syntax) {
        return false;
    }
    // A list of objects without `kind: List` is a Kubernetes mistake, not other YAML.
    let looks_kubernetes = |root: &Node| is_kubernetes_object(root) || root.items().iter().any(is_kubernetes_object);
    let mut content = stream.documents.iter().filter(|d| !d.root.is_null()).peekable();
    content.peek().is_some() && content.all(|d| !looks_kubernetes(&d.root))
}

/// `kind: List` or `*List` with an `items` list.
fn is_list(root: &Node) -> bool {
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    kind.ends_with("List") && matches!(root.get("items").map(|n| &n.value), Some(Value::Seq(_)))
}

fn expand_list(
    source: &Arc<SourceFile>,
    index: usize,
    root: Node,
    template: Option<String>,
    documents: &mut Vec<Document>,
    findings: &mut Vec<Finding>,
) {
    let list_kind = root.get("kind").and_then(Node::as_str).unwrap_or("List").to_string();
    let list_api_version = root.get("apiVersion").and_then(Node::as_str).map(str::to_string);
    // A typed list (`ConfigMapList`) implies the kind of its items.
    let item_kind = list_kind.strip_suffix("List").filter(|k| !k.is_empty()).map(str::to_string);
    let Value::Map(entries) = root.value else { return };
    let Some(items) = entries.into_iter().find(|e| e.key.name == "items") else { return };
    let Value::Seq(items) = items.value.value else { return };
    for (i, item) in items.into_iter().enumerate() {
        if !item.is_map() {
            findings.push(
                Finding::new(
                    checks::INVALID_DOCUMENT.id,
                    Severity::Error,
                    Location { source: source.clone(), span: head(&item) },
                    format!("an item of a `{list_kind}` must be a mapping, but this is {}", describe(&item)),
                )
                .pointer(format!("/items/{i}")),
            );
            continue;
        }
        let mut doc = Document::new(source, index, item, format!("/items/{i}"), template.clone());
        if doc.object.kind.is_none() {
            doc.object.kind.clone_from(&item_kind);
            if doc.object.api_version.is_none() {
                doc.object.api_version.clone_from(&list_api_version);
            }
        }
        documents.push(doc);
    }
}

/// The chart template of a document of `helm template` output: helm writes
/// `# Source: chart/templates/x.yaml` between the `---` and the object, so this looks
/// at the comment lines just above the document's first line.
pub fn helm_template(source: &SourceFile, start: usize) -> Option<String> {
    // Read backwards in the text (lines end with LF, CRLF or a lone CR, as in
    // `SourceFile`), not through the file's line index: building that for every
    // document of every file cost a few per cent of the CPU on a fleet.
    let before = source.text.get(..crate::source::floor_char_boundary(&source.text, start))?;
    let mut above = before.get(..before.rfind(['\n', '\r']).map_or(0, |i| i + 1))?;
    while !above.is_empty() {
        above = above.strip_suffix("\r\n").or_else(|| above.strip_suffix(['\n', '\r'])).unwrap_or(above);
        let line_start = above.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let text = above.get(line_start..).unwrap_or_default().trim();
        if let Some(path) = text.strip_prefix("# Source:") {
            return Some(path.trim().to_string()).filter(|p| !p.is_empty());
        }
        if text.starts_with("---") || !(text.is_empty() || text.starts_with('#')) {
            return None;
        }
        above = above.get(..line_start).unwrap_or_default();
    }
    None
}

fn describe(node: &Node) -> String {
    match &node.value {
        Value::Seq(_) => "a list".into(),
        Value::Str(s) if s.len() > 40 => "a string".into(),
        _ => format!("the scalar `{}`", node.display_scalar()),
    }
}

/// A short span that stands for a node: its first key for a mapping, the first
/// item's for a list, the node itself for a scalar. Findings on a whole mapping then
/// underline one key rather than the whole block.
pub fn head(node: &Node) -> Span {
    match &node.value {
        Value::Map(entries) => entries.first().map_or(node.span, |e| e.key.span),
        Value::Seq(items) => items.first().map_or(node.span, head),
        _ => node.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn helm_source_comments_name_the_template() {
        let text = "# Source: web/templates/a.yaml\nkind: A\n---\n# Source: web/templates/b.yaml\n# more\n\nkind: B\n\
                    ---\nkind: C\n# Source: web/templates/d.yaml\n---\nkind: D\n---\n# Source: web/templates/list.yaml\n\
                    kind: List\nitems:\n- kind: E\n";
        let a = Some("web/templates/a.yaml");
        let b = Some("web/templates/b.yaml");
        // The same with CRLF line breaks and with lone CRs (lines are read backwards).
        for text in [text.to_string(), text.replace('\n', "\r\n"), text.replace('\n', "\r")] {
            let source = SourceFile::new("helm.yaml", text, 0);
            let stream = crate::yaml::load(&source.text, &Limits::default());
            let docs = Document::from_stream(&source, stream, &mut Vec::new());
            let templates: Vec<_> = docs.iter().map(|d| d.template.as_deref()).collect();
            // C and D have none: a `# Source:` before the `---` belongs to no document.
            assert_eq!(templates, [a, b, None, None, Some("web/templates/list.yaml")]);
        }
    }
}
