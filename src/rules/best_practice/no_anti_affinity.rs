use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a Deployment or StatefulSet with more than one replica spreads its
    /// Pods: with `podAntiAffinity` or `topologySpreadConstraints` in its template.
    ///
    /// ## Why it matters
    /// Without them the scheduler may put every replica on the same node, and losing
    /// that node takes the whole service down.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
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
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       topologySpreadConstraints:
    ///       - maxSkew: 1
    ///         topologyKey: kubernetes.io/hostname
    ///         whenUnsatisfiable: ScheduleAnyway
    ///         labelSelector:
    ///           matchLabels:
    ///             app: web
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    pub static NO_ANTI_AFFINITY = {
        id: "no-anti-affinity",
        category: BestPractice,
        severity: Warning,
        enabled: true,
        summary: "a workload with several replicas does not spread them across nodes",
        fields: ["DeploymentSpec.replicas", "StatefulSetSpec.replicas", "Affinity.podAntiAffinity", "PodSpec.topologySpreadConstraints"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    if !matches!(pod.kind, "Deployment" | "StatefulSet") {
        return;
    }
    let Some(replicas) = doc.root.at(&["spec", "replicas"]) else { return };
    let Some(n) = replicas.as_i64().filter(|n| *n > 1) else { return };
    let set = |n: Option<&Node>| n.is_some_and(|n| !n.is_null());
    if set(pod.spec.at(&["affinity", "podAntiAffinity"])) || set(pod.spec.get("topologySpreadConstraints")) {
        return;
    }
    let f = cx
        .finding(&NO_ANTI_AFFINITY, replicas.span, format!("{n} replicas may all be scheduled on the same node"))
        .label("no anti-affinity or topology spread")
        .pointer(format!("{}/spec/replicas", doc.pointer_prefix))
        .help("add `topologySpreadConstraints` with `topologyKey: kubernetes.io/hostname`, or a preferred `podAntiAffinity`");
    cx.report(f);
}
