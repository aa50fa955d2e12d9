use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container has a memory limit (`resources.limits.memory`).
    ///
    /// ## Why it matters
    /// Without a limit, a leak in one container can use up the node's memory, and the
    /// kernel's out-of-memory killer then picks victims among all the node's Pods.
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
    ///         cpu: 250m
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
    pub static MISSING_MEMORY_LIMIT = {
        id: "missing-memory-limit",
        category: BestPractice,
        severity: Warning,
        enabled: true,
        summary: "a container has no memory limit",
        fields: ["Container.resources", "ResourceRequirements.limits"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.containers() {
        if c.node.at(&["resources", "limits", "memory"]).is_some_and(|n| !n.is_null()) {
            continue;
        }
        let span = c.node.entry("resources").map_or(c.span(), |e| e.key.span);
        let f = cx
            .finding(&MISSING_MEMORY_LIMIT, span, format!("{} has no memory limit", c.describe()))
            .label("no `resources.limits.memory`")
            .pointer(pod.container_pointer(&c, "resources"))
            .help("add `resources: {limits: {memory: 256Mi}}` with the most the container may use");
        cx.report(f);
    }
}
