use crate::document::Document;
use crate::kube::{field, names, net};
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks a Pod's DNS settings as the API server does: `dnsPolicy` is one of
    /// `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` and `None`; `None` needs a
    /// `dnsConfig` with at least one nameserver; at most 3 `nameservers`, each an IP
    /// address; at most 32 `searches`, 2048 characters in all, each a DNS name; each
    /// option named; `hostname` and `subdomain` are DNS-1123 labels; each `hostAliases`
    /// entry has an IP address and DNS names.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.dnsConfig: Required value: must
    /// provide `dnsConfig` when `dnsPolicy` is None`, or `spec.hostname: Invalid value:
    /// "web.internal": a lowercase RFC 1123 label must consist of ...`.
    ///
    /// ## API server
    /// Rejected on create: `validateDNSPolicy`, `validatePodDNSConfig` (`MaxDNSNameservers`
    /// 3, `MaxDNSSearchPaths` 32, `MaxDNSSearchListChars` 2048; underscores and `.` in
    /// searches from 1.33, `RelaxedDNSSearchValidation`), `ValidateHostAliases` and
    /// `ValidatePodSpec` (`hostname`, `subdomain`: `ValidateDNS1123Label`) in
    /// `pkg/apis/core/validation/validation.go`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   dnsPolicy: None
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   dnsPolicy: None
    ///   dnsConfig:
    ///     nameservers: [10.0.0.10]
    ///     searches: [svc.cluster.local]
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub static INVALID_DNS = {
        id: "invalid-dns",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a Pod's dnsPolicy, dnsConfig, hostname, subdomain or hostAliases is rejected by the API server",
        fields: [
            "PodSpec.dnsPolicy", "PodSpec.dnsConfig", "PodSpec.hostname", "PodSpec.subdomain", "PodSpec.hostAliases",
            "PodDNSConfig.nameservers", "PodDNSConfig.searches",
        ],
        fixes: [Safe],
        check: Document(check),
    };
}

const POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCHES: usize = 32;
const MAX_SEARCH_CHARS: usize = 2048;
/// `RelaxedDNSSearchValidation` is on by default from this minor release.
const RELAXED_SEARCH_SINCE: u32 = 33;

fn report(cx: &mut Context<'_>, at: &At, span: crate::source::Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_DNS, span, message, label, help);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let spec = At::new(pod.path(), pod.pointer(""));
    let policy_node = pod.spec.get("dnsPolicy");
    let policy = policy_node.and_then(Node::as_str);
    if let (Some(node), Some(p)) = (policy_node, policy)
        && !POLICIES.contains(&p)
    {
        let at = spec.child("dnsPolicy");
        let help = "use `ClusterFirst` (the default), `ClusterFirstWithHostNet`, `Default` or `None`";
        report(cx, &at, node.span, field::not_supported(&at.path, p, POLICIES), "not a DNS policy", help);
    }
    let config = pod.spec.get("dnsConfig").filter(|n| !n.is_null());
    let nameservers = config.and_then(|c| c.get("nameservers")).map(Node::items).unwrap_or_default();
    if policy == Some("None") {
        let span = policy_node.map_or(pod.spec.span, |n| n.span);
        let help = "add `dnsConfig: {nameservers: [IP]}`, or use another `dnsPolicy`";
        if config.is_none() {
            let at = spec.child("dnsConfig");
            let message = field::required(&at.path, "must provide `dnsConfig` when `dnsPolicy` is None");
            report(cx, &at, span, message, "no `dnsConfig`", help);
        } else if nameservers.is_empty() {
            let at = spec.child("dnsConfig.nameservers");
            let message =
                field::required(&at.path, "must provide at least one DNS nameserver when `dnsPolicy` is None");
            report(cx, &at, span, message, "no nameserver", help);
        }
    }
    if let Some(config) = config {
        dns_config(cx, &spec.child("dnsConfig"), config, nameservers, cx.catalog.version.minor >= RELAXED_SEARCH_SINCE);
    }
    for key in ["hostname", "subdomain"] {
        let Some(node) = pod.spec.get(key) else { continue };
        let Some(text) = node.as_str().filter(|t| !t.is_empty()) else { continue };
        if let Err(reason) = names::dns1123_label(text) {
            let at = spec.child(key);
            let help = "use one DNS label: lowercase letters, digits and `-`, no dots";
            report(cx, &at, node.span, field::invalid(&at.path, &field::quote(text), &reason), "not a DNS label", help);
        }
    }
    for (i, alias) in pod.spec.get("hostAliases").map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = spec.index("hostAliases", i);
        if let Some(node) = alias.get("ip")
            && let Some(ip) = node.as_str()
            && net::parse_ip(ip).is_none()
        {
            let at = at.child("ip");
            let message = field::invalid(&at.path, &field::quote(ip), net::IP_MESSAGE);
            report(cx, &at, node.span, message, "not an IP address", "give the IP address the names resolve to");
        }
        for (j, node) in alias.get("hostnames").map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(name) = node.as_str() else { continue };
            if let Err(reason) = names::dns1123_subdomain(name) {
                let at = at.index("hostnames", j);
                let message = field::invalid(&at.path, &field::quote(name), &reason);
                report(cx, &at, node.span, message, "not a DNS name", "use a lowercase DNS name");
            }
        }
    }
}

