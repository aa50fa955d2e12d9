use crate::document::Document;
use crate::kube::{field, names, net};
use crate::rules::Context;
use crate::yaml::Node;

mod families;
mod per_type;

crate::declare_rule! {
    /// ## What it does
    /// Checks a Service's spec per type, after the API server's defaults (`type:
    /// ClusterIP`, `protocol: TCP`, `sessionAffinity: None`, `externalTrafficPolicy:
    /// Cluster` where it applies):
    /// - it needs `ports` unless it is headless (`clusterIP: None`) or of type
    ///   `ExternalName`; only a `ClusterIP` Service can be headless;
    /// - an `ExternalName` Service needs `externalName`, a DNS-1123 subdomain (a
    ///   trailing dot allowed), and no `clusterIP`, `ipFamilies` or `ipFamilyPolicy`;
    /// - `clusterIP`, `clusterIPs` and `externalIPs` are IP addresses; external IPs
    ///   are not loopback, link-local or unspecified; `clusterIPs` starts with
    ///   `clusterIP`, holds at most one IP per family and matches `ipFamilies`, which
    ///   has no duplicates; `SingleStack` (the default) allows one IP and one family;
    /// - `nodePort` is not set on a `ClusterIP` Service; `loadBalancerSourceRanges`
    ///   (CIDRs), `allocateLoadBalancerNodePorts` and `loadBalancerClass` (a
    ///   qualified name) only on a `LoadBalancer`; `externalTrafficPolicy` only on
    ///   an externally-accessible Service; `healthCheckNodePort` only on a
    ///   `LoadBalancer` with `externalTrafficPolicy: Local`, and a valid port;
    /// - a ClientIP `sessionAffinityConfig` timeout is between 1 and 86400 seconds;
    ///   `appProtocol` is a qualified name; the topology-mode and topology-aware-hints
    ///   annotations agree.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.ports: Required value`,
    /// `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for
    /// LoadBalancer services`, or `spec.externalTrafficPolicy: Invalid value:
    /// "Local": may only be set for externally-accessible services`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateService`, `validateServicePort`,
    /// `validateClientIPAffinityConfig`, `validateLoadBalancerClassField`,
    /// `validateServiceExternalTrafficPolicy`, `ValidateNonSpecialIP` and
    /// `ValidateServiceClusterIPsRelatedFields` in
    /// `pkg/apis/core/validation/validation.go`; the `ipFamilyPolicy` checks are in
    /// `initIPFamilyFields` (`pkg/registry/core/service/storage/alloc.go`), which runs
    /// before validation. What depends on the cluster (the node-port range, the
    /// service CIDRs, whether it is dual-stack) is not checked.
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
        summary: "a Service's fields do not fit its type, or it has an invalid IP, CIDR, family or DNS name",
        fields: [
            "ServiceSpec.ports", "ServiceSpec.clusterIP", "ServiceSpec.clusterIPs", "ServiceSpec.type",
            "ServiceSpec.externalName", "ServiceSpec.externalIPs", "ServiceSpec.ipFamilies", "ServiceSpec.ipFamilyPolicy",
            "ServiceSpec.externalTrafficPolicy", "ServiceSpec.healthCheckNodePort", "ServiceSpec.loadBalancerSourceRanges",
            "ServiceSpec.allocateLoadBalancerNodePorts", "ServiceSpec.loadBalancerClass", "ServiceSpec.sessionAffinityConfig",
            "ServicePort.nodePort", "ServicePort.appProtocol",
        ],
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
                field::invalid(
                    "spec.clusterIPs[0]",
                    "\"None\"",
                    &format!("may not be set to 'None' for {ty} services"),
                ),
            )
            .label("headless")
            .secondary(doc.location(spec.get("type").map_or(spec_entry.key.span, |n| n.span)), "type")
            .pointer(pointer("clusterIP"))
            .note(format!("a {ty} Service needs a cluster IP to route its node ports to"))
            .help("remove `clusterIP: None`, or use `type: ClusterIP` for a headless Service");
        cx.report(f);
    }
    external(doc, cx, spec, ty);
    families::check(doc, cx, spec, ty);
    per_type::check(doc, cx, spec, ty);
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

/// What an ExternalName Service may not have, its `externalName`, and the
/// `externalIPs` of every type.
fn external(doc: &Document, cx: &mut Context<'_>, spec: &Node, ty: &str) {
    let pointer = |field: &str| format!("{}/spec/{field}", doc.pointer_prefix);
    if ty == "ExternalName" {
        // The API server copies `clusterIP` into `clusterIPs` before it validates.
        let set = |f: &str| spec.get(f).filter(|n| n.as_str().is_none_or(|s| !s.is_empty()) && !n.is_null());
        let ips = set("clusterIP").or_else(|| set("clusterIPs").filter(|n| !n.items().is_empty()));
        let families = set("ipFamilies").filter(|n| !n.items().is_empty());
        for (node, field, label) in [
            (ips, "clusterIPs", "a cluster IP on an ExternalName Service"),
            (families, "ipFamilies", "IP families on an ExternalName Service"),
            (set("ipFamilyPolicy"), "ipFamilyPolicy", "an IP family policy on an ExternalName Service"),
        ] {
            let Some(node) = node else { continue };
            let message = field::forbidden(&format!("spec.{field}"), "may not be set for ExternalName services");
            let f = cx
                .finding(&INVALID_SERVICE, node.span, message)
                .label(label)
                .pointer(pointer(field))
                .help(format!("remove `{field}`: an ExternalName Service is only a DNS alias"));
            cx.report(f);
        }
        if let Some(node) = spec.get("externalName")
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
    for (i, node) in spec.get("externalIPs").map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(text) = node.as_str() else { continue };
        let path = format!("spec.externalIPs[{i}]");
        let reasons = match net::parse_ip(text) {
            None => vec![net::IP_MESSAGE.to_string()],
            Some(ip) => net::special_ip_reasons(text, ip),
        };
        for reason in reasons {
            let f = cx
                .finding(&INVALID_SERVICE, node.span, field::invalid(&path, &field::quote(text), &reason))
                .label("not a usable external IP")
                .pointer(pointer(&format!("externalIPs/{i}")))
                .help("use an address of the node or load balancer that receives the traffic");
            cx.report(f);
        }
    }
}
