//! The fields that only some Service types may set, and the per-port and
//! session-affinity values (`ValidateService`, `validateServicePort`,
//! `validateServiceExternalTrafficPolicy`, `validateLoadBalancerClassField`,
//! `validateClientIPAffinityConfig`).

use super::INVALID_SERVICE;
use crate::document::Document;
use crate::kube::{field, names, net};
use crate::rules::Context;
use crate::rules::api_validation::at::At;
use crate::yaml::Node;

const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";
const TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
const TOPOLOGY_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
/// `core.MaxClientIPServiceAffinitySeconds`
const MAX_AFFINITY_SECONDS: i64 = 86400;
const ONLY_LOAD_BALANCER: &str = "may only be used when `type` is 'LoadBalancer'";

pub fn check(doc: &Document, cx: &mut Context<'_>, spec: &Node, ty: &str) {
    let at = At::new("spec", format!("{}/spec", doc.pointer_prefix));
    let set = |name: &str| spec.get(name).filter(|n| !n.is_null());
    ports(cx, &at, spec, ty);
    source_ranges(doc, cx, &at, spec, ty);
    let lb = ty == "LoadBalancer";
    if let Some(node) = set("allocateLoadBalancerNodePorts") {
        report_not_lb(
            cx,
            &at.child("allocateLoadBalancerNodePorts"),
            node,
            ty,
            "remove it: only a LoadBalancer Service allocates node ports for its load balancer",
        );
    }
    if let Some(node) = set("loadBalancerClass") {
        let here = at.child("loadBalancerClass");
        if !lb {
            report_not_lb(cx, &here, node, ty, "remove `loadBalancerClass`, or use `type: LoadBalancer`");
        } else if let Some(class) = node.as_str()
            && let Err(reason) = names::qualified_name(class)
        {
            let message = field::invalid(&here.path, &field::quote(class), &reason);
            here.report(
                cx,
                &INVALID_SERVICE,
                node.span,
                message,
                "not a qualified name",
                "use a name such as `example.com/internal-vip`",
            );
        }
    }
    traffic_policy(cx, &at, spec, ty);
    if spec.get("sessionAffinity").and_then(Node::as_str) == Some("ClientIP")
        && let Some(node) = spec.at(&["sessionAffinityConfig", "clientIP", "timeoutSeconds"])
        && let Some(n) = node.as_i64()
        && !(1..=MAX_AFFINITY_SECONDS).contains(&n)
    {
        let here = at.child("sessionAffinityConfig.clientIP.timeoutSeconds");
        let reason = format!("must be greater than 0 and less than {MAX_AFFINITY_SECONDS}");
        let message = field::invalid(&here.path, &n.to_string(), &reason);
        here.report(
            cx,
            &INVALID_SERVICE,
            node.span,
            message,
            "out of range",
            "use a timeout between 1 and 86400 seconds, or leave it out for 10800",
        );
    }
    topology(doc, cx);
}

fn ports(cx: &mut Context<'_>, at: &At, spec: &Node, ty: &str) {
    for (i, port) in spec.get("ports").map(Node::items).unwrap_or_default().iter().enumerate() {
        let here = at.index("ports", i);
        if ty == "ClusterIP"
            && let Some(node) = port.get("nodePort")
            && node.as_i64().is_some_and(|n| n != 0)
        {
            let here = here.child("nodePort");
            let message = field::forbidden(&here.path, "may not be used when `type` is 'ClusterIP'");
            here.report(
                cx,
                &INVALID_SERVICE,
                node.span,
                message,
                "a node port on a ClusterIP Service",
                "remove `nodePort`, or use `type: NodePort`",
            );
        }
        if let Some(node) = port.get("appProtocol")
            && let Some(text) = node.as_str()
            && let Err(reason) = names::qualified_name(text)
        {
            let here = here.child("appProtocol");
            let message = field::invalid(&here.path, &field::quote(text), &reason);
            here.report(
                cx,
                &INVALID_SERVICE,
                node.span,
                message,
                "not a qualified name",
                "use an IANA service name (`http`, `h2c`) or a prefixed name such as `example.com/proto`",
            );
        }
    }
}

/// `loadBalancerSourceRanges`, or its older annotation when the field is empty:
/// CIDRs (space-padding tolerated), only on a LoadBalancer.
const SOURCE_RANGES_HELP: &str = "remove the source ranges, or use `type: LoadBalancer`";