fn dns_config(cx: &mut Context<'_>, at: &At, config: &Node, nameservers: &[Node], relaxed: bool) {
    if nameservers.len() > MAX_NAMESERVERS
        && let Some(node) = config.get("nameservers")
    {
        let at = at.child("nameservers");
        let values: Vec<String> = nameservers.iter().map(Node::display_scalar).collect();
        let message = field::invalid(
            &at.path,
            &format!("[]string{{{}}}", values.join(", ")),
            &format!("must not have more than {MAX_NAMESERVERS} nameservers"),
        );
        report(cx, &at, node.span, message, "too many nameservers", "the resolver reads at most 3 nameservers");
    }
    for (i, node) in nameservers.iter().enumerate() {
        let Some(ip) = node.as_str() else { continue };
        if net::parse_ip(ip).is_none() {
            let at = at.index("nameservers", i);
            let message = field::invalid(&at.path, &field::quote(ip), net::IP_MESSAGE);
            report(cx, &at, node.span, message, "not an IP address", "give the nameserver's IP address");
        }
    }
    let searches = config.get("searches").map(Node::items).unwrap_or_default();
    let texts: Vec<&str> = searches.iter().filter_map(Node::as_str).collect();
    if let Some(node) = config.get("searches") {
        let at = at.child("searches");
        let list = format!("[]string{{{}}}", texts.iter().map(|t| field::quote(t)).collect::<Vec<_>>().join(", "));
        if searches.len() > MAX_SEARCHES {
            let message =
                field::invalid(&at.path, &list, &format!("must not have more than {MAX_SEARCHES} search paths"));
            report(cx, &at, node.span, message, "too many search paths", "keep at most 32 search domains");
        }
        if texts.join(" ").len() > MAX_SEARCH_CHARS {
            let detail =
                format!("must not have more than {MAX_SEARCH_CHARS} characters (including spaces) in the search list");
            report(cx, &at, node.span, field::invalid(&at.path, &list, &detail), "too long", "shorten the search list");
        }
    }
    for (i, node) in searches.iter().enumerate() {
        let Some(search) = node.as_str() else { continue };
        if relaxed && search == "." {
            continue;
        }
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        let result =
            if relaxed { names::dns1123_subdomain_with_underscore(trimmed) } else { names::dns1123_subdomain(trimmed) };
        if let Err(reason) = result {
            let at = at.index("searches", i);
            let message = field::invalid(&at.path, &field::quote(trimmed), &reason);
            report(
                cx,
                &at,
                node.span,
                message,
                "not a DNS name",
                "use a lowercase DNS domain, e.g. `svc.cluster.local`",
            );
        }
    }
    for (i, option) in config.get("options").map(Node::items).unwrap_or_default().iter().enumerate() {
        if option.get("name").and_then(Node::as_str).is_none_or(str::is_empty) {
            let at = at.index("options", i);
            let message = field::required(&at.path, "must not be empty");
            report(cx, &at, option.span, message, "no name", "name the resolver option, e.g. `name: ndots`");
        }
    }
}
