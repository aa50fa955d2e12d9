//! The OpenAPI v3 document kubectl renders, seen through the catalog (which parses
//! definitions on first use): `$ref`s resolve the way kubectl's template function
//! `resolveRef` resolves them. Also Go template truthiness, which decides most
//! branches of kubectl's template.

use serde_json::Value;

use crate::schema::{Catalog, DefId};

/// The definitions of one catalog.
pub struct Document<'c> {
    catalog: &'c Catalog,
}

impl<'c> Document<'c> {
    pub fn new(catalog: &'c Catalog) -> Document<'c> {
        Document { catalog }
    }

    pub fn id(&self, name: &str) -> Option<DefId> {
        self.catalog.def_id(name)
    }

    pub fn definition(&self, id: DefId) -> &'c Value {
        self.catalog.def_json(id)
    }

    /// kubectl's `resolveRef`: follows a fragment-only reference such as
    /// `#/components/schemas/<name>` to a map, or gives nothing. An empty map counts
    /// as nothing too, because every caller combines the result with Go's `or`.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        let fragment = reference.strip_prefix('#').filter(|f| !f.is_empty())?;
        let mut keys = fragment.split('/').filter(|k| !k.is_empty());
        if (keys.next(), keys.next()) != (Some("components"), Some("schemas")) {
            return None;
        }
        let id = self.catalog.def_id(keys.next()?)?;
        let target = keys.try_fold(self.definition(id), |cur, key| cur.get(key).filter(|v| v.is_object()))?;
        truthy(Some(target)).then_some(target)
    }

    /// A schema's `$ref` resolved, or the schema itself (the template's
    /// `or (resolveRef $ref $.Document) $.schema`).
    pub fn resolved<'s>(&'s self, schema: &'s Value) -> &'s Value {
        self.resolve(ref_of(schema)).unwrap_or(schema)
    }
}

/// A schema's `$ref`, or "" when it has none.
pub fn ref_of(schema: &Value) -> &str {
    schema.get("$ref").and_then(Value::as_str).unwrap_or("")
}

/// Go template truth: false for a missing value, null, false, 0, "" and empty
/// lists and maps.
pub fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// A truthy value of `key`.
pub fn field<'v>(schema: &'v Value, key: &str) -> Option<&'v Value> {
    schema.get(key).filter(|v| truthy(Some(v)))
}

/// The value schema of a map: a truthy `additionalProperties` that is not a boolean.
pub fn map_values(schema: &Value) -> Option<&Value> {
    field(schema, "additionalProperties").filter(|v| !v.is_boolean())
}

/// The `allOf` entries of a schema (none when absent).
pub fn all_of(schema: &Value) -> &[Value] {
    schema.get("allOf").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The properties of a schema, sorted by name as Go's `range` over a map visits them.
pub fn sorted_properties(schema: &Value) -> Vec<(&str, &Value)> {
    let mut props: Vec<(&str, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    props.sort_unstable_by(|a, b| a.0.cmp(b.0));
    props
}

/// A value as Go's `%v` prints the result of decoding JSON into `any`.
pub fn go_print(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), go_float),
        Value::Array(items) => format!("[{}]", items.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let entries: Vec<String> = entries.iter().map(|(k, v)| format!("{k}:{}", go_print(v))).collect();
            format!("map[{}]", entries.join(" "))
        }
    }
}

/// A float64 as Go's `%v` (`%g` with the shortest precision): exponent form when the
/// decimal exponent is below -4 or at least 6.
fn go_float(f: f64) -> String {
    if f == 0.0 || (1e-4..1e6).contains(&f.abs()) {
        return format!("{f}");
    }
    let formatted = format!("{f:e}");
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_truthiness() {
        assert!(!truthy(None));
        assert!(!truthy(Some(&json!({}))));
        assert!(!truthy(Some(&json!(""))));
        assert!(!truthy(Some(&json!([]))));
        assert!(truthy(Some(&json!({"a": 1}))));
        assert!(truthy(Some(&json!(true))));
    }

    #[test]
    fn go_value_printing() {
        assert_eq!(go_print(&json!(1)), "1");
        assert_eq!(go_print(&json!(1.5)), "1.5");
        assert_eq!(go_print(&json!(123456)), "123456");
        assert_eq!(go_print(&json!(1e6)), "1e+06");
        assert_eq!(go_print(&json!(0.00001)), "1e-05");
        assert_eq!(go_print(&json!({"kind": "X", "group": "g"})), "map[group:g kind:X]");
    }

    #[test]
    fn references_resolve_to_definitions() {
        let catalog = Catalog::get(crate::schema::KubeVersion::newest());
        let doc = Document::new(catalog);
        let spec = doc.resolve("#/components/schemas/io.k8s.api.apps.v1.DaemonSetSpec").unwrap();
        assert!(spec.get("properties").is_some());
        assert!(doc.resolve("#/components/schemas/nope").is_none());
        assert!(doc.resolve("").is_none());
        assert!(doc.resolve("other#/components/schemas/io.k8s.api.apps.v1.DaemonSetSpec").is_none());
    }
}
