//! Completion from the schema of the object at the cursor: keys that are not yet
//! written (required ones first), enum values, `apiVersion`/`kind` pairs the
//! chosen Kubernetes version serves, and the names of the workspace's objects where
//! a field refers to one (`serviceAccountName`, `configMapKeyRef.name`, ...).
//!
//! Text being typed is rarely valid YAML, so the cursor's place is read from the
//! indentation of the lines above it rather than from a parse.

use std::collections::BTreeSet;

use lsp_types::{CompletionItem, CompletionItemKind, InsertTextFormat, Position};

use super::position::LineIndex;
use super::workspace::Index;
use crate::schema::{Catalog, KubeVersion, Schema, Type, split_api_version};

/// Where the cursor is.
#[derive(Debug, PartialEq)]
enum Place {
    /// Writing a key of the mapping at `path`.
    Key { path: Vec<String>, siblings: BTreeSet<String> },
    /// Writing the value of `key`, in the mapping at `path`.
    Value { path: Vec<String>, key: String },
}

pub fn complete(text: &str, position: Position, version: KubeVersion, workspace: &Index) -> Vec<CompletionItem> {
    let index = LineIndex::new(text);
    let lines: Vec<&str> = (0..=position.line as usize).map(|l| index.line(l)).collect();
    let line = lines.last().copied().unwrap_or_default();
    let cursor = index.offset(position) - index.offset(Position::new(position.line, 0));
    let before = line.get(..cursor).unwrap_or(line);
    let all_lines: Vec<&str> = text.lines().collect();
    let Some(place) = place(&all_lines, position.line as usize, before) else { return Vec::new() };
    let catalog = Catalog::get(version);
    let (api_version, kind) = object_of(&all_lines, position.line as usize);
    match place {
        Place::Value { path, key } if path.is_empty() && key == "kind" => kinds(catalog, api_version.as_deref()),
        Place::Value { path, key } if path.is_empty() && key == "apiVersion" => api_versions(catalog, kind.as_deref()),
        Place::Value { path, key } => {
            let parent_key = path.last().map_or("", String::as_str);
            if let Some(kind) = super::navigation::referenced_kind(parent_key, &key) {
                let namespace = super::navigation::namespace_at(text, index.offset(position));
                return names(workspace, kind, namespace.as_deref());
            }
            let Some(parent) = schema_at(catalog, api_version.as_deref(), kind.as_deref(), &path) else {
                return Vec::new();
            };
            enum_values(catalog, parent, &key)
        }
        Place::Key { path, siblings } => {
            let Some(schema) = schema_at(catalog, api_version.as_deref(), kind.as_deref(), &path) else {
                return Vec::new();
            };
            keys(catalog, schema, &siblings)
        }
    }
}

/// The place of the cursor on line `at` whose text before the cursor is `before`.
fn place(lines: &[&str], at: usize, before: &str) -> Option<Place> {
    let content = before.trim_start();
    let mut indent = before.len() - content.len();
    let mut content = content;
    while let Some(rest) = content.strip_prefix("- ") {
        let trimmed = rest.trim_start();
        indent += content.len() - trimmed.len();
        content = trimmed;
    }
    let path = parents(lines, at, indent);
    if let Some((key, value)) = content.split_once(':') {
        return (!value.contains(':') && !key.contains(' ')).then(|| Place::Value { path, key: key.to_string() });
    }
    if content.contains([' ', '#', '"', '\'', '{', '[']) {
        return None;
    }
    Some(Place::Key { siblings: siblings(lines, at, indent), path })
}

/// The indentation of a line's first key (after any `- `), and that key.
fn key_of(line: &str) -> Option<(usize, bool, &str)> {
    let content = line.trim_start();
    if content.is_empty() || content.starts_with('#') || content.starts_with("---") {
        return None;
    }
    let dash = content.starts_with("- ") || content == "-";
    let mut indent = line.len() - content.len();
    let mut rest = content;
    while let Some(r) = rest.strip_prefix('-') {
        let trimmed = r.trim_start();
        indent += rest.len() - trimmed.len();
        rest = trimmed;
    }
    let key = rest.split_once(':').map_or("", |(k, _)| k.trim());
    Some((indent, dash, key))
}

