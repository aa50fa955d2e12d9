use crate::document::Document;
use crate::kube::int_or_percent;
use crate::rules::Context;
use crate::yaml::{Entry, Node};

crate::declare_rule! {
    /// ## What it does
    /// Checks the rollout settings of Deployments, DaemonSets and StatefulSets as the
    /// API server does, after filling in its defaults:
    /// - a Deployment's `maxUnavailable` and `maxSurge` are not both 0, and
    ///   `rollingUpdate` is not set with `type: Recreate`;
    /// - a DaemonSet sets exactly one of `maxUnavailable` (default 1) and `maxSurge`
    ///   (default 0) to a non-zero value;
    /// - a StatefulSet has no `rollingUpdate` with `type: OnDelete`;
    /// - a Deployment's `progressDeadlineSeconds` (600 by default) is greater than
    ///   its `minReadySeconds`;
    /// - each value is a non-negative number or a percentage (`maxUnavailable` at
    ///   most `100%`).
    ///
    /// ## Why it matters
    /// The API server rejects the object. The DaemonSet case is the common one:
    /// adding `maxSurge: 1` for zero-downtime updates without `maxUnavailable: 0`
    /// leaves the default `maxUnavailable: 1`, and a DaemonSet cannot do both.
    ///
    /// ## API server
    /// Rejected on create: `ValidateDeploymentStrategy`, `ValidateRollingUpdateDeployment`,
    /// `ValidateDaemonSetUpdateStrategy`, `ValidateStatefulSetUpdateStrategy` and
    /// `ValidateDeploymentSpec` (`progressDeadlineSeconds: ... must be greater than
    /// minReadySeconds`) in
    /// `pkg/apis/apps/validation/validation.go`, e.g.
    /// `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when
    /// `maxSurge` is 0`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: agent
    /// spec:
    ///   updateStrategy:
    ///     rollingUpdate:
    ///       maxSurge: 1
    ///   selector:
    ///     matchLabels:
    ///       app: agent
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: agent
    ///     spec:
    ///       containers:
    ///         - name: agent
    ///           image: registry.example/agent:2.1
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: agent
    /// spec:
    ///   updateStrategy:
    ///     rollingUpdate:
    ///       maxSurge: 1
    ///       maxUnavailable: 0
    ///   selector:
    ///     matchLabels:
    ///       app: agent
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: agent
    ///     spec:
    ///       containers:
    ///         - name: agent
    ///           image: registry.example/agent:2.1
    /// ```
    pub static INVALID_UPDATE_STRATEGY = {
        id: "invalid-update-strategy",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "rollout settings the API server rejects (`maxSurge` and `maxUnavailable` both 0, or both set on a DaemonSet)",
        fields: [
            "DeploymentStrategy.rollingUpdate", "RollingUpdateDeployment.maxUnavailable",
            "RollingUpdateDeployment.maxSurge", "RollingUpdateDaemonSet.maxUnavailable",
            "RollingUpdateDaemonSet.maxSurge", "StatefulSetUpdateStrategy.rollingUpdate",
            "DeploymentSpec.progressDeadlineSeconds", "DeploymentSpec.minReadySeconds",
        ],
        check: Document(check),
    };
}

