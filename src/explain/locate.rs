//! kval's own `FILE:LINE` form: which resource and field a line of a manifest is
//! about, so that `kval explain deploy.yaml:31` explains the field written there.

use std::path::Path;

use serde_json::Value;

use super::document::{Document, map_values};
use crate::limits::Limits;
use crate::source::SourceFile;
use crate::yaml::{self, Node};

/// A `FILE:LINE` argument.
#[derive(Debug, PartialEq)]
pub struct Location<'a> {
    pub path: &'a str,
    pub line: usize,
}

impl Location<'_> {
    /// Recognizes `FILE:LINE` when FILE exists or looks like a file (it contains a `/`
    /// or ends in `.yaml`, `.yml` or `.json`), so a mistyped path is reported as such
    /// rather than as an unknown resource type.
    pub fn parse(argument: &str) -> Option<Location<'_>> {
        let (path, line) = argument.rsplit_once(':')?;
        if path.is_empty() || line.is_empty() || !line.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let looks_like_file = path.contains('/')
            || [".yaml", ".yml", ".json"].iter().any(|ext| path.ends_with(ext))
            || Path::new(path).is_file();
        // A line number too large for usize is past the end of any file.
        looks_like_file.then(|| Location { path, line: line.parse().unwrap_or(usize::MAX) })
    }
}

/// The resource and field a line is about.
#[derive(Debug, PartialEq)]
pub struct Located {
    pub api_version: String,
    pub kind: String,
    /// Field names from the resource's root; array items are transparent.
    pub fields: Vec<String>,
}

/// One step from a node to a child.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Finds the field written on `line` (1-based) of `text`. Errors are messages for
/// the user.
pub fn locate(text: &str, line: usize) -> Result<Located, String> {
    let source = SourceFile::new("", text.to_string(), 0);
    let lines = text.lines().count();
    let Some(start) = source.line_start(line).filter(|_| line <= lines) else {
        return Err(format!("line {line} is past the end (the file has {lines} lines)"));
    };
    let content = source.line_text(line).trim();
    if content.is_empty() {
        return Err(format!("line {line} is blank"));
    }
    if content.starts_with('#') {
        return Err(format!("line {line} is a comment"));
    }
    let end = start + source.line_text(line).len();
    let stream = yaml::load(text, &Limits::default());
    let document =
        stream.documents.iter().find(|d| d.root.span.start as usize <= end && d.root.span.end as usize > start);
    let Some(document) = document else {
        return Err(match stream.errors.first() {
            Some(error) => format!("cannot read the YAML: {}", error.message),
            None => format!("line {line} holds no field"),
        });
    };
    let mut steps = Vec::new();
    if !find(&document.root, start, end, &mut steps) {
        return Err(format!("line {line} holds no field"));
    }
    let mut root = &document.root;
    // The items of a `List` are resources of their own.
    if root.get("kind").and_then(Node::as_str) == Some("List")
        && let [Step::Key(items), Step::Index(i), ..] = steps.as_slice()
        && items == "items"
        && let Some(item) = root.get("items").and_then(|n| n.items().get(*i))
    {
        root = item;
        steps.drain(..2);
    }
    let text_of = |key: &str| root.get(key).and_then(Node::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let (Some(api_version), Some(kind)) = (text_of("apiVersion"), text_of("kind")) else {
        return Err("the resource on that line has no `apiVersion` and `kind`".into());
    };
    let fields = steps
        .into_iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k),
            Step::Index(_) => None,
        })
        .collect::<Vec<_>>();
    if fields.is_empty() {
        return Err(format!("line {line} holds no field"));
    }
    Ok(Located { api_version, kind, fields })
}

/// Descends to the deepest mapping key written on the line [start, end], recording
/// the steps; a line inside a multi-line value belongs to that value's key.
fn find(node: &Node, start: usize, end: usize, steps: &mut Vec<Step>) -> bool {
    let touches = |from: u32, to: u32| (from as usize) <= end && (to as usize) > start;
    let entries = node.entries();
    let entry = entries
        .iter()
        .find(|e| (start..=end).contains(&(e.key.span.start as usize)))
        .or_else(|| entries.iter().find(|e| touches(e.key.span.start, e.value.span.end)));
    if let Some(entry) = entry {
        steps.push(Step::Key(entry.key.name.clone()));
        find(&entry.value, start, end, steps);
        return true;
    }
    for (i, item) in node.items().iter().enumerate() {
        if touches(item.span.start, item.span.end) {
            steps.push(Step::Index(i));
            if find(item, start, end, steps) {
                return true;
            }
            steps.pop();
        }
    }
    false
}