/// The keys of the mappings that hold a key at `indent` on line `at`, outermost first.
fn parents(lines: &[&str], at: usize, indent: usize) -> Vec<String> {
    let mut path = Vec::new();
    let mut limit = indent;
    for line in lines.iter().take(at).rev() {
        if line.starts_with("---") {
            break;
        }
        let Some((key_indent, dash, key)) = key_of(line) else { continue };
        let dash_indent = line.len() - line.trim_start().len();
        if dash && dash_indent < limit {
            // An item of a list at `dash_indent`: its key is at that indentation or less.
            if key_indent < limit {
                limit = dash_indent + 1;
                continue;
            }
            limit = dash_indent + 1;
            continue;
        }
        if key_indent < limit && !key.is_empty() {
            path.push(key.to_string());
            limit = key_indent;
            if limit == 0 {
                break;
            }
        }
    }
    path.reverse();
    path
}

/// The keys already written in the mapping of line `at` (keys at `indent` above and
/// below it, up to where the mapping ends).
fn siblings(lines: &[&str], at: usize, indent: usize) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut scan = |range: &mut dyn Iterator<Item = &&str>, upward: bool| {
        for line in range {
            if line.starts_with("---") {
                break;
            }
            let Some((key_indent, dash, key)) = key_of(line) else { continue };
            let dash_indent = line.len() - line.trim_start().len();
            if key_indent == indent {
                keys.insert(key.to_string());
                if dash {
                    // The first key of this list item: the item starts here.
                    if upward {
                        break;
                    }
                    // Below: another item of the list begins.
                    keys.remove(key);
                    break;
                }
            } else if key_indent < indent || dash_indent < indent {
                break;
            }
        }
    };
    scan(&mut lines.iter().take(at).rev(), true);
    scan(&mut lines.iter().skip(at + 1), false);
    keys
}

/// The `apiVersion` and `kind` of the document that holds line `at`.
fn object_of(lines: &[&str], at: usize) -> (Option<String>, Option<String>) {
    let start = lines.iter().take(at).rposition(|l| l.starts_with("---")).map_or(0, |i| i + 1);
    let end = lines.iter().skip(at).position(|l| l.starts_with("---")).map_or(lines.len(), |i| at + i);
    let field = |name: &str| {
        lines.get(start..end)?.iter().find_map(|l| {
            let value = l.strip_prefix(name)?.strip_prefix(':')?.trim();
            let value = value.trim_matches(['"', '\'']);
            (!value.is_empty()).then(|| value.to_string())
        })
    };
    (field("apiVersion"), field("kind"))
}

/// The schema of the mapping at `path` in an object of `kind`.
fn schema_at<'c>(
    catalog: &'c Catalog,
    api_version: Option<&str>,
    kind: Option<&str>,
    path: &[String],
) -> Option<&'c Schema> {
    let (group, version) = split_api_version(api_version?);
    let mut schema = catalog.schema(catalog.kind(group, version, kind?)?);
    for key in path {
        schema = element(catalog, schema);
        let next = schema.property(key).or(schema.additional.as_ref())?;
        schema = catalog.resolve(next);
    }
    Some(element(catalog, schema))
}

/// A list's item schema; any other schema itself.
fn element<'c>(catalog: &'c Catalog, schema: &'c Schema) -> &'c Schema {
    match (&schema.ty, &schema.items) {
        (Type::Array, Some(items)) => catalog.resolve(items),
        _ => schema,
    }
}