fn source_ranges(doc: &Document, cx: &mut Context<'_>, at: &At, spec: &Node, ty: &str) {
    let ranges = spec.get("loadBalancerSourceRanges").map(Node::items).unwrap_or_default();
    // The API server names the field with a capital L here.
    let field_at = At::new("spec.LoadBalancerSourceRanges", at.child("loadBalancerSourceRanges").pointer);
    let values: Vec<(&Node, String, At)> = if ranges.is_empty() {
        let Some(node) = doc.root.at(&["metadata", "annotations", SOURCE_RANGES_ANNOTATION]) else { return };
        let key = At::new(
            format!("metadata.annotations[{SOURCE_RANGES_ANNOTATION}]"),
            format!("{}/metadata/annotations/{}", doc.pointer_prefix, SOURCE_RANGES_ANNOTATION.replace('/', "~1")),
        );
        report_not_lb(cx, &key, node, ty, SOURCE_RANGES_HELP);
        let text = node.as_str().unwrap_or("").trim();
        if text.is_empty() {
            return;
        }
        text.split(',').map(|v| (node, v.trim().to_string(), At::new(key.path.clone(), key.pointer.clone()))).collect()
    } else {
        report_not_lb(cx, &field_at, spec.get("loadBalancerSourceRanges").unwrap_or(spec), ty, SOURCE_RANGES_HELP);
        ranges
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.as_str().map(|s| (n, s.trim().to_string(), field_at.item(i))))
            .collect()
    };
    for (node, value, here) in values {
        if net::parse_cidr(&value).is_none() {
            let message = field::invalid(&here.path, &field::quote(&value), net::CIDR_MESSAGE);
            here.report(
                cx,
                &INVALID_SERVICE,
                node.span,
                message,
                "not a CIDR",
                "write an address and a prefix length, e.g. `203.0.113.0/24`",
            );
        }
    }
}

/// A field only a LoadBalancer Service may set, on a Service of another type.
fn report_not_lb(cx: &mut Context<'_>, here: &At, node: &Node, ty: &str, help: &str) {
    if ty != "LoadBalancer" {
        let message = field::forbidden(&here.path, ONLY_LOAD_BALANCER);
        here.report(cx, &INVALID_SERVICE, node.span, message, "not a LoadBalancer", help);
    }
}

/// `externalTrafficPolicy` only where traffic comes from outside (a NodePort or
/// LoadBalancer Service, or a ClusterIP Service with `externalIPs`);
/// `healthCheckNodePort` only for a LoadBalancer with the `Local` policy.
fn traffic_policy(cx: &mut Context<'_>, at: &At, spec: &Node, ty: &str) {
    let has_external_ips = spec.get("externalIPs").is_some_and(|n| !n.items().is_empty());
    let accessible = matches!(ty, "LoadBalancer" | "NodePort") || (ty == "ClusterIP" && has_external_ips);
    let policy_node = spec.get("externalTrafficPolicy");
    let policy = policy_node.and_then(Node::as_str).unwrap_or("");
    if !accessible && !policy.is_empty() {
        let here = at.child("externalTrafficPolicy");
        let message =
            field::invalid(&here.path, &field::quote(policy), "may only be set for externally-accessible services");
        let span = policy_node.map_or(spec.span, |n| n.span);
        here.report(
            cx,
            &INVALID_SERVICE,
            span,
            message,
            "not externally accessible",
            "remove `externalTrafficPolicy`: it applies to NodePort and LoadBalancer Services (and external IPs)",
        );
    }
    let Some(node) = spec.get("healthCheckNodePort") else { return };
    let Some(n) = node.as_i64().filter(|n| *n != 0) else { return };
    let here = at.child("healthCheckNodePort");
    if ty != "LoadBalancer" || policy != "Local" {
        let reason = "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
        let message = field::invalid(&here.path, &n.to_string(), reason);
        here.report(cx, &INVALID_SERVICE, node.span, message, "no health check here", "remove `healthCheckNodePort`");
    } else if let Err(reason) = names::port_number(n) {
        let message = field::invalid(&here.path, &n.to_string(), &reason);
        here.report(
            cx,
            &INVALID_SERVICE,
            node.span,
            message,
            "out of range",
            "use a port number, or leave it out to have one allocated",
        );
    }
}

/// The topology-mode annotation and its deprecated predecessor must agree.
fn topology(doc: &Document, cx: &mut Context<'_>) {
    let annotations = doc.root.at(&["metadata", "annotations"]);
    let value = |key: &str| annotations.and_then(|a| a.get(key)).and_then(Node::as_str);
    let (Some(mode), Some(hints)) = (value(TOPOLOGY_MODE), value(TOPOLOGY_HINTS)) else { return };
    if mode == hints {
        return;
    }
    let here = At::new(
        format!("metadata.annotations[{TOPOLOGY_MODE}]"),
        format!("{}/metadata/annotations/{}", doc.pointer_prefix, TOPOLOGY_MODE.replace('/', "~1")),
    );
    let reason = format!("must match annotations[{TOPOLOGY_HINTS}] when both are specified");
    let message = field::invalid(&here.path, &field::quote(mode), &reason);
    let span = annotations.and_then(|a| a.get(TOPOLOGY_MODE)).map_or(doc.root.span, |n| n.span);
    here.report(
        cx,
        &INVALID_SERVICE,
        span,
        message,
        "differs from the hints annotation",
        "drop the deprecated `topology-aware-hints` annotation",
    );
}
