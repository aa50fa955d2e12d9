//! The embedded schema data of one Kubernetes version.
//!
//! Only the selected version is decompressed, on first use, and only its validation
//! part (20 KB compressed); the documentation part is decompressed the first time
//! `explain` asks for it. Definitions stay raw JSON until something needs them:
//! validation compiles a definition the first time a document reaches it, `explain`
//! parses the few it prints.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::enums;
use super::model::{DefId, Schema, SchemaRef};
use super::version::{EMBEDDED, Embedded, KubeVersion};

/// An API resource as discovery lists it (for `explain` and name resolution).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiResource {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub plural: String,
    pub singular: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
}

impl ApiResource {
    pub fn api_version(&self) -> String {
        api_version(&self.group, &self.version)
    }
}

/// `apps/v1`, or `v1` for the core group.
pub fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() { version.to_string() } else { format!("{group}/{version}") }
}

/// Splits `apps/v1` into `("apps", "v1")` and `v1` into `("", "v1")`.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

#[derive(Deserialize)]
struct Blob<'a> {
    version: String,
    resources: Vec<ApiResource>,
    kinds: Vec<(String, String, String, String)>,
    /// The documentation file's frames: (definition name prefix, offset, length).
    docs: Vec<(String, usize, usize)>,
    #[serde(borrow)]
    definitions: HashMap<&'a str, &'a RawValue>,
}

/// One zstd frame of the documentation file: the definitions whose names start with
/// `prefix`, decompressed on first use.
struct DocsChunk {
    prefix: String,
    frame: &'static [u8],
    definitions: OnceLock<HashMap<&'static str, &'static RawValue>>,
}

/// The schemas of one Kubernetes version.
pub struct Catalog {
    pub version: KubeVersion,
    /// The full version the data was generated from (`1.37.0`).
    pub release: String,
    pub resources: Vec<ApiResource>,
    /// (group, version, kind) → definition.
    kinds: HashMap<(String, String, String), DefId>,
    names: Vec<&'static str>,
    /// The validation part of each definition.
    raw: Vec<&'static RawValue>,
    compiled: Vec<OnceLock<Arc<Schema>>>,
    docs: Vec<DocsChunk>,
    /// Definitions with their documentation, parsed on first use (explain, the
    /// language server's hovers).
    documented: Vec<OnceLock<serde_json::Value>>,
}

