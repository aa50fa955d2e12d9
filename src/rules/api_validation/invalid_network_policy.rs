use crate::document::Document;
use crate::kube::{field, names, net};
use crate::rules::Context;
use crate::source::Span;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks a NetworkPolicy's rules as the API server does: each port's
    /// `protocol` is TCP, UDP or SCTP; a numeric `port` is 1 to 65535 and a named one
    /// is a port name (so `port: "80"` is refused); `endPort` needs a numeric `port`
    /// no greater than it; each peer of `from`/`to` sets one of `podSelector`,
    /// `namespaceSelector` and `ipBlock`, and `ipBlock` alone; `ipBlock.cidr` and
    /// each `except` are CIDRs, each `except` strictly inside `cidr`; `policyTypes`
    /// holds at most `Ingress` and `Egress`.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.ingress[0].from[0]: Forbidden:
    /// may not specify both ipBlock and another peer`. A peer that combines
    /// `ipBlock` with a selector is a common attempt to write "these pods from this
    /// network"; NetworkPolicy cannot say that, the rule must list them as two peers.
    ///
    /// ## API server
    /// Rejected on create: `ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPort`,
    /// `ValidateNetworkPolicyPeer` and `ValidateIPBlock` in
    /// `pkg/apis/networking/validation/validation.go`: `spec.egress[0].ports[0].endPort:
    /// Invalid value: 80: must be greater than or equal to `port``,
    /// `spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/16":
    /// must be a strict subset of `cidr``.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: db
    ///   ingress:
    ///   - from:
    ///     - ipBlock:
    ///         cidr: 10.0.0.0/8
    ///       podSelector:
    ///         matchLabels:
    ///           app: api
    ///     ports:
    ///     - port: "5432"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: db
    ///   ingress:
    ///   - from:
    ///     - ipBlock:
    ///         cidr: 10.0.0.0/8
    ///     - podSelector:
    ///         matchLabels:
    ///           app: api
    ///     ports:
    ///     - port: 5432
    /// ```
    pub static INVALID_NETWORK_POLICY = {
        id: "invalid-network-policy",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a NetworkPolicy's port, peer, ipBlock or policyTypes is rejected by the API server",
        fields: [
            "NetworkPolicySpec.policyTypes", "NetworkPolicyPort.port", "NetworkPolicyPort.endPort",
            "NetworkPolicyPort.protocol", "NetworkPolicyPeer.ipBlock", "IPBlock.cidr", "IPBlock.except",
        ],
        fixes: [Safe],
        check: Document(check),
    };
}

const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const POLICY_TYPES: &[&str] = &["Ingress", "Egress"];

fn report(cx: &mut Context<'_>, at: &At, span: Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_NETWORK_POLICY, span, message, label, help);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("NetworkPolicy") || doc.api_version() != Some("networking.k8s.io/v1") {
        return;
    }
    let Some(spec_node) = doc.root.get("spec") else { return };
    let spec = At::new("spec", format!("{}/spec", doc.pointer_prefix));
    for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in spec_node.get(direction).map(Node::items).unwrap_or_default().iter().enumerate() {
            let at = spec.index(direction, i);
            for (j, port) in rule.get("ports").map(Node::items).unwrap_or_default().iter().enumerate() {
                check_port(cx, &at.index("ports", j), port);
            }
            for (j, peer) in rule.get(peers).map(Node::items).unwrap_or_default().iter().enumerate() {
                check_peer(cx, &at.index(peers, j), peer);
            }
        }
    }
    policy_types(cx, &spec.child("policyTypes"), spec_node.get("policyTypes"));
}

fn policy_types(cx: &mut Context<'_>, at: &At, node: Option<&Node>) {
    let Some(node) = node else { return };
    let types = node.items();
    if types.len() > POLICY_TYPES.len() {
        let values: Vec<String> = types.iter().map(Node::display_scalar).collect();
        let value = format!("[]networking.PolicyType{{{}}}", values.join(", "));
        let message = field::invalid(&at.path, &value, "may not specify more than two policyTypes");
        report(cx, at, node.span, message, "more than two types", "list each of `Ingress` and `Egress` at most once");
        return;
    }
    for (i, item) in types.iter().enumerate() {
        if let Some(ty) = item.as_str()
            && !POLICY_TYPES.contains(&ty)
        {
            let at = at.item(i);
            let message = field::not_supported(&at.path, ty, POLICY_TYPES);
            report(cx, &at, item.span, message, "not a policy type", "use `Ingress` or `Egress`");
        }
    }
}

