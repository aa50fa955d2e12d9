use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for containers that unmask the node's `/proc` (`procMount: Unmasked`).
    ///
    /// ## Why it matters
    /// The default mask hides parts of `/proc` that leak information about the node or
    /// let a process escape the container. The Pod Security baseline profile forbids
    /// it, unless the Pod runs in a user namespace (`hostUsers: false`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///   - name: builder
    ///     image: buildkit:0.16
    ///     securityContext:
    ///       procMount: Unmasked
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///   - name: builder
    ///     image: buildkit:0.16
    ///     securityContext:
    ///       procMount: Unmasked
    /// ```
    pub static UNSAFE_PROC_MOUNT = {
        id: "unsafe-proc-mount",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container unmasks the node's `/proc`",
        fields: ["SecurityContext.procMount"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    if pod.spec.get("hostUsers").and_then(Node::as_bool) == Some(false) {
        return;
    }
    for c in pod.all_containers() {
        let Some(node) = c.security("procMount").filter(|n| n.as_str().is_some_and(|m| m != "Default")) else {
            continue;
        };
        let f = cx
            .finding(&UNSAFE_PROC_MOUNT, node.span, format!("{} unmasks `/proc`", c.describe()))
            .label("`/proc` of the node exposed")
            .pointer(pod.container_pointer(&c, "securityContext/procMount"))
            .help("remove `procMount`, or run the Pod in a user namespace (`hostUsers: false`)");
        cx.report(f);
    }
}
