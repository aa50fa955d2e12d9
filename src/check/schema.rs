//! Validates a document against its schema, walking both side by side.
//!
//! The walk follows what the API server's decoder and strict field validation do:
//! `null` counts as unset, unknown fields are errors unless the schema is open,
//! integral numbers are integers. Findings point at the exact key or value, and the
//! common mistakes get messages of their own.

use super::formats;
use super::hints;
use super::kind::Target;
use super::path::{self, Seg};
use crate::crd::{CustomKind, Registry};
use crate::document::head;
use crate::finding::Belongs;
use crate::finding::{Finding, Fix};
use crate::fix::{edit, moves};
use crate::kube::{quantity, words};
use crate::rules::{Context, Rule, schema as checks};
use crate::schema::{Catalog, Schema, SchemaRef, Type};
use crate::source::Span;
use crate::suggest;
use crate::yaml::{Entry, Key, Node, Style, Value};

/// Validates the whole document against the schema of its kind.
pub fn validate(cx: &mut Context<'_>, target: &Target, crds: Option<&Registry>) {
    let catalog = cx.catalog;
    let doc = cx.doc;
    let (schema, crd) = match target {
        Target::Builtin(def) => (catalog.schema(*def), None),
        Target::Custom(kind) => (&kind.schema, Some(&**kind)),
        Target::External(validator) => return super::external::validate(cx, validator),
    };
    let mut walker = Walker {
        cx,
        catalog,
        root: schema,
        path: Vec::new(),
        kind: doc.kind().unwrap_or(""),
        crd,
        crds,
        type_errors: 0,
    };
    walker.check_schema(&doc.root, schema, None);
}

pub(super) struct Walker<'c, 'a, 's> {
    pub(super) cx: &'c mut Context<'a>,
    pub(super) catalog: &'s Catalog,
    /// The document's schema, to look up the objects above the current one.
    root: &'s Schema,
    pub(super) path: Vec<Seg<'a>>,
    kind: &'a str,
    /// The CRD of a custom resource.
    pub(super) crd: Option<&'s CustomKind>,
    pub(super) crds: Option<&'s Registry>,
    /// Values of the wrong type met so far (CEL rules do not run above them).
    type_errors: usize,
}

