use crate::document::Document;
use crate::kube::downward::{self, FieldRefError};
use crate::kube::{field, names};
use crate::rules::Context;
use crate::rules::pod::{Container, PodTemplate};
use crate::source::Span;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks each container's `env` and `envFrom` as the API server does: variable
    /// names (any printable ASCII but `=` from Kubernetes 1.32, a C-like identifier
    /// before), a `valueFrom` with exactly one source and no `value` beside it, the
    /// `fieldRef` paths the downward API offers to variables (`metadata.name`,
    /// `status.podIP`, `metadata.labels['key']`, ...), the container resources a
    /// `resourceFieldRef` may name, the names and keys of `configMapKeyRef` and
    /// `secretKeyRef`, and an `envFrom` entry with exactly one of `configMapRef` and
    /// `secretRef`.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g.
    /// `spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value:
    /// "metadata.labels": supported values: "metadata.name", ...` — a whole label map is
    /// offered to volumes only; a variable takes one label.
    ///
    /// ## API server
    /// Rejected on create: `ValidateEnv`, `validateEnvVarValueFrom`,
    /// `validateObjectFieldSelector`, `validateContainerResourceFieldSelector`,
    /// `validateConfigMapKeySelector`, `validateSecretKeySelector` and `ValidateEnvFrom`
    /// in `pkg/apis/core/validation/validation.go` (`IsEnvVarName`, or
    /// `IsRelaxedEnvVarName` from 1.32), and `ConvertDownwardAPIFieldLabel` in
    /// `pkg/apis/core/pods/helpers.go`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    ///     env:
    ///     - name: NODE
    ///       value: unknown
    ///       valueFrom:
    ///         fieldRef:
    ///           fieldPath: spec.nodeName
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    ///     env:
    ///     - name: NODE
    ///       valueFrom:
    ///         fieldRef:
    ///           fieldPath: spec.nodeName
    /// ```
    pub static INVALID_ENV = {
        id: "invalid-env",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an environment variable has an invalid name, or a `valueFrom` or `envFrom` the API server rejects",
        fields: [
            "Container.env", "Container.envFrom", "EnvVar.name", "EnvVar.valueFrom", "ObjectFieldSelector.fieldPath",
            "ResourceFieldSelector.resource", "EnvFromSource.prefix",
        ],
        check: Document(check),
    };
}

/// The first Kubernetes minor release whose API server takes any printable name
/// (`RelaxedEnvironmentVariableValidation` on by default).
const RELAXED_SINCE: u32 = 32;

const SOURCES: [&str; 4] = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"];

struct Var<'a, 'b> {
    pod: &'b PodTemplate<'a>,
    c: &'b Container<'a>,
    /// `env/3` or `envFrom/0`, below the container.
    rel: String,
}

impl Var<'_, '_> {
    fn path(&self, rest: &str) -> String {
        let rel = self.rel.replacen('/', "[", 1) + "]";
        self.pod.container_path(self.c, &if rest.is_empty() { rel } else { format!("{rel}.{rest}") })
    }

    fn pointer(&self, rest: &str) -> String {
        let rest = if rest.is_empty() { self.rel.clone() } else { format!("{}/{}", self.rel, rest.replace('.', "/")) };
        self.pod.container_pointer(self.c, &rest)
    }
}

fn report(cx: &mut Context<'_>, span: Span, message: String, label: &str, pointer: String, help: &str) {
    let f = cx.finding(&INVALID_ENV, span, message).label(label).pointer(pointer).help(help);
    cx.report(f);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let relaxed = cx.catalog.version.minor >= RELAXED_SINCE;
    for c in pod.every_container() {
        for (i, var) in c.get("env").map(Node::items).unwrap_or_default().iter().enumerate() {
            let v = Var { pod: &pod, c: &c, rel: format!("env/{i}") };
            if let Some(name) = var.get("name") {
                env_name(cx, &v, name, "name", relaxed);
            }
            if let Some(from) = var.entry("valueFrom").filter(|e| e.value.is_map()) {
                value_from(cx, &v, var, from);
            }
        }
        for (i, source) in c.get("envFrom").map(Node::items).unwrap_or_default().iter().enumerate() {
            let v = Var { pod: &pod, c: &c, rel: format!("envFrom/{i}") };
            env_from(cx, &v, source, relaxed);
        }
    }
}

