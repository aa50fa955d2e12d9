use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks for containers that listen on a privileged port (below 1024).
    ///
    /// ## Why it matters
    /// Binding such a port needs root or `NET_BIND_SERVICE`, privileges the process
    /// otherwise does not need; a Service can map port 80 to 8080.
    ///
    /// Off by default (as in kube-linter): many images listen on 80 and run as root.
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
    ///     image: nginxinc/nginx-unprivileged:1.27
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    pub static PRIVILEGED_PORT = {
        id: "privileged-port",
        category: Security,
        severity: Warning,
        enabled: false,
        summary: "a container listens on a privileged port (below 1024)",
        fields: ["ContainerPort.containerPort"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for (c, number, pointer) in pod.port_fields("containerPort") {
        if !number.as_i64().is_some_and(|p| (1..1024).contains(&p)) {
            continue;
        }
        let f = cx
            .finding(
                &PRIVILEGED_PORT,
                number.span,
                format!("{} listens on privileged port {}", c.describe(), number.display_scalar()),
            )
            .label("below 1024")
            .pointer(pointer)
            .help("listen on a port above 1023 and map it in the Service");
        cx.report(f);
    }
}
