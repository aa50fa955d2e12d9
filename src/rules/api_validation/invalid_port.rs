use crate::document::Document;
use crate::kube::names;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::source::Span;
use crate::yaml::{Node, Value};

crate::declare_rule! {
    /// ## What it does
    /// Checks port names and numbers: a container port's `name` and a named
    /// `targetPort` or probe port must be IANA service names (at most 15 lowercase
    /// letters, digits and single hyphens, with at least one letter); port numbers
    /// must be between 1 and 65535; a Service with more than one port must name each
    /// of them, with RFC 1123 labels.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.containers[0].ports[0].name:
    /// Invalid value: "http-metrics-port": must be no more than 15 characters`.
    ///
    /// ## API server
    /// Rejected on create: `validateContainerPorts` (`IsValidPortNum`, `IsValidPortName`),
    /// `validateServicePort` (a name is required when a Service has several ports) and the
    /// probe handlers' `ValidatePortNumOrName` in `pkg/apis/core/validation/validation.go`.
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
    ///     - name: http_metrics
    ///       containerPort: 9090
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
    ///     - name: metrics
    ///       containerPort: 9090
    /// ```
    pub static INVALID_PORT = {
        id: "invalid-port",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a port name or number is not valid",
        fields: [
            "ContainerPort.name", "ContainerPort.containerPort", "ContainerPort.hostPort", "ServicePort.name",
            "ServicePort.port", "ServicePort.targetPort", "HTTPGetAction.port", "TCPSocketAction.port",
            "GRPCAction.port",
        ],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if let Some(pod) = PodTemplate::of(doc) {
        for c in pod.all_containers() {
            for (i, port) in c.get("ports").map(Node::items).unwrap_or_default().iter().enumerate() {
                let path = |field: &str| pod.container_path(&c, &format!("ports[{i}].{field}"));
                if let Some(name) = port.get("name").filter(|n| n.as_str().is_some_and(|s| !s.is_empty())) {
                    iana_name(cx, name, || path("name"));
                }
                if let Some(n) = port.get("containerPort") {
                    number(cx, n, || path("containerPort"), false);
                }
                if let Some(n) = port.get("hostPort") {
                    number(cx, n, || path("hostPort"), true);
                }
            }
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                for action in ["httpGet", "tcpSocket", "grpc"] {
                    if let Some(port) = c.node.at(&[probe, action, "port"]) {
                        int_or_name(cx, port, || pod.container_path(&c, &format!("{probe}.{action}.port")));
                    }
                }
            }
        }
    }
    if doc.kind() == Some("Service") {
        service(doc, cx);
    }
}

fn service(doc: &Document, cx: &mut Context<'_>) {
    let ports = doc.root.at(&["spec", "ports"]).map(Node::items).unwrap_or_default();
    for (i, port) in ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        match port.get("name").filter(|n| !n.is_null()) {
            Some(name) => {
                if let Some(text) = name.as_str()
                    && let Err(reason) = names::dns1123_label(text)
                {
                    report(
                        cx,
                        name.span,
                        &format!("{text:?}"),
                        &format!("{path}.name"),
                        &reason,
                        "not a valid port name",
                    );
                }
            }
            None if ports.len() > 1 => {
                let f = cx
                    .finding(
                        &INVALID_PORT,
                        crate::document::head(port),
                        crate::kube::field::required(&format!("{path}.name"), ""),
                    )
                    .label("this port has no name")
                    .note("a Service with more than one port must name each of them")
                    .help("add `name:`, e.g. `name: http`");
                cx.report(f);
            }
            None => {}
        }
        if let Some(n) = port.get("port") {
            number(cx, n, || format!("{path}.port"), false);
        }
        // The API server defaults a `targetPort` of 0 or "" to `port`.
        if let Some(n) = port.get("targetPort").filter(|n| !matches!(&n.value, Value::Int(0)) && n.as_str() != Some(""))
        {
            int_or_name(cx, n, || format!("{path}.targetPort"));
        }
    }
}

fn report(cx: &mut Context<'_>, span: Span, value: &str, field: &str, reason: &str, label: &str) {
    let (message, note) = crate::rules::invalid_value(value, field, reason);
    let mut f = cx.finding(&INVALID_PORT, span, message).label(label);
    f.note = note;
    cx.report(f);
}

fn iana_name(cx: &mut Context<'_>, node: &Node, field: impl FnOnce() -> String) {
    let Some(text) = node.as_str() else { return };
    if let Err(reason) = names::port_name(text) {
        report(cx, node.span, &format!("{text:?}"), &field(), &reason, "not a valid port name");
    }
}

/// A port number; `zero_ok` for fields where 0 means unset (`hostPort`).
fn number(cx: &mut Context<'_>, node: &Node, field: impl FnOnce() -> String, zero_ok: bool) {
    let Some(n) = node.as_i64() else { return };
    if (zero_ok && n == 0) || names::port_number(n).is_ok() {
        return;
    }
    report(cx, node.span, &n.to_string(), &field(), "must be between 1 and 65535, inclusive", "out of range");
}

fn int_or_name(cx: &mut Context<'_>, node: &Node, field: impl FnOnce() -> String) {
    match &node.value {
        Value::Str(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            // `"8080"`: the API server reads a numeric string as a name, which is invalid.
            let f = cx
                .finding(
                    &INVALID_PORT,
                    node.span,
                    format!("invalid value {s:?} for `{}`: must contain at least one letter (a-z)", field()),
                )
                .label("a port name, not a number")
                .help(format!("remove the quotes to use port number {s}"));
            cx.report(f);
        }
        Value::Str(_) => iana_name(cx, node, field),
        _ => number(cx, node, field, false),
    }
}
