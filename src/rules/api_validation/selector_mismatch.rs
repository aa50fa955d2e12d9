use crate::document::{Document, head};
use crate::kube::selector::{Selector, labels};
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a workload's `selector` is not empty and selects the Pods of its own
    /// template: every `matchLabels` entry and `matchExpressions` requirement must hold
    /// for `spec.template.metadata.labels`. Applies to Deployments, ReplicaSets,
    /// StatefulSets, DaemonSets, ReplicationControllers and Jobs with
    /// `manualSelector: true`; a Job or CronJob job template that sets a selector
    /// without `manualSelector` is reported too, as the API server generates it.
    ///
    /// ## Why it matters
    /// The API server rejects the object with `` `selector` does not match template
    /// `labels` `` (or `empty selector is invalid for deployment`). A controller that
    /// did not select its own Pods would create them forever.
    ///
    /// ## API server
    /// Rejected on create: the apps validations (`ValidateDeploymentSpec`,
    /// `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec` in
    /// `pkg/apis/apps/validation/validation.go`), `ValidateReplicationControllerSpec` and
    /// batch `validateJobSpec`: `spec.template.metadata.labels: Invalid value: ...:
    /// `selector` does not match template `labels``.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web-frontend
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    pub static SELECTOR_MISMATCH = {
        id: "selector-mismatch",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a workload's selector is empty or does not match its template labels",
        fields: [
            "DeploymentSpec.selector", "ReplicaSetSpec.selector", "StatefulSetSpec.selector",
            "DaemonSetSpec.selector", "ReplicationControllerSpec.selector", "JobSpec.selector",
            "JobSpec.manualSelector", "PodTemplateSpec.metadata", "ObjectMeta.labels",
        ],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(kind) = doc.kind() else { return };
    let (spec_path, is_map_selector): (&[&str], bool) = match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => (&["spec"], false),
        "ReplicationController" => (&["spec"], true),
        "Job" => (&["spec"], false),
        "CronJob" => (&["spec", "jobTemplate", "spec"], false),
        _ => return,
    };
    let Some(spec) = doc.root.at(spec_path) else { return };
    let Some(selector_entry) = spec.entry("selector").filter(|e| !e.value.is_null()) else { return };
    let pointer = || format!("{}/{}/selector", doc.pointer_prefix, spec_path.join("/"));
    if matches!(kind, "Job" | "CronJob") {
        let manual = spec.get("manualSelector").and_then(Node::as_bool) == Some(true);
        if kind == "CronJob" || !manual {
            let what = if kind == "CronJob" { "will be auto-generated" } else { "not auto-generated" };
            let f = cx
                .finding(&SELECTOR_MISMATCH, selector_entry.key.span, format!("`selector` {what}"))
                .label("set by the API server")
                .pointer(pointer())
                .note("the API server generates the selector of a Job from a unique `controller-uid` label")
                .help(if kind == "CronJob" {
                    "remove `selector` from the job template"
                } else {
                    "remove `selector`, or set `manualSelector: true` if you really need your own"
                });
            cx.report(f);
            return;
        }
    }
    let selector_node = &selector_entry.value;
    let selector =
        if is_map_selector { Selector::from_map(selector_node) } else { Selector::from_label_selector(selector_node) };
    if selector.is_empty() {
        // A ReplicationController's empty selector defaults to the template labels.
        if !is_map_selector {
            let f = cx
                .finding(
                    &SELECTOR_MISMATCH,
                    selector_node.span,
                    format!("empty selector is invalid for {}", kind.to_lowercase()),
                )
                .label("selects every Pod")
                .pointer(pointer())
                .help("select the template's labels, e.g. `matchLabels: {app: web}`");
            cx.report(f);
        }
        return;
    }
    let template_labels = spec.at(&["template", "metadata", "labels"]).map(labels).unwrap_or_default();
    if selector.matches(&template_labels) {
        return;
    }
    // Point at the first `matchLabels` entry that fails, or the whole selector.
    let labels_node = if is_map_selector { Some(selector_node) } else { selector_node.get("matchLabels") };
    let failing = labels_node.into_iter().flat_map(Node::entries).find(|e| {
        let value = crate::kube::selector::scalar_text(&e.value).unwrap_or_default();
        !template_labels.iter().any(|(k, v)| *k == e.key.name && *v == value)
    });
    let span = failing.map_or(selector_entry.key.span, |e| e.key.span.to(e.value.span));
    let mut f = cx
        .finding(&SELECTOR_MISMATCH, span, "`selector` does not match template `labels`")
        .label(match failing {
            Some(e) if template_labels.iter().any(|(k, _)| *k == e.key.name) => "the template has another value",
            Some(_) => "the template has no such label",
            None => "does not select the template",
        })
        .pointer(pointer())
        .note(format!(
            "the {kind} manages the Pods its selector `{}` matches, and its own Pods must be among them",
            selector.display()
        ));
    let labels_entry = spec.at(&["template", "metadata"]).and_then(|m| m.entry("labels"));
    match (labels_entry, spec.get("template")) {
        (Some(e), _) => f = f.secondary(doc.location(e.key.span), "template labels"),
        (None, Some(t)) => f = f.secondary(doc.location(head(t)), "the template has no labels"),
        (None, None) => {}
    }
    let prefix = spec_path.join(".");
    f = f.help(format!(
        "make the selector a subset of `{prefix}.template.metadata.labels`; note that a workload's selector cannot be changed after it is created"
    ));
    cx.report(f);
}