impl<'a, 's> Walker<'_, 'a, 's> {
    pub(super) fn check(&mut self, node: &'a Node, sref: &'s SchemaRef, key: Option<&'a Key>) {
        self.check_schema(node, self.catalog.resolve(sref), key);
    }

    pub(super) fn check_schema(&mut self, node: &'a Node, schema: &'s Schema, key: Option<&'a Key>) {
        if node.is_null() {
            // `null` is an unset field, unless the schema is `nullable`.
            return;
        }
        let type_errors = self.type_errors;
        let ok = match (schema.ty, &node.value) {
            // A value validation (`anyOf: [{required: [a]}]`) constrains fields
            // without a type.
            (Type::Any, Value::Map(entries)) if !schema.required.is_empty() || !schema.properties.is_empty() => {
                self.object(node, entries, schema, key);
                true
            }
            (Type::Any, _) => true,
            (Type::Object, Value::Map(entries)) => {
                self.object(node, entries, schema, key);
                true
            }
            (Type::Array, Value::Seq(items)) => {
                if let Some(item_schema) = &schema.items {
                    for (i, item) in items.iter().enumerate() {
                        self.path.push(Seg::Index(i));
                        self.check(item, item_schema, key);
                        self.path.pop();
                    }
                }
                self.unique_items(items, schema);
                true
            }
            (Type::String, Value::Str(s)) => {
                self.enumeration(node, schema);
                if let Some(format) = &schema.format
                    && let Err(expected) = formats::check_string(format, s)
                {
                    self.invalid_format(node, expected);
                }
                true
            }
            (Type::Integer, _) => match integer(node) {
                Some(i) => {
                    self.enumeration(node, schema);
                    if let Some(format) = &schema.format
                        && let Err(expected) = formats::check_integer(format, i)
                    {
                        self.invalid_format(node, expected);
                    }
                    true
                }
                None => false,
            },
            (Type::Number, Value::Int(_)) => true,
            (Type::Number | Type::Quantity, Value::Float(f)) => f.is_finite(),
            (Type::Boolean, Value::Bool(_)) => true,
            (Type::IntOrString, Value::Str(_)) => true,
            (Type::IntOrString, _) => integer(node).is_some(),
            (Type::Quantity, Value::Int(_)) => true,
            (Type::Quantity, Value::Str(s)) => {
                if quantity::parse(s).is_none() {
                    self.invalid_quantity(node, s);
                }
                true
            }
            _ => false,
        };
        if !ok {
            return self.type_mismatch(node, schema, key);
        }
        if let Some(extra) = schema.extra() {
            if !matches!(schema.ty, Type::String | Type::Integer) {
                self.enumeration(node, schema);
            }
            self.constraints(node, schema, extra, key);
            // Rules run on values that passed the rest of their schema, as their
            // expressions assume the declared types.
            if !extra.rules.is_empty() && self.type_errors == type_errors {
                self.rules(node, schema, extra, key);
            }
        }
    }

    fn object(&mut self, node: &'a Node, entries: &'a [Entry], schema: &'s Schema, key: Option<&'a Key>) {
        for entry in entries {
            self.path.push(Seg::Key(&entry.key.name));
            if let Some(property) = schema.property(&entry.key.name) {
                self.check(&entry.value, property, Some(&entry.key));
            } else if let Some(values) = &schema.additional {
                self.check(&entry.value, values, Some(&entry.key));
            } else if !schema.open {
                self.unknown_field(node, entry, schema, key);
            }
            self.path.pop();
        }
        for required in &schema.required {
            match node.entry(required) {
                // The API server sets a defaulted field before it validates.
                None if self.defaulted(schema, required) => {}
                _ if self.absent_accepted(schema, required) => {}
                None => self.missing(node, required, key),
                Some(e) if e.value.is_null() && !self.nullable(schema, required) => {
                    self.path.push(Seg::Key(&e.key.name));
                    let message = format!("`{}` is required but is empty", self.dotted());
                    let f = self.finding(&checks::REQUIRED_FIELD, e.key.span, message).label("no value");
                    self.path.pop();
                    self.report(f);
                }
                Some(_) => {}
            }
        }
    }

    fn enumeration(&mut self, node: &Node, schema: &Schema) {
        if schema.enumeration.is_empty() {
            return;
        }
        let json = node.to_json();
        if schema.enumeration.contains(&json) {
            return;
        }
        let allowed: Vec<String> = schema.enumeration.iter().map(enum_text).filter(|v| !v.is_empty()).collect();
        let list = allowed.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        let shown = enum_text(&json);
        let message = format!("unsupported value `{shown}` for `{}`", self.dotted());
        let mut f = self.finding(&checks::UNSUPPORTED_VALUE, node.span, message).label("not a supported value");
        f.note = Some(format!("supported values: {list}"));
        f.help = suggest::did_you_mean(&shown, allowed.iter().map(String::as_str));
        // Only the case is wrong, and one value matches: what was meant.
        let mut cased = allowed.iter().filter(|v| node.as_str().is_some_and(|s| v.eq_ignore_ascii_case(s)));
        if let (Some(value), None) = (cased.next(), cased.next()) {
            let edit = edit::replace_scalar(&self.cx.doc.source, node, value);
            f = f.fix(edit.map(|e| Fix::safe(format!("write `{value}`"), vec![e])));
        }
        self.report(f);
    }

    fn nullable(&self, schema: &'s Schema, field: &str) -> bool {
        schema.property(field).is_some_and(|p| self.catalog.resolve(p).extra().is_some_and(|x| x.nullable))
    }

    /// A built-in field the schema marks required that the API server's validation
    /// lets be absent (a custom resource's `required` is enforced as written).
    fn absent_accepted(&self, schema: &Schema, field: &str) -> bool {
        self.crd.is_none()
            && schema
                .type_name
                .as_deref()
                .is_some_and(|def| crate::schema::required::absent_accepted(def, field, self.catalog.version.minor))
    }

    fn defaulted(&self, schema: &'s Schema, field: &str) -> bool {
        schema.property(field).is_some_and(|p| self.catalog.resolve(p).extra().is_some_and(|x| x.default.is_some()))
    }

    fn unknown_field(&mut self, map: &'a Node, entry: &'a Entry, schema: &'s Schema, parent: Option<&'a Key>) {
        let name = entry.key.name.as_str();
        let type_name = schema.type_name.as_deref().unwrap_or("");
        let field = self.dotted();
        let source = &*self.cx.doc.source;
        if let Some(m) = hints::misplaced(type_name, name) {
            let f = self.finding(&checks::UNKNOWN_FIELD, entry.key.span, m.message).label("unknown field");
            let remove = m.removes().then(|| edit::remove_entry(source, map, name)).flatten();
            let fix = remove.map(|e| Fix::safe(format!("remove `{name}`"), vec![e]));
            return self.report(f.note(m.note).help(m.help).fix(fix));
        }
        let mut f = self.finding(&checks::UNKNOWN_FIELD, entry.key.span, format!("unknown field `{field}`")).label(
            if type_name.is_empty() { "unknown field".to_string() } else { format!("not a field of `{type_name}`") },
        );
        if parent.is_some_and(|p| p.name == name) {
            f = f
                .label("repeats its parent key")
                .secondary(self.cx.doc.location(parent.map_or(entry.key.span, |p| p.span)), "parent key")
                .help(format!("remove the inner `{name}:` and keep its value under the outer one"));
            return self.report(f);
        }
        let names = || schema.property_names();
        let suggestion =
            hints::alias(name).filter(|a| schema.property(a).is_some()).or_else(|| suggest::closest(name, names()));
        if let Some(s) = suggestion {
            f = f.fix(rename(source, map, entry, s, suggest::ambiguous(name, names())));
            f.help = Some(if s == name {
                format!("did you mean `{s}`? (field names are case-sensitive)")
            } else {
                format!("did you mean `{s}`?")
            });
        } else if let Some(belongs) = self.belongs(schema, name) {
            let owner =
                if belongs.path.is_empty() { "the top level".to_string() } else { format!("`{}`", belongs.path) };
            let of_type = if belongs.type_name.is_empty() {
                String::new()
            } else {
                format!(" (a field of `{}`)", belongs.type_name)
            };
            f.help = Some(format!("`{name}` belongs in {owner}{of_type}: move it to `{}`", belongs.field_path()));
            let pointer = path::pointer("", &self.path);
            let object_at = |keys: &[&str]| self.object_at(keys);
            let moved = moves::move_entry(source, &self.cx.doc.root, &pointer, (map, entry), &belongs.path, &object_at);
            let title = format!("move `{name}` to `{}`", belongs.field_path());
            f = f.fix(moved.map(|edits| Fix::unsafe_(title, edits)));
            f.belongs = Some(belongs);
        } else if type_name.is_empty() {
            // A custom resource: its schema's fields, as the CRD lists them.
            let mut fields: Vec<String> = names().take(12).map(|n| format!("`{n}`")).collect();
            if schema.properties.len() > fields.len() {
                fields.push("...".to_string());
            }
            f.note = Some(format!("the fields here are {}", fields.join(", ")));
        } else {
            let parent_path = path::schema_path(self.parent_path());
            let target = if parent_path.is_empty() {
                self.kind.to_lowercase()
            } else {
                format!("{}.{parent_path}", self.kind.to_lowercase())
            };
            f.help = Some(format!("`kval explain {target}` lists the fields of `{type_name}`"));
        }
        self.report(f);
    }

    /// The path of the current field's parent.
    fn parent_path(&self) -> &[Seg<'a>] {
        self.path.split_last().map_or(&[], |(_, parent)| parent)
    }

    /// Where an unknown field `name` of the object at the parent path (of schema
    /// `schema`) belongs: in an object up to three levels below it, else in one of the
    /// two objects above it or an object below one of those, two levels down for the
    /// nearer one (the Pod spec for a container's `imagePullSecrets`, the Pod's
    /// `securityContext` for a container's `fsGroup`, a container's `securityContext`
    /// for the Pod's `capabilities`, `spec` for `replicas` under `metadata`).
    fn belongs(&self, schema: &'s Schema, name: &str) -> Option<Belongs> {
        let parent = self.parent_path();
        if let Some(found) = self.find_below(schema, parent, name, 3) {
            return Some(found);
        }
        let ancestors = (0..parent.len())
            .rev()
            .filter_map(|end| {
                let prefix = parent.get(..end)?;
                let s = self.schema_at(prefix)?;
                (s.ty == Type::Object && !s.properties.is_empty()).then_some((prefix, s))
            })
            .take(2);
        for (nth, (prefix, ancestor)) in ancestors.enumerate() {
            if ancestor.property(name).is_some() {
                let type_name = ancestor.type_name.clone().unwrap_or_default();
                return Some(Belongs { field: name.to_string(), path: path::schema_path(prefix), type_name });
            }
            if let Some(found) = self.find_below(ancestor, prefix, name, 2 - nth.min(1)) {
                return Some(found);
            }
        }
        None
    }

    /// Whether the schema has an object (not a list) at the dotted `keys` from the
    /// root, entering the lists on the way at their items.
    fn object_at(&self, keys: &[&str]) -> bool {
        let mut s = self.root;
        for (i, key) in keys.iter().enumerate() {
            let Some(property) = s.property(key) else { return false };
            s = self.catalog.resolve(property);
            if let (Type::Array, Some(items), true) = (s.ty, &s.items, i + 1 < keys.len()) {
                s = self.catalog.resolve(items);
            }
        }
        s.ty == Type::Object
    }

    /// The schema of the value at `prefix` of the document, following fields, map
    /// values and list items from the root.
    fn schema_at(&self, prefix: &[Seg<'a>]) -> Option<&'s Schema> {
        prefix.iter().try_fold(self.root, |s, seg| {
            let next = match seg {
                Seg::Key(k) => s.property(k).or(s.additional.as_ref()),
                Seg::Index(_) => s.items.as_ref(),
            };
            next.map(|r| self.catalog.resolve(r))
        })
    }

    /// Finds `name` as a field of an object nested up to `depth` levels below
    /// `schema` (the schema of the value at `base`).
    fn find_below(&self, schema: &'s Schema, base: &[Seg<'a>], name: &str, depth: usize) -> Option<Belongs> {
        let mut frontier: Vec<(String, &Schema)> = vec![(path::schema_path(base), schema)];
        for _ in 0..depth {
            let mut next = Vec::new();
            for (prefix, s) in frontier {
                for p in &s.properties {
                    let mut child = self.catalog.resolve(&p.schema);
                    if let (Type::Array, Some(items)) = (child.ty, &child.items) {
                        child = self.catalog.resolve(items);
                    }
                    if child.ty != Type::Object {
                        continue;
                    }
                    let child_path = if prefix.is_empty() { p.name.clone() } else { format!("{prefix}.{}", p.name) };
                    if child.property(name).is_some() {
                        let type_name = child.type_name.clone().unwrap_or_default();
                        return Some(Belongs { field: name.to_string(), path: child_path, type_name });
                    }
                    next.push((child_path, child));
                }
            }
            frontier = next;
        }
        None
    }

    fn missing(&mut self, node: &'a Node, field: &str, key: Option<&'a Key>) {
        let at = if self.path.is_empty() { String::from("the object") } else { format!("`{}`", self.dotted()) };
        // A list item has no key of its own: point at the item, not at its list's key.
        let span = match (self.path.last(), key) {
            (None, _) => self.cx.doc.head_span(),
            (Some(Seg::Key(_)), Some(k)) => k.span,
            _ => head(node),
        };
        let message = format!("missing required field `{field}` in {at}");
        let f = self.finding(&checks::REQUIRED_FIELD, span, message).label(format!("`{field}` is required here"));
        let fix = if field == "selector" { selector_from_template(&self.cx.doc.source, node) } else { None };
        self.report(f.fix(fix));
    }

    fn type_mismatch(&mut self, node: &'a Node, schema: &Schema, key: Option<&'a Key>) {
        self.type_errors += 1;
        let field = self.dotted();
        let expected = schema.ty.describe();
        let found = found(node);
        // `ttl:` followed by a nested `ttl: 0`: the value repeats its own key.
        if let (Some(key), Value::Map(entries)) = (key, &node.value)
            && let [inner] = entries.as_slice()
            && inner.key.name == key.name
            && schema.ty != Type::Object
        {
            let source = &*self.cx.doc.source;
            let text = source.slice(inner.value.span).to_string();
            let collapse = edit::collapse_repeated_key(source, key, node, inner);
            let message = format!(
                "`{field}` repeats its own key: expected {expected}, found a mapping with `{}` inside",
                key.name
            );
            let f = self
                .finding(&checks::INVALID_TYPE, inner.key.span, message)
                .label("repeated key")
                .secondary(self.cx.doc.location(key.span), "outer key")
                .help(format!("write the value directly: `{}: {text}`", key.name))
                .fix(collapse.map(|edits| Fix::safe(format!("write `{}: {text}`", key.name), edits)));
            return self.report(f);
        }
        let mut f = self
            .finding(
                &checks::INVALID_TYPE,
                node.span,
                format!("invalid type for `{field}`: expected {expected}, found {found}"),
            )
            .label(format!("expected {expected}"));
        let raw = self.cx.doc.source.slice(node.span);
        let wants_string = matches!(schema.ty, Type::String | Type::IntOrString | Type::Quantity);
        match &node.value {
            Value::Bool(b) if node.style == Style::Plain && wants_string => {
                f.message =
                    format!("`{field}` must be a string, but the unquoted `{raw}` is read as the boolean `{b}`");
                f = f
                    .label(format!("read as `{b}`"))
                    .note("Kubernetes reads YAML 1.1, where unquoted yes, no, on, off, y and n are booleans")
                    .help(format!("quote it: `\"{raw}\"`"))
                    .fix(quote_fix(self.cx.doc, node));
            }
            Value::Int(_) | Value::Float(_) if node.style == Style::Plain && wants_string => {
                let json = node.display_scalar();
                if json != raw {
                    f = f.note(format!("Kubernetes reads the unquoted `{raw}` as the number {json}"));
                }
                f = f.help(format!("quote it: `\"{raw}\"`")).fix(quote_fix(self.cx.doc, node));
            }
            Value::Str(s) if matches!(schema.ty, Type::Integer | Type::Number) && s.trim().parse::<f64>().is_ok() => {
                f = f.help(format!("remove the quotes: `{}`", s.trim()));
                if schema.ty == Type::Integer {
                    let unquote = edit::unquote_integer(&self.cx.doc.source, node);
                    f = f.fix(unquote.map(|e| Fix::safe("remove the quotes", vec![e])));
                }
            }
            Value::Str(s) if schema.ty == Type::Integer => {
                let source = &self.cx.doc.source;
                if let Some(n) = words::parse(s.trim()) {
                    // `"eighty"`: the number it spells.
                    f = f.help(format!("write the number: `{n}`"));
                    let edit = edit::write_integer(source, node, i64::from(n));
                    f = f.fix(edit.map(|e| Fix::safe(format!("write `{n}`"), vec![e])));
                } else if let Some(port) = words::service_port(s.trim()).filter(|_| is_port_number(key)) {
                    // `port: http`: the service's usual port, a guess.
                    f = f.help(format!(
                        "a port number is required: `{s}` is usually port {port}; a name belongs in the port's `name`"
                    ));
                    let edit = edit::write_integer(source, node, i64::from(port));
                    f = f.fix(edit.map(|e| Fix::unsafe_(format!("write `{port}` (the `{s}` port)"), vec![e])));
                }
            }
            Value::Float(v) if !v.is_finite() => {
                f = f.note("JSON, the form the API server receives, has no infinity or NaN");
            }
            _ => {}
        }
        self.report(f);
    }

    fn invalid_format(&mut self, node: &Node, expected: &str) {
        let message = format!("invalid value for `{}`: expected {expected}", self.dotted());
        let f = self.finding(&checks::INVALID_FORMAT, node.span, message).label(format!("not {expected}"));
        self.report(f);
    }

    fn invalid_quantity(&mut self, node: &Node, text: &str) {
        let message = format!("`{text}` is not a valid quantity for `{}`", self.dotted());
        let mut f = self.finding(&checks::INVALID_QUANTITY, node.span, message).label("invalid quantity");
        f.note = Some(quantity::SYNTAX.to_string());
        f.help = Some(quantity_help(text));
        // A unit in the wrong case or with a `B`: the literal reading, unsafe when
        // the binary one may have been meant (`512MB`: `512M` or `512Mi`).
        f.fix = quantity::correct(text).and_then(|c| {
            let edit = edit::replace_scalar(&self.cx.doc.source, node, &c.value)?;
            let title = format!("write `{}`", c.value);
            Some(if c.other.is_some() { Fix::unsafe_(title, vec![edit]) } else { Fix::safe(title, vec![edit]) })
        });
        self.report(f);
    }

    pub(super) fn dotted(&self) -> String {
        path::dotted(&self.path)
    }

    pub(super) fn finding(&self, rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        let pointer = path::pointer(&self.cx.doc.pointer_prefix, &self.path);
        self.cx.finding(rule, span, message).pointer(pointer)
    }

    pub(super) fn report(&mut self, finding: Finding) {
        self.cx.report(finding);
    }
}