/// `ValidateNetworkPolicyPort`.
fn check_port(cx: &mut Context<'_>, at: &At, port: &Node) {
    if let Some(node) = port.get("protocol")
        && let Some(protocol) = node.as_str()
        && !PROTOCOLS.contains(&protocol)
    {
        let at = at.child("protocol");
        let message = field::not_supported(&at.path, protocol, PROTOCOLS);
        report(cx, &at, node.span, message, "not a protocol", "use `TCP`, `UDP` or `SCTP` (upper case)");
    }
    let end = port.get("endPort").and_then(|n| Some((n, n.as_i64()?)));
    let end_at = at.child("endPort");
    let number = port.get("port").and_then(|n| Some((n, n.as_i64()?)));
    let name = port.get("port").and_then(|n| Some((n, n.as_str()?)));
    if let Some((node, n)) = number {
        if let Err(reason) = names::port_number(n) {
            let at = at.child("port");
            report(
                cx,
                &at,
                node.span,
                field::invalid(&at.path, &n.to_string(), &reason),
                "not a port",
                "use 1 to 65535",
            );
        }
        if let Some((end_node, end)) = end {
            if end < n {
                let message = field::invalid(&end_at.path, &end.to_string(), "must be greater than or equal to `port`");
                let help = "`port` is the first port of the range and `endPort` the last";
                report(cx, &end_at, end_node.span, message, &format!("below `port` ({n})"), help);
            }
            if let Err(reason) = names::port_number(end) {
                let message = field::invalid(&end_at.path, &end.to_string(), &reason);
                report(cx, &end_at, end_node.span, message, "not a port", "use 1 to 65535");
            }
        }
    } else if let Some((node, text)) = name {
        if let Some((end_node, end)) = end {
            let message =
                field::invalid(&end_at.path, &end.to_string(), "may not be specified when `port` is non-numeric");
            let help = "a port range needs a numeric `port`";
            report(cx, &end_at, end_node.span, message, "with a named port", help);
        }
        if let Err(reason) = names::port_name(text) {
            let at = at.child("port");
            let help = if text.parse::<u16>().is_ok() {
                format!("write the number unquoted: `port: {text}`")
            } else {
                "use a number, or the name of a container port (`ports[].name`)".to_string()
            };
            report(
                cx,
                &at,
                node.span,
                field::invalid(&at.path, &field::quote(text), &reason),
                "not a port name",
                &help,
            );
        }
    } else if let Some((end_node, end)) = end
        && port.get("port").is_none_or(Node::is_null)
    {
        let message =
            field::invalid(&end_at.path, &end.to_string(), "may not be specified when `port` is not specified");
        report(cx, &end_at, end_node.span, message, "without `port`", "add `port:` with the first port of the range");
    }
}

/// `ValidateNetworkPolicyPeer` and `ValidateIPBlock`.
fn check_peer(cx: &mut Context<'_>, at: &At, peer: &Node) {
    let set = |key: &str| peer.get(key).filter(|n| !n.is_null());
    let ip_block = set("ipBlock");
    let count = ["podSelector", "namespaceSelector", "ipBlock"].into_iter().filter(|k| set(k).is_some()).count();
    if count == 0 {
        let message = field::required(&at.path, "must specify a peer");
        let help = "set `podSelector`, `namespaceSelector` or `ipBlock`; `{}` here is not \"everything\"";
        report(cx, at, peer.span, message, "no peer", help);
    } else if count > 1
        && let Some(block) = ip_block
    {
        let message = field::forbidden(&at.path, "may not specify both ipBlock and another peer");
        let help = "make the `ipBlock` a peer of its own (a separate `- ipBlock:` item): peers are alternatives";
        report(cx, at, block.span, message, "ipBlock with a selector", help);
    }
    if let Some(block) = ip_block {
        check_ip_block(cx, &at.child("ipBlock"), block);
    }
}

fn check_ip_block(cx: &mut Context<'_>, at: &At, block: &Node) {
    let Some(cidr_node) = block.get("cidr") else { return }; // the schema's `required-field`
    let Some(cidr) = cidr_node.as_str() else { return };
    let cidr_at = at.child("cidr");
    if cidr.is_empty() {
        report(
            cx,
            &cidr_at,
            cidr_node.span,
            field::required(&cidr_at.path, ""),
            "empty",
            "give a CIDR, e.g. `10.0.0.0/8`",
        );
        return;
    }
    let Some(outer) = cidr_value(cx, &cidr_at, cidr_node, cidr) else { return };
    for (i, node) in block.get("except").map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(text) = node.as_str() else { continue };
        let at = at.index("except", i);
        let Some(inner) = cidr_value(cx, &at, node, text) else { continue };
        if !(inner.1 > outer.1 && net::cidr_contains(outer, inner)) {
            let message = field::invalid(&at.path, &field::quote(text), "must be a strict subset of `cidr`");
            let help = format!("list only ranges inside `{cidr}` and smaller than it");
            report(cx, &at, node.span, message, "not inside `cidr`", &help);
        }
    }
}

fn cidr_value(cx: &mut Context<'_>, at: &At, node: &Node, text: &str) -> Option<(std::net::IpAddr, u8)> {
    let parsed = net::parse_cidr(text);
    if parsed.is_none() {
        let help = "write an address and a prefix length, e.g. `10.0.0.0/8` (a single address is `/32`)";
        report(cx, at, node.span, field::invalid(&at.path, &field::quote(text), net::CIDR_MESSAGE), "not a CIDR", help);
    }
    parsed
}
