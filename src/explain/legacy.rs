//! `--output plaintext-openapiv2`: kubectl's legacy printer (`k8s.io/kubectl/pkg/explain`),
//! which reads the OpenAPI v2 document through kube-openapi's `proto` models.
//!
//! The embedded data is the v3 form; its v2 form is the same schemas with
//! `allOf: [{$ref}]` written back as a `$ref` with siblings. Swagger 2.0 has no `oneOf`,
//! so the int-or-string and quantity definitions have no type there and kube-openapi
//! reads them as arbitrary values, as it reads everything without a type or properties.
//! kube-openapi parses the whole document first and rejects what it cannot model;
//! a test checks that no embedded definition is rejected, so parsing on demand here
//! gives the same result.

use std::collections::HashSet;

use serde_json::Value;

use super::document::{Document, all_of, ref_of, sorted_properties};
use super::error::ExplainError;
use super::wrap::reflow;
use crate::schema::DefId;

/// A schema as kube-openapi models it.
enum Model<'s> {
    /// An object with properties.
    Kind {
        schema: &'s Value,
    },
    /// An object without properties; without a value schema its values are arbitrary.
    Map {
        schema: &'s Value,
        values: Option<&'s Value>,
    },
    Array {
        schema: &'s Value,
        items: &'s Value,
    },
    Primitive {
        schema: &'s Value,
        ty: &'s str,
    },
    Arbitrary {
        schema: &'s Value,
    },
    Reference {
        schema: &'s Value,
        target: DefId,
    },
}

impl<'s> Model<'s> {
    /// kube-openapi's `ParseSchema`, for one schema of the embedded data (which has
    /// none of the forms it rejects).
    fn parse(doc: &'s Document, schema: &'s Value) -> Model<'s> {
        if let Some(target) = reference(schema).and_then(|name| doc.id(name)) {
            return Model::Reference { schema, target };
        }
        let has_properties = schema.get("properties").is_some();
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None if has_properties => Model::Kind { schema },
            Some("object") => {
                Model::Map { schema, values: schema.get("additionalProperties").filter(|v| v.is_object()) }
            }
            Some("array") => match schema.get("items") {
                Some(items) => Model::Array { schema, items },
                None => Model::Arbitrary { schema },
            },
            Some(ty) => Model::Primitive { schema, ty },
            None => Model::Arbitrary { schema },
        }
    }

    fn schema(&self) -> &'s Value {
        match self {
            Model::Kind { schema }
            | Model::Map { schema, .. }
            | Model::Array { schema, .. }
            | Model::Primitive { schema, .. }
            | Model::Arbitrary { schema }
            | Model::Reference { schema, .. } => schema,
        }
    }

    fn description(&self) -> &'s str {
        self.schema().get("description").and_then(Value::as_str).unwrap_or("")
    }
}

/// The definition a schema refers to, in its v2 form: a `$ref`, which the v3 form
/// writes as `allOf: [{$ref}]` when it has siblings.
fn reference(schema: &Value) -> Option<&str> {
    let reference = match all_of(schema) {
        [only] if schema.get("$ref").is_none() => ref_of(only),
        _ => ref_of(schema),
    };
    reference.strip_prefix("#/components/schemas/")
}

/// Prints the legacy explanation of definition `id` (group/version `group_version`,
/// kind `kind`) at `fields`.
pub fn render(
    doc: &Document,
    id: DefId,
    group_version: &str,
    kind: &str,
    fields: &[String],
    recursive: bool,
) -> Result<String, ExplainError> {
    let found = lookup(doc, doc.definition(id), fields).map_err(ExplainError::LegacyFieldNotFound)?;
    let mut printer = ModelPrinter {
        doc,
        out: String::new(),
        name: fields.last().map_or("", String::as_str),
        ty: String::new(),
        descriptions: Vec::new(),
        header: format!("KIND:     {kind}\nVERSION:  {group_version}\n\n"),
        recursive,
    };
    match found {
        Found::Schema(schema) => printer.visit(schema),
        Found::MapValue(map) => printer.arbitrary(Model::parse(doc, map).description()),
    }
    Ok(printer.out)
}