/// Decompresses embedded data; it lives as long as the process.
fn decompress(minor: u32, compressed: &'static [u8]) -> &'static [u8] {
    let mut json = Vec::new();
    // The data is built into the binary and checked by tests, so a failure here is a
    // build defect, not an input error.
    let mut decoder = ruzstd::decoding::StreamingDecoder::new(compressed).unwrap_or_else(|e| corrupt(minor, &e));
    decoder.read_to_end(&mut json).unwrap_or_else(|e| corrupt(minor, &e));
    Box::leak(json.into_boxed_slice())
}

fn corrupt(minor: u32, error: &dyn std::fmt::Display) -> ! {
    panic!("embedded schema data for 1.{minor} is corrupt: {error}")
}

static CATALOGS: [OnceLock<Catalog>; 16] = [const { OnceLock::new() }; 16];

impl Catalog {
    /// The catalog of a supported version, decompressed on first use.
    pub fn get(version: KubeVersion) -> &'static Catalog {
        let index = EMBEDDED.iter().position(|e| e.minor == version.minor).unwrap_or(EMBEDDED.len() - 1);
        CATALOGS[index].get_or_init(|| Catalog::load(&EMBEDDED[index]))
    }

    fn load(embedded: &Embedded) -> Catalog {
        let minor = embedded.minor;
        let json = decompress(minor, embedded.schemas);
        let blob: Blob<'static> = serde_json::from_slice(json).unwrap_or_else(|e| corrupt(minor, &e));
        let mut defs: Vec<(&'static str, &'static RawValue)> = blob.definitions.into_iter().collect();
        defs.sort_unstable_by_key(|(name, _)| *name);
        let names: Vec<&'static str> = defs.iter().map(|(n, _)| *n).collect();
        let id = |name: &str| names.binary_search(&name).ok().map(|i| DefId(i as u32));
        let kinds = blob.kinds.into_iter().filter_map(|(g, v, k, def)| Some(((g, v, k), id(&def)?))).collect();
        Catalog {
            version: KubeVersion { minor },
            release: blob.version,
            resources: blob.resources,
            kinds,
            raw: defs.iter().map(|(_, r)| *r).collect(),
            compiled: (0..names.len()).map(|_| OnceLock::new()).collect(),
            documented: (0..names.len()).map(|_| OnceLock::new()).collect(),
            names,
            docs: blob
                .docs
                .into_iter()
                .map(|(prefix, offset, len)| DocsChunk {
                    prefix,
                    frame: embedded.docs.get(offset..offset + len).unwrap_or_else(|| corrupt(minor, &"docs index")),
                    definitions: OnceLock::new(),
                })
                .collect(),
        }
    }

    /// The definition for a group/version/kind.
    pub fn kind(&self, group: &str, version: &str, kind: &str) -> Option<DefId> {
        self.kinds.get(&(group.to_string(), version.to_string(), kind.to_string())).copied()
    }

    /// Every (group, version, kind) with a schema.
    pub fn kinds(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.kinds.keys().map(|(g, v, k)| (g.as_str(), v.as_str(), k.as_str()))
    }

    pub fn def_id(&self, name: &str) -> Option<DefId> {
        self.names.binary_search(&name).ok().map(|i| DefId(i as u32))
    }

    pub fn def_name(&self, id: DefId) -> &'static str {
        self.names[id.0 as usize]
    }

    /// All definition names, sorted.
    pub fn def_names(&self) -> &[&'static str] {
        &self.names
    }

    /// A definition with its documentation, as JSON (the OpenAPI v3 form the API
    /// server publishes); parsed once.
    pub fn def_json(&self, id: DefId) -> &serde_json::Value {
        self.documented[id.0 as usize].get_or_init(|| self.parse_def_json(id))
    }

    fn parse_def_json(&self, id: DefId) -> serde_json::Value {
        let minor = self.version.minor;
        let name = self.def_name(id);
        let chunk = self
            .docs
            .iter()
            .filter(|c| name.strip_prefix(c.prefix.as_str()).is_some_and(|rest| rest.starts_with('.')))
            .max_by_key(|c| c.prefix.len())
            .unwrap_or_else(|| corrupt(minor, &name));
        let definitions = chunk.definitions.get_or_init(|| {
            serde_json::from_slice(decompress(minor, chunk.frame)).unwrap_or_else(|e| corrupt(minor, &e))
        });
        let raw = definitions.get(name).unwrap_or_else(|| corrupt(minor, &name));
        serde_json::from_str(raw.get()).unwrap_or(serde_json::Value::Null)
    }

    /// The `default` the served schema gives a field of a definition: what the API
    /// server sets when the field is absent, as far as the OpenAPI says (`{}` for
    /// struct fields, `""`/`0`/`false` for non-omitempty scalars, `+default=` markers
    /// such as a Service port's `protocol: TCP`). Defaults set by the API server's Go
    /// defaulting functions (a Deployment's `revisionHistoryLimit: 10`) are not in the
    /// served schema, so not here.
    pub fn field_default(&self, def: DefId, field: &str) -> Option<serde_json::Value> {
        #[derive(Deserialize)]
        struct Props<'a> {
            #[serde(borrow, default)]
            properties: HashMap<&'a str, &'a RawValue>,
        }
        #[derive(Deserialize)]
        struct Default {
            default: Option<serde_json::Value>,
        }
        let props: Props<'_> = serde_json::from_str(self.raw[def.0 as usize].get()).ok()?;
        serde_json::from_str::<Default>(props.properties.get(field)?.get()).ok()?.default
    }

    /// A definition compiled for validation.
    pub fn schema(&self, id: DefId) -> &Schema {
        self.compiled[id.0 as usize].get_or_init(|| {
            let json: serde_json::Value =
                serde_json::from_str(self.raw[id.0 as usize].get()).unwrap_or(serde_json::Value::Null);
            let mut schema = Schema::compile(&json, &|name| self.def_id(name));
            let name = self.def_name(id);
            let short = name.rsplit('.').next().unwrap_or(name);
            schema.type_name = Some(short.to_string());
            for property in &mut schema.properties {
                if let SchemaRef::Inline(field) = &mut property.schema {
                    restrict_enum(field, enums::validated(short, &property.name));
                }
            }
            Arc::new(schema)
        })
    }

    /// Follows a reference to its schema.
    pub fn resolve<'a>(&'a self, r: &'a SchemaRef) -> &'a Schema {
        match r {
            SchemaRef::Def(id) => self.schema(*id),
            SchemaRef::Inline(s) => s,
        }
    }
}

