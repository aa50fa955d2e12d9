//! The checks a ConfigMap and a Secret share: the keys of their data maps and the
//! base64 of the maps that hold bytes.

use crate::kube::{base64, field, names};
use crate::rules::{Context, Rule};
use crate::yaml::Node;

/// Reports each key of `map` (the document's `data`, `binaryData` or `stringData`)
/// that is not a valid config key; with `bytes`, each value that is not base64.
pub fn check_map(cx: &mut Context<'_>, rule: &'static Rule, map: &str, bytes: bool) {
    let doc = cx.doc;
    let Some(node) = doc.root.get(map) else { return };
    for entry in node.entries() {
        let key = &entry.key.name;
        let pointer = format!("{}/{map}/{}", doc.pointer_prefix, key.replace('~', "~0").replace('/', "~1"));
        if let Err(reason) = names::config_map_key(key) {
            let message = field::invalid(&format!("{map}[{key}]"), &field::quote(key), &reason);
            let f = cx
                .finding(rule, entry.key.span, message)
                .label("not a valid key")
                .pointer(pointer.clone())
                .help("keys become file names in volumes: use letters, digits, `-`, `_` and `.`");
            cx.report(f);
        }
        if bytes
            && let Some(text) = entry.value.as_str()
            && let Err(at) = base64::check(text)
        {
            let kind = doc.kind().unwrap_or("object");
            let message = format!("`{map}[{key}]` is not base64 (invalid input byte {at})");
            let f = cx
                .finding(rule, entry.value.span, message)
                .label("not base64")
                .pointer(pointer)
                .note(format!(
                    "the API server cannot decode the object: `{kind} in version \"v1\" cannot be handled as a {kind}` (base64 data invalid at input byte {at})"
                ))
                .help(if map == "data" && kind == "Secret" {
                    "encode the value (`base64 -w0`), or move it to `stringData`, which takes plain text"
                } else {
                    "encode the value with `base64 -w0`"
                });
            cx.report(f);
        }
    }
}

/// Whether `key` is set in one of the maps (a Secret's `stringData` is merged into
/// its `data` before validation).
pub fn has_key(root: &Node, maps: &[&str], key: &str) -> bool {
    maps.iter().any(|m| root.get(m).and_then(|n| n.get(key)).is_some())
}
