//! kubectl's default output, the OpenAPI v3 template `plaintext`
//! (`k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl`), as Rust.
//!
//! Each function is one of the template's sub-templates and keeps its structure, so
//! the two can be compared side by side: `output` walks the field path, `field_list`
//! and `field_detail` print FIELDS, `description` collects descriptions, `type_guess`
//! names types and `extract_enum` prints enums. The template's history of followed
//! `$ref`s is what stops cycles; the template copies it for each call, so it holds
//! the references on the current path, which a stack holds here.

use serde_json::Value;

use super::document::{Document, all_of, field, go_print, map_values, ref_of, sorted_properties, truthy};
use super::wrap::{indent, wrap};

/// Refs already followed on the current path.
type History<'s> = Vec<&'s str>;

/// Deepest nesting `description` follows; kubectl's template engine stops runaway
/// recursion too, and no embedded schema comes near.
const MAX_DESCRIPTION_DEPTH: usize = 64;

/// The body after the header: the `output` template on the kind's schema. Empty
/// when the field path leads nowhere.
pub fn render(doc: &Document, schema: &Value, field_path: &[String], recursive: bool) -> String {
    let mut out = String::new();
    output(doc, &mut out, schema, &mut History::new(), field_path, recursive);
    out
}

/// Follows the field path through properties, array items, map values and `allOf`,
/// then prints the description and fields of where it ends.
fn output<'s>(
    doc: &'s Document,
    out: &mut String,
    schema: &'s Value,
    history: &mut History<'s>,
    path: &[String],
    recursive: bool,
) {
    let reference = ref_of(schema);
    let resolved = doc.resolved(schema);
    let Some((first, rest)) = path.split_first() else {
        out.push_str("DESCRIPTION:\n");
        let text = description(doc, resolved, 0);
        let text = if text.is_empty() { "<empty>" } else { &text };
        out.push_str(&indent(&wrap(text, 76), 4));
        out.push('\n');
        let mut fields = String::new();
        field_list(doc, &mut fields, resolved, 1, &mut History::new(), recursive);
        if !fields.is_empty() {
            out.push_str("FIELDS:\n");
            out.push_str(&fields);
        }
        return;
    };
    if !reference.is_empty() && history.contains(&reference) {
        // A cycle: print nothing.
        return;
    }
    history.push(reference);
    if let Some(property) = field(resolved, "properties").and_then(|p| field(p, first)) {
        if rest.is_empty() {
            out.push_str(&format!("FIELD: {first} <{}>\n", type_guess(doc, property)));
            extract_enum(out, property, EnumView::Long);
            out.push_str("\n\n");
        }
        output(doc, out, property, &mut History::new(), rest, recursive);
    } else if let Some(items) = field(resolved, "items") {
        output(doc, out, items, history, path, recursive);
    } else if let Some(values) = map_values(resolved) {
        output(doc, out, values, history, path, recursive);
    } else {
        // The first `allOf` alternative that leads somewhere wins.
        for alternative in all_of(resolved) {
            let mut attempt = String::new();
            output(doc, &mut attempt, alternative, history, path, recursive);
            if !attempt.is_empty() {
                out.push_str(&attempt);
                break;
            }
        }
    }
    history.pop();
}

/// The fields of a schema, one `field_detail` each, with their sub-fields when
/// recursive; `allOf`, array items and map values contribute fields at the same level.
fn field_list<'s>(
    doc: &'s Document,
    out: &mut String,
    schema: &'s Value,
    level: usize,
    history: &mut History<'s>,
    recursive: bool,
) {
    let reference = ref_of(schema);
    if !reference.is_empty() && history.contains(&reference) {
        return;
    }
    history.push(reference);
    let resolved = doc.resolved(schema);
    for (name, property) in sorted_properties(resolved) {
        field_detail(doc, out, name, resolved, recursive, level);
        if recursive {
            field_list(doc, out, property, level + 1, history, recursive);
        }
    }
    for alternative in all_of(resolved) {
        field_list(doc, out, alternative, level, history, recursive);
    }
    if let Some(items) = field(resolved, "items") {
        field_list(doc, out, items, level, history, recursive);
    }
    if let Some(values) = map_values(resolved) {
        field_list(doc, out, values, level, history, recursive);
    }
    history.pop();
}

