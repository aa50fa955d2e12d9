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
    /// annotation for `kubernetes.io/service-account-token`.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `data[tls.key]: Required value`, or for a
    /// plain value under `data`: `Secret in version "v1" cannot be handled as a
    /// Secret: illegal base64 data at input byte 4`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateSecret` in
    /// `pkg/apis/core/validation/validation.go` (`IsConfigMapKey` for keys, the
    /// required keys per type: `field.Required(dataPath.Key(...), "")`); base64 fails
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
    for path in missing {
        let f = cx
            .finding(&INVALID_SECRET, span, field::required(&path, ""))
            .label(format!("a {ty} Secret"))
            .pointer(format!("{}/type", doc.pointer_prefix))
            .help(format!("add `{path}` (plain text under `stringData`, base64 under `data`)"));
        cx.report(f);
    }
}
