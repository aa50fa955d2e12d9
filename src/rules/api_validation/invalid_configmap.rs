use crate::document::Document;
use crate::kube::field;
use crate::rules::Context;

use super::data_keys;

crate::declare_rule! {
    /// ## What it does
    /// Checks a ConfigMap's keys and binary data: each key of `data` and
    /// `binaryData` is a valid config key (letters, digits, `-`, `_`, `.`; not `.`,
    /// `..` or starting with `..`; at most 253 characters), no key is in both maps,
    /// each `binaryData` value is base64, and the data holds at most 1 MiB.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `data[app/config.yaml]: Invalid value:
    /// "app/config.yaml": a valid config key must consist of alphanumeric
    /// characters, '-', '_' or '.'`. Keys become file names when the ConfigMap is
    /// mounted, which is why a path is refused.
    ///
    /// ## API server
    /// Rejected on create: `ValidateConfigMap` in
    /// `pkg/apis/core/validation/validation.go` (`IsConfigMapKey` for each key,
    /// `duplicate of key present in data`, and over 1 MiB of data: `[]: Too long: may
    /// not be more than 1048576 bytes`); a `binaryData` value that is not base64 fails
    /// decoding before validation.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   conf/app.yaml: |
    ///     level: info
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   app.yaml: |
    ///     level: info
    /// ```
    pub static INVALID_CONFIGMAP = {
        id: "invalid-configmap",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a ConfigMap key is not a valid file name, is in both maps, or binary data is not base64",
        fields: ["ConfigMap.data", "ConfigMap.binaryData"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("ConfigMap") || doc.api_version() != Some("v1") {
        return;
    }
    data_keys::check_map(cx, &INVALID_CONFIGMAP, "data", false);
    data_keys::check_map(cx, &INVALID_CONFIGMAP, "binaryData", true);
    // The API server names no field for the whole object: `[]`.
    data_keys::check_size(cx, &INVALID_CONFIGMAP, &[("data", false), ("binaryData", true)], "[]");
    let Some(binary) = doc.root.get("binaryData") else { return };
    for entry in binary.entries() {
        let key = &entry.key.name;
        let Some(first) = doc.root.get("data").and_then(|d| d.entry(key)) else { continue };
        let message = field::invalid("binaryData", &field::quote(key), "duplicate of key present in data");
        let f = cx
            .finding(&INVALID_CONFIGMAP, entry.key.span, message)
            .label("also in `data`")
            .secondary(doc.location(first.key.span), "in `data`")
            .pointer(format!("{}/binaryData", doc.pointer_prefix))
            .help("keep the key in one of `data` and `binaryData`");
        cx.report(f);
    }
}
