use crate::document::Document;
use crate::kube::{field, names, quantity};
use crate::rules::Context;
use crate::source::Span;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks a HorizontalPodAutoscaler's (`autoscaling/v2`) metrics and scaling
    /// behavior as the API server does: each metric's `type` names the one source it
    /// sets (`type: Resource` with `resource:`, and no other source); a target's
    /// `type` is `Utilization`, `Value` or `AverageValue` and its numbers are
    /// positive; a Resource or ContainerResource metric sets `averageUtilization` or
    /// `averageValue` (not both), a Pods metric `averageValue`, an Object or External
    /// metric `value` or `averageValue`; metric names and the `scaleTargetRef` are
    /// safe as URL path segments; each `behavior` policy has a `Pods` or `Percent`
    /// type, a positive value and a period of at most 1800 seconds, and a
    /// stabilization window of 0 to 3600 seconds.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.metrics[0].resource: Required
    /// value: must populate information for the given metric source` when `type`
    /// and the source disagree, and the workload keeps running without autoscaling.
    ///
    /// ## API server
    /// Rejected on create: `validateMetricSpec`, `validateMetricTarget`,
    /// `validateResourceSource`, `validatePodsSource`, `validateObjectSource`,
    /// `validateExternalSource`, `validateScalingRules` and `validateScalingPolicy`
    /// in `pkg/apis/autoscaling/validation/validation.go`:
    /// `spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a
    /// target raw value and a target utilization`,
    /// `spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 3600: must
    /// be less than or equal to 1800`. A `behavior` rule without `policies` is
    /// defaulted, an empty list is not.
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
    ///   maxReplicas: 10
    ///   metrics:
    ///   - type: Pods
    ///     resource:
    ///       name: cpu
    ///       target:
    ///         type: Utilization
    ///         averageUtilization: 80
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
    ///   maxReplicas: 10
    ///   metrics:
    ///   - type: Resource
    ///     resource:
    ///       name: cpu
    ///       target:
    ///         type: Utilization
    ///         averageUtilization: 80
    /// ```
    pub static INVALID_HPA_METRICS = {
        id: "invalid-hpa-metrics",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an HPA's metric source, target, scaleTargetRef or scaling behavior is rejected by the API server",
        fields: [
            "HorizontalPodAutoscalerSpec.metrics", "HorizontalPodAutoscalerSpec.behavior",
            "HorizontalPodAutoscalerSpec.scaleTargetRef", "MetricSpec.type", "MetricTarget.type",
            "MetricTarget.averageUtilization", "MetricTarget.averageValue", "MetricTarget.value",
            "HPAScalingRules.policies", "HPAScalingRules.stabilizationWindowSeconds", "HPAScalingPolicy.periodSeconds",
        ],
        fixes: [Safe],
        check: Document(check),
    };
}

/// `validMetricSourceTypesList`: the sorted list the API server prints.
const SOURCE_TYPES: &[&str] = &["ContainerResource", "External", "Object", "Pods", "Resource"];
/// The source fields in the order `validateMetricSpec` looks at them.
const SOURCES: &[&str] = &["object", "external", "pods", "resource", "containerResource"];
const SELECT_POLICIES: &[&str] = &["Disabled", "Max", "Min"];
const POLICY_TYPES: &[&str] = &["Percent", "Pods"];
const MAX_PERIOD_SECONDS: i64 = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS: i64 = 3600;

fn report(cx: &mut Context<'_>, at: &At, span: Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_HPA_METRICS, span, message, label, help);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("HorizontalPodAutoscaler")
        || !matches!(doc.api_version(), Some("autoscaling/v2" | "autoscaling/v2beta2"))
    {
        return;
    }
    let Some(spec_node) = doc.root.get("spec") else { return };
    let spec = At::new("spec", format!("{}/spec", doc.pointer_prefix));
    if let Some(target) = spec_node.get("scaleTargetRef") {
        object_reference(cx, &spec.child("scaleTargetRef"), target);
    }
    for (i, metric) in spec_node.get("metrics").map(Node::items).unwrap_or_default().iter().enumerate() {
        metric_spec(cx, &spec.index("metrics", i), metric);
    }
    if let Some(behavior) = spec_node.get("behavior") {
        for key in ["scaleUp", "scaleDown"] {
            if let Some(rules) = behavior.get(key).filter(|n| !n.is_null()) {
                scaling_rules(cx, &spec.child(&format!("behavior.{key}")), rules);
            }
        }
    }
}

/// `ValidateCrossVersionObjectReference`: `kind` and `name` set and path segments.
fn object_reference(cx: &mut Context<'_>, at: &At, reference: &Node) {
    for key in ["kind", "name"] {
        let Some(node) = reference.get(key) else { continue }; // the schema's `required-field`
        let Some(text) = node.as_str() else { continue };
        let at = at.child(key);
        let message = match names::path_segment_name(text) {
            _ if text.is_empty() => field::required(&at.path, ""),
            Err(reason) => field::invalid(&at.path, &field::quote(text), &reason),
            Ok(()) => continue,
        };
        report(
            cx,
            &at,
            node.span,
            message,
            "not a valid reference",
            "name the object, e.g. `kind: Deployment`, `name: web`",
        );
    }
}

