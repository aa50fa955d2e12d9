//! `kval explain --crd`: custom resources explained as `kubectl explain` explains them
//! against an API server that serves their CRDs. The API server publishes each served
//! version's `openAPIV3Schema` with `apiVersion`, `kind` and `metadata` set to the
//! standard ones (the same as every built-in kind's), and lists the resource in
//! discovery after the built-in ones.

use serde_json::Value;

use crate::crd;
use crate::document::Document;
use crate::input::{self, WalkOptions};
use crate::limits::Limits;
use crate::schema::{ApiResource, Catalog};

/// The custom resources of the `--crd` paths.
#[derive(Debug, Default)]
pub struct Custom {
    pub resources: Vec<ApiResource>,
    schemas: Vec<Value>,
}

impl Custom {
    /// Reads the CRDs of files and directories.
    pub fn load(paths: &[String], catalog: &Catalog) -> Result<Custom, String> {
        let (inputs, errors) = input::collect(paths, &WalkOptions::default());
        if let Some(e) = errors.into_iter().find(|e| e.fatal) {
            return Err(format!("cannot read `{}`: {}", e.name, e.message));
        }
        let standard = standard_properties(catalog);
        let limits = Limits::default();
        let mut custom = Custom::default();
        for i in inputs.iter() {
            let source =
                input::read(&i, limits.max_file_bytes).map_err(|_| format!("cannot read `{}`", i.display_name()))?;
            let stream = crate::yaml::load(&source.text, &limits);
            for doc in Document::from_stream(&source, stream, &mut Vec::new()) {
                for (resource, schema) in crd::served(&doc) {
                    let mut json = schema.to_json();
                    if let Some(props) = json
                        .as_object_mut()
                        .map(|o| o.entry("properties").or_insert_with(|| Value::Object(Default::default())))
                        && let Some(props) = props.as_object_mut()
                    {
                        for (name, value) in &standard {
                            props.insert(name.clone(), value.clone());
                        }
                    }
                    custom.resources.push(resource);
                    custom.schemas.push(json);
                }
            }
        }
        Ok(custom)
    }

    /// The schema of a custom resource's group/version/kind.
    pub fn schema(&self, group: &str, version: &str, kind: &str) -> Option<&Value> {
        let i = self.resources.iter().position(|r| r.group == group && r.version == version && r.kind == kind)?;
        self.schemas.get(i)
    }
}

/// `apiVersion`, `kind` and `metadata` as the API server publishes them for every
/// kind (taken from a built-in one).
fn standard_properties(catalog: &Catalog) -> Vec<(String, Value)> {
    let Some(id) = catalog.kind("", "v1", "ConfigMap") else { return Vec::new() };
    let json = catalog.def_json(id);
    ["apiVersion", "kind", "metadata"]
        .iter()
        .filter_map(|name| Some((name.to_string(), json.get("properties")?.get(*name)?.clone())))
        .collect()
}
