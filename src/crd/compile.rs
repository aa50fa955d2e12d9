//! A CustomResourceDefinition version's `openAPIV3Schema`, compiled into the
//! [`Schema`] the validator walks, with what the API server would refuse in it: a
//! schema that is not structural, an invalid pattern, a CEL rule that does not compile.

use std::sync::LazyLock;

use rayon::prelude::*;

use crate::cel::{self, Compiled, Skip};
use crate::memo::Memo;
use crate::schema::{Bound, Catalog, Constraints, Pattern, Property, Schema, SchemaRef, Type, list_type};
use crate::source::Span;
use crate::suggest;
use crate::yaml::{Entry, Node, Value};

/// Something the API server would refuse in a CRD, at its place in the CRD document.
#[derive(Clone, Debug)]
pub struct Problem {
    pub span: Span,
    /// JSON pointer within the CRD object.
    pub pointer: String,
    pub message: String,
    pub note: Option<String>,
    pub help: Option<String>,
}

impl Problem {
    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

pub const TYPES: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// Where in a schema a node is: value validations (`allOf`, `anyOf`, `oneOf`, `not`)
/// need no types and have no say over which fields exist.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Root,
    Field,
    ValueValidation,
}

pub struct Compiler<'a> {
    catalog: &'a Catalog,
    pub problems: Vec<Problem>,
    /// Rules not evaluated, with their text.
    pub skipped: Vec<(Skip, String)>,
    /// Pointer of the node being compiled (within the CRD object).
    pointer: String,
    /// The field path in the custom resource (`spec.ports.[]`), for messages.
    field: String,
    /// How many names `field` holds (a property may be named ``).
    depth: usize,
}

/// The text size above which a schema's properties are compiled in parallel: one
/// CRD can be megabytes (Calico's `installations.operator.tigera.io`), and it would
/// otherwise keep one core busy while the other waits.
const PARALLEL_BYTES: u32 = 64 * 1024;

impl<'a> Compiler<'a> {
    pub fn new(catalog: &'a Catalog, pointer: String) -> Self {
        Compiler { catalog, problems: Vec::new(), skipped: Vec::new(), pointer, field: String::new(), depth: 0 }
    }

    /// Compiles the root schema of a custom resource: `apiVersion`, `kind` and
    /// `metadata` are the API server's, whatever the schema says of them.
    pub fn root(&mut self, node: &Node) -> Schema {
        let mut schema = self.schema(node, Level::Root);
        if let Some(metadata) = node.at(&["properties", "metadata"]) {
            self.check_root_metadata(metadata);
        }
        self.add_type_meta(&mut schema);
        schema
    }

