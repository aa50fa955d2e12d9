use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the containers of long-running workloads (Deployments,
    /// StatefulSets, DaemonSets, ReplicaSets) have a readiness and a liveness probe.
    /// Off by default: many good setups rely on other health signals.
    ///
    /// ## Why it matters
    /// Without a readiness probe, a Pod gets traffic as soon as its process starts,
    /// before it can serve; without a liveness probe, a hung process is never
    /// restarted.
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
    ///         ports:
    ///         - name: http
    ///           containerPort: 80
    ///         readinessProbe:
    ///           httpGet:
    ///             path: /
    ///             port: http
    ///         livenessProbe:
    ///           tcpSocket:
    ///             port: http
    /// ```
    pub static MISSING_PROBE = {
        id: "missing-probe",
        category: BestPractice,
        severity: Warning,
        enabled: false,
        summary: "a long-running container has no readiness or liveness probe",
        fields: ["Container.readinessProbe", "Container.livenessProbe"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    if !pod.is_long_running() {
        return;
    }
    for c in pod.containers() {
        let missing: Vec<&str> =
            ["readinessProbe", "livenessProbe"].into_iter().filter(|p| c.get(p).is_none_or(|n| n.is_null())).collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" or ");
        let f = cx
            .finding(&MISSING_PROBE, c.span(), format!("{} has no {list}", c.describe()))
            .label("no probe")
            .pointer(pod.container_pointer(&c, ""))
            .help("add a probe that checks the container can serve, e.g. `readinessProbe: {httpGet: {path: /ready, port: http}}`");
        cx.report(f);
    }
}
