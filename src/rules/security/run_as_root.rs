use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container is kept from running as root: `runAsNonRoot: true`
    /// or a non-zero `runAsUser`, in the container's or the Pod's `securityContext`.
    ///
    /// ## Why it matters
    /// Many images run as root by default. Root in a container is root on the node as
    /// far as the kernel is concerned, one escape away from the host.
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
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static RUN_AS_ROOT = {
        id: "run-as-root",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container may run as root (`runAsNonRoot` unset)",
        fields: ["PodSecurityContext.runAsNonRoot", "PodSecurityContext.runAsUser", "SecurityContext.runAsNonRoot", "SecurityContext.runAsUser"],
        check: Document(check),
    };
}

/// Whether a security context (pod or container) makes the process non-root, says it
/// may be root, or says nothing.
fn non_root(context: Option<&Node>) -> Option<bool> {
    let context = context?;
    let user = context.get("runAsUser").and_then(Node::as_i64);
    match (context.get("runAsNonRoot").and_then(Node::as_bool), user) {
        (_, Some(0)) => Some(false),
        (Some(b), _) => Some(b),
        (None, Some(_)) => Some(true),
        (None, None) => None,
    }
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let pod_level = non_root(pod.spec.get("securityContext"));
    for c in pod.all_containers() {
        if non_root(c.get("securityContext")).or(pod_level) == Some(true) {
            continue;
        }
        let f = cx
            .finding(&RUN_AS_ROOT, c.span(), format!("{} may run as root", c.describe()))
            .label("no `runAsNonRoot: true` or non-zero `runAsUser`")
            .pointer(pod.container_pointer(&c, ""))
            .help(format!(
                "set `runAsNonRoot: true` in `{}.securityContext` (and a `runAsUser` if the image has no numeric user)",
                pod.path()
            ));
        cx.report(f);
    }
}