/// Where a field path leads.
enum Found<'s> {
    Schema(&'s Value),
    /// The arbitrary value of a map without a value schema; kube-openapi gives it the
    /// map's description.
    MapValue(&'s Value),
}

/// kubectl's `fieldLookup`: follows the path through kinds, arrays, maps and
/// references; a primitive or arbitrary value ends the walk even with path left.
/// `Err` names the first field that does not exist.
fn lookup<'s>(doc: &'s Document, mut schema: &'s Value, mut path: &[String]) -> Result<Found<'s>, String> {
    loop {
        let model = Model::parse(doc, schema);
        let Some((first, rest)) = path.split_first() else { return Ok(Found::Schema(schema)) };
        schema = match model {
            Model::Primitive { .. } | Model::Arbitrary { .. } => return Ok(Found::Schema(schema)),
            Model::Map { values: None, .. } => return Ok(Found::MapValue(schema)),
            Model::Array { items, .. } => items,
            Model::Map { values: Some(values), .. } => values,
            Model::Reference { target, .. } => doc.definition(target),
            Model::Kind { schema } => {
                path = rest;
                schema.get("properties").and_then(|p| p.get(first)).ok_or_else(|| first.clone())?
            }
        };
    }
}

/// kubectl's `modelPrinter`: collects descriptions through references, arrays and
/// maps, then prints the kind, primitive or arbitrary value it reaches.
struct ModelPrinter<'d, 's> {
    doc: &'s Document<'d>,
    out: String,
    name: &'s str,
    /// The type of the outermost array or map on the way, else of what is printed.
    ty: String,
    descriptions: Vec<&'s str>,
    header: String,
    recursive: bool,
}

impl<'s> ModelPrinter<'_, 's> {
    fn visit(&mut self, schema: &'s Value) {
        let model = Model::parse(self.doc, schema);
        if self.ty.is_empty() && !matches!(model, Model::Reference { .. } | Model::Arbitrary { .. }) {
            self.ty = type_name(self.doc, schema);
        }
        match model {
            Model::Array { items, .. } => {
                self.descriptions.push(model.description());
                self.visit(items);
            }
            Model::Map { values, .. } => {
                self.descriptions.push(model.description());
                match values {
                    Some(values) => self.visit(values),
                    None => self.arbitrary(model.description()),
                }
            }
            Model::Reference { target, .. } => {
                self.descriptions.push(model.description());
                self.visit(self.doc.definition(target));
            }
            Model::Kind { schema } => {
                self.out.push_str(&self.header);
                if !self.name.is_empty() {
                    self.out.push_str(&format!("RESOURCE: {} <{}>\n\n", self.name, self.ty));
                }
                self.print_description(model.description());
                self.out.push_str("\nFIELDS:\n");
                let mut fields = FieldsPrinter { doc: self.doc, out: &mut self.out, visiting: HashSet::new() };
                if self.recursive {
                    fields.recursive(schema, 3);
                } else {
                    fields.regular(schema, 3);
                }
            }
            Model::Primitive { .. } => {
                self.out.push_str(&self.header);
                self.out.push_str(&format!("FIELD:    {} <{}>\n\n", self.name, self.ty));
                self.print_description(model.description());
            }
            Model::Arbitrary { .. } => self.arbitrary(model.description()),
        }
    }

    fn arbitrary(&mut self, description: &'s str) {
        self.out.push_str(&self.header);
        self.print_description(description);
    }

    /// `DESCRIPTION:` and each collected description, wrapped at 80 and indented by 5,
    /// with a blank line before every one but the first of the list (even when the
    /// first was empty and skipped).
    fn print_description(&mut self, last: &'s str) {
        self.out.push_str("DESCRIPTION:\n");
        let mut empty = true;
        let descriptions: Vec<&str> = self.descriptions.iter().copied().chain([last]).collect();
        for (i, description) in descriptions.into_iter().enumerate() {
            if description.is_empty() {
                continue;
            }
            empty = false;
            if i != 0 {
                self.out.push('\n');
            }
            write_wrapped(&mut self.out, description, 5);
        }
        if empty {
            write_wrapped(&mut self.out, "<empty>", 5);
        }
    }
}

/// kubectl's `regularFieldsPrinter` and `recursiveFieldsPrinter`.
struct FieldsPrinter<'o, 'd, 's> {
    doc: &'s Document<'d>,
    out: &'o mut String,
    /// References on the current path of the recursive printer, to stop at cycles.
    visiting: HashSet<DefId>,
}

impl<'s> FieldsPrinter<'_, '_, 's> {
    /// Every field with its type, `-required-` and wrapped description.
    fn regular(&mut self, kind: &'s Value, indent: usize) {
        let required = kind.get("required").and_then(Value::as_array);
        for (name, field) in sorted_properties(kind) {
            let is_required = required.is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
            let marker = if is_required { " -required-" } else { "" };
            write_line(self.out, &format!("{name}\t<{}>{marker}", type_name(self.doc, field)), indent);
            write_wrapped(self.out, Model::parse(self.doc, field).description(), indent + 2);
            self.out.push('\n');
        }
    }

