//! Navigation among the open documents: document symbols (one per object), and go
//! to definition from a Service's selector to the workloads it selects and from a
//! reference by name (`serviceName`, `configMapRef`, `claimName`, ...) to the object.

use lsp_types::{DocumentSymbol, Location, Position, SymbolKind, Uri};

use super::position::LineIndex;
use crate::document::Document;
use crate::limits::Limits;
use crate::source::{SourceFile, Span};
use crate::yaml::Node;

fn documents(text: &str) -> Vec<Document> {
    let source = SourceFile::new("", text.to_string(), 0);
    let stream = crate::yaml::load(text, &Limits::default());
    Document::from_stream(&source, stream, &mut Vec::new())
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out
pub fn symbols(text: &str) -> Vec<DocumentSymbol> {
    let index = LineIndex::new(text);
    documents(text)
        .iter()
        .filter(|d| d.kind().is_some())
        .map(|d| DocumentSymbol {
            name: d.object.display(),
            detail: d.api_version().map(str::to_string),
            kind: SymbolKind::STRUCT,
            tags: None,
            deprecated: None,
            range: index.range(d.root.span),
            selection_range: index.range(d.head_span()),
            children: None,
        })
        .collect()
}

/// The keys from the root to the deepest entry whose key or value holds `offset`.
fn path_at<'n>(node: &'n Node, offset: u32, path: &mut Vec<&'n str>) -> Option<&'n Node> {
    for entry in node.entries() {
        if entry.key.span.start <= offset && offset <= entry.value.span.end.max(entry.key.span.end) {
            path.push(&entry.key.name);
            return path_at(&entry.value, offset, path).or(Some(&entry.value));
        }
    }
    node.items().iter().find(|i| i.span.start <= offset && offset <= i.span.end).and_then(|i| path_at(i, offset, path))
}

/// What the cursor refers to: a kind and name, or a Service's selector.
enum Target {
    Named(&'static str, String),
    Selector(Vec<(String, String)>),
}

fn target(doc: &Document, offset: u32) -> Option<Target> {
    let mut path = Vec::new();
    let value = path_at(&doc.root, offset, &mut path)?;
    let text = value.as_str().map(str::to_string);
    let last = path.last().copied()?;
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i)).copied().unwrap_or("");
    if doc.kind() == Some("Service") && path.starts_with(&["spec", "selector"]) {
        let selector = doc.root.at(&["spec", "selector"])?;
        return Some(Target::Selector(crate::kube::selector::labels(selector)));
    }
    let kind = match (parent, last) {
        (_, "serviceName") => "Service",
        (_, "serviceAccountName" | "serviceAccount") => "ServiceAccount",
        (_, "claimName") => "PersistentVolumeClaim",
        (_, "secretName") => "Secret",
        ("configMapRef" | "configMapKeyRef" | "configMap", "name") => "ConfigMap",
        ("secretRef" | "secretKeyRef", "name") => "Secret",
        ("service", "name") => "Service",
        ("scaleTargetRef" | "targetRef", "name") => {
            let at = path.get(..path.len() - 1)?;
            let owner = doc.root.at(at)?;
            let kind = owner.get("kind").and_then(Node::as_str)?;
            return Some(Target::Named(known_kind(kind)?, text?));
        }
        _ => return None,
    };
    Some(Target::Named(kind, text?))
}

fn known_kind(kind: &str) -> Option<&'static str> {
    ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"].into_iter().find(|k| *k == kind)
}

/// The places the symbol at `position` of `text` refers to, among `open` documents.
pub fn definition<'a>(text: &str, position: Position, open: impl Iterator<Item = (&'a Uri, &'a str)>) -> Vec<Location> {
    let index = LineIndex::new(text);
    let offset = u32::try_from(index.offset(position)).unwrap_or(u32::MAX);
    let docs = documents(text);
    let Some(target) =
        docs.iter().find(|d| d.root.span.start <= offset && offset <= d.root.span.end).and_then(|d| target(d, offset))
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (uri, other) in open {
        let other_index = LineIndex::new(other);
        for doc in documents(other) {
            let hit = match &target {
                Target::Named(kind, name) => doc.kind() == Some(kind) && doc.object.name.as_deref() == Some(name),
                Target::Selector(selector) => {
                    !selector.is_empty() && {
                        let labels = ["spec", "template", "metadata", "labels"];
                        let pod = if doc.kind() == Some("Pod") {
                            doc.root.at(&["metadata", "labels"])
                        } else {
                            doc.root.at(&labels)
                        };
                        let labels = pod.map(crate::kube::selector::labels).unwrap_or_default();
                        selector.iter().all(|l| labels.contains(l))
                    }
                }
            };
            if hit {
                let span: Span = doc.root.at(&["metadata", "name"]).map_or_else(|| doc.head_span(), |n| n.span);
                found.push(Location::new(uri.clone(), other_index.range(span)));
            }
        }
    }
    found
}
