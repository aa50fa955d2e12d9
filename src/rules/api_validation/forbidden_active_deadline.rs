use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks for `activeDeadlineSeconds` in the Pod template of a Deployment,
    /// ReplicaSet, ReplicationController, StatefulSet or DaemonSet.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`activeDeadlineSeconds in ReplicaSet is not
    /// Supported`): Pods that are meant to keep running cannot have a deadline. It is
    /// usually a Job's field left in a template that became a Deployment; work that
    /// must end belongs in a Job.
    ///
    /// ## API server
    /// Rejected on create: `ValidatePodTemplateSpecForReplicaSet`,
    /// `ValidatePodTemplateSpecForStatefulSet`, `ValidateDaemonSetSpec` (apps) and
    /// `ValidatePodTemplateSpec` for ReplicationControllers:
    /// `spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in
    /// ReplicaSet is not Supported`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: worker
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: worker
    ///     spec:
    ///       activeDeadlineSeconds: 3600
    ///       containers:
    ///         - name: worker
    ///           image: registry.example/worker:1.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: worker
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: worker
    ///     spec:
    ///       containers:
    ///         - name: worker
    ///           image: registry.example/worker:1.4
    /// ```
    pub static FORBIDDEN_ACTIVE_DEADLINE = {
        id: "forbidden-active-deadline",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "`activeDeadlineSeconds` in the Pod template of a controller whose Pods keep running",
        fields: ["PodSpec.activeDeadlineSeconds"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    // The API server names the object it validates: a Deployment's template is
    // validated as a ReplicaSet's.
    let validated_as = match pod.kind {
        "Deployment" | "ReplicaSet" => "ReplicaSet",
        "ReplicationController" | "StatefulSet" | "DaemonSet" => pod.kind,
        _ => return,
    };
    let Some(entry) = pod.spec.entry("activeDeadlineSeconds").filter(|e| !e.value.is_null()) else { return };
    let f = cx
        .finding(
            &FORBIDDEN_ACTIVE_DEADLINE,
            entry.key.span,
            format!(
                "`{}.activeDeadlineSeconds` is forbidden: activeDeadlineSeconds in {validated_as} is not Supported",
                pod.path()
            ),
        )
        .label(format!("a {} keeps its Pods running", pod.kind))
        .pointer(pod.pointer("/activeDeadlineSeconds"))
        .help("remove it, or run the work as a Job (`spec.activeDeadlineSeconds`) if it must end");
    cx.report(f);
}
