use crate::document::Document;
use crate::kube::{field, names, quantity};
use crate::rules::Context;
use crate::rules::api_validation::at::At;
use crate::rules::pod::PodTemplate;
use crate::yaml::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks a PersistentVolumeClaim's spec, and that of each ephemeral volume's
    /// `volumeClaimTemplate` in a Pod template: at least one access mode, and
    /// `ReadWriteOncePod` alone; a `resources.requests.storage` above zero; a
    /// `storageClassName` that is a DNS subdomain; a `dataSource` and a
    /// `dataSourceRef` with `kind` and `name` (a kind of the core group must be
    /// `PersistentVolumeClaim`), a valid `apiGroup` and `namespace`; and both only
    /// when they name the same object, without a `dataSourceRef.namespace`.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `spec.accessModes: Required value: at
    /// least 1 access mode is required`, `spec.resources[storage]: Required value`.
    ///
    /// ## API server
    /// Rejected on create: `ValidatePersistentVolumeClaimSpec`, `validateDataSource`
    /// and `validateDataSourceRef` in `pkg/apis/core/validation/validation.go`, called
    /// by `ValidatePersistentVolumeClaim` and, for ephemeral volumes,
    /// `ValidatePersistentVolumeClaimTemplate`. A StatefulSet's
    /// `volumeClaimTemplates` are not validated when the StatefulSet is created (its
    /// controller's claims are refused later), so this rule does not check them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: PersistentVolumeClaim
    /// metadata:
    ///   name: data
    /// spec:
    ///   accessModes: [ReadWriteOnce]
    ///   resources:
    ///     requests:
    ///       storage: 10Gi
    /// ```
    pub static INVALID_PVC = {
        id: "invalid-pvc",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a PersistentVolumeClaim lacks access modes or storage, or has an invalid class or data source",
        fields: [
            "PersistentVolumeClaimSpec.accessModes", "PersistentVolumeClaimSpec.resources",
            "PersistentVolumeClaimSpec.storageClassName", "PersistentVolumeClaimSpec.dataSource",
            "PersistentVolumeClaimSpec.dataSourceRef",
        ],
        check: Document(check),
    };
}

const RWOP: &str = "ReadWriteOncePod";
const OTHER_MODES: &[&str] = &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce"];

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() == Some("PersistentVolumeClaim") && doc.api_version() == Some("v1") {
        let at = At::new("spec", format!("{}/spec", doc.pointer_prefix));
        let anchor = doc.root.entry("spec").map_or_else(|| doc.head_span(), |e| e.key.span);
        claim_spec(cx, doc.root.get("spec"), &at, anchor);
    }
    if let Some(pod) = PodTemplate::of(doc) {
        for (i, volume) in pod.spec.get("volumes").map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(template) = volume.at(&["ephemeral", "volumeClaimTemplate"]).filter(|t| t.is_map()) else {
                continue;
            };
            let rest = format!("volumes[{i}].ephemeral.volumeClaimTemplate.spec");
            let at = At::new(
                format!("{}.{rest}", pod.path()),
                pod.pointer(&format!("/{}", rest.replace(['[', '.'], "/").replace(']', ""))),
            );
            let anchor = template.entry("spec").map_or(template.span, |e| e.key.span);
            claim_spec(cx, template.get("spec"), &at, anchor);
        }
    }
}

fn claim_spec(cx: &mut Context<'_>, spec: Option<&Node>, at: &At, anchor: crate::source::Span) {
    let get = |key: &str| spec.and_then(|s| s.get(key)).filter(|n| !n.is_null());
    let modes_at = at.child("accessModes");
    let modes: Vec<&str> =
        get("accessModes").map(Node::items).unwrap_or_default().iter().filter_map(Node::as_str).collect();
    let modes_span = get("accessModes").map_or(anchor, |n| n.span);
    if get("accessModes").is_none_or(|n| n.items().is_empty()) {
        let message = field::required(&modes_at.path, "at least 1 access mode is required");
        modes_at.report(
            cx,
            &INVALID_PVC,
            modes_span,
            message,
            "no access mode",
            "add `accessModes: [ReadWriteOnce]` (or the mode your volumes support)",
        );
    } else if modes.contains(&RWOP) && modes.iter().any(|m| OTHER_MODES.contains(m)) {
        let message = field::forbidden(&modes_at.path, "may not use ReadWriteOncePod with other access modes");
        modes_at.report(
            cx,
            &INVALID_PVC,
            modes_span,
            message,
            "ReadWriteOncePod with others",
            "keep `ReadWriteOncePod` alone, or drop it",
        );
    }
    storage(cx, get("resources"), at, anchor);
    if let Some(node) = get("storageClassName")
        && let Some(class) = node.as_str().filter(|c| !c.is_empty())
        && let Err(reason) = names::dns1123_subdomain(class)
    {
        let here = at.child("storageClassName");
        let message = field::invalid(&here.path, &field::quote(class), &reason);
        here.report(
            cx,
            &INVALID_PVC,
            node.span,
            message,
            "not a StorageClass name",
            "StorageClass names are lowercase DNS subdomains, e.g. `fast-ssd`",
        );
    }
    let source = get("dataSource").filter(|n| n.is_map());
    let source_ref = get("dataSourceRef").filter(|n| n.is_map());
    for (node, key) in [(source, "dataSource"), (source_ref, "dataSourceRef")] {
        if let Some(node) = node {
            reference(cx, node, &at.child(key), key == "dataSourceRef");
        }
    }
    let (Some(source), Some(source_ref)) = (source, source_ref) else { return };
    let text = |n: &Node, key: &str| n.get(key).and_then(Node::as_str).unwrap_or("").to_string();
    let reason = if !text(source_ref, "namespace").is_empty() {
        "may not be specified when dataSourceRef.namespace is specified"
    } else if ["kind", "name"].iter().any(|k| text(source, k) != text(source_ref, k))
        || source.get("apiGroup").and_then(Node::as_str) != source_ref.get("apiGroup").and_then(Node::as_str)
    {
        "must match dataSourceRef"
    } else {
        return;
    };
    // The API server prints the field path as a Go struct here.
    let message = format!("{}: Invalid value: {}: {reason}", at.path, at.child("dataSource").path);
    let here = at.child("dataSource");
    here.report(
        cx,
        &INVALID_PVC,
        source.span,
        message,
        "differs from `dataSourceRef`",
        "keep one of `dataSource` and `dataSourceRef`, or make them name the same object",
    );
}