/// Quoting a plain scalar that YAML 1.1 reads as a boolean or a number, where the
/// field is a string: the text as written is what was meant.
fn quote_fix(doc: &crate::document::Document, node: &Node) -> Option<Fix> {
    let edit = edit::quote(&doc.source, node)?;
    Some(Fix::safe(format!("quote it: `{}`", edit.replacement), vec![edit]))
}

/// Renaming an unknown key to the field it is close to, when that field is not set
/// already: unsafe when another field is as close.
fn rename(source: &crate::source::SourceFile, map: &Node, entry: &Entry, to: &str, ambiguous: bool) -> Option<Fix> {
    if map.entry(to).is_some() || entry.key.converted {
        return None;
    }
    let edits = vec![edit::rename_key(source, &entry.key, to)];
    let title = format!("rename `{}` to `{to}`", entry.key.name);
    Some(if ambiguous { Fix::unsafe_(title, edits) } else { Fix::safe(title, edits) })
}

/// A missing workload selector written from the Pod template's labels. Unsafe: the
/// selector is immutable once created and decides which Pods the workload owns.
fn selector_from_template(source: &crate::source::SourceFile, spec: &Node) -> Option<Fix> {
    let labels = spec.at(&["template", "metadata", "labels"])?;
    let pairs: Vec<String> = labels
        .entries()
        .iter()
        .map(|e| format!("{}: {}", source.slice(e.key.span), source.slice(e.value.span)))
        .collect();
    if pairs.is_empty() || pairs.iter().any(|p| p.contains(['\n', '\r', '#'])) {
        return None;
    }
    let value = format!("{{matchLabels: {{{}}}}}", pairs.join(", "));
    let edit = edit::insert_entry(source, spec, "selector", &value)?;
    Some(Fix::unsafe_("select the Pod template's labels", vec![edit]))
}

