use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks for container ports bound to a port of the node (`hostPort`).
    ///
    /// ## Why it matters
    /// The Pod can only be scheduled where that port is free (one replica per node),
    /// and it is reachable from outside the cluster network, past NetworkPolicies.
    /// The Pod Security baseline profile forbids it. A Service (or a `hostNetwork`
    /// node agent) is almost always what was meant.
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
    ///     ports:
    ///     - containerPort: 80
    ///       hostPort: 8080
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
    ///     ports:
    ///     - containerPort: 80
    /// ```
    pub static HOST_PORT = {
        id: "host-port",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a container port is bound to a port of the node",
        fields: ["ContainerPort.hostPort"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for (c, host, pointer) in pod.port_fields("hostPort") {
        if host.as_i64().is_none_or(|p| p == 0) {
            continue;
        }
        let f = cx
            .finding(
                &HOST_PORT,
                host.span,
                format!("{} binds port {} of the node", c.describe(), host.display_scalar()),
            )
            .label("`hostPort`")
            .pointer(pointer)
            .help("expose the port with a Service instead");
        cx.report(f);
    }
}
