use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::kube::field;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the `restartPolicy` of a workload's Pod template against what its
    /// controller allows: only `Always` for Deployments, ReplicaSets,
    /// ReplicationControllers, StatefulSets and DaemonSets; `OnFailure` or `Never`
    /// (and it must be set) for Jobs and CronJobs.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. with
    /// `spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`.
    /// A DaemonSet or Deployment keeps its Pods running, so they always restart; a Job's
    /// Pods must be allowed to finish.
    ///
    /// ## API server
    /// Rejected on create: `ValidatePodTemplateSpecForReplicaSet`,
    /// `ValidatePodTemplateSpecForStatefulSet`, `ValidateDaemonSetSpec` (apps) and
    /// `validateJobSpec` (batch): `spec.template.spec.restartPolicy: Unsupported value:
    /// "OnFailure": supported values: "Always"`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: fluentd
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: fluentd
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: fluentd
    ///     spec:
    ///       restartPolicy: OnFailure
    ///       containers:
    ///       - name: fluentd
    ///         image: fluent/fluentd:v1.17-1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: fluentd
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: fluentd
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: fluentd
    ///     spec:
    ///       containers:
    ///       - name: fluentd
    ///         image: fluent/fluentd:v1.17-1
    /// ```
    pub static INVALID_RESTART_POLICY = {
        id: "invalid-restart-policy",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a Pod template's `restartPolicy` is not one its controller allows",
        fields: ["PodSpec.restartPolicy"],
        fixes: [Safe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let allowed: &[&str] = match pod.kind {
        "Deployment" | "ReplicaSet" | "ReplicationController" | "StatefulSet" | "DaemonSet" => &["Always"],
        "Job" | "CronJob" => &["OnFailure", "Never"],
        _ => return,
    };
    let value = pod.spec.get("restartPolicy").filter(|n| !n.is_null());
    let policy = value.and_then(Node::as_str).unwrap_or("");
    if allowed.contains(&policy) {
        return;
    }
    let field = format!("{}.restartPolicy", pod.path());
    // The API server defaults an unset policy to `Always` before it validates.
    let message = field::not_supported(&field, if policy.is_empty() { "Always" } else { policy }, allowed);
    let is_job = allowed.len() == 2;
    let f = match value {
        // Unset means `Always`, which a Job does not accept; other kinds default to it.
        None if is_job => {
            let span = pod.template.entry("spec").map_or(doc.head_span(), |e| e.key.span);
            cx.finding(&INVALID_RESTART_POLICY, span, message)
                .label(format!("no `restartPolicy`: it defaults to `Always`, which a {} does not accept", pod.kind))
                .help("add `restartPolicy: Never` (or `OnFailure` to restart failed containers in place)")
        }
        None => return,
        Some(node) if policy.is_empty() && node.as_str().is_some() => return,
        Some(node) if is_job && policy == "Always" => cx
            .finding(&INVALID_RESTART_POLICY, node.span, message)
            .label(format!("a {} runs to completion", pod.kind))
            .help("use `restartPolicy: Never` (or `OnFailure` to restart failed containers in place)"),
        Some(node) if node.as_str().is_none() => return, // a type error, reported by the schema check
        Some(node) => {
            let mut f = cx
                .finding(&INVALID_RESTART_POLICY, node.span, message)
                .label(format!("not supported in a {}", pod.kind));
            f = if is_job {
                f.help("use `restartPolicy: Never` or `OnFailure`")
            } else {
                let remove = edit::remove_entry(&doc.source, pod.spec, "restartPolicy");
                f.note(format!("a {} keeps its Pods running, so they always restart", pod.kind))
                    .help("remove `restartPolicy` (it defaults to `Always`)")
                    .fix(remove.map(|e| Fix::safe("remove `restartPolicy`", vec![e])))
            };
            f
        }
    };
    cx.report(f.pointer(pod.pointer("/restartPolicy")));
}
