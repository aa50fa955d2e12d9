use crate::rules::RunContext;
use crate::rules::inventory::{Facts, PortRef};

crate::declare_rule! {
    /// ## What it does
    /// Checks that each backend of an Ingress names a Service of the input (in its
    /// namespace) and a port that Service has (by `number` or `name`). Only runs when
    /// the input has Services in that namespace.
    ///
    /// ## Why it matters
    /// The ingress controller answers 503 for a backend whose Service or port does not
    /// exist, and its logs are the only place that says so.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               name: https
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   ports:
    ///   - name: http
    ///     port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               name: http
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   ports:
    ///   - name: http
    ///     port: 80
    /// ```
    pub static DANGLING_INGRESS = {
        id: "dangling-ingress",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "an Ingress backend names a Service or port not in the input",
        fields: ["IngressServiceBackend.name", "IngressServiceBackend.port", "ServiceBackendPort.name", "ServiceBackendPort.number"],
        check: Run(check),
    };
}

fn check(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for ingress in &inventory.resources {
        let Facts::Ingress { backends } = ingress.facts() else { continue };
        let namespace = ingress.namespace();
        if inventory.of_kind("Service", namespace).next().is_none() {
            continue;
        }
        for backend in backends {
            let name = &backend.service.value;
            let Some(service) = inventory.find("Service", namespace, name) else {
                let names: Vec<&str> = inventory.of_kind("Service", namespace).map(|s| s.name()).collect();
                let mut f = ingress
                    .finding_at(&DANGLING_INGRESS, backend.service.span, format!("no Service `{name}` in the input"))
                    .label("backend Service not found");
                f.help = crate::suggest::did_you_mean(name, names.iter().copied());
                cx.report(f);
                continue;
            };
            let (Some(port), Facts::Service { ports, ports_span, .. }) = (&backend.port, service.facts()) else {
                continue;
            };
            let found = ports.iter().any(|p| match &port.value {
                PortRef::Number(n) => p.port == Some(*n),
                PortRef::Name(n) => p.name.as_deref() == Some(n.as_str()),
            });
            if found {
                continue;
            }
            let shown = match &port.value {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(n) => format!("`{n}`"),
            };
            let offered: Vec<String> = ports
                .iter()
                .map(|p| match (&p.name, p.port) {
                    (Some(n), Some(num)) => format!("`{n}` ({num})"),
                    (Some(n), None) => format!("`{n}`"),
                    (None, Some(num)) => num.to_string(),
                    (None, None) => "?".into(),
                })
                .collect();
            let f = ingress
                .finding_at(&DANGLING_INGRESS, port.span, format!("the Service `{name}` has no port {shown}"))
                .label("port not found")
                .secondary(service.at(*ports_span), "the Service's ports")
                .help(if offered.is_empty() {
                    "add the port to the Service".to_string()
                } else {
                    format!("use one of the Service's ports: {}", offered.join(", "))
                });
            cx.report(f);
        }
    }
}
