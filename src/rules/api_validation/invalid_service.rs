use crate::document::Document;
use crate::kube::{field, names, net};
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the shape of a Service's spec: it needs `ports` unless it is headless
    /// (`clusterIP: None`) or of type `ExternalName`; an `ExternalName` Service needs
    /// `externalName`, a DNS-1123 subdomain (a trailing dot allowed), and no
    /// `clusterIP`; only a `ClusterIP` Service can be headless; `clusterIP`,
    /// `clusterIPs` and `externalIPs` are IP addresses.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.ports: Required value`, or
    /// `spec.clusterIP: Invalid value: "None": may not be set to 'None' for
    /// LoadBalancer services`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateService` and `validateServiceClusterIPsRelatedFields` in `pkg/apis/core/validation/validation.go`:
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
        summary: "a Service lacks ports or `externalName`, cannot be headless, or has an invalid IP or DNS name",
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
                field::invalid("spec.clusterIP", "\"None\"", &format!("may not be set to 'None' for {ty} services")),
            )
            .label("headless")
            .secondary(doc.location(spec.get("type").map_or(spec_entry.key.span, |n| n.span)), "type")
            .pointer(pointer("clusterIP"))
            .note(format!("a {ty} Service needs a cluster IP to route its node ports to"))
            .help("remove `clusterIP: None`, or use `type: ClusterIP` for a headless Service");
        cx.report(f);
    }
    addresses(doc, cx, spec, ty);
    if ty == "ExternalName" {
        if spec.get("externalName").and_then(Node::as_str).is_none_or(str::is_empty) {
            let f = cx
                .finding(
                    &INVALID_SERVICE,
                    spec.get("type").map_or(spec_entry.key.span, |n| n.span),
                    field::required("spec.externalName", ""),
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
            .finding(&INVALID_SERVICE, span, field::required("spec.ports", ""))
            .label("no ports")
            .pointer(pointer("ports"))
            .note("only a headless Service (`clusterIP: None`) or an ExternalName Service may have no ports")
            .help("add a port, e.g. `ports: [{name: http, port: 80, targetPort: http}]`");
        cx.report(f);
    }
}

/// The addresses: `clusterIP`/`clusterIPs` and `externalIPs` are IPs, `externalName`
/// a DNS name (a trailing dot allowed), and an ExternalName Service has no cluster IP.
fn addresses(doc: &Document, cx: &mut Context<'_>, spec: &Node, ty: &str) {
    let pointer = |field: &str| format!("{}/spec/{field}", doc.pointer_prefix);
    let mut ips: Vec<(String, &Node, String)> = Vec::new();
    // The API server copies `clusterIP` into `clusterIPs[0]` before it validates.
    if let Some(node) = spec.get("clusterIP") {
        ips.push(("spec.clusterIPs[0]".into(), node, pointer("clusterIP")));
    }
    for (i, node) in spec.get("clusterIPs").map(Node::items).unwrap_or_default().iter().enumerate() {
        if i > 0 || spec.get("clusterIP").is_none() {
            ips.push((format!("spec.clusterIPs[{i}]"), node, pointer(&format!("clusterIPs/{i}"))));
        }
    }
    for (path, node, ptr) in &ips {
        let Some(ip) = node.as_str().filter(|ip| !ip.is_empty()) else { continue };
        if ty == "ExternalName" {
            let message = field::forbidden("spec.clusterIPs", "may not be set for ExternalName services");
            let f = cx
                .finding(&INVALID_SERVICE, node.span, message)
                .label("a cluster IP on an ExternalName Service")
                .pointer(ptr.clone())
                .help("remove `clusterIP`: an ExternalName Service is only a DNS alias");
            cx.report(f);
            return;
        }
        if ip != "None" && net::parse_ip(ip).is_none() {
            report_ip(cx, node, path, ptr, ip);
        }
    }
    for (i, node) in spec.get("externalIPs").map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(ip) = node.as_str() else { continue };
        if net::parse_ip(ip).is_none() {
            report_ip(cx, node, &format!("spec.externalIPs[{i}]"), &pointer(&format!("externalIPs/{i}")), ip);
        }
    }
    if ty == "ExternalName"
        && let Some(node) = spec.get("externalName")
        && let Some(name) = node.as_str().filter(|n| !n.is_empty())
        && let Err(reason) = names::dns1123_subdomain(name.strip_suffix('.').unwrap_or(name))
    {
        let f = cx
            .finding(&INVALID_SERVICE, node.span, field::invalid("spec.externalName", &field::quote(name), &reason))
            .label("not a DNS name")
            .pointer(pointer("externalName"))
            .help("use a lowercase DNS name such as `db.example.com` (no scheme, port or path)");
        cx.report(f);
    }
}

fn report_ip(cx: &mut Context<'_>, node: &Node, path: &str, pointer: &str, ip: &str) {
    let f = cx
        .finding(&INVALID_SERVICE, node.span, field::invalid(path, &field::quote(ip), net::IP_MESSAGE))
        .label("not an IP address")
        .pointer(pointer.to_string())
        .help("use an IP address, `None` for a headless Service, or leave it out to have one allocated");
    cx.report(f);
}
