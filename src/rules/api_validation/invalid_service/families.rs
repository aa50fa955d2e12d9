//! `clusterIP`, `clusterIPs`, `ipFamilies` and `ipFamilyPolicy` together
//! (`ValidateServiceClusterIPsRelatedFields`, and `initIPFamilyFields` in the
//! Service registry's `alloc.go`, which runs it first).

use super::INVALID_SERVICE;
use crate::document::Document;
use crate::kube::{field, net};
use crate::rules::Context;
use crate::rules::api_validation::at::At;
use crate::yaml::Node;

pub fn check(doc: &Document, cx: &mut Context<'_>, spec: &Node, ty: &str) {
    if ty == "ExternalName" {
        return;
    }
    let at = At::new("spec", format!("{}/spec", doc.pointer_prefix));
    let cluster_ip = spec.get("clusterIP").and_then(Node::as_str).filter(|s| !s.is_empty());
    let listed: &[Node] = spec.get("clusterIPs").map(Node::items).unwrap_or_default();
    // On create the registry copies `clusterIP` into an empty `clusterIPs`.
    let ips: Vec<(&Node, At)> = match (spec.get("clusterIP"), cluster_ip.is_some() && listed.is_empty()) {
        (Some(node), true) => vec![(node, At::new("spec.clusterIPs[0]", at.child("clusterIP").pointer))],
        _ => listed.iter().enumerate().map(|(i, n)| (n, at.index("clusterIPs", i))).collect(),
    };
    let texts: Vec<&str> = ips.iter().map(|(n, _)| n.as_str().unwrap_or("")).collect();
    let list_at = at.child("clusterIPs");
    let list_span = spec.get("clusterIPs").map_or(spec.span, |n| n.span);
    let slice = field::string_slice(&texts);
    let invalid = |cx: &mut Context<'_>, reason: &str, label: &str, help: &str| {
        let message = field::invalid(&list_at.path, &slice, reason);
        list_at.report(cx, &INVALID_SERVICE, list_span, message, label, help);
    };
    let mut bad = false;
    match cluster_ip {
        Some(first) if listed.first().is_some_and(|n| n.as_str() != Some(first)) => {
            bad = true;
            invalid(
                cx,
                "first value must match `clusterIP`",
                "does not start with `clusterIP`",
                "list `clusterIP` first in `clusterIPs`",
            );
        }
        None if !listed.is_empty() => {
            bad = true;
            invalid(
                cx,
                "must be empty when `clusterIP` is not specified",
                "without `clusterIP`",
                "set `clusterIP` to the first address too",
            );
        }
        _ => {}
    }
    let families = spec.get("ipFamilies").map(Node::items).unwrap_or_default();
    let mut seen: Vec<(&str, &Node)> = Vec::new();
    for (i, node) in families.iter().enumerate() {
        if let Some(family) = node.as_str()
            && crate::rules::first_seen(&mut seen, family, node).is_some()
        {
            let here = at.index("ipFamilies", i);
            let message = field::duplicate(&here.path, &field::quote(family));
            here.report(cx, &INVALID_SERVICE, node.span, message, "listed twice", "list each IP family once");
        }
    }
    let mut parsed = Vec::new();
    for (i, ((node, here), text)) in ips.iter().zip(&texts).enumerate() {
        if i == 0 && *text == "None" {
            if ips.len() > 1 {
                bad = true;
                invalid(
                    cx,
                    "'None' must be the first and only value",
                    "`None` with addresses",
                    "use `None` alone for a headless Service",
                );
            }
            continue;
        }
        match net::parse_ip(text) {
            Some(ip) => parsed.push((i, ip, *node, here, *text)),
            None => {
                bad = true;
                let message = field::invalid(&here.path, &field::quote(text), net::IP_MESSAGE);
                let help = "use an IP address, `None` for a headless Service, or leave it out to have one allocated";
                here.report(cx, &INVALID_SERVICE, node.span, message, "not an IP address", help);
            }
        }
    }
    if ips.len() > 2 {
        bad = true;
        invalid(
            cx,
            "may only hold up to 2 values",
            "more than 2 addresses",
            "keep one IPv4 and one IPv6 address at most",
        );
    }
    if bad {
        return;
    }
    let v6 = |(_, ip, ..): &(usize, std::net::IpAddr, &Node, &At, &str)| net::is_ipv6(*ip);
    if parsed.len() > 1 && (parsed.iter().all(v6) || !parsed.iter().any(v6)) {
        invalid(
            cx,
            "may specify no more than one IP for each IP family",
            "two addresses of one family",
            "a dual-stack Service has one IPv4 and one IPv6 address",
        );
        return;
    }
    let headless = texts.as_slice() == ["None"];
    if !headless {
        for (i, ip, node, here, text) in &parsed {
            let Some(family) = families.get(*i).and_then(Node::as_str) else { continue };
            let expected = match family {
                "IPv4" if net::is_ipv6(*ip) => "IPv4",
                "IPv6" if !net::is_ipv6(*ip) => "IPv6",
                _ => continue,
            };
            let reason = format!("expected an {expected} value as indicated by `ipFamilies[{i}]`");
            let message = field::invalid(&here.path, &field::quote(text), &reason);
            let help = "list the families in the order of the addresses";
            here.report(cx, &INVALID_SERVICE, node.span, message, "of the other family", help);
        }
    }
    policy(cx, &at, spec, ips.len(), families.len(), cluster_ip == Some("None"));
}

/// `SingleStack`, given or the default on create (but for a headless Service
/// without a selector), allows one address and one family.
fn policy(cx: &mut Context<'_>, at: &At, spec: &Node, ips: usize, families: usize, headless: bool) {
    let given = spec.get("ipFamilyPolicy").filter(|n| !n.is_null());
    let selectorless = spec.get("selector").is_none_or(|s| s.entries().is_empty());
    let policy = match given {
        Some(node) => node.as_str().unwrap_or(""),
        None if headless && selectorless => "RequireDualStack",
        None => "SingleStack",
    };
    if policy != "SingleStack" {
        return;
    }
    let here = at.child("ipFamilyPolicy");
    let span = given
        .map_or_else(|| spec.get("ipFamilies").or(spec.get("clusterIPs")).map_or(spec.span, |n| n.span), |n| n.span);
    for (count, what) in [(ips, "cluster IPs"), (families, "IP families")] {
        if count == 2 {
            let reason = format!("must be 'RequireDualStack' or 'PreferDualStack' when multiple {what} are specified");
            let message = field::invalid(&here.path, "\"SingleStack\"", &reason);
            let label = if given.is_some() { "single-stack" } else { "single-stack by default" };
            let help = "set `ipFamilyPolicy: PreferDualStack` (or `RequireDualStack`), or keep one family";
            here.report(cx, &INVALID_SERVICE, span, message, label, help);
        }
    }
}
