//! Documents as CEL values, the way the API server binds `self`: typed by the schema
//! (`number` fields are doubles), with the schema's defaults filled in.

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value;
use cel::objects::{Key, Map};

use crate::schema::{Schema, SchemaRef, Type};
use crate::yaml::{Node, Value as Yaml};

/// `node` as a CEL value, and its size in nodes (for the cost estimate).
pub fn to_value<'s>(node: &Node, schema: &'s Schema, resolve: &dyn Fn(&'s SchemaRef) -> &'s Schema) -> (Value, u64) {
    let mut size = 0;
    let value = convert(node, Some(schema), resolve, &mut size);
    (value, size)
}

fn convert<'s>(
    node: &Node,
    schema: Option<&'s Schema>,
    resolve: &dyn Fn(&'s SchemaRef) -> &'s Schema,
    size: &mut u64,
) -> Value {
    *size += 1;
    match &node.value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Int(i) if schema.is_some_and(|s| s.ty == Type::Number) => Value::Float(*i as f64),
        Yaml::Int(i) => Value::Int(*i),
        Yaml::Float(f) => match node.as_i64() {
            Some(i) if schema.is_some_and(|s| matches!(s.ty, Type::Integer | Type::IntOrString)) => Value::Int(i),
            _ => Value::Float(*f),
        },
        Yaml::Str(s) => Value::String(Arc::new(s.clone())),
        Yaml::Seq(items) => {
            let item_schema = schema.and_then(|s| s.items.as_ref()).map(resolve);
            Value::List(Arc::new(items.iter().map(|i| convert(i, item_schema, resolve, size)).collect()))
        }
        Yaml::Map(entries) => {
            let mut map: HashMap<Key, Value> = HashMap::with_capacity(entries.len());
            for e in entries {
                let child = schema.and_then(|s| s.property(&e.key.name).or(s.additional.as_ref())).map(resolve);
                map.insert(Key::String(Arc::new(e.key.name.clone())), convert(&e.value, child, resolve, size));
            }
            for p in schema.map(|s| s.properties.as_slice()).unwrap_or_default() {
                let child = resolve(&p.schema);
                if let Some(default) = child.extra().and_then(|x| x.default.as_ref())
                    && node.get(&p.name).is_none()
                {
                    map.insert(Key::String(Arc::new(p.name.clone())), from_json(default));
                }
            }
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// A JSON value (a schema `default`) as a CEL value.
pub fn from_json(json: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n.as_i64().map_or_else(|| Value::Float(n.as_f64().unwrap_or(0.0)), Value::Int),
        J::String(s) => Value::String(Arc::new(s.clone())),
        J::Array(items) => Value::List(Arc::new(items.iter().map(from_json).collect())),
        J::Object(entries) => Value::Map(Map {
            map: Arc::new(entries.iter().map(|(k, v)| (Key::String(Arc::new(k.clone())), from_json(v))).collect()),
        }),
    }
}