/// An integer value, or an integral float (JSON has one number type).
fn integer(node: &Node) -> Option<i64> {
    node.as_i64()
}

fn found(node: &Node) -> &'static str {
    match &node.value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(f) if f.is_finite() => "a number",
        Value::Float(_) => "a non-finite number",
        Value::Str(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

fn enum_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What a quantity that does not parse probably meant: `512MB` → `512Mi` or `512M`.
/// Whether the field is a port number (`containerPort`, a Service's `port`).
fn is_port_number(key: Option<&Key>) -> bool {
    key.is_some_and(|k| {
        matches!(k.name.as_str(), "containerPort" | "hostPort" | "port" | "nodePort" | "number" | "endPort")
    })
}

fn quantity_help(text: &str) -> String {
    match quantity::correct(text) {
        Some(quantity::Correction { value, other: Some(other) }) => {
            format!("did you mean `{other}` (power of 1024) or `{value}` (power of 1000)?")
        }
        Some(c) => format!("did you mean `{}`?", c.value),
        None => "write a number with an optional suffix: `500m`, `2`, `128Mi`, `1Gi`".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::quantity_help;

    #[test]
    fn quantity_fixes() {
        assert_eq!(quantity_help("512MB"), "did you mean `512Mi` (power of 1024) or `512M` (power of 1000)?");
        assert_eq!(quantity_help("1kb"), "did you mean `1Ki` (power of 1024) or `1k` (power of 1000)?");
        assert_eq!(quantity_help("2gi"), "did you mean `2Gi`?");
        assert!(quantity_help("1.5.Gi").starts_with("write a number"));
    }
}
