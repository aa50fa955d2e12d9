use crate::document::Document;
use crate::kube::selector::scalar_text;
use crate::kube::{field, names};
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the syntax of label keys and values: in `metadata.labels`, in a Pod
    /// template's labels, and in selectors (`matchLabels`, `matchExpressions` and a
    /// Service's `selector`; a NetworkPolicy's peers too). A key is an optional DNS
    /// subdomain prefix and `/`, then a name of at most 63 alphanumerics, `-`, `_`
    /// and `.`; a value is empty or such a name. In `matchExpressions`, the operator
    /// is `In`, `NotIn`, `Exists` or `DoesNotExist`, the first two with `values`, the
    /// others without.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `metadata.labels: Invalid value: "my app":
    /// a valid label must be an empty string or consist of alphanumeric characters, …`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateLabels` and `ValidateLabelSelectorRequirement`
    /// (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`), called by `ValidateObjectMeta`
    /// and for selectors: `metadata.labels: Invalid value: ...`,
    /// `spec.selector.matchExpressions[0].values: Required value: must be specified
    /// when `operator` is 'In' or 'NotIn'`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    ///   labels:
    ///     owner: platform team
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    ///   labels:
    ///     owner: platform-team
    /// ```
    pub static INVALID_LABEL = {
        id: "invalid-label",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a label key or value is not valid syntax",
        fields: ["ObjectMeta.labels", "LabelSelector.matchLabels", "LabelSelectorRequirement.key", "LabelSelectorRequirement.values", "ServiceSpec.selector"],
        fixes: [Safe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let root = &doc.root;
    // Each map of labels with the dotted path of its parent (`spec.template.metadata`).
    let mut maps: Vec<(&Node, &str, &str)> = Vec::new();
    let mut selectors: Vec<(&Node, String)> = Vec::new();
    if let Some(l) = root.at(&["metadata", "labels"]) {
        maps.push((l, "metadata", "labels"));
    }
    let template = crate::rules::pod::PodTemplate::of(doc).filter(|p| p.kind != "Pod");
    let template_path = template.as_ref().map(|p| format!("{}.metadata", p.template_path())).unwrap_or_default();
    if let Some(l) = template.as_ref().and_then(|p| p.labels()) {
        maps.push((l, &template_path, "labels"));
    }
    match doc.kind() {
        Some("Service" | "ReplicationController") => {
            if let Some(s) = root.at(&["spec", "selector"]) {
                maps.push((s, "spec", "selector"));
            }
        }
        Some(_) => {
            for (key, path) in [("selector", "spec.selector"), ("podSelector", "spec.podSelector")] {
                if let Some(s) = root.at(&["spec", key]) {
                    selectors.push((s, path.to_string()));
                }
            }
            if doc.kind() == Some("NetworkPolicy") {
                selectors.extend(network_policy_peers(root));
            }
        }
        None => {}
    }
    for (selector, path) in &selectors {
        if let Some(m) = selector.get("matchLabels") {
            maps.push((m, path, "matchLabels"));
        }
        for (i, req) in selector.get("matchExpressions").map(Node::items).unwrap_or_default().iter().enumerate() {
            requirement(cx, &format!("{path}.matchExpressions[{i}]"), req);
            if let Some(key) = req.get("key")
                && let Some(text) = key.as_str()
            {
                check_key(cx, key.span, text, || format!("{path}.matchExpressions[{i}].key"));
            }
            for value in req.get("values").map(Node::items).unwrap_or_default() {
                if let Some(text) = value.as_str() {
                    check_value(cx, value, text, || format!("{path}.matchExpressions[{i}].values"));
                }
            }
        }
    }
    for (map, parent, field) in maps {
        for e in map.entries() {
            check_key(cx, e.key.span, &e.key.name, || format!("{parent}.{field}"));
            let owned;
            let text = match e.value.as_str() {
                Some(text) => text,
                None if e.value.is_null() => continue,
                None => match scalar_text(&e.value) {
                    Some(text) => {
                        owned = text;
                        &owned
                    }
                    None => continue,
                },
            };
            check_value(cx, &e.value, text, || format!("{parent}.{field}.{}", e.key.name));
        }
    }
}

/// The selectors of a NetworkPolicy's peers (`spec.ingress[0].from[1].podSelector`).
fn network_policy_peers(root: &Node) -> Vec<(&Node, String)> {
    let mut found = Vec::new();
    for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in root.at(&["spec", direction]).map(Node::items).unwrap_or_default().iter().enumerate() {
            for (j, peer) in rule.get(peers).map(Node::items).unwrap_or_default().iter().enumerate() {
                for key in ["podSelector", "namespaceSelector"] {
                    if let Some(s) = peer.get(key) {
                        found.push((s, format!("spec.{direction}[{i}].{peers}[{j}].{key}")));
                    }
                }
            }
        }
    }
    found
}

/// `ValidateLabelSelectorRequirement`: the operator and whether it takes values.
fn requirement(cx: &mut Context<'_>, path: &str, req: &Node) {
    let Some(op_node) = req.get("operator") else { return }; // the schema's `required-field`
    let Some(op) = op_node.as_str() else { return };
    let values = req.get("values").filter(|n| !n.is_null());
    let count = values.map_or(0, |v| v.items().len());
    let values_span = values.map_or(op_node.span, |v| v.span);
    let (message, span, help) = match op {
        "In" | "NotIn" if count == 0 => {
            let message =
                field::required(&format!("{path}.values"), "must be specified when `operator` is 'In' or 'NotIn'");
            (message, values_span, "list the values to match, e.g. `values: [web]`")
        }
        "Exists" | "DoesNotExist" if count > 0 => {
            let detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
            (
                field::forbidden(&format!("{path}.values"), detail),
                values_span,
                "remove `values`: the operator only looks at the key",
            )
        }
        "In" | "NotIn" | "Exists" | "DoesNotExist" => return,
        _ => {
            let message =
                field::invalid(&format!("{path}.operator"), &field::quote(op), "not a valid selector operator");
            (message, op_node.span, "use `In`, `NotIn`, `Exists` or `DoesNotExist` (the case matters)")
        }
    };
    let f = cx.finding(&INVALID_LABEL, span, message).label("not a valid requirement").help(help);
    cx.report(f);
}

/// Reports an invalid label key at `span`.
fn check_key(cx: &mut Context<'_>, span: crate::source::Span, key: &str, field: impl FnOnce() -> String) {
    let Err(reason) = names::qualified_name(key) else { return };
    let mut f = cx
        .finding(&INVALID_LABEL, span, format!("invalid label key {key:?} in `{}`", field()))
        .label("not a valid label key");
    f.note = Some(reason);
    cx.report(f);
}

fn check_value(cx: &mut Context<'_>, node: &Node, value: &str, field: impl FnOnce() -> String) {
    let Err(reason) = names::label_value(value) else { return };
    let (message, note) = crate::rules::invalid_value(&format!("{value:?}"), &field(), &reason);
    let mut f = cx.finding(&INVALID_LABEL, node.span, message).label("not a valid label value");
    f.note = note;
    let f = f.help(suggestion(value));
    cx.report(f);
}

fn suggestion(value: &str) -> String {
    let fixed: String =
        value.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    let fixed = fixed.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if !fixed.is_empty() && fixed != value && fixed.len() <= 63 {
        format!("e.g. `{fixed}`")
    } else {
        "use at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit".into()
    }
}
