use crate::document::Document;
use crate::kube::field;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks a HorizontalPodAutoscaler's replica range: `minReplicas` at least 1 and
    /// at most `maxReplicas`, and `maxReplicas` at least 1.
    ///
    /// ## Why it matters
    /// The API server rejects the object with `spec.maxReplicas: Invalid value: 2: must
    /// be greater than or equal to `minReplicas``.
    ///
    /// ## API server
    /// Rejected on create: `validateHorizontalPodAutoscalerSpec` in
    /// `pkg/apis/autoscaling/validation/validation.go`: `spec.minReplicas: Invalid value:
    /// 0: must be greater than or equal to 1` (0 only with the alpha `HPAScaleToZero`
    /// gate), `spec.maxReplicas: Invalid value: 0: must be greater than 0`,
    /// `spec.maxReplicas: Invalid value: 2: must be greater than or equal to
    /// `minReplicas``.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 5
    ///   maxReplicas: 2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 5
    /// ```
    pub static INVALID_HPA_REPLICAS = {
        id: "invalid-hpa-replicas",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an HPA's `minReplicas` is above `maxReplicas`, or either is below 1",
        fields: ["HorizontalPodAutoscalerSpec.minReplicas", "HorizontalPodAutoscalerSpec.maxReplicas"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("HorizontalPodAutoscaler") {
        return;
    }
    let Some(spec) = doc.root.get("spec") else { return };
    let min = spec.get("minReplicas").filter(|n| n.as_i64().is_some());
    let max = spec.get("maxReplicas").filter(|n| n.as_i64().is_some());
    let value = |n: Option<&Node>| n.and_then(Node::as_i64);
    let pointer = |f: &str| format!("{}/spec/{f}", doc.pointer_prefix);
    // `must be greater than or equal to 1` and `must be greater than 0` are the API
    // server's two wordings of the same bound.
    for (node, field, detail) in
        [(min, "minReplicas", "must be greater than or equal to 1"), (max, "maxReplicas", "must be greater than 0")]
    {
        if let Some(node) = node
            && let Some(n) = node.as_i64().filter(|n| *n < 1)
        {
            let f = cx
                .finding(
                    &INVALID_HPA_REPLICAS,
                    node.span,
                    field::invalid(&format!("spec.{field}"), &n.to_string(), detail),
                )
                .label("below 1")
                .pointer(pointer(field))
                .help("use at least 1");
            cx.report(f);
        }
    }
    if let (Some(min_node), Some(max_node), Some(lo), Some(hi)) = (min, max, value(min), value(max))
        && lo > hi
        && hi >= 1
    {
        let f = cx
            .finding(
                &INVALID_HPA_REPLICAS,
                max_node.span,
                field::invalid("spec.maxReplicas", &hi.to_string(), "must be greater than or equal to `minReplicas`"),
            )
            .label(format!("below `minReplicas` ({lo})"))
            .secondary(doc.location(min_node.span), "minReplicas")
            .pointer(pointer("maxReplicas"))
            .help("swap the two values, or raise `maxReplicas`");
        cx.report(f);
    }
}
