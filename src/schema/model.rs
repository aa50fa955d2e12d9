//! Compiled schemas: what validation needs of an OpenAPI schema, in a form that is
//! quick to walk beside a document.

use serde_json::Value as Json;

/// A schema, or a reference to a definition of the catalog in use.
#[derive(Debug)]
pub enum SchemaRef {
    Def(DefId),
    Inline(Box<Schema>),
}

/// Index of a definition in a catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DefId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// No constraint (raw extensions, arbitrary JSON).
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    /// `x-kubernetes-int-or-string`.
    IntOrString,
    /// A resource quantity (`500m`, `1Gi`, or a number).
    Quantity,
}

impl Type {
    /// The name used in messages ("expected an integer").
    pub fn describe(self) -> &'static str {
        match self {
            Type::Any => "any value",
            Type::Object => "a mapping",
            Type::Array => "a list",
            Type::String => "a string",
            Type::Integer => "an integer",
            Type::Number => "a number",
            Type::Boolean => "a boolean",
            Type::IntOrString => "an integer or a string",
            Type::Quantity => "a quantity (a string like `500m` or `1Gi`, or a number)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListType {
    Atomic,
    Set,
    Map(Vec<String>),
}

#[derive(Debug)]
pub struct Property {
    pub name: String,
    pub schema: SchemaRef,
}

#[derive(Debug)]
pub struct Schema {
    pub ty: Type,
    /// Sorted by name.
    pub properties: Vec<Property>,
    /// The value schema of a map (`additionalProperties`).
    pub additional: Option<SchemaRef>,
    /// Whether fields not in `properties` are accepted.
    pub open: bool,
    pub required: Vec<String>,
    pub items: Option<SchemaRef>,
    pub enumeration: Vec<Json>,
    pub format: Option<String>,
    pub list_type: Option<ListType>,
    /// The definition's short name (`DaemonSetSpec`), for messages.
    pub type_name: Option<String>,
    /// What custom resource schemas add; `None` for the built-in ones, which stay small.
    pub extra: Option<Box<Constraints>>,
}

/// The value validations and Kubernetes extensions of a CustomResourceDefinition
/// schema (the built-in schemas have none of them).
#[derive(Debug, Default)]
pub struct Constraints {
    /// `nullable: true`: `null` is a value, not an unset field.
    pub nullable: bool,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<Pattern>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub all_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    pub not: Option<Box<Schema>>,
    /// `x-kubernetes-embedded-resource`: an object with its own apiVersion, kind and metadata.
    pub embedded_resource: bool,
    /// `default`: what the API server sets when the field is absent.
    pub default: Option<Json>,
    /// `x-kubernetes-validations` that can be evaluated.
    pub rules: Vec<crate::cel::Rule>,
}

/// A `minimum` or `maximum`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

/// A `pattern` (RE2 syntax, as Go's `regexp`), compiled the first time a value is
/// matched against it: most patterns of a run's CRDs never see a value.
#[derive(Debug)]
pub struct Pattern {
    pub text: String,
    /// Shared by every schema with the same pattern: cloning a `Regex` would build
    /// a new pool of matching caches for each. `None` when it does not build.
    regex: std::sync::OnceLock<Option<std::sync::Arc<regex::Regex>>>,
}

/// Patterns already compiled, by their text, once each even when several threads
/// ask at the same time.
static PATTERNS: std::sync::LazyLock<crate::memo::Memo<Option<std::sync::Arc<regex::Regex>>>> =
    std::sync::LazyLock::new(crate::memo::Memo::new);

impl Pattern {
    /// A pattern whose syntax the caller has checked; it is compiled on first use.
    pub fn new(text: &str) -> Self {
        Pattern { text: text.to_string(), regex: std::sync::OnceLock::new() }
    }

    /// Whether `value` matches; a pattern that does not build (over the size limit,
    /// reported nowhere else) matches everything.
    pub fn is_match(&self, value: &str) -> bool {
        let regex = self
            .regex
            .get_or_init(|| PATTERNS.get(&self.text, || regex::Regex::new(&self.text).ok().map(std::sync::Arc::new)));
        regex.as_ref().is_none_or(|r| r.is_match(value))
    }
}

impl Schema {
    pub fn of(ty: Type) -> Schema {
        Schema {
            ty,
            properties: Vec::new(),
            additional: None,
            open: true,
            required: Vec::new(),
            items: None,
            enumeration: Vec::new(),
            format: None,
            list_type: None,
            type_name: None,
            extra: None,
        }
    }