/// `validateMetricSpec`: the `type` names the one source that is set.
fn metric_spec(cx: &mut Context<'_>, at: &At, metric: &Node) {
    let ty_node = metric.get("type");
    let ty = ty_node.and_then(Node::as_str);
    let present: Vec<&str> = SOURCES.iter().copied().filter(|s| metric.get(s).is_some_and(|n| !n.is_null())).collect();
    if let Some(&first) = present.first()
        && let Some(source) = metric.get(first)
    {
        metric_source(cx, &at.child(first), first, source);
    }
    let Some(ty) = ty else { return }; // a missing `type` is the schema's `required-field`
    let type_span = ty_node.map_or(metric.span, |n| n.span);
    let expected = SOURCE_TYPES.contains(&ty).then(|| lower_first(ty));
    match &expected {
        None => {
            let at = at.child("type");
            let help = "use `Resource`, `ContainerResource`, `Pods`, `Object` or `External`";
            report(cx, &at, type_span, field::not_supported(&at.path, ty, SOURCE_TYPES), "not a metric type", help);
        }
        Some(expected) if !present.contains(&expected.as_str()) => {
            let at = at.child(expected);
            let message = field::required(&at.path, "must populate information for the given metric source");
            let help = match present.first() {
                Some(other) => format!("`type: {ty}` takes its settings under `{expected}:`, not `{other}:`"),
                None => format!("add `{expected}:` with the metric's name and target"),
            };
            report(cx, &at, type_span, message, &format!("no `{expected}`"), &help);
        }
        Some(_) => {}
    }
    if present.len() > 1 {
        for other in present.iter().filter(|s| Some(**s) != expected.as_deref()) {
            let at = at.child(other);
            let span = metric.entry(other).map_or(metric.span, |e| e.key.span);
            let message = field::forbidden(&at.path, "must populate the given metric source only");
            report(
                cx,
                &at,
                span,
                message,
                "another source",
                &format!("remove `{other}`: a metric has one source, the one its `type` names"),
            );
        }
    }
}

/// `Resource` → `resource`, `ContainerResource` → `containerResource`.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The checks of one source (`validateResourceSource`, `validatePodsSource`, ...).
fn metric_source(cx: &mut Context<'_>, at: &At, source: &str, node: &Node) {
    if matches!(source, "pods" | "object" | "external")
        && let Some(metric) = node.get("metric")
        && let Some(name_node) = metric.get("name")
        && let Some(name) = name_node.as_str()
    {
        let at = at.child("metric.name");
        let message = match names::path_segment_name(name) {
            _ if name.is_empty() => Some(field::required(&at.path, "must specify a metric name")),
            Err(reason) => Some(field::invalid(&at.path, &field::quote(name), &reason)),
            Ok(()) => None,
        };
        if let Some(message) = message {
            report(
                cx,
                &at,
                name_node.span,
                message,
                "not a metric name",
                "give the metric's name as the metrics API serves it",
            );
        }
    }
    if source == "object"
        && let Some(described) = node.get("describedObject")
    {
        object_reference(cx, &at.child("describedObject"), described);
    }
    let target_at = at.child("target");
    let Some(target) = node.get("target").filter(|n| !n.is_null()) else { return }; // the schema's `required-field`
    metric_target(cx, &target_at, target);
    let has = |key: &str| target.get(key).is_some_and(|n| !n.is_null());
    let span = target.span;
    match source {
        "resource" | "containerResource" => {
            if !has("averageUtilization") && !has("averageValue") {
                let at = target_at.child("averageUtilization");
                let message = field::required(&at.path, "must set either a target raw value or a target utilization");
                let help = "add `averageUtilization` (percent of the requests) or `averageValue` (a quantity per Pod)";
                report(cx, &at, span, message, "no target", help);
            }
            if has("averageUtilization")
                && has("averageValue")
                && let Some(entry) = target.entry("averageValue")
            {
                let at = target_at.child("averageValue");
                let message =
                    field::forbidden(&at.path, "may not set both a target raw value and a target utilization");
                report(cx, &at, entry.key.span, message, "with `averageUtilization`", "keep one of the two targets");
            }
        }
        "pods" if !has("averageValue") => {
            let at = target_at.child("averageValue");
            let message = field::required(&at.path, "must specify a positive target averageValue");
            report(
                cx,
                &at,
                span,
                message,
                "no averageValue",
                "a Pods metric is averaged over the Pods: `type: AverageValue` with `averageValue`",
            );
        }
        "object" | "external" if !has("value") && !has("averageValue") => {
            let at = target_at.child("averageValue");
            let detail = if source == "object" {
                "must set either a target value or averageValue"
            } else {
                "must set either a target value for metric or a per-pod target"
            };
            report(
                cx,
                &at,
                span,
                field::required(&at.path, detail),
                "no target value",
                "add `value` or `averageValue`",
            );
        }
        "external"
            if has("value")
                && has("averageValue")
                && let Some(entry) = target.entry("value") =>
        {
            let at = target_at.child("value");
            let message = field::forbidden(&at.path, "may not set both a target value for metric and a per-pod target");
            report(cx, &at, entry.key.span, message, "with `averageValue`", "keep one of `value` and `averageValue`");
        }
        _ => {}
    }
}

