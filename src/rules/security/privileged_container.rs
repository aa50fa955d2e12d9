use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks for containers that run privileged (`securityContext.privileged: true`).
    ///
    /// ## Why it matters
    /// A privileged container has every capability and all the node's devices: it is
    /// root on the node. An escape from it is a node compromise.
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
    ///     securityContext:
    ///       privileged: true
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
    ///     securityContext:
    ///       capabilities:
    ///         add: ["NET_BIND_SERVICE"]
    ///         drop: ["ALL"]
    /// ```
    pub static PRIVILEGED_CONTAINER = {
        id: "privileged-container",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container runs privileged",
        fields: ["SecurityContext.privileged"],
        fixes: [Unsafe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let Some(node) = c.security("privileged").filter(|n| n.as_bool() == Some(true)) else { continue };
        let f = cx
            .finding(&PRIVILEGED_CONTAINER, node.span, format!("{} runs privileged", c.describe()))
            .label("root on the node")
            .pointer(pod.container_pointer(&c, "securityContext/privileged"))
            .help("remove `privileged: true` and add only the capabilities the container needs")
            .fix(
                c.get("securityContext")
                    .and_then(|sc| edit::remove_entry(&doc.source, sc, "privileged"))
                    .map(|e| Fix::unsafe_("remove `privileged: true`", vec![e])),
            );
        cx.report(f);
    }
}