fn keys(catalog: &Catalog, schema: &Schema, written: &BTreeSet<String>) -> Vec<CompletionItem> {
    schema
        .properties
        .iter()
        .filter(|p| !written.contains(&p.name))
        .map(|p| {
            let field = catalog.resolve(&p.schema);
            let required = schema.required.contains(&p.name);
            let (snippet, detail) = match field.ty {
                Type::Object => (format!("{}:\n  $0", p.name), "object"),
                Type::Array => (format!("{}:\n- $0", p.name), "list"),
                ty => (format!("{}: $0", p.name), type_word(ty)),
            };
            let detail = match (&field.type_name, required) {
                (Some(t), true) => format!("{detail} ({t}), required"),
                (Some(t), false) => format!("{detail} ({t})"),
                (None, true) => format!("{detail}, required"),
                (None, false) => detail.to_string(),
            };
            CompletionItem {
                label: p.name.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(detail),
                sort_text: Some(format!("{}{}", if required { 0 } else { 1 }, p.name)),
                insert_text: Some(snippet),
                insert_text_format: Some(InsertTextFormat::SNIPPET),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn type_word(ty: Type) -> &'static str {
    match ty {
        Type::Any => "any",
        Type::Object => "object",
        Type::Array => "list",
        Type::String => "string",
        Type::Integer => "integer",
        Type::Number => "number",
        Type::Boolean => "boolean",
        Type::IntOrString => "integer or string",
        Type::Quantity => "quantity",
    }
}

fn enum_values(catalog: &Catalog, parent: &Schema, key: &str) -> Vec<CompletionItem> {
    let Some(field) = parent.property(key).map(|r| catalog.resolve(r)) else { return Vec::new() };
    let mut values: Vec<String> =
        field.enumeration.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect();
    if field.ty == Type::Boolean {
        values = vec!["true".into(), "false".into()];
    }
    values.into_iter().filter(|v| !v.is_empty()).map(|v| value_item(v, CompletionItemKind::ENUM_MEMBER, None)).collect()
}

/// The names of the objects of `kind` in the workspace, in the namespace.
fn names(workspace: &Index, kind: &'static str, namespace: Option<&str>) -> Vec<CompletionItem> {
    let detail = format!("{kind} in {}", namespace.unwrap_or("the default namespace"));
    super::navigation::names(workspace, kind, namespace)
        .into_iter()
        .map(|name| value_item(name, CompletionItemKind::REFERENCE, Some(detail.clone())))
        .collect()
}

fn value_item(label: String, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem { label, kind: Some(kind), detail, ..CompletionItem::default() }
}

/// The kinds of resources served under the `apiVersion` written (all when none is).
fn kinds(catalog: &Catalog, api_version: Option<&str>) -> Vec<CompletionItem> {
    let wanted = api_version.map(split_api_version);
    let mut kinds: BTreeSet<(String, String)> = BTreeSet::new();
    for r in &catalog.resources {
        if wanted.is_none_or(|w| w == (r.group.as_str(), r.version.as_str())) {
            kinds.insert((r.kind.clone(), r.api_version()));
        }
    }
    kinds.into_iter().map(|(k, v)| value_item(k, CompletionItemKind::CLASS, Some(v))).collect()
}

/// The `apiVersion`s that serve the `kind` written (all of them when none is).
fn api_versions(catalog: &Catalog, kind: Option<&str>) -> Vec<CompletionItem> {
    let mut versions: BTreeSet<String> = BTreeSet::new();
    for r in &catalog.resources {
        if kind.is_none_or(|want| want == r.kind) {
            versions.insert(r.api_version());
        }
    }
    versions.into_iter().map(|v| value_item(v, CompletionItemKind::MODULE, None)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place_at(text: &str) -> Option<Place> {
        let (before_cursor, _) = text.split_once('|').unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let at = before_cursor.lines().count() - 1;
        let line = lines[at];
        place(&lines, at, line.split('|').next().unwrap())
    }

    #[test]
    fn reads_the_place_from_indentation() {
        let text = "kind: DaemonSet\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        im|\n        ports: []\n";
        let set = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            place_at(text),
            Some(Place::Key {
                path: path(&["spec", "template", "spec", "containers"]),
                siblings: set(&["name", "ports"])
            })
        );
        let text = "spec:\n  selector: {}\n  |\n";
        assert_eq!(place_at(text), Some(Place::Key { path: path(&["spec"]), siblings: set(&["selector"]) }));
        let text = "spec:\n  updateStrategy:\n    type: |\n";
        assert_eq!(place_at(text), Some(Place::Value { path: path(&["spec", "updateStrategy"]), key: "type".into() }));
    }
}