/// How many of `fields` are fields of the schema: the walk stops at a key of a map
/// (`labels.app` explains `labels`). Unknown names are kept, so that the explanation
/// reports them as kubectl would.
pub fn field_count(doc: &Document, schema: &Value, fields: &[String]) -> usize {
    let mut current = schema;
    for (i, name) in fields.iter().enumerate() {
        loop {
            let resolved = doc.resolved(current);
            if let Some(property) = resolved.get("properties").and_then(|p| p.get(name)) {
                current = property;
                break;
            }
            if let Some(items) = resolved.get("items") {
                current = items;
            } else if map_values(resolved).is_some() {
                return i;
            } else if let [only] = super::document::all_of(resolved) {
                current = only;
            } else {
                return fields.len();
            }
        }
    }
    fields.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Catalog;

    const JOB: &str = "\
# a job
apiVersion: batch/v1
kind: Job
metadata:
  labels:
    app: x
spec:
  template:
    spec:
      containers:
      - name: main
        image: busybox
        args: [a,
          b]

      restartPolicy: Never
";

    fn fields(line: usize) -> Result<Vec<String>, String> {
        locate(JOB, line).map(|l| l.fields)
    }

    #[test]
    fn keys_items_and_continuations() {
        assert_eq!(fields(2).unwrap(), ["apiVersion"]);
        assert_eq!(fields(6).unwrap(), ["metadata", "labels", "app"]);
        assert_eq!(fields(11).unwrap(), ["spec", "template", "spec", "containers", "name"]);
        assert_eq!(fields(14).unwrap(), ["spec", "template", "spec", "containers", "args"]);
        let located = locate(JOB, 16).unwrap();
        assert_eq!((located.api_version.as_str(), located.kind.as_str()), ("batch/v1", "Job"));
        assert_eq!(located.fields, ["spec", "template", "spec", "restartPolicy"]);
    }

    #[test]
    fn lines_without_a_field_are_errors() {
        assert_eq!(fields(1), Err("line 1 is a comment".into()));
        assert_eq!(fields(15), Err("line 15 is blank".into()));
        assert!(fields(99).unwrap_err().contains("past the end"));
        assert!(fields(0).unwrap_err().contains("past the end"));
        assert!(locate("not: [yaml", 1).is_err());
        assert!(locate("a: 1\n", 1).unwrap_err().contains("no `apiVersion`"));
    }

    #[test]
    fn list_items_are_resources() {
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    hostname: x\n";
        let located = locate(list, 7).unwrap();
        assert_eq!(
            (located.kind.as_str(), located.fields.as_slice()),
            ("Pod", &["spec".to_string(), "hostname".into()][..])
        );
    }

    #[test]
    fn arguments() {
        assert_eq!(Location::parse("a/job.yaml:31"), Some(Location { path: "a/job.yaml", line: 31 }));
        assert_eq!(Location::parse("job.yml:2"), Some(Location { path: "job.yml", line: 2 }));
        assert_eq!(Location::parse("ds.spec"), None);
        assert_eq!(Location::parse("ds:x"), None);
    }

    #[test]
    fn map_keys_end_the_field_path() {
        let catalog = Catalog::get(crate::schema::KubeVersion::newest());
        let doc = Document::new(catalog);
        let pod = doc.definition(catalog.kind("", "v1", "Pod").unwrap());
        let path = |p: &str| p.split('.').map(String::from).collect::<Vec<_>>();
        assert_eq!(field_count(&doc, pod, &path("metadata.labels.app")), 2);
        assert_eq!(field_count(&doc, pod, &path("spec.containers.resources.limits.cpu")), 4);
        assert_eq!(field_count(&doc, pod, &path("spec.containers.nme")), 3);
    }
}
