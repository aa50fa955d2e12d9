//! `--schema-location`: JSON schemas read offline from directories in kubeconform's
//! layouts, for custom resources whose CRD is not in the run, so that kubeconform
//! users can keep their schema folders (a checkout of the public CRDs catalog, or
//! what `openapi2jsonschema` wrote).
//!
//! A location is a directory or a Go template of a path. A directory is searched in
//! the CRDs-catalog layout (`{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`),
//! then kubeconform's (`{{.ResourceKind}}{{.KindSuffix}}.json`, also under
//! `v<version>-standalone-strict/` and `v<version>-standalone/`). The schemas are
//! generic JSON Schema (draft 4 to 2020-12), validated with the `jsonschema` crate.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;

use super::path::{self, Seg};
use crate::document::head;
use crate::rules::{Context, schema as checks};
use crate::schema::split_api_version;
use crate::yaml::{Key, Node};

/// The schema locations of a run, with the schemas already compiled.
pub struct SchemaLocations {
    locations: Vec<String>,
    /// `1.35`, for the versioned kubeconform directories.
    kube_version: String,
    cache: Mutex<HashMap<PathBuf, Option<Arc<Validator>>>>,
}

impl SchemaLocations {
    pub fn new(locations: Vec<String>, kube_version: String) -> Self {
        SchemaLocations { locations, kube_version, cache: Mutex::default() }
    }

    /// Checks a `--schema-location` before the run, so that a typo or a URL (which
    /// kubeconform users pass by habit) is not silently a location with no schemas:
    /// kval reads schemas offline only.
    pub fn check_location(location: &str) -> Result<(), String> {
        if location.contains("://") {
            return Err(format!(
                "--schema-location `{location}`: kval reads schemas offline and does not fetch URLs; \
                 download the schemas (for example a checkout of the CRDs catalog) and pass the directory"
            ));
        }
        // For a template, the directory before its first `{{` must exist.
        let fixed = location.split("{{").next().unwrap_or(location);
        let dir = if fixed.len() < location.len() { fixed.rsplit_once('/').map_or(".", |(d, _)| d) } else { fixed };
        let dir = if dir.is_empty() { "/" } else { dir };
        if std::path::Path::new(dir).is_dir() {
            Ok(())
        } else {
            Err(format!("--schema-location `{location}`: no such directory `{dir}`"))
        }
    }

    /// The schema of `apiVersion`/`kind`, from the first location that has one.
    pub fn find(&self, api_version: &str, kind: &str) -> Option<Arc<Validator>> {
        self.candidates(api_version, kind).into_iter().find_map(|p| self.load(p))
    }

    fn candidates(&self, api_version: &str, kind: &str) -> Vec<PathBuf> {
        let (group, version) = split_api_version(api_version);
        let resource_kind = kind.to_lowercase();
        let first_label = if group.is_empty() { version } else { group.split('.').next().unwrap_or(group) };
        let kind_suffix = if group.is_empty() {
            format!("-{}", version.to_lowercase())
        } else {
            format!("-{}-{}", first_label.to_lowercase(), version.to_lowercase())
        };
        let vars = [
            ("NormalizedKubernetesVersion", format!("v{}", self.kube_version)),
            ("StrictSuffix", "-strict".to_string()),
            ("ResourceKind", resource_kind.clone()),
            ("ResourceAPIVersion", version.to_string()),
            ("Group", if group.is_empty() { version.to_string() } else { group.to_string() }),
            ("KindSuffix", kind_suffix.clone()),
        ];
        let mut paths = Vec::new();
        for location in &self.locations {
            if location.contains("{{") {
                paths.push(PathBuf::from(render(location, &vars)));
                continue;
            }
            let dir = PathBuf::from(location);
            let file = format!("{resource_kind}{kind_suffix}.json");
            if !group.is_empty() {
                paths.push(dir.join(group).join(format!("{resource_kind}_{version}.json")));
            }
            paths.push(dir.join(&file));
            for flavour in ["-standalone-strict", "-standalone"] {
                paths.push(dir.join(format!("v{}{flavour}", self.kube_version)).join(&file));
            }
        }
        paths
    }

