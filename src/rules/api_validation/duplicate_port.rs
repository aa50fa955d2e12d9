use crate::document::Document;
use crate::kube::selector::scalar_text;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for ports declared twice where the API server requires them to be
    /// unique: two ports of one container with the same `name`, two `hostPort`s of a
    /// Pod on the same port and protocol, and two ports of a Service with the same
    /// `name`, the same `port` and `protocol`, or the same `nodePort` and `protocol`.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.ports[1].name: Duplicate value:
    /// "http"`.
    ///
    /// ## API server
    /// Rejected on create: `validateContainerPorts` (a port name twice in a container:
    /// `Duplicate value`), `checkHostPortConflicts` (the same protocol, host IP and host
    /// port twice in a Pod) and `ValidateService` (a Service port name, port and
    /// protocol, or node port and protocol, twice). A duplicate `containerPort` alone is only a warning: see
    /// `api-server-warning`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - name: http
    ///     port: 80
    ///   - name: http
    ///     port: 443
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - name: http
    ///     port: 80
    ///   - name: https
    ///     port: 443
    /// ```
    pub static DUPLICATE_PORT = {
        id: "duplicate-port",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a port name, host port or Service port is declared twice",
        fields: ["ContainerPort.name", "ContainerPort.hostPort", "ServicePort.name", "ServicePort.port", "ServicePort.nodePort"],
        check: Document(check),
    };
}

fn protocol(port: &Node) -> String {
    port.get("protocol").and_then(Node::as_str).unwrap_or("TCP").to_string()
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if let Some(pod) = PodTemplate::of(doc) {
        // checkHostPortConflicts keys host ports by protocol, host IP and port.
        let mut host_ports: Vec<((i64, String, String), &Node)> = Vec::new();
        for c in pod.all_containers() {
            let mut names: Vec<(&str, &Node)> = Vec::new();
            for (i, port) in c.get("ports").map(Node::items).unwrap_or_default().iter().enumerate() {
                let path = pod.container_path(&c, &format!("ports[{i}]"));
                if let Some(name) = port.get("name")
                    && let Some(text) = name.as_str().filter(|t| !t.is_empty())
                    && let Some(first) = crate::rules::first_seen(&mut names, text, name)
                {
                    duplicate(cx, name, first, &format!("{text:?}"), &format!("{path}.name"));
                }
                if let Some(host) = port.get("hostPort")
                    && let Some(n) = host.as_i64().filter(|n| *n > 0)
                    && let host_ip = port.get("hostIP").and_then(Node::as_str).unwrap_or("").to_string()
                    && let value = format!("\"{}/{host_ip}/{n}\"", protocol(port))
                    && let Some(first) = crate::rules::first_seen(&mut host_ports, (n, protocol(port), host_ip), host)
                {
                    duplicate(cx, host, first, &value, &format!("{path}.hostPort"));
                }
            }
        }
    }
    if doc.kind() == Some("Service") {
        let mut names: Vec<(&str, &Node)> = Vec::new();
        let mut numbers: Vec<((String, String), &Node)> = Vec::new();
        let mut node_ports: Vec<((i64, String), &Node)> = Vec::new();
        for (i, port) in doc.root.at(&["spec", "ports"]).map(Node::items).unwrap_or_default().iter().enumerate() {
            if let Some(name) = port.get("name")
                && let Some(text) = name.as_str().filter(|t| !t.is_empty())
                && let Some(first) = crate::rules::first_seen(&mut names, text, name)
            {
                duplicate(cx, name, first, &format!("{text:?}"), &format!("spec.ports[{i}].name"));
            }
            if let Some(number) = port.get("port")
                && let Some(text) = scalar_text(number)
                && let Some(first) = crate::rules::first_seen(&mut numbers, (text.clone(), protocol(port)), number)
            {
                duplicate(
                    cx,
                    number,
                    first,
                    &format!("\"{text}/{}\"", protocol(port)),
                    &format!("spec.ports[{i}].port"),
                );
            }
            // Node ports are keyed by protocol and number (`ValidateService`).
            if let Some(node_port) = port.get("nodePort")
                && let Some(n) = node_port.as_i64().filter(|n| *n != 0)
                && let Some(first) = crate::rules::first_seen(&mut node_ports, (n, protocol(port)), node_port)
            {
                duplicate(cx, node_port, first, &n.to_string(), &format!("spec.ports[{i}].nodePort"));
            }
        }
    }
}

fn duplicate(cx: &mut Context<'_>, node: &Node, first: &Node, value: &str, field: &str) {
    let f = cx
        .finding(&DUPLICATE_PORT, node.span, crate::kube::field::duplicate(field, value))
        .label("declared twice")
        .secondary(cx.doc.location(first.span), "first declared here")
        .help("remove one of them, or give it another name or number");
    cx.report(f);
}
