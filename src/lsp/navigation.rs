//! Navigation: document symbols (one per object), workspace symbols, and go to
//! definition from a Service's selector to the workloads it selects and from a
//! reference by name (`serviceName`, `configMapRef`, `claimName`, ...) to the object,
//! in any file of the workspace index.

use std::path::Path;

use lsp_types::{DocumentSymbol, Location, Position, SymbolInformation, SymbolKind};

use super::position::LineIndex;
use super::workspace::Index;
use crate::document::Document;
use crate::kube::selector::Selector;
use crate::limits::Limits;
use crate::rules::inventory::Resource;
use crate::source::SourceFile;
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
    Selector(Selector),
}

fn target(doc: &Document, offset: u32) -> Option<Target> {
    let mut path = Vec::new();
    let value = path_at(&doc.root, offset, &mut path)?;
    let text = value.as_str().map(str::to_string);
    let last = path.last().copied()?;
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i)).copied().unwrap_or("");
    // A selector of Pods: a Service's (labels), a PodDisruptionBudget's and a
    // NetworkPolicy's (label selectors).
    let selector = match doc.kind() {
        Some("Service") if path.starts_with(&["spec", "selector"]) => {
            let match_labels = crate::kube::selector::labels(doc.root.at(&["spec", "selector"])?);
            Some(Selector { match_labels, ..Selector::default() })
        }
        Some("PodDisruptionBudget") if path.starts_with(&["spec", "selector"]) => {
            Some(Selector::from_label_selector(doc.root.at(&["spec", "selector"])?))
        }
        Some("NetworkPolicy") if path.starts_with(&["spec", "podSelector"]) => {
            Some(Selector::from_label_selector(doc.root.at(&["spec", "podSelector"])?))
        }
        _ => None,
    };
    if let Some(selector) = selector {
        let empty = selector.match_labels.is_empty() && selector.expressions.is_empty();
        return (!empty).then_some(Target::Selector(selector));
    }
    if let ("scaleTargetRef" | "targetRef", "name") = (parent, last) {
        let at = path.get(..path.len() - 1)?;
        let owner = doc.root.at(at)?;
        let kind = owner.get("kind").and_then(Node::as_str)?;
        return Some(Target::Named(known_kind(kind)?, text?));
    }
    Some(Target::Named(referenced_kind(parent, last)?, text?))
}

/// The kind of object a key names by its name, from the key and the key of the
/// mapping that holds it (`configMapKeyRef.name`).
pub fn referenced_kind(parent: &str, key: &str) -> Option<&'static str> {
    Some(match (parent, key) {
        (_, "serviceName") => "Service",
        (_, "serviceAccountName" | "serviceAccount") => "ServiceAccount",
        (_, "claimName") => "PersistentVolumeClaim",
        (_, "secretName") => "Secret",
        ("configMapRef" | "configMapKeyRef" | "configMap", "name") => "ConfigMap",
        ("secretRef" | "secretKeyRef" | "imagePullSecrets", "name") => "Secret",
        ("service", "name") => "Service",
        _ => return None,
    })
}

/// The names of the objects of `kind` in the workspace, in a namespace.
pub fn names(index: &Index, kind: &str, namespace: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = index.inventory().of_kind(kind, namespace).map(|r| r.name().to_string()).collect();
    names.sort();
    names.dedup();
    names
}

/// The namespace of the object at `offset` of `text`, if the text reads as YAML.
pub fn namespace_at(text: &str, offset: usize) -> Option<String> {
    let offset = u32::try_from(offset).ok()?;
    let docs = documents(text);
    let doc = docs.iter().find(|d| d.root.span.start <= offset && offset <= d.root.span.end)?;
    doc.object.namespace.clone()
}

fn known_kind(kind: &str) -> Option<&'static str> {
    ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"].into_iter().find(|k| *k == kind)
}

/// The places the symbol at `position` of `text` refers to, among the objects of
/// the workspace (in the same namespace, as the API server resolves them).
pub fn definition(text: &str, position: Position, index: &Index) -> Vec<Location> {
    let line_index = LineIndex::new(text);
    let offset = u32::try_from(line_index.offset(position)).unwrap_or(u32::MAX);
    let docs = documents(text);
    let Some(doc) = docs.iter().find(|d| d.root.span.start <= offset && offset <= d.root.span.end) else {
        return Vec::new();
    };
    let Some(target) = target(doc, offset) else { return Vec::new() };
    let namespace = doc.object.namespace.as_deref();
    let inventory = index.inventory();
    let found: Vec<&Resource> = match &target {
        Target::Named(kind, name) => inventory.of_kind(kind, namespace).filter(|r| r.name() == name).collect(),
        Target::Selector(selector) => inventory.selected(selector, namespace).collect(),
    };
    found.into_iter().filter_map(location).collect()
}

/// Where an object is named (its `metadata.name`, else its `kind`).
fn location(resource: &Resource) -> Option<Location> {
    let name = resource.source.name().to_string();
    let uri = if Path::new(&name).is_absolute() { super::uri::from_path(Path::new(&name)) } else { name.parse().ok() }?;
    let source = resource.source.load();
    Some(Location::new(uri, LineIndex::new(&source.text).range(resource.name_or_head())))
}

/// The objects of the workspace whose `Kind/name` holds `query` (ignoring case), in
/// file order.
#[allow(deprecated)] // `SymbolInformation::deprecated` must be written out
pub fn workspace_symbols(index: &Index, query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    index
        .resources()
        .filter(|r| r.object().display().to_lowercase().contains(&query))
        .filter_map(|r| {
            Some(SymbolInformation {
                name: r.object().display(),
                kind: SymbolKind::STRUCT,
                tags: None,
                deprecated: None,
                location: location(r)?,
                container_name: r.namespace().map(str::to_string),
            })
        })
        .collect()
}