/// A variable name or an `envFrom` prefix.
fn env_name(cx: &mut Context<'_>, v: &Var<'_, '_>, node: &Node, key: &str, relaxed: bool) {
    let Some(name) = node.as_str() else { return };
    if name.is_empty() {
        if key == "name" {
            report(cx, node.span, field::required(&v.path(key), ""), "empty name", v.pointer(key), "name the variable");
        }
        return;
    }
    if let Err(reason) = names::env_var_name(name, relaxed) {
        let help = if relaxed {
            "use printable ASCII characters other than `=`"
        } else {
            "use letters, digits, `_`, `-` and `.`, not starting with a digit (Kubernetes 1.32 and later accept any printable ASCII but `=`)"
        };
        let message = field::invalid(&v.path(key), &field::quote(name), &reason);
        report(cx, node.span, message, "not a valid variable name", v.pointer(key), help);
    }
}

fn value_from(cx: &mut Context<'_>, v: &Var<'_, '_>, var: &Node, from: &crate::yaml::Entry) {
    let sources: Vec<&crate::yaml::Entry> =
        from.value.entries().iter().filter(|e| SOURCES.contains(&e.key.name.as_str()) && !e.value.is_null()).collect();
    let path = v.path("valueFrom");
    let has_value = var.get("value").and_then(Node::as_str).is_some_and(|s| !s.is_empty());
    if sources.is_empty() {
        let detail = "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`";
        let help = "add the source of the value, e.g. `secretKeyRef: {name: app, key: token}`";
        report(cx, from.key.span, field::invalid(&path, "\"\"", detail), "no source", v.pointer("valueFrom"), help);
        return;
    }
    if has_value {
        let detail = "may not be specified when `value` is not empty";
        let help = "keep either `value` or `valueFrom`";
        report(
            cx,
            from.key.span,
            field::invalid(&path, "\"\"", detail),
            "beside `value`",
            v.pointer("valueFrom"),
            help,
        );
    } else if sources.len() > 1 {
        let detail = "may not have more than one field specified at a time";
        let span = sources.get(1).map_or(from.key.span, |e| e.key.span);
        let help = "keep one source";
        report(cx, span, field::invalid(&path, "\"\"", detail), "a second source", v.pointer("valueFrom"), help);
    }
    for source in sources {
        let rel = format!("valueFrom.{}", source.key.name);
        match source.key.name.as_str() {
            "fieldRef" => field_ref(cx, v, &rel, &source.value, downward::ENV_FIELDS),
            "resourceFieldRef" => resource_field_ref(cx, v, &rel, &source.value),
            _ => key_ref(cx, v, &rel, &source.value),
        }
    }
}

/// What is wrong with a `fieldRef` (of an environment variable or a downward API
/// volume file) at the dotted path `ref_path`: message, span, label and help.
pub(super) fn field_ref_error(
    ref_path: &str,
    selector: &Node,
    allowed: &[&str],
) -> Option<(String, Span, &'static str, &'static str)> {
    let api_version = selector.get("apiVersion").and_then(Node::as_str).unwrap_or("v1");
    let node = selector.get("fieldPath")?;
    let path = node.as_str()?;
    let fp = format!("{ref_path}.fieldPath");
    let (message, label, help) = match downward::field_ref(api_version, path, allowed).err()? {
        FieldRefError::Convert(e) => (
            field::invalid(&fp, &field::quote(path), &format!("error converting fieldPath: {e}")),
            "not a field of a Pod",
            "use a field the downward API offers, e.g. `metadata.name`, `status.podIP` or `metadata.labels['app']`",
        ),
        FieldRefError::Key(key, reason) => (
            field::invalid(ref_path, &field::quote(&key), &reason),
            "not a valid label or annotation key",
            "name a valid key, e.g. `metadata.labels['app.kubernetes.io/name']`",
        ),
        FieldRefError::NotSupported(p) => (
            field::not_supported(&fp, &p, allowed),
            "not offered here",
            if allowed.contains(&"metadata.labels") {
                "use one of the supported fields"
            } else {
                "a variable takes one label or annotation: `metadata.labels['key']`; whole maps are offered to downward API volumes"
            },
        ),
    };
    Some((message, node.span, label, help))
}