/// One field: name, tab, type, `-required-` and enum values, then (unless short)
/// its wrapped description and a blank line.
fn field_detail(doc: &Document, out: &mut String, name: &str, parent: &Value, short: bool, level: usize) {
    let indent_amount = level * 2;
    let schema = parent.get("properties").and_then(|p| p.get(name)).unwrap_or(&Value::Null);
    out.push_str(&indent(name, indent_amount));
    out.push_str(&format!("\t<{}>", type_guess(doc, schema)));
    let required = parent.get("required").and_then(Value::as_array);
    if required.is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name))) {
        out.push_str(" -required-");
    }
    extract_enum(out, schema, EnumView::Short { indent: indent_amount });
    out.push('\n');
    if short {
        return;
    }
    let text = field(schema, "description").and_then(Value::as_str).unwrap_or("<no description>");
    // Go's `sub 78 $indentAmount` turns into a huge unsigned limit when negative.
    let limit = 78usize.checked_sub(indent_amount).unwrap_or(usize::MAX);
    out.push_str(&indent(&wrap(text, limit), indent_amount + 2));
    out.push('\n');
    out.push('\n');
}

/// The description of a schema and of everything it is made of (`allOf`, array
/// items, map values), one per line.
fn description(doc: &Document, schema: &Value, depth: usize) -> String {
    let schema = doc.resolved(schema);
    let mut out = String::new();
    if !truthy(Some(schema)) || depth > MAX_DESCRIPTION_DEPTH {
        return out;
    }
    if let Some(text) = field(schema, "description") {
        out.push_str(&go_print(text));
        out.push('\n');
    }
    for alternative in all_of(schema) {
        out.push_str(&description(doc, alternative, depth + 1));
    }
    if let Some(items) = field(schema, "items") {
        out.push_str(&description(doc, items, depth + 1));
    }
    if let Some(values) = map_values(schema) {
        out.push_str(&description(doc, values, depth + 1));
    }
    out
}

/// The type shown in `<...>`: `[]T` for arrays, `map[string]T` for maps, the
/// definition's short name for references to objects, the primitive type of
/// references to primitives, else the schema's own type (`Object` when it has none).
pub fn type_guess(doc: &Document, schema: &Value) -> String {
    if let Some(items) = field(schema, "items") {
        return format!("[]{}", type_guess(doc, items));
    }
    if let Some(values) = map_values(schema) {
        return format!("map[string]{}", type_guess(doc, values));
    }
    if let [only] = all_of(schema)
        && field(schema, "properties").is_none()
    {
        return type_guess(doc, only);
    }
    let reference = ref_of(schema);
    if !reference.is_empty() {
        let primitive = doc
            .resolve(reference)
            .and_then(|target| field(target, "type"))
            .and_then(Value::as_str)
            .filter(|t| *t != "object");
        return match primitive {
            Some(ty) => ty.to_string(),
            None => {
                let name = reference.rsplit('/').next().unwrap_or(reference);
                let short = name.rsplit('.').next().unwrap_or(name);
                if short.is_empty() { "Object".into() } else { short.into() }
            }
        };
    }
    match field(schema, "type").and_then(Value::as_str) {
        Some("object") | None => "Object".into(),
        Some(ty) => ty.into(),
    }
}

#[derive(Clone, Copy)]
enum EnumView {
    /// Under the FIELD header: every value on its own line.
    Long,
    /// In a FIELDS line: at most four values, comma-separated.
    Short { indent: usize },
}

fn extract_enum(out: &mut String, schema: &Value, view: EnumView) {
    let Some(values) = field(schema, "enum").and_then(Value::as_array) else { return };
    match view {
        EnumView::Long => out.push_str("ENUM:"),
        EnumView::Short { indent } => {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            out.push_str("enum: ");
        }
    }
    for (i, value) in values.iter().enumerate() {
        match view {
            EnumView::Short { .. } if i >= 4 => {
                out.push_str(", ....");
                break;
            }
            EnumView::Short { .. } if i > 0 => out.push_str(", "),
            EnumView::Short { .. } => {}
            EnumView::Long => out.push_str("\n    "),
        }
        match value {
            Value::String(s) if s.is_empty() => out.push_str("\"\""),
            other => out.push_str(&go_print(other)),
        }
    }
}