/// `validateMetricTarget`.
fn metric_target(cx: &mut Context<'_>, at: &At, target: &Node) {
    if let Some(node) = target.get("type")
        && let Some(ty) = node.as_str()
        && !matches!(ty, "Utilization" | "Value" | "AverageValue")
    {
        let at = at.child("type");
        let message = field::invalid(&at.path, &field::quote(ty), "must be either Utilization, Value, or AverageValue");
        report(cx, &at, node.span, message, "not a target type", "use `Utilization`, `Value` or `AverageValue`");
    }
    for key in ["value", "averageValue"] {
        let Some(node) = target.get(key) else { continue };
        let text = match &node.value {
            crate::yaml::Value::Str(s) => s.clone(),
            crate::yaml::Value::Int(_) | crate::yaml::Value::Float(_) => node.display_scalar(),
            _ => continue,
        };
        // An unparsable quantity is the schema's `invalid-quantity`.
        if quantity::parse(&text).is_some_and(|q| q <= 0.0) {
            let at = at.child(key);
            let message = field::invalid(&at.path, &field::quote(&text), "must be positive");
            report(cx, &at, node.span, message, "not positive", "give a quantity above zero, e.g. `100m` or `500`");
        }
    }
    if let Some(node) = target.get("averageUtilization")
        && let Some(n) = node.as_i64().filter(|n| *n < 1)
    {
        let at = at.child("averageUtilization");
        let message = field::invalid(&at.path, &n.to_string(), "must be greater than 0");
        report(cx, &at, node.span, message, "below 1", "give a percentage of the Pods' requests, e.g. `80`");
    }
}

/// `validateScalingRules` and `validateScalingPolicy`.
fn scaling_rules(cx: &mut Context<'_>, at: &At, rules: &Node) {
    if let Some(node) = rules.get("stabilizationWindowSeconds")
        && let Some(n) = node.as_i64()
    {
        let at = at.child("stabilizationWindowSeconds");
        let detail = if n < 0 {
            Some("must be greater than or equal to zero".to_string())
        } else if n > MAX_STABILIZATION_WINDOW_SECONDS {
            Some(format!("must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}"))
        } else {
            None
        };
        if let Some(detail) = detail {
            let help = "use 0 to 3600 seconds";
            report(cx, &at, node.span, field::invalid(&at.path, &n.to_string(), &detail), "out of range", help);
        }
    }
    if let Some(node) = rules.get("selectPolicy")
        && let Some(policy) = node.as_str()
        && !SELECT_POLICIES.contains(&policy)
    {
        let at = at.child("selectPolicy");
        let help = "use `Max` (the default), `Min` or `Disabled`";
        report(
            cx,
            &at,
            node.span,
            field::not_supported(&at.path, policy, SELECT_POLICIES),
            "not a select policy",
            help,
        );
    }
    // Left out, `policies` is defaulted; an empty list is kept and refused.
    if let Some(node) = rules.get("policies")
        && !node.is_null()
        && node.items().is_empty()
    {
        let at = at.child("policies");
        let message = field::required(&at.path, "must specify at least one Policy");
        let help = "add a policy, e.g. `- {type: Percent, value: 100, periodSeconds: 15}`, or leave `policies` out for the defaults";
        report(cx, &at, node.span, message, "no policies", help);
    }
    for (i, policy) in rules.get("policies").map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = at.index("policies", i);
        if let Some(node) = policy.get("type")
            && let Some(ty) = node.as_str()
            && !POLICY_TYPES.contains(&ty)
        {
            let at = at.child("type");
            report(
                cx,
                &at,
                node.span,
                field::not_supported(&at.path, ty, POLICY_TYPES),
                "not a policy type",
                "use `Pods` or `Percent`",
            );
        }
        for key in ["value", "periodSeconds"] {
            let Some(node) = policy.get(key) else { continue };
            let Some(n) = node.as_i64() else { continue };
            let detail = if n <= 0 {
                "must be greater than zero".to_string()
            } else if key == "periodSeconds" && n > MAX_PERIOD_SECONDS {
                format!("must be less than or equal to {MAX_PERIOD_SECONDS}")
            } else {
                continue;
            };
            let at = at.child(key);
            let help =
                if key == "value" { "give a positive number of Pods or percent" } else { "use 1 to 1800 seconds" };
            report(cx, &at, node.span, field::invalid(&at.path, &n.to_string(), &detail), "out of range", help);
        }
    }
}
