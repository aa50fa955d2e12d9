use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container requests CPU (`resources.requests.cpu`, or a CPU
    /// limit, which the request then defaults to).
    ///
    /// ## Why it matters
    /// Without a request the scheduler reserves nothing for the container: nodes get
    /// overcommitted, and under contention the container is the first to be starved.
    /// Horizontal autoscaling on CPU utilization also needs the request.
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
    ///       limits:
    ///         memory: 256Mi
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
    ///         cpu: 250m
    ///       limits:
    ///         memory: 256Mi
    /// ```
    pub static MISSING_CPU_REQUEST = {
        id: "missing-cpu-request",
        category: BestPractice,
        severity: Warning,
        enabled: true,
        summary: "a container has no CPU request",
        fields: ["Container.resources", "ResourceRequirements.requests"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.containers() {
        let has = |kind: &str| c.node.at(&["resources", kind, "cpu"]).is_some_and(|n| !n.is_null());
        if has("requests") || has("limits") {
            continue;
        }
        let span = c.node.entry("resources").map_or(c.span(), |e| e.key.span);
        let f = cx
            .finding(&MISSING_CPU_REQUEST, span, format!("{} has no CPU request", c.describe()))
            .label("no `resources.requests.cpu`")
            .pointer(pod.container_pointer(&c, "resources"))
            .help("add `resources: {requests: {cpu: 100m}}` with what the container needs");
        cx.report(f);
    }
}