    /// The CRD constraints, when the schema has some.
    pub fn extra(&self) -> Option<&Constraints> {
        self.extra.as_deref()
    }

    pub fn property(&self, name: &str) -> Option<&SchemaRef> {
        let i = self.properties.binary_search_by(|p| p.name.as_str().cmp(name)).ok()?;
        self.properties.get(i).map(|p| &p.schema)
    }

    pub fn property_names(&self) -> impl Iterator<Item = &str> {
        self.properties.iter().map(|p| p.name.as_str())
    }

    /// Compiles an OpenAPI v3 schema of the embedded data. `resolve` maps a `$ref`
    /// target name to its definition.
    pub fn compile(json: &Json, resolve: &dyn Fn(&str) -> Option<DefId>) -> Schema {
        let obj = match json.as_object() {
            Some(o) => o,
            None => return Schema::of(Type::Any),
        };
        let ty = match obj.get("type").and_then(Json::as_str) {
            Some("object") => Type::Object,
            Some("array") => Type::Array,
            Some("string") => Type::String,
            Some("integer") => Type::Integer,
            Some("number") => Type::Number,
            Some("boolean") => Type::Boolean,
            _ if obj.contains_key("oneOf") => one_of_type(&obj["oneOf"]),
            _ if obj.contains_key("properties") => Type::Object,
            _ => Type::Any,
        };
        let mut schema = Schema::of(ty);
        if let Some(props) = obj.get("properties").and_then(Json::as_object) {
            schema.properties = props
                .iter()
                .map(|(name, s)| Property { name: name.clone(), schema: compile_ref(s, resolve) })
                .collect();
            schema.properties.sort_by(|a, b| a.name.cmp(&b.name));
            schema.open = false;
        }
        match obj.get("additionalProperties") {
            Some(Json::Object(_)) => {
                schema.additional = Some(compile_ref(&obj["additionalProperties"], resolve));
                schema.open = true;
            }
            Some(Json::Bool(b)) => schema.open = *b,
            _ => {}
        }
        if obj.get("x-kubernetes-preserve-unknown-fields") == Some(&Json::Bool(true)) {
            schema.open = true;
        }
        schema.required = strings(obj.get("required"));
        schema.list_type = list_type(obj.get("x-kubernetes-list-type"), obj.get("x-kubernetes-list-map-keys"));
        if let Some(items) = obj.get("items") {
            schema.items = Some(compile_ref(items, resolve));
        }
        if let Some(Json::Array(values)) = obj.get("enum") {
            schema.enumeration.clone_from(values);
        }
        schema.format = obj.get("format").and_then(Json::as_str).map(str::to_string);
        schema
    }
}

/// `x-kubernetes-list-type` with its map keys.
pub fn list_type(ty: Option<&Json>, keys: Option<&Json>) -> Option<ListType> {
    match ty.and_then(Json::as_str) {
        Some("atomic") => Some(ListType::Atomic),
        Some("set") => Some(ListType::Set),
        Some("map") => Some(ListType::Map(strings(keys))),
        _ => None,
    }
}

/// `oneOf: [string, integer]` is int-or-string; `[string, number]` a quantity.
fn one_of_type(one_of: &Json) -> Type {
    let types: Vec<&str> =
        one_of.as_array().into_iter().flatten().filter_map(|s| s.get("type").and_then(Json::as_str)).collect();
    match types.as_slice() {
        ["string", "integer"] | ["integer", "string"] => Type::IntOrString,
        ["string", "number"] | ["number", "string"] => Type::Quantity,
        _ => Type::Any,
    }
}

fn compile_ref(json: &Json, resolve: &dyn Fn(&str) -> Option<DefId>) -> SchemaRef {
    if let Some(target) = ref_target(json) {
        if let Some(id) = resolve(target) {
            return SchemaRef::Def(id);
        }
        return SchemaRef::Inline(Box::new(Schema::of(Type::Any)));
    }
    SchemaRef::Inline(Box::new(Schema::compile(json, resolve)))
}

/// The definition a schema refers to: a bare `$ref`, or `allOf: [{$ref}]` with
/// documentation beside it (the form the API server publishes).
pub fn ref_target(json: &Json) -> Option<&str> {
    let direct = json.get("$ref").and_then(Json::as_str);
    let wrapped = || match json.get("allOf")?.as_array()?.as_slice() {
        [only] => only.get("$ref")?.as_str(),
        _ => None,
    };
    direct.or_else(wrapped).map(|r| r.rsplit('/').next().unwrap_or(r))
}

fn strings(json: Option<&Json>) -> Vec<String> {
    json.and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}