    /// Every field with its type, each followed by its own fields, indented by 3 more;
    /// a reference already being expanded is not expanded again.
    fn recursive(&mut self, schema: &'s Value, indent: usize) {
        match Model::parse(self.doc, schema) {
            Model::Kind { schema } => {
                for (name, field) in sorted_properties(schema) {
                    write_line(self.out, &format!("{name}\t<{}>", type_name(self.doc, field)), indent);
                    self.recursive(field, indent + 3);
                }
            }
            Model::Array { items: sub, .. } | Model::Map { values: Some(sub), .. } => self.recursive(sub, indent),
            Model::Reference { target, .. } => {
                if self.visiting.insert(target) {
                    self.recursive(self.doc.definition(target), indent);
                    self.visiting.remove(&target);
                }
            }
            Model::Map { values: None, .. } | Model::Primitive { .. } | Model::Arbitrary { .. } => {}
        }
    }
}

/// kubectl's `GetTypeName`: `Object` for kinds, `[]T`, `map[string]T`, the primitive
/// type, references followed; nothing for arbitrary values.
fn type_name(doc: &Document, schema: &Value) -> String {
    match Model::parse(doc, schema) {
        Model::Kind { .. } => "Object".into(),
        Model::Array { items, .. } => format!("[]{}", type_name(doc, items)),
        Model::Map { values: Some(values), .. } => format!("map[string]{}", type_name(doc, values)),
        Model::Map { values: None, .. } => "map[string]".into(),
        Model::Primitive { ty, .. } => ty.into(),
        Model::Arbitrary { .. } => String::new(),
        Model::Reference { target, .. } => type_name(doc, doc.definition(target)),
    }
}

/// kubectl's `Formatter.Write`: an empty line has no indentation.
fn write_line(out: &mut String, text: &str, indent: usize) {
    if !text.is_empty() {
        out.push_str(&" ".repeat(indent));
        out.push_str(text);
    }
    out.push('\n');
}

/// kubectl's `Formatter.WriteWrapped` with its 80-column limit.
fn write_wrapped(out: &mut String, text: &str, indent: usize) {
    for line in reflow(text, 80usize.saturating_sub(indent)) {
        write_line(out, &line, indent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Catalog, KubeVersion};

    /// Why kube-openapi's `ParseSchema` would reject a schema, which fails the whole
    /// document for kubectl.
    fn rejection(doc: &Document, schema: &Value) -> Option<&'static str> {
        let ty = schema.get("type");
        if let Some(name) = reference(schema) {
            return if doc.id(name).is_none() {
                Some("unknown model in reference")
            } else if schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
                Some("unallowed embedded type definition")
            } else if ty.is_some() {
                Some("definition reference can't have a type")
            } else {
                None
            };
        }
        match ty {
            Some(Value::String(t)) if t == "array" && schema.get("items").is_none_or(|i| !i.is_object()) => {
                Some("array should have exactly one sub-item")
            }
            Some(Value::String(t))
                if !["object", "array", "string", "number", "integer", "boolean"].contains(&t.as_str()) =>
            {
                Some("Unknown primitive type")
            }
            Some(Value::String(_)) | None => None,
            Some(_) => Some("definitions with multiple types aren't supported"),
        }
    }

    /// kube-openapi parses the whole v2 document before printing and fails on any
    /// schema it cannot model, which this module does not check: no embedded
    /// definition may be one.
    #[test]
    fn every_embedded_definition_is_a_valid_model() {
        fn check(doc: &Document, schema: &Value, at: &str) {
            if let Some(why) = rejection(doc, schema) {
                panic!("{at}: {why}");
            }
            for (name, field) in sorted_properties(schema) {
                check(doc, field, &format!("{at}.{name}"));
            }
            for key in ["items", "additionalProperties"] {
                if let Some(sub) = schema.get(key).filter(|v| v.is_object()) {
                    check(doc, sub, &format!("{at}[{key}]"));
                }
            }
        }
        for version in KubeVersion::supported() {
            let catalog = Catalog::get(version);
            let doc = Document::new(catalog);
            for (i, name) in catalog.def_names().iter().enumerate() {
                check(&doc, doc.definition(DefId(i as u32)), name);
            }
        }
    }
}