    /// A compiler for a part of the schema at the same place, compiled on another
    /// core: its problems are appended to this one's afterwards.
    fn part(&self) -> Compiler<'a> {
        Compiler {
            catalog: self.catalog,
            problems: Vec::new(),
            skipped: Vec::new(),
            pointer: self.pointer.clone(),
            field: self.field.clone(),
            depth: self.depth,
        }
    }

    fn problem(&self, span: Span, key: &str, message: String) -> Problem {
        let pointer = if key.is_empty() { self.pointer.clone() } else { format!("{}/{key}", self.pointer) };
        Problem { span, pointer, message, note: None, help: None }
    }

    fn report(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn field_name(&self) -> String {
        if self.depth == 0 { "the root of the schema".to_string() } else { format!("`{}`", self.field) }
    }

    fn child<T>(&mut self, key: &str, field: Option<&str>, f: impl FnOnce(&mut Self) -> T) -> T {
        let pointer_len = self.pointer.len();
        self.pointer.push('/');
        if key.contains(['~', '/']) {
            self.pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
        } else {
            self.pointer.push_str(key);
        }
        let (field_len, depth) = (self.field.len(), self.depth);
        if let Some(name) = field {
            if depth > 0 {
                self.field.push('.');
            }
            self.field.push_str(name);
            self.depth += 1;
        }
        let out = f(self);
        self.field.truncate(field_len);
        self.depth = depth;
        self.pointer.truncate(pointer_len);
        out
    }

    fn schema(&mut self, node: &Node, level: Level) -> Schema {
        if !node.is_map() {
            return Schema::of(Type::Any);
        }
        let flag = |name: &str| node.get(name).and_then(Node::as_bool).unwrap_or(false);
        let preserve = flag("x-kubernetes-preserve-unknown-fields");
        let int_or_string = flag("x-kubernetes-int-or-string");
        let embedded = flag("x-kubernetes-embedded-resource");
        if let Some(entry) = node.entry("$ref") {
            let message = format!("`$ref` is not supported in the schema of {}", self.field_name());
            let problem = self
                .problem(entry.key.span, "$ref", message)
                .note("CustomResourceDefinition schemas must be structural: every schema is written out in full")
                .help("inline the referenced schema");
            self.report(problem);
        }
        let ty = match node.get("type") {
            Some(t) => self.type_of(t, level),
            None if int_or_string => Type::IntOrString,
            None if preserve || level == Level::ValueValidation || node.get("$ref").is_some() => Type::Any,
            None => {
                let at = node.entry("properties").map_or_else(|| crate::document::head(node), |e| e.key.span);
                let message = format!("missing `type` in the schema of {}", self.field_name());
                let problem = self
                    .problem(at, "", message)
                    .note(
                        "CustomResourceDefinition schemas must be structural: every field has a type \
                               (unless it is `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields`)",
                    )
                    .help(if node.get("properties").is_some() { "add `type: object`" } else { "add a `type`" });
                self.report(problem);
                Type::Any
            }
        };
        let ty = if int_or_string { Type::IntOrString } else { ty };
        if level == Level::Root && ty != Type::Object && node.get("type").is_some() {
            let span = node.get("type").map_or_else(|| crate::document::head(node), |t| t.span);
            let problem = self.problem(
                span,
                "type",
                "the root of a CustomResourceDefinition schema must have `type: object`".into(),
            );
            self.report(problem);
        }
        let mut schema = Schema::of(ty);
        if let Some(props) = node.get("properties") {
            self.child("properties", None, |c| {
                let property = |c: &mut Compiler<'_>, e: &Entry| {
                    c.child(&e.key.name, Some(&e.key.name), |c| c.schema(&e.value, Level::Field.min(level)))
                };
                schema.properties.reserve_exact(props.entries().len());
                let mut add = |e: &Entry, s: Schema| {
                    schema
                        .properties
                        .push(Property { name: e.key.name.clone(), schema: SchemaRef::Inline(Box::new(s)) });
                };
                if props.span.end - props.span.start > PARALLEL_BYTES {
                    // In the order of the serial walk: each property's problems after
                    // those of the properties before it.
                    let parts: Vec<(Schema, Compiler<'_>)> = props
                        .entries()
                        .par_iter()
                        .map(|e| {
                            let mut part = c.part();
                            (property(&mut part, e), part)
                        })
                        .collect();
                    for (e, (s, mut part)) in props.entries().iter().zip(parts) {
                        c.problems.append(&mut part.problems);
                        c.skipped.append(&mut part.skipped);
                        add(e, s);
                    }
                } else {
                    for e in props.entries() {
                        let s = property(c, e);
                        add(e, s);
                    }
                }
            });
            schema.properties.sort_by(|a, b| a.name.cmp(&b.name));
            if let Some(extra) = node.entry("additionalProperties")
                && !matches!(extra.value.value, Value::Bool(false))
            {
                let message =
                    format!("`properties` and `additionalProperties` are mutually exclusive in {}", self.field_name());
                let problem = self.problem(extra.key.span, "additionalProperties", message);
                self.report(problem);
            }
        }
        if let Some(n) = node.get("additionalProperties").filter(|n| n.is_map()) {
            let s = self.child("additionalProperties", Some("*"), |c| c.schema(n, Level::Field.min(level)));
            schema.additional = Some(SchemaRef::Inline(Box::new(s)));
        }
        // Fields a schema does not declare are pruned by the API server, and strict
        // field validation reports them: only maps, preserved objects and value
        // validations accept them.
        schema.open = schema.additional.is_some()
            || node.get("additionalProperties").and_then(Node::as_bool).unwrap_or(false)
            || preserve
            || level == Level::ValueValidation
            || ty != Type::Object;
        schema.required = node
            .get("required")
            .map(|r| r.items().iter().filter_map(Node::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        match node.get("items") {
            Some(items) if items.is_map() => {
                let s = self.child("items", Some("[]"), |c| c.schema(items, Level::Field.min(level)));
                schema.items = Some(SchemaRef::Inline(Box::new(s)));
            }
            Some(items) => {
                let span = items.span;
                let problem = self.problem(
                    span,
                    "items",
                    format!("`items` of {} must be one schema, not a list", self.field_name()),
                );
                self.report(problem);
            }
            None if ty == Type::Array && level != Level::ValueValidation => {
                let span = node.get("type").map_or(node.span, |t| t.span);
                let message = format!("missing `items` in the schema of the list {}", self.field_name());
                let problem =
                    self.problem(span, "", message).help("add `items:` with the schema of the list's elements");
                self.report(problem);
            }
            None => {}
        }
        schema.enumeration =
            node.get("enum").map(|e| e.items().iter().map(Node::to_json).collect()).unwrap_or_default();
        schema.format = node.get("format").and_then(Node::as_str).map(str::to_string);
        let json = |name: &str| node.get(name).map(Node::to_json);
        schema.list_type =
            list_type(json("x-kubernetes-list-type").as_ref(), json("x-kubernetes-list-map-keys").as_ref());
        self.check_list_type(node, &schema);
        let extra = self.constraints(node, embedded, level);
        if embedded {
            self.add_type_meta(&mut schema);
            schema.required.extend(["apiVersion".to_string(), "kind".to_string()]);
        }
        if extra.nullable
            || extra.minimum.is_some()
            || extra.maximum.is_some()
            || extra.multiple_of.is_some()
            || extra.min_length.is_some()
            || extra.max_length.is_some()
            || extra.pattern.is_some()
            || extra.min_items.is_some()
            || extra.max_items.is_some()
            || extra.unique_items
            || extra.min_properties.is_some()
            || extra.max_properties.is_some()
            || !extra.all_of.is_empty()
            || !extra.any_of.is_empty()
            || !extra.one_of.is_empty()
            || extra.not.is_some()
            || extra.embedded_resource
            || extra.default.is_some()
            || !extra.rules.is_empty()
        {
            schema.extra = Some(Box::new(extra));
        }
        schema
    }

    fn type_of(&mut self, node: &Node, level: Level) -> Type {
        match node.as_str() {
            Some("object") => Type::Object,
            Some("array") => Type::Array,
            Some("string") => Type::String,
            Some("integer") => Type::Integer,
            Some("number") => Type::Number,
            Some("boolean") => Type::Boolean,
            Some("") if level == Level::ValueValidation => Type::Any,
            other => {
                let shown = other.map_or_else(|| node.display_scalar(), str::to_string);
                let message = format!("unsupported type `{shown}` in the schema of {}", self.field_name());
                let supported = TYPES.map(|t| format!("`{t}`")).join(", ");
                let help = other.and_then(|t| suggest::did_you_mean(t, TYPES));
                let mut problem =
                    self.problem(node.span, "type", message).note(format!("supported values: {supported}"));
                problem.help = help;
                self.report(problem);
                Type::Any
            }
        }
    }

    fn check_list_type(&mut self, node: &Node, schema: &Schema) {
        let Some(crate::schema::ListType::Map(keys)) = &schema.list_type else { return };
        let span = node.get("x-kubernetes-list-type").map_or(node.span, |n| n.span);
        if keys.is_empty() {
            let message =
                format!("`x-kubernetes-list-type: map` needs `x-kubernetes-list-map-keys` in {}", self.field_name());
            let problem = self.problem(span, "x-kubernetes-list-map-keys", message);
            self.report(problem);
            return;
        }
        let Some(SchemaRef::Inline(items)) = &schema.items else { return };
        if items.ty != Type::Object {
            let message = format!("the items of the map list {} must be objects", self.field_name());
            let problem = self.problem(span, "items", message);
            self.report(problem);
            return;
        }
        for key in keys {
            let defaulted = items.property(key).is_some_and(|p| match p {
                SchemaRef::Inline(s) => s.extra().is_some_and(|x| x.default.is_some()),
                SchemaRef::Def(_) => false,
            });
            if !items.required.contains(key) && !defaulted {
                let message = format!(
                    "the map key `{key}` of {} must be a required property of its items or have a default",
                    self.field_name()
                );
                let keys_span = node.get("x-kubernetes-list-map-keys").map_or(span, |n| n.span);
                let problem = self.problem(keys_span, "x-kubernetes-list-map-keys", message);
                self.report(problem);
            }
        }
    }

    fn constraints(&mut self, node: &Node, embedded: bool, level: Level) -> Constraints {
        let number = |name: &str| {
            node.get(name).and_then(|n| match n.value {
                Value::Int(i) => Some(i as f64),
                Value::Float(f) => Some(f),
                _ => None,
            })
        };
        let count = |name: &str| node.get(name).and_then(Node::as_i64).and_then(|i| u64::try_from(i).ok());
        let flag = |name: &str| node.get(name).and_then(Node::as_bool).unwrap_or(false);
        let mut c = Constraints {
            nullable: flag("nullable"),
            minimum: number("minimum").map(|value| Bound { value, exclusive: flag("exclusiveMinimum") }),
            maximum: number("maximum").map(|value| Bound { value, exclusive: flag("exclusiveMaximum") }),
            multiple_of: number("multipleOf"),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            min_items: count("minItems"),
            max_items: count("maxItems"),
            unique_items: flag("uniqueItems"),
            min_properties: count("minProperties"),
            max_properties: count("maxProperties"),
            embedded_resource: embedded,
            default: node.get("default").map(Node::to_json),
            ..Constraints::default()
        };
        if let Some(p) = node.get("pattern")
            && let Some(text) = p.as_str()
        {
            match check_pattern(text) {
                Ok(()) => c.pattern = Some(Pattern::new(text)),
                Err(e) => {
                    let message = format!("invalid regular expression in the `pattern` of {}", self.field_name());
                    let first = e.to_string().lines().last().unwrap_or("").trim().to_string();
                    let problem = self.problem(p.span, "pattern", message).note(first);
                    self.report(problem);
                }
            }
        }
        for (name, list) in [("allOf", &mut c.all_of), ("anyOf", &mut c.any_of), ("oneOf", &mut c.one_of)] {
            if let Some(n) = node.get(name) {
                self.child(name, None, |comp| {
                    for (i, s) in n.items().iter().enumerate() {
                        list.push(comp.child(&i.to_string(), None, |comp| comp.schema(s, Level::ValueValidation)));
                    }
                });
            }
        }
        if let Some(n) = node.get("not") {
            c.not = Some(Box::new(self.child("not", None, |comp| comp.schema(n, Level::ValueValidation))));
        }
        if level != Level::ValueValidation
            && let Some(rules) = node.get("x-kubernetes-validations")
        {
            self.child("x-kubernetes-validations", None, |comp| {
                for (i, r) in rules.items().iter().enumerate() {
                    comp.child(&i.to_string(), None, |comp| comp.rule(r, &mut c.rules));
                }
            });
        }
        c
    }

    fn rule(&mut self, node: &Node, rules: &mut Vec<cel::Rule>) {
        let text = |name: &str| node.get(name).and_then(Node::as_str);
        let Some(rule) = text("rule") else { return };
        let source = cel::Source {
            rule,
            message: text("message"),
            message_expression: text("messageExpression"),
            reason: text("reason"),
            field_path: text("fieldPath"),
        };
        match cel::compile(&source) {
            Compiled::Rule(r) => rules.push(r),
            Compiled::Skipped(skip) => self.skipped.push((skip, rule.to_string())),
            Compiled::Invalid(message) => {
                let key = if message.starts_with("messageExpression") { "messageExpression" } else { "rule" };
                let span = node.get(key).map_or(node.span, |n| n.span);
                let text = format!("invalid validation rule in the schema of {}", self.field_name());
                let problem = self.problem(span, key, text).note(message);
                self.report(problem);
            }
        }
    }

    /// Root `metadata` may only constrain `name` and `generateName`.
    fn check_root_metadata(&mut self, metadata: &Node) {
        let Some(props) = metadata.get("properties") else { return };
        for e in props.entries() {
            if e.key.name != "name" && e.key.name != "generateName" {
                let message = format!(
                    "the schema of `metadata` may only constrain `name` and `generateName`, not `{}`",
                    e.key.name
                );
                let pointer = format!("{}/properties/metadata/properties/{}", self.pointer, e.key.name);
                self.problems.push(Problem { span: e.key.span, pointer, message, note: None, help: None });
            }
        }
    }

    /// `apiVersion`, `kind` and `metadata` as the API server checks them.
    fn add_type_meta(&self, schema: &mut Schema) {
        let meta = match self.catalog.def_id(OBJECT_META) {
            Some(id) => SchemaRef::Def(id),
            None => SchemaRef::Inline(Box::new(Schema::of(Type::Object))),
        };
        let fields = [
            ("apiVersion", SchemaRef::Inline(Box::new(Schema::of(Type::String)))),
            ("kind", SchemaRef::Inline(Box::new(Schema::of(Type::String)))),
            ("metadata", meta),
        ];
        for (name, sref) in fields {
            match schema.properties.binary_search_by(|p| p.name.as_str().cmp(name)) {
                Ok(i) if name == "metadata" => {
                    if let Some(p) = schema.properties.get_mut(i) {
                        p.schema = sref;
                    }
                }
                Ok(_) => {}
                Err(i) => schema.properties.insert(i, Property { name: name.to_string(), schema: sref }),
            }
        }
    }
}

/// Patterns already checked, by their text.
static PATTERNS: LazyLock<Memo<Result<(), String>>> = LazyLock::new(Memo::new);

/// Whether a pattern parses, with the error `regex::Regex::new` would give: the
/// regex is only built when a value is matched (see [`Pattern::is_match`]).
fn check_pattern(text: &str) -> Result<(), String> {
    PATTERNS.get(text, || regex_syntax::Parser::new().parse(text).map(|_| ()).map_err(|e| e.to_string()))
}

impl Level {
    /// A field below a value validation is still in a value validation.
    fn min(self, parent: Level) -> Level {
        if parent == Level::ValueValidation { Level::ValueValidation } else { self }
    }
}
