use crate::document::Document;
use crate::kube::field;
use crate::rules::Context;
use crate::yaml::Node;

use super::data_keys;

crate::declare_rule! {
    /// ## What it does
    /// Checks a Secret's keys and values: each key of `data` and `stringData` is a
    /// valid config key, each `data` value is base64, and the built-in types have
    /// their required keys: `tls.crt` and `tls.key` for `kubernetes.io/tls`,
    /// `ssh-privatekey` for `kubernetes.io/ssh-auth`, `.dockerconfigjson` or
    /// `.dockercfg` for the registry types, `username` or `password` for
    /// `kubernetes.io/basic-auth`, and the `kubernetes.io/service-account.name`
    /// annotation for `kubernetes.io/service-account-token`; a registry Secret's
    /// config is a JSON object, and the data holds at most 1 MiB.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `data[tls.key]: Required value`, or for a
    /// plain value under `data`: `Secret in version "v1" cannot be handled as a
    /// Secret: illegal base64 data at input byte 4`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateSecret` in
    /// `pkg/apis/core/validation/validation.go` (`IsConfigMapKey` for keys, the
    /// required keys per type: `field.Required(dataPath.Key(...), "")`, the registry
    /// config parsed with `json.Unmarshal`: `data[.dockerconfigjson]: Invalid value:
    /// "<secret contents redacted>": ...`, and over 1 MiB of data: `data: Too long:
    /// may not be more than 1048576 bytes`); base64 fails
    /// when the request body is decoded (`illegal base64 data at input byte N`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: web-tls
    /// type: kubernetes.io/tls
    /// data:
    ///   tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: web-tls
    /// type: kubernetes.io/tls
    /// data:
    ///   tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    ///   tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t
    /// ```
    pub static INVALID_SECRET = {
        id: "invalid-secret",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a Secret key is not valid, data is not base64, or its type's required keys are missing",
        fields: ["Secret.data", "Secret.stringData", "Secret.type"],
        check: Document(check),
    };
}

const MAPS: &[&str] = &["data", "stringData"];

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("Secret") || doc.api_version() != Some("v1") {
        return;
    }
    data_keys::check_map(cx, &INVALID_SECRET, "data", true);
    data_keys::check_map(cx, &INVALID_SECRET, "stringData", false);
    data_keys::check_size(cx, &INVALID_SECRET, &[("stringData", false), ("data", true)], "data");
    let type_node = doc.root.get("type");
    let Some(ty) = type_node.and_then(Node::as_str) else { return };
    let has = |key: &str| data_keys::has_key(&doc.root, MAPS, key);
    let missing: Vec<String> = match ty {
        "kubernetes.io/tls" => {
            ["tls.crt", "tls.key"].iter().filter(|k| !has(k)).map(|k| format!("data[{k}]")).collect()
        }
        "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => vec!["data[ssh-privatekey]".into()],
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => vec!["data[.dockerconfigjson]".into()],
        "kubernetes.io/dockercfg" if !has(".dockercfg") => vec!["data[.dockercfg]".into()],
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            vec!["data[username]".into(), "data[password]".into()]
        }
        "kubernetes.io/service-account-token"
            if doc.root.at(&["metadata", "annotations", "kubernetes.io/service-account.name"]).is_none() =>
        {
            vec!["metadata.annotations[kubernetes.io/service-account.name]".into()]
        }
        _ => Vec::new(),
    };
    let span = type_node.map_or_else(|| doc.head_span(), |n| n.span);
    if missing.is_empty() {
        docker_config(cx, ty);
    }
    for path in missing {
        let f = cx
            .finding(&INVALID_SECRET, span, field::required(&path, ""))
            .label(format!("a {ty} Secret"))
            .pointer(format!("{}/type", doc.pointer_prefix))
            .help(format!("add `{path}` (plain text under `stringData`, base64 under `data`)"));
        cx.report(f);
    }
}

/// A registry Secret's config must be a JSON object (`json.Unmarshal` into a
/// `map[string]interface{}`).
fn docker_config(cx: &mut Context<'_>, ty: &str) {
    let key = match ty {
        "kubernetes.io/dockerconfigjson" => ".dockerconfigjson",
        "kubernetes.io/dockercfg" => ".dockercfg",
        _ => return,
    };
    let doc = cx.doc;
    let found = [("stringData", false), ("data", true)]
        .into_iter()
        .find_map(|(map, bytes)| doc.root.get(map).and_then(|m| m.get(key)).map(|n| (map, n, bytes)));
    let Some((map, node, bytes)) = found else { return };
    let Some(content) = data_keys::value_bytes(node, bytes) else { return };
    let Some((detail, note)) = json_object_error(&content) else { return };
    let message = field::invalid(&format!("data[{key}]"), "\"<secret contents redacted>\"", &detail);
    let mut f = cx
        .finding(&INVALID_SECRET, node.span, message)
        .label("not a JSON object")
        .pointer(format!("{}/{map}/{key}", doc.pointer_prefix))
        .help("write the registry config as JSON, e.g. `{\"auths\": {\"registry.example.com\": {\"auth\": \"...\"}}}`");
    f.note = note;
    cx.report(f);
}

/// Why Go's `json.Unmarshal` refuses `content` as a map: its message where kval
/// knows it, with serde_json's description of a syntax error as a note.
fn json_object_error(content: &[u8]) -> Option<(String, Option<String>)> {
    use serde_json::Value as J;
    match serde_json::from_slice::<J>(content) {
        Ok(J::Object(_) | J::Null) => None,
        Ok(value) => {
            let kind = match value {
                J::Array(_) => "array",
                J::String(_) => "string",
                J::Number(_) => "number",
                _ => "bool",
            };
            Some((format!("json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"), None))
        }
        Err(e) if e.is_eof() => Some(("unexpected end of JSON input".into(), None)),
        Err(e) => {
            let line = content.split(|b| *b == b'\n').nth(e.line().saturating_sub(1)).unwrap_or_default();
            let at = line.get(e.column().saturating_sub(1)).copied().unwrap_or(b'?');
            let shown =
                if at.is_ascii_graphic() || at == b' ' { (at as char).to_string() } else { format!("\\x{at:02x}") };
            Some((format!("invalid character '{shown}'"), Some(format!("the value is not JSON: {e}"))))
        }
    }
}