/// `resources.requests.storage` is required and above zero.
fn storage(cx: &mut Context<'_>, resources: Option<&Node>, at: &At, anchor: crate::source::Span) {
    let here = At::new(format!("{}.resources[storage]", at.path), format!("{}/resources/requests/storage", at.pointer));
    let Some(node) = resources.and_then(|r| r.at(&["requests", "storage"])).filter(|n| !n.is_null()) else {
        let span = resources.and_then(|r| r.get("requests")).or(resources).map_or(anchor, |n| n.span);
        let message = field::required(&here.path, "");
        here.report(
            cx,
            &INVALID_PVC,
            span,
            message,
            "no storage request",
            "add `resources: {requests: {storage: 10Gi}}`",
        );
        return;
    };
    let (value, text) = match &node.value {
        Value::Str(s) => (quantity::parse(s), s.clone()),
        Value::Int(i) => (Some(*i as f64), i.to_string()),
        Value::Float(f) => (Some(*f), crate::yaml::format_float(*f)),
        _ => return,
    };
    if let Some(v) = value.filter(|v| *v <= 0.0) {
        // `Quantity.String()` prints any zero as "0".
        let shown = if v == 0.0 { "0".to_string() } else { text };
        let message = field::invalid(&here.path, &field::quote(&shown), "must be greater than zero");
        here.report(
            cx,
            &INVALID_PVC,
            node.span,
            message,
            "not a size",
            "request the size of the volume, e.g. `storage: 10Gi`",
        );
    }
}

/// A `dataSource` or `dataSourceRef`.
fn reference(cx: &mut Context<'_>, node: &Node, at: &At, is_ref: bool) {
    let text = |key: &str| node.get(key).and_then(Node::as_str).unwrap_or("");
    for key in ["name", "kind"] {
        if text(key).is_empty() {
            let here = at.child(key);
            here.report(
                cx,
                &INVALID_PVC,
                node.span,
                field::required(&here.path, ""),
                &format!("no `{key}`"),
                &format!("add `{key}:` of the object to copy from"),
            );
        }
    }
    let group = text("apiGroup");
    if group.is_empty() && text("kind") != "PersistentVolumeClaim" {
        let reason = "must be 'PersistentVolumeClaim' when referencing the default apiGroup";
        let message = field::invalid(&at.path, &field::quote(text("kind")), reason);
        let span = node.get("kind").map_or(node.span, |n| n.span);
        at.report(
            cx,
            &INVALID_PVC,
            span,
            message,
            "a kind without an API group",
            "add the kind's `apiGroup`, e.g. `apiGroup: snapshot.storage.k8s.io` for a VolumeSnapshot",
        );
    }
    if !group.is_empty()
        && let Err(reason) = names::dns1123_subdomain(group)
    {
        let here = at.child("apiGroup");
        let span = node.get("apiGroup").map_or(node.span, |n| n.span);
        here.report(
            cx,
            &INVALID_PVC,
            span,
            field::invalid(&here.path, &field::quote(group), &reason),
            "not an API group",
            "use the group alone, without a version (`snapshot.storage.k8s.io`)",
        );
    }
    let namespace = text("namespace");
    if is_ref
        && !namespace.is_empty()
        && let Err(reason) = names::dns1123_label(namespace)
    {
        let here = at.child("namespace");
        let span = node.get("namespace").map_or(node.span, |n| n.span);
        here.report(
            cx,
            &INVALID_PVC,
            span,
            field::invalid(&here.path, &field::quote(namespace), &reason),
            "not a namespace name",
            "use the name of an existing namespace",
        );
    }
}