/// A strategy of one kind: where it is and the defaults of its rolling update.
struct Strategy {
    key: &'static str,
    /// The type that has a `rollingUpdate`; the other type must not have one.
    rolling_type: &'static str,
    /// The `maxUnavailable` and `maxSurge` defaults, for the kinds that have them.
    defaults: Option<(i64, i64)>,
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() == Some("Deployment") && doc.api_version() == Some("apps/v1") {
        progress_deadline(doc, cx);
    }
    let strategy = match doc.kind() {
        Some("Deployment") => Strategy { key: "strategy", rolling_type: "RollingUpdate", defaults: Some((25, 25)) },
        Some("DaemonSet") => Strategy { key: "updateStrategy", rolling_type: "RollingUpdate", defaults: Some((1, 0)) },
        Some("StatefulSet") => Strategy { key: "updateStrategy", rolling_type: "RollingUpdate", defaults: None },
        _ => return,
    };
    let Some(node) = doc.root.at(&["spec", strategy.key]) else { return };
    let Some(rolling) = node.entry("rollingUpdate").filter(|e| !e.value.is_null()) else { return };
    let path = format!("spec.{}.rollingUpdate", strategy.key);
    let pointer = |rest: &str| format!("{}/spec/{}/rollingUpdate{rest}", doc.pointer_prefix, strategy.key);
    let kind = node.get("type").and_then(Node::as_str).filter(|t| !t.is_empty()).unwrap_or(strategy.rolling_type);
    if kind != strategy.rolling_type {
        let message = if doc.kind() == Some("Deployment") {
            format!("`{path}` is forbidden: may not be specified when strategy `type` is '{kind}'")
        } else {
            format!("invalid value for `{path}`: only allowed for updateStrategy '{}'", strategy.rolling_type)
        };
        let f = cx
            .finding(&INVALID_UPDATE_STRATEGY, rolling.key.span, message)
            .label(format!("not used with `type: {kind}`"))
            .pointer(pointer(""))
            .help(format!("remove `rollingUpdate`, or set `type: {}`", strategy.rolling_type));
        cx.report(f);
        return;
    }
    let Some((default_unavailable, default_surge)) = strategy.defaults else { return };
    let unavailable = field(&rolling.value, "maxUnavailable");
    let surge = field(&rolling.value, "maxSurge");
    // A Deployment's `maxSurge` has no upper bound; the others are at most 100%.
    let daemon_set = doc.kind() == Some("DaemonSet");
    for (entry, name, at_most_100) in [(unavailable, "maxUnavailable", true), (surge, "maxSurge", daemon_set)] {
        let Some(entry) = entry else { continue };
        let Some(reason) = int_or_percent::problem(&entry.value, at_most_100) else { continue };
        let f = cx
            .finding(
                &INVALID_UPDATE_STRATEGY,
                entry.value.span,
                format!("invalid value {} for `{path}.{name}`: {reason}", entry.value.display_scalar()),
            )
            .label("not a valid count or percentage")
            .pointer(pointer(&format!("/{name}")));
        cx.report(f);
    }
    let effective = |e: Option<&Entry>, default| match e {
        Some(e) => int_or_percent::value(&e.value),
        None => Some(default),
    };
    let (Some(u), Some(s)) = (effective(unavailable, default_unavailable), effective(surge, default_surge)) else {
        return;
    };
    let f = match (unavailable, surge) {
        (Some(at), _) if u == 0 && s == 0 => {
            let message = if daemon_set {
                format!("`{path}.maxUnavailable` is required: cannot be 0 when maxSurge is 0")
            } else {
                format!("invalid value {} for `{path}.maxUnavailable`: may not be 0 when `maxSurge` is 0", at.value.display_scalar())
            };
            cx.finding(&INVALID_UPDATE_STRATEGY, at.value.span, message)
                .label(if surge.is_some() { "and `maxSurge` is 0" } else { "and `maxSurge` defaults to 0" })
                .note("a rollout could neither stop an old Pod nor start a new one")
                .pointer(pointer("/maxUnavailable"))
                .help("set `maxUnavailable: 1` (replace Pods in place) or `maxSurge: 1` (start the new Pod first)")
        }
        (_, Some(at)) if daemon_set && u != 0 && s != 0 => cx
            .finding(
                &INVALID_UPDATE_STRATEGY,
                at.value.span,
                format!(
                    "invalid value {} for `{path}.maxSurge`: may not be set when maxUnavailable is non-zero",
                    at.value.display_scalar()
                ),
            )
            .label(if unavailable.is_some() {
                "and `maxUnavailable` is not 0"
            } else {
                "and `maxUnavailable` defaults to 1"
            })
            .note("a DaemonSet either starts the new Pod first (`maxSurge`) or stops the old one first (`maxUnavailable`)")
            .pointer(pointer("/maxSurge"))
            .help("add `maxUnavailable: 0` to start each new Pod before its old one stops"),
        _ => return,
    };
    cx.report(f);
}

fn field<'a>(rolling: &'a Node, name: &str) -> Option<&'a Entry> {
    rolling.entry(name).filter(|e| !e.value.is_null())
}

/// apps/v1 defaults `progressDeadlineSeconds` to 600: a `minReadySeconds` of 600 or
/// more needs a longer deadline.
fn progress_deadline(doc: &Document, cx: &mut Context<'_>) {
    let Some(spec) = doc.root.get("spec") else { return };
    let Some(ready_node) = spec.get("minReadySeconds") else { return };
    let Some(ready) = ready_node.as_i64() else { return };
    let deadline_node = spec.get("progressDeadlineSeconds").filter(|n| !n.is_null());
    let deadline = match deadline_node {
        Some(node) => match node.as_i64() {
            Some(d) => d,
            None => return,
        },
        None => DEFAULT_PROGRESS_DEADLINE,
    };
    if deadline > ready || deadline < 0 {
        return;
    }
    let message = crate::kube::field::invalid(
        "spec.progressDeadlineSeconds",
        &deadline.to_string(),
        "must be greater than minReadySeconds",
    );
    let f = cx
        .finding(&INVALID_UPDATE_STRATEGY, deadline_node.map_or(ready_node.span, |n| n.span), message)
        .label(if deadline_node.is_some() { "not above `minReadySeconds`" } else { "the default deadline, 600, is not above `minReadySeconds`" })
        .secondary(doc.location(ready_node.span), "minReadySeconds")
        .pointer(format!("{}/spec/progressDeadlineSeconds", doc.pointer_prefix))
        .note("a rollout could never make progress before its deadline: each Pod must stay ready for `minReadySeconds` first")
        .help(format!("set `progressDeadlineSeconds` above {ready}"));
    cx.report(f);
}

/// `progressDeadlineSeconds` when apps/v1 leaves it out.
const DEFAULT_PROGRESS_DEADLINE: i64 = 600;
