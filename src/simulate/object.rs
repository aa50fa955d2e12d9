//! The objects a simulation starts from: checked documents, with where they came from.

use std::sync::Arc;

use crate::document::Document;
use crate::source::SourceFile;
use crate::yaml::Node;

#[derive(Clone, Debug)]
pub struct Object {
    pub kind: String,
    pub namespace: String,
    /// `metadata.name`, or `metadata.generateName` when `generated` is set.
    pub name: String,
    pub generated: bool,
    pub root: Node,
    /// `file:line` of the object's `kind`.
    pub origin: String,
    /// The text the object was read from, for the lines of its fields.
    pub source: Arc<SourceFile>,
}

impl Object {
    pub fn from_document(doc: &Document) -> Option<Object> {
        let kind = doc.kind()?.to_string();
        let text = |path: &[&str]| doc.root.at(path).and_then(Node::as_str).filter(|s| !s.is_empty());
        let (name, generated) = match (text(&["metadata", "name"]), text(&["metadata", "generateName"])) {
            (Some(name), _) => (name, false),
            (None, Some(base)) => (base, true),
            (None, None) => return None,
        };
        let line = doc.source.line_col(doc.head_span().start as usize).line;
        Some(Object {
            kind,
            namespace: text(&["metadata", "namespace"]).unwrap_or("default").to_string(),
            name: name.to_string(),
            generated,
            root: doc.root.clone(),
            origin: format!("{}:{line}", doc.source.name),
            source: doc.source.clone(),
        })
    }

    /// `Deployment shop/web`.
    pub fn display(&self) -> String {
        format!("{} {}/{}", self.kind, self.namespace, self.name)
    }

    /// The line of a byte offset in the object's source.
    pub fn line(&self, offset: u32) -> usize {
        self.source.line_col(offset as usize).line
    }

    /// `file:line` of another line of the object's source.
    pub fn origin_at(&self, line: usize) -> String {
        format!("{}:{line}", self.source.name)
    }

    pub fn spec(&self) -> Option<&Node> {
        self.root.get("spec")
    }

    /// An integer field of `spec`.
    pub fn int(&self, path: &[&str]) -> Option<i64> {
        self.spec()?.at(path)?.as_i64()
    }

    pub fn text(&self, path: &[&str]) -> Option<&str> {
        self.spec()?.at(path)?.as_str()
    }
}
