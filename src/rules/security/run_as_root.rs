use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container is kept from running as root: `runAsNonRoot: true`
    /// or a non-zero `runAsUser`, in the container's or the Pod's `securityContext`.
    /// Each field the container does not set is inherited from the Pod's, as the
    /// kubelet merges them: the Pod's `runAsUser: 1000` applies to a container that
    /// sets only `runAsNonRoot: false`.
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

/// Whether the container runs as a non-root user: each field of its securityContext
/// overrides the Pod's, field by field, as the kubelet merges them (a container's
/// `runAsNonRoot: false` with the Pod's `runAsUser: 1000` runs as user 1000).
fn non_root(pod: Option<&Node>, container: Option<&Node>) -> bool {
    let field = |name: &str| container.and_then(|c| c.get(name)).or_else(|| pod.and_then(|p| p.get(name)));
    match field("runAsUser").and_then(Node::as_i64) {
        Some(user) => user != 0,
        None => field("runAsNonRoot").and_then(Node::as_bool) == Some(true),
    }
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let pod_context = pod.spec.get("securityContext");
    for c in pod.all_containers() {
        if non_root(pod_context, c.get("securityContext")) {
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
