use crate::document::Document;
use crate::kube::names;
use crate::kube::selector::scalar_text;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the syntax of label keys and values: in `metadata.labels`, in a Pod
    /// template's labels, and in selectors (`matchLabels`, `matchExpressions` and a
    /// Service's `selector`). A key is an optional DNS subdomain prefix and `/`, then a
    /// name of at most 63 alphanumerics, `-`, `_` and `.`; a value is empty or such a
    /// name.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `metadata.labels: Invalid value: "my app":
    /// a valid label must be an empty string or consist of alphanumeric characters, …`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateLabels`
    /// (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`), called by `ValidateObjectMeta`
    /// and for selectors: `metadata.labels: Invalid value: ...`.
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
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let root = &doc.root;
    // Each map of labels with the dotted path of its parent (`spec.template.metadata`).
    let mut maps: Vec<(&Node, &str, &str)> = Vec::new();
    let mut selectors: Vec<(&Node, &str)> = Vec::new();
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
                    selectors.push((s, path));
                }
            }
        }
        None => {}
    }
    for (selector, path) in selectors {
        if let Some(m) = selector.get("matchLabels") {
            maps.push((m, path, "matchLabels"));
        }
        for (i, req) in selector.get("matchExpressions").map(Node::items).unwrap_or_default().iter().enumerate() {
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