/// Keeps a field's `enum` (or its items') only where the API server rejects other
/// values, taking them from the data when it has them.
fn restrict_enum(field: &mut Schema, validated: Option<enums::Values>) {
    let target = match &mut field.items {
        Some(SchemaRef::Inline(items)) => items,
        _ => field,
    };
    match validated {
        None => target.enumeration.clear(),
        Some(enums::Values::Data(fallback)) if target.enumeration.is_empty() => {
            target.enumeration = fallback.iter().map(|v| serde_json::Value::from(*v)).collect();
        }
        Some(enums::Values::Data(_)) => {}
        Some(enums::Values::Server(values)) => {
            target.enumeration = values.iter().map(|v| serde_json::Value::from(*v)).collect();
        }
    }
    let empty = serde_json::Value::from("");
    if !target.enumeration.is_empty() && !target.enumeration.contains(&empty) {
        target.enumeration.push(empty);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::model::Type;

    #[test]
    fn every_version_loads_and_knows_deployments() {
        for v in KubeVersion::supported() {
            let c = Catalog::get(v);
            assert_eq!(c.release, format!("{v}.0"));
            let id = c.kind("apps", "v1", "Deployment").expect("Deployment");
            let schema = c.schema(id);
            assert_eq!(schema.ty, Type::Object);
            assert!(schema.property("spec").is_some());
            let docs = c.def_json(id);
            assert!(docs["description"].as_str().is_some_and(|d| d.contains("Deployment")), "{docs}");
        }
    }

    #[test]
    fn defaults_come_from_the_data() {
        for v in KubeVersion::supported() {
            let c = Catalog::get(v);
            let port = c.def_id("io.k8s.api.core.v1.ServicePort").unwrap();
            assert_eq!(c.field_default(port, "protocol"), Some(serde_json::json!("TCP")), "{v}");
            assert_eq!(c.field_default(port, "port"), Some(serde_json::json!(0)), "{v}");
            assert_eq!(c.field_default(port, "nodePort"), None, "{v}");
            let deploy = c.kind("apps", "v1", "Deployment").unwrap();
            assert_eq!(c.field_default(deploy, "spec"), Some(serde_json::json!({})), "{v}");
            assert_eq!(c.field_default(deploy, "nope"), None, "{v}");
        }
    }

    #[test]
    fn enums_come_from_the_data_where_the_api_server_checks_them() {
        let c = Catalog::get(KubeVersion::newest());
        let spec = c.schema(c.def_id("io.k8s.api.core.v1.ServiceSpec").unwrap());
        let ty = c.resolve(spec.property("type").unwrap());
        let values: Vec<&str> = ty.enumeration.iter().filter_map(serde_json::Value::as_str).collect();
        assert_eq!(values, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort", ""]);
        // An enum field the API server's validation does not check keeps no values.
        let status = c.schema(c.def_id("io.k8s.api.core.v1.PodCondition").unwrap());
        assert!(c.resolve(status.property("status").unwrap()).enumeration.is_empty());
    }

    #[test]
    fn special_types() {
        let c = Catalog::get(KubeVersion::newest());
        let q = c.def_id("io.k8s.apimachinery.pkg.api.resource.Quantity").unwrap();
        assert_eq!(c.schema(q).ty, Type::Quantity);
        let i = c.def_id("io.k8s.apimachinery.pkg.util.intstr.IntOrString").unwrap();
        assert_eq!(c.schema(i).ty, Type::IntOrString);
        let raw = c.def_id("io.k8s.apimachinery.pkg.runtime.RawExtension").unwrap();
        assert!(c.schema(raw).open);
    }
}