fn field_ref(cx: &mut Context<'_>, v: &Var<'_, '_>, rel: &str, selector: &Node, allowed: &[&str]) {
    if let Some((message, span, label, help)) = field_ref_error(&v.path(rel), selector, allowed) {
        report(cx, span, message, label, v.pointer(&format!("{rel}.fieldPath")), help);
    }
}

fn resource_field_ref(cx: &mut Context<'_>, v: &Var<'_, '_>, rel: &str, selector: &Node) {
    let Some(node) = selector.get("resource") else { return };
    let Some(resource) = node.as_str().filter(|r| !r.is_empty()) else { return };
    if !downward::resource(resource) {
        let message = field::not_supported(&v.path(&format!("{rel}.resource")), resource, downward::RESOURCES);
        let help = "name a request or limit of the container, e.g. `limits.memory`";
        report(cx, node.span, message, "not a container resource", v.pointer(&format!("{rel}.resource")), help);
    }
}

/// `configMapKeyRef` and `secretKeyRef`: a DNS-1123 subdomain name (an absent name is
/// the empty name) and a config key.
fn key_ref(cx: &mut Context<'_>, v: &Var<'_, '_>, rel: &str, selector: &Node) {
    let name_node = selector.get("name");
    let name = name_node.and_then(Node::as_str).unwrap_or("");
    if let Err(reason) = names::dns1123_subdomain(name) {
        let span = name_node.map_or(selector.span, |n| n.span);
        let message = field::invalid(&v.path(&format!("{rel}.name")), &field::quote(name), &reason);
        let help = "name the ConfigMap or Secret that holds the key";
        let label = if name.is_empty() { "no name" } else { "not a valid name" };
        report(cx, span, message, label, v.pointer(&format!("{rel}.name")), help);
    }
    let Some(key_node) = selector.get("key") else { return };
    let Some(key) = key_node.as_str() else { return };
    let path = v.path(&format!("{rel}.key"));
    let message = match names::config_map_key(key) {
        Ok(()) => return,
        Err(_) if key.is_empty() => field::required(&path, ""),
        Err(reason) => field::invalid(&path, &field::quote(key), &reason),
    };
    let help = "keys are made of letters, digits, `-`, `_` and `.`";
    report(cx, key_node.span, message, "not a valid key", v.pointer(&format!("{rel}.key")), help);
}

fn env_from(cx: &mut Context<'_>, v: &Var<'_, '_>, source: &Node, relaxed: bool) {
    if let Some(prefix) = source.get("prefix") {
        env_name(cx, v, prefix, "prefix", relaxed);
    }
    let refs: Vec<&crate::yaml::Entry> = source
        .entries()
        .iter()
        .filter(|e| matches!(e.key.name.as_str(), "configMapRef" | "secretRef") && !e.value.is_null())
        .collect();
    // The API server names the list, not the entry.
    let list = v.pod.container_path(v.c, "envFrom");
    let span = crate::document::head(source);
    match refs.as_slice() {
        [] => {
            let detail = "must specify one of: `configMapRef` or `secretRef`";
            let help = "add `configMapRef: {name: ...}` or `secretRef: {name: ...}`";
            report(cx, span, field::invalid(&list, "\"\"", detail), "no source", v.pointer(""), help);
        }
        [_, second, ..] => {
            let detail = "may not have more than one field specified at a time";
            let help = "use one `envFrom` entry per ConfigMap or Secret";
            report(cx, second.key.span, field::invalid(&list, "\"\"", detail), "a second source", v.pointer(""), help);
        }
        [_] => {}
    }
    for r in refs {
        let node = r.value.get("name");
        let name = node.and_then(Node::as_str).unwrap_or("");
        let path = v.path(&format!("{}.name", r.key.name));
        // A name with a trailing `-` is accepted (`ValidateConfigMapName(name, true)`).
        let masked = match name.strip_suffix('-') {
            Some(head) if !head.is_empty() => format!("{head}a"),
            _ => name.to_string(),
        };
        let message = match names::dns1123_subdomain(&masked) {
            Ok(()) => continue,
            Err(_) if name.is_empty() => field::required(&path, ""),
            Err(reason) => field::invalid(&path, &field::quote(name), &reason),
        };
        let span = node.map_or(r.key.span, |n| n.span);
        let help = "name the ConfigMap or Secret to read";
        report(cx, span, message, "not a valid name", v.pointer(&format!("{}.name", r.key.name)), help);
    }
}
