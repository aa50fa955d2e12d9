//! The checks a ConfigMap and a Secret share: the keys of their data maps, the
//! base64 of the maps that hold bytes, and their total size.

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

/// `core.MaxSecretSize`: the most bytes the data of a ConfigMap or a Secret may hold.
pub const MAX_SIZE: usize = 1024 * 1024;

/// The bytes of a value: a string's UTF-8 length, or, for a map of bytes, its
/// decoded length.
pub fn value_bytes(node: &Node, bytes: bool) -> Option<Vec<u8>> {
    let text = node.as_str()?;
    if bytes { base64::decode(text) } else { Some(text.as_bytes().to_vec()) }
}

/// Reports the object when its data holds more than [`MAX_SIZE`] bytes. `maps` are
/// `(name, holds bytes)` in order of precedence: a key in an earlier map hides the
/// same key in a later one (a Secret's `stringData` replaces its `data`). `path` is
/// the field the API server names (`[]` for a ConfigMap, `data` for a Secret).
pub fn check_size(cx: &mut Context<'_>, rule: &'static Rule, maps: &[(&str, bool)], path: &str) {
    let doc = cx.doc;
    let mut seen: Vec<&str> = Vec::new();
    let mut total = 0usize;
    for (map, bytes) in maps {
        for entry in doc.root.get(map).map(Node::entries).unwrap_or_default() {
            if seen.contains(&entry.key.name.as_str()) {
                continue;
            }
            seen.push(&entry.key.name);
            total += entry.value.as_str().map_or(0, |text| if *bytes { decoded_len(text) } else { text.len() });
        }
    }
    if total <= MAX_SIZE {
        return;
    }
    let span = maps.iter().find_map(|(m, _)| doc.root.entry(m)).map_or_else(|| doc.head_span(), |e| e.key.span);
    let f = cx
        .finding(rule, span, field::too_long(path, MAX_SIZE))
        .label(format!("{total} bytes of data"))
        .pointer(doc.pointer_prefix.clone())
        .note("etcd stores each object whole; the API server refuses data over 1 MiB")
        .help("split the data over several objects, or mount it from a volume or an image instead");
    cx.report(f);
}

/// The decoded length of base64 text (its alphabet characters, six bits each).
fn decoded_len(text: &str) -> usize {
    text.bytes().filter(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/')).count() * 6 / 8
}
