use crate::document::Document;
use crate::kube::quantity;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that no container requests more of a resource than its limit.
    /// (Quantities that do not parse are reported by `invalid-quantity`.)
    ///
    /// ## Why it matters
    /// The API server rejects the object with `spec.containers[0].resources.requests:
    /// Invalid value: "2": must be less than or equal to cpu limit of 1`. A request is
    /// what the scheduler reserves; the limit is the most the container may use.
    ///
    /// ## API server
    /// Rejected on create: `ValidateContainerResourceRequirements` in
    /// `pkg/apis/core/validation/validation.go`: `spec.containers[0].resources.requests:
    /// Invalid value: "2": must be less than or equal to cpu limit of 1`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     resources:
    ///       requests:
    ///         memory: 1Gi
    ///       limits:
    ///         memory: 512Mi
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     resources:
    ///       requests:
    ///         memory: 512Mi
    ///       limits:
    ///         memory: 512Mi
    /// ```
    pub static REQUESTS_ABOVE_LIMITS = {
        id: "requests-above-limits",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a container requests more of a resource than its limit",
        fields: ["ResourceRequirements.requests", "ResourceRequirements.limits"],
        check: Document(check),
    };
}

fn amount(node: &Node) -> Option<f64> {
    match &node.value {
        crate::yaml::Value::Str(s) => quantity::parse(s),
        _ => node.as_i64().map(|i| i as f64).or(match node.value {
            crate::yaml::Value::Float(f) => Some(f),
            _ => None,
        }),
    }
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let Some(resources) = c.get("resources") else { continue };
        let Some(limits) = resources.get("limits") else { continue };
        for request in resources.get("requests").map(Node::entries).unwrap_or_default() {
            let Some(limit) = limits.get(&request.key.name) else { continue };
            let (Some(req), Some(lim)) = (amount(&request.value), amount(limit)) else { continue };
            if req <= lim {
                continue;
            }
            let name = &request.key.name;
            let req_text = cx.doc.source.slice(request.value.span).trim_matches(['"', '\'']).to_string();
            let lim_text = cx.doc.source.slice(limit.span).trim_matches(['"', '\'']).to_string();
            let f = cx
                .finding(
                    &REQUESTS_ABOVE_LIMITS,
                    request.value.span,
                    format!(
                        "invalid value {req_text:?} for `{}`: must be less than or equal to {name} limit of {lim_text}",
                        pod.container_path(&c, "resources.requests")
                    ),
                )
                .label(format!("{name} request above the limit"))
                .secondary(doc.location(limit.span), "limit")
                .pointer(pod.container_pointer(&c, &format!("resources/requests/{name}")))
                .help(format!("lower the {name} request to at most {lim_text}, or raise the limit"));
            cx.report(f);
        }
    }
}
