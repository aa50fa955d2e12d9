use crate::document::Document;
use crate::finding::Fix;
use crate::fix::edit;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for containers that explicitly allow privilege escalation
    /// (`allowPrivilegeEscalation: true`) or add the `SYS_ADMIN` capability.
    ///
    /// ## Why it matters
    /// A process in the container can gain more privileges than its parent (through
    /// setuid binaries), and `SYS_ADMIN` is close to full root.
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
    ///       allowPrivilegeEscalation: true
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
    ///       allowPrivilegeEscalation: false
    /// ```
    pub static PRIVILEGE_ESCALATION = {
        id: "privilege-escalation",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container allows privilege escalation or adds `SYS_ADMIN`",
        fields: ["SecurityContext.allowPrivilegeEscalation", "Capabilities.add"],
        fixes: [Unsafe],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        if let Some(node) = c.security("allowPrivilegeEscalation").filter(|n| n.as_bool() == Some(true)) {
            let f = cx
                .finding(&PRIVILEGE_ESCALATION, node.span, format!("{} allows privilege escalation", c.describe()))
                .label("setuid binaries can gain privileges")
                .pointer(pod.container_pointer(&c, "securityContext/allowPrivilegeEscalation"))
                .help("set `allowPrivilegeEscalation: false`")
                .fix(
                    edit::replace_scalar(&doc.source, node, "false")
                        .map(|e| Fix::unsafe_("set `allowPrivilegeEscalation: false`", vec![e])),
                );
            cx.report(f);
        }
        let added = c.node.at(&["securityContext", "capabilities", "add"]).map(Node::items).unwrap_or_default();
        for cap in added {
            if cap.as_str().is_some_and(|s| s.trim_start_matches("CAP_") == "SYS_ADMIN") {
                let f = cx
                    .finding(
                        &PRIVILEGE_ESCALATION,
                        cap.span,
                        format!("{} adds the `SYS_ADMIN` capability", c.describe()),
                    )
                    .label("nearly full root")
                    .help("add only the narrower capabilities the container needs");
                cx.report(f);
            }
        }
    }
}
