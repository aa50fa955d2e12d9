use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks that a probe's named port (`httpGet`, `tcpSocket` or `grpc`) is the
    /// `name` of one of the container's `ports`. (Numbered ports are not checked:
    /// declaring a port is optional, and health ports often are not.)
    ///
    /// ## Why it matters
    /// A probe on a port name the container does not have fails every time
    /// (`port "htpp" not found`), so the Pod is never ready or is restarted in a
    /// loop.
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
    ///     - name: http
    ///       containerPort: 8080
    ///     readinessProbe:
    ///       httpGet:
    ///         path: /ready
    ///         port: htpp
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
    ///     - name: http
    ///       containerPort: 8080
    ///     readinessProbe:
    ///       httpGet:
    ///         path: /ready
    ///         port: http
    /// ```
    pub static PROBE_PORT_NOT_EXPOSED = {
        id: "probe-port-not-exposed",
        category: BestPractice,
        severity: Warning,
        enabled: true,
        summary: "a probe targets a port name the container does not declare",
        fields: ["HTTPGetAction.port", "TCPSocketAction.port", "GRPCAction.port", "Container.ports"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let ports = c.get("ports").map(Node::items).unwrap_or_default();
        let names: Vec<&str> = ports.iter().filter_map(|p| p.get("name")?.as_str()).collect();
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            for action in ["httpGet", "tcpSocket", "grpc"] {
                let Some(port) = c.node.at(&[probe, action, "port"]) else { continue };
                let Value::Str(name) = &port.value else { continue };
                if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) || names.contains(&name.as_str()) {
                    continue;
                }
                let message =
                    format!("`{probe}` of {} uses port `{name}`, which the container does not name", c.describe());
                let mut f = cx
                    .finding(&PROBE_PORT_NOT_EXPOSED, port.span, message)
                    .label("not a port of this container")
                    .pointer(pod.container_pointer(&c, &format!("{probe}/{action}/port")));
                let close = port.as_str().and_then(|n| crate::suggest::closest(n, names.iter().copied()));
                f.help = Some(match (close, names.first()) {
                    (Some(close), _) => format!("did you mean `{close}`?"),
                    (None, Some(first)) => format!("use one of the container's ports, e.g. `port: {first}`"),
                    (None, None) => "declare the port under `ports:` and refer to it by name".to_string(),
                });
                cx.report(f);
            }
        }
    }
}
