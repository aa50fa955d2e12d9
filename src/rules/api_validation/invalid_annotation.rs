use crate::document::Document;
use crate::kube::names;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks annotation keys, on the object and on its Pod template: an optional DNS
    /// subdomain prefix and `/`, then a name of at most 63 alphanumerics, `-`, `_` and
    /// `.`. Also checks that all annotations of an object together stay within
    /// 256 KiB.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `metadata.annotations: Invalid value:
    /// "deploy date": name part must consist of alphanumeric characters, …`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateAnnotations`
    /// (`k8s.io/apimachinery/pkg/api/validation/objectmeta.go`): keys are qualified names,
    /// and all annotations together at most 256 KiB (`Too long: must have at most 262144
    /// bytes`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     deployed by: ci
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     example.com/deployed-by: ci
    /// ```
    pub static INVALID_ANNOTATION = {
        id: "invalid-annotation",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an annotation key is not valid syntax, or the annotations are too large",
        fields: ["ObjectMeta.annotations"],
        check: Document(check),
    };
}

/// `TotalAnnotationSizeLimitB`.
const MAX_TOTAL: usize = 256 * 1024;

fn check(doc: &Document, cx: &mut Context<'_>) {
    let mut maps: Vec<(&Node, String)> = Vec::new();
    if let Some(a) = doc.root.get("metadata").and_then(|m| m.entry("annotations")) {
        maps.push((&a.value, "metadata.annotations".into()));
    }
    if let Some(pod) = crate::rules::pod::PodTemplate::of(doc)
        && pod.kind != "Pod"
        && let Some(a) = pod.template.at(&["metadata", "annotations"])
    {
        let path = pod.template_path();
        maps.push((a, format!("{path}.metadata.annotations")));
    }
    for (map, field) in maps {
        let mut total = 0;
        for e in map.entries() {
            total += e.key.name.len() + e.value.as_str().map_or(0, str::len);
            if let Err(reason) = names::qualified_name(&e.key.name) {
                let f = cx
                    .finding(&INVALID_ANNOTATION, e.key.span, format!("invalid annotation key {:?} in `{field}`", e.key.name))
                    .label("not a valid annotation key")
                    .note(reason)
                    .help("use a key like `example.com/my-note`: letters, digits, `-`, `_` and `.`, with an optional DNS prefix and `/`");
                cx.report(f);
            }
        }
        if total > MAX_TOTAL {
            let span = map.entries().first().map_or(map.span, |e| e.key.span);
            let f = cx
                .finding(
                    &INVALID_ANNOTATION,
                    span,
                    format!("`{field}` is too long: must have at most {MAX_TOTAL} bytes (it has {total})"),
                )
                .label("annotations too large")
                .help("move large data to a ConfigMap");
            cx.report(f);
        }
    }
}
