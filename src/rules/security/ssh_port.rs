use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks for containers that expose port 22 (SSH).
    ///
    /// ## Why it matters
    /// An SSH server in a container is a second way in that bypasses Kubernetes' access
    /// control and audit; `kubectl exec` covers the need.
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
    ///     image: ghcr.io/acme/web:2.1.0
    ///     ports:
    ///     - containerPort: 22
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
    ///     image: ghcr.io/acme/web:2.1.0
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    pub static SSH_PORT = {
        id: "ssh-port",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container exposes port 22 (SSH)",
        fields: ["ContainerPort.containerPort"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for (c, node, pointer) in pod.port_fields("containerPort") {
        if node.as_i64() != Some(22) {
            continue;
        }
        let f = cx
            .finding(&SSH_PORT, node.span, format!("{} exposes port 22 (SSH)", c.describe()))
            .label("SSH")
            .pointer(pointer)
            .help("remove the SSH server and use `kubectl exec` or `kubectl debug`");
        cx.report(f);
    }
}