    fn load(&self, path: PathBuf) -> Option<Arc<Validator>> {
        if let Some(done) = self.cache.lock().ok().and_then(|c| c.get(&path).cloned()) {
            return done;
        }
        let validator = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .and_then(|json| jsonschema::validator_for(&json).ok())
            .map(Arc::new);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(path, validator.clone());
        }
        validator
    }
}

/// Renders a kubeconform path template: `{{ .Name }}` and `{{.Name}}`.
fn render(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        for form in [format!("{{{{ .{name} }}}}"), format!("{{{{.{name}}}}}")] {
            out = out.replace(&form, value);
        }
    }
    out
}

/// Validates a document against an external schema; each error is reported at the
/// node its instance path names.
pub fn validate(cx: &mut Context<'_>, validator: &Validator) {
    let doc = cx.doc;
    let instance = doc.root.to_json();
    let mut findings = Vec::new();
    for error in validator.iter_errors(&instance) {
        let pointer = error.instance_path().as_str().to_string();
        let Some((node, key, segs)) = locate(&doc.root, &pointer) else { continue };
        let field = path::dotted(&segs);
        let at = |k: Option<&Key>| k.map_or_else(|| head(node), |k| k.span);
        let finding = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    if let Some(entry) = node.entry(name) {
                        let mut segs = segs.clone();
                        segs.push(Seg::Key(&entry.key.name));
                        let message = format!("unknown field `{}`", path::dotted(&segs));
                        let f = cx.finding(&checks::UNKNOWN_FIELD, entry.key.span, message).label("unknown field");
                        findings.push(f.pointer(path::pointer(&doc.pointer_prefix, &segs)));
                    }
                }
                continue;
            }
            ValidationErrorKind::Type { .. } => (&checks::INVALID_TYPE, node.span),
            ValidationErrorKind::Required { .. } => (&checks::REQUIRED_FIELD, at(key)),
            ValidationErrorKind::Enum { .. } => (&checks::UNSUPPORTED_VALUE, node.span),
            ValidationErrorKind::Format { .. } => (&checks::INVALID_FORMAT, node.span),
            _ if node.is_map() || !node.items().is_empty() => (&checks::INVALID_VALUE, at(key)),
            _ => (&checks::INVALID_VALUE, node.span),
        };
        let (rule, span) = finding;
        let place = if field.is_empty() { "the object".to_string() } else { format!("`{field}`") };
        let message = format!("{place}: {error}");
        let f = cx.finding(rule, span, message).label("invalid according to its schema");
        findings.push(f.pointer(path::pointer(&doc.pointer_prefix, &segs)));
    }
    for f in findings {
        cx.report(f);
    }
}

/// The node at a JSON pointer, with its key and its path.
#[allow(clippy::type_complexity)]
fn locate<'a>(root: &'a Node, pointer: &str) -> Option<(&'a Node, Option<&'a Key>, Vec<Seg<'a>>)> {
    let mut node = root;
    let mut key = None;
    let mut segs = Vec::new();
    for raw in pointer.split('/').skip(1) {
        let name = raw.replace("~1", "/").replace("~0", "~");
        if let Some(entry) = node.entry(&name) {
            segs.push(Seg::Key(entry.key.name.as_str()));
            key = Some(&entry.key);
            node = &entry.value;
        } else {
            let i: usize = name.parse().ok()?;
            node = node.items().get(i)?;
            segs.push(Seg::Index(i));
            key = None;
        }
    }
    Some((node, key, segs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let l =
            SchemaLocations::new(vec!["schemas".into(), "s/{{ .Group }}/{{.ResourceKind}}.json".into()], "1.35".into());
        let paths: Vec<String> = l
            .candidates("monitoring.coreos.com/v1", "ServiceMonitor")
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "schemas/monitoring.coreos.com/servicemonitor_v1.json",
                "schemas/servicemonitor-monitoring-v1.json",
                "schemas/v1.35-standalone-strict/servicemonitor-monitoring-v1.json",
                "schemas/v1.35-standalone/servicemonitor-monitoring-v1.json",
                "s/monitoring.coreos.com/servicemonitor.json",
            ]
        );
        let core: Vec<String> = l.candidates("v1", "Pod").iter().map(|p| p.display().to_string()).collect();
        assert_eq!(core[0], "schemas/pod-v1.json");
    }
}
