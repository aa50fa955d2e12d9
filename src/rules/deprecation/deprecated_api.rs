use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::schema::{Catalog, KubeVersion, Schema, Type, api_version, history, removed, split_api_version};
use crate::yaml::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks for an alpha or beta `apiVersion` that the selected Kubernetes version
    /// still serves but that a stable version has replaced, and says when it is
    /// removed (when known) and what to use instead. (An `apiVersion` that is no
    /// longer served is an error of its own, `removed-api`.)
    ///
    /// ## Why it matters
    /// Deprecated versions disappear in a later release; the manifest then fails to
    /// apply after a cluster upgrade. Moving while both versions are served is easy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: resource.k8s.io/v1beta2
    /// kind: DeviceClass
    /// metadata:
    ///   name: gpu
    /// spec: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: resource.k8s.io/v1
    /// kind: DeviceClass
    /// metadata:
    ///   name: gpu
    /// spec: {}
    /// ```
    pub static DEPRECATED_API = {
        id: "deprecated-api",
        category: Deprecation,
        severity: Warning,
        enabled: true,
        summary: "an `apiVersion` is deprecated in favour of a stable one",
        fields: [],
        fixes: [Safe],
        check: Document(check),
    };
}

/// Writes the stable `apiVersion`, when every field the object uses is a field of
/// the stable version too (safe: the API server converts between the two).
/// `removed-api` offers the same fix.
pub fn replace_api_version(doc: &Document, catalog: &Catalog, to: &str) -> Option<Fix> {
    let (group, version) = split_api_version(to);
    let id = catalog.kind(group, version, doc.kind()?)?;
    if !carries_over(catalog, catalog.schema(id), &doc.root) {
        return None;
    }
    let edit = edit::replace_scalar(&doc.source, doc.root.get("apiVersion")?, to)?;
    Some(Fix::safe(format!("use `apiVersion: {to}`"), vec![edit]))
}

/// Whether each field of `node` is a field of `schema`, down the tree.
fn carries_over(catalog: &Catalog, schema: &Schema, node: &Node) -> bool {
    match &node.value {
        Value::Map(entries) => {
            entries.iter().all(|e| match schema.property(&e.key.name).or(schema.additional.as_ref()) {
                Some(field) => carries_over(catalog, catalog.resolve(field), &e.value),
                None => schema.open || schema.ty == Type::Any,
            })
        }
        Value::Seq(items) => match &schema.items {
            Some(item) => items.iter().all(|n| carries_over(catalog, catalog.resolve(item), n)),
            None => schema.ty == Type::Any,
        },
        Value::Null => true,
        _ => !matches!(schema.ty, Type::Object | Type::Array),
    }
}

fn is_prerelease(version: &str) -> bool {
    version.contains("alpha") || version.contains("beta")
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let (Some(av), Some(kind)) = (doc.api_version(), doc.kind()) else { return };
    let (group, version) = split_api_version(av);
    if !is_prerelease(version) {
        return;
    }
    let selected = cx.catalog.version.minor;
    let served = |s: &&history::Served| s.group == group && s.kind == kind && (s.first..=s.last).contains(&selected);
    let Some(this) = history::all().iter().filter(served).find(|s| s.version == version) else { return };
    let Some(stable) = history::all().iter().filter(served).find(|s| !is_prerelease(&s.version)) else { return };
    let removed_in = if this.last < KubeVersion::newest().minor {
        Some(this.last + 1)
    } else {
        removed::find(av, kind).map(|r| r.removed_in)
    };
    let to = api_version(group, &stable.version);
    let when = match removed_in {
        Some(minor) => format!("is removed in Kubernetes 1.{minor}"),
        None => format!("is superseded by `{to}`"),
    };
    let span = doc.root.get("apiVersion").map_or(doc.head_span(), |n| n.span);
    let f = cx
        .finding(&DEPRECATED_API, span, format!("`{av}` `{kind}` is deprecated and {when}"))
        .label("deprecated")
        .pointer(format!("{}/apiVersion", doc.pointer_prefix))
        .note(format!("`{to}` serves `{kind}` in Kubernetes 1.{selected}"))
        .help(format!("use `apiVersion: {to}`"))
        .fix(replace_api_version(doc, cx.catalog, &to));
    cx.report(f);
}
