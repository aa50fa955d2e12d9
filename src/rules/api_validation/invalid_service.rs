use crate::document::Document;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the shape of a Service's spec: it needs `ports` unless it is headless
    /// (`clusterIP: None`) or of type `ExternalName`; an `ExternalName` Service needs
    /// `externalName`; only a `ClusterIP` Service can be headless.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.ports: Required value`, or
    /// `spec.clusterIP: Invalid value: "None": may not be set to 'None' for
    /// LoadBalancer services`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateService` in `pkg/apis/core/validation/validation.go`:
    /// `spec.ports: Required value`, `spec.externalName: Required value`, `spec.clusterIP:
    /// Invalid value: "None": may not be set to 'None' for LoadBalancer services`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   clusterIP: None
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    pub static INVALID_SERVICE = {
        id: "invalid-service",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a Service lacks ports or `externalName`, or cannot be headless",
        fields: ["ServiceSpec.ports", "ServiceSpec.clusterIP", "ServiceSpec.type", "ServiceSpec.externalName"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("Service") {
        return;
    }
    let Some(spec_entry) = doc.root.entry("spec") else { return };
    let spec = &spec_entry.value;
    let ty = spec.get("type").and_then(Node::as_str).unwrap_or("ClusterIP");
    let cluster_ip = spec.get("clusterIP");
    let headless = cluster_ip.and_then(Node::as_str) == Some("None");
    let pointer = |field: &str| format!("{}/spec/{field}", doc.pointer_prefix);
    if headless && matches!(ty, "NodePort" | "LoadBalancer") {
        let node = cluster_ip.map_or(spec.span, |n| n.span);
        let f = cx
            .finding(
                &INVALID_SERVICE,
                node,
                format!("invalid value \"None\" for `spec.clusterIP`: may not be set to 'None' for {ty} services"),
            )
            .label("headless")
            .secondary(doc.location(spec.get("type").map_or(spec_entry.key.span, |n| n.span)), "type")
            .pointer(pointer("clusterIP"))
            .note(format!("a {ty} Service needs a cluster IP to route its node ports to"))
            .help("remove `clusterIP: None`, or use `type: ClusterIP` for a headless Service");
        cx.report(f);
    }
    if ty == "ExternalName" {
        if spec.get("externalName").and_then(Node::as_str).is_none_or(str::is_empty) {
            let f = cx
                .finding(
                    &INVALID_SERVICE,
                    spec.get("type").map_or(spec_entry.key.span, |n| n.span),
                    "`spec.externalName` is required",
                )
                .label("an ExternalName Service")
                .pointer(pointer("externalName"))
                .help("add `externalName:` with the DNS name to alias, e.g. `externalName: db.example.com`");
            cx.report(f);
        }
        return;
    }
    let has_ports = spec.get("ports").is_some_and(|p| !p.items().is_empty());
    if !has_ports && !headless {
        let span = spec.entry("ports").map_or(spec_entry.key.span, |e| e.key.span);
        let f = cx
            .finding(&INVALID_SERVICE, span, "`spec.ports` is required")
            .label("no ports")
            .pointer(pointer("ports"))
            .note("only a headless Service (`clusterIP: None`) or an ExternalName Service may have no ports")
            .help("add a port, e.g. `ports: [{name: http, port: 80, targetPort: http}]`");
        cx.report(f);
    }
}
