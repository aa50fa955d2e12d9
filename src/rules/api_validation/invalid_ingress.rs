use crate::document::Document;
use crate::kube::{field, names, net};
use crate::rules::Context;
use crate::source::Span;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks an Ingress (`networking.k8s.io/v1`) as the API server does: it needs
    /// `rules` or a `defaultBackend`; each rule's `host` is a DNS name (not an IP
    /// address), a wildcard only as the whole first label (`*.example.com`); `paths`
    /// is not empty; an `Exact` or `Prefix` path is absolute and has no `//`, `/./`,
    /// `/../`, `%2f`, and does not end in `/.` or `/..` (an `ImplementationSpecific`
    /// path only has to be absolute); a backend names either a Service or a
    /// resource, a Service by a DNS-1035 name and by a port name or a port number
    /// (not both); `tls[].hosts` are DNS names, `tls[].secretName` and
    /// `ingressClassName` are object names, and the `kubernetes.io/ingress.class`
    /// annotation agrees with `ingressClassName`. An IngressClass needs a
    /// `spec.controller`, a domain-prefixed path (`k8s.io/ingress-nginx`) of at most
    /// 250 bytes; its `parameters` name a `kind` and a `name` (URL path segments) and
    /// an API group (a DNS name), and give a `namespace` exactly when `scope` is
    /// `Namespace` (an unset `scope` is `Cluster`).
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.rules[0].http.paths[0].path:
    /// Invalid value: "api": must be an absolute path`, and the whole Ingress with
    /// it, so none of its routes is served.
    ///
    /// ## API server
    /// Rejected on create: `ValidateIngressCreate`, `ValidateIngressSpec`,
    /// `validateIngressRules`, `validateHTTPIngressPath`, `validateIngressBackend`
    /// and `validateIngressTLS` in `pkg/apis/networking/validation/validation.go`:
    /// `spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP
    /// address`, `spec.rules[0].http.paths[0].path: Invalid value: "/a//b": must not
    /// contain '//'`, `spec.rules[0].http.paths[0].backend: Invalid value: "": cannot
    /// set both port name & port number`. A missing or unknown `pathType` is the
    /// schema's (`required-field`, `unsupported-value`). IngressClass:
    /// `ValidateIngressClass`, `validateIngressClassSpec` (`spec.controller: Required
    /// value`, `must be a domain-prefixed path (such as "acme.io/foo")`) and
    /// `validateIngressClassParametersReference` (``spec.parameters.namespace:
    /// Forbidden: `parameters.scope` is set to 'Cluster'``), after the defaulting of
    /// an unset `scope` to `Cluster`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - host: "*.*.example.com"
    ///     http:
    ///       paths:
    ///       - path: api
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
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
    ///   - host: "*.example.com"
    ///     http:
    ///       paths:
    ///       - path: /api
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    pub static INVALID_INGRESS = {
        id: "invalid-ingress",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an Ingress host, path, backend, TLS host or class name, or an IngressClass, is rejected by the API server",
        fields: [
            "IngressSpec.rules", "IngressSpec.defaultBackend", "IngressSpec.tls", "IngressSpec.ingressClassName",
            "IngressRule.host", "HTTPIngressRuleValue.paths", "HTTPIngressPath.path", "HTTPIngressPath.backend",
            "IngressBackend.service", "IngressBackend.resource", "IngressServiceBackend.port", "IngressTLS.hosts",
            "IngressTLS.secretName", "IngressClassSpec.controller", "IngressClassSpec.parameters",
        ],
        check: Document(check),
    };
}

const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// `invalidPathSequences` and `invalidPathSuffixes` of the validation code.
const INVALID_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const INVALID_SUFFIXES: &[&str] = &["/..", "/."];

pub(super) fn report(cx: &mut Context<'_>, at: &At, span: Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_INGRESS, span, message, label, help);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.api_version() != Some("networking.k8s.io/v1") {
        return;
    }
    match doc.kind() {
        Some("Ingress") => {}
        Some("IngressClass") => return super::ingress_class::check(doc, cx),
        _ => return,
    }
    let spec_node = doc.root.get("spec").filter(|n| !n.is_null());
    let spec = At::new("spec", format!("{}/spec", doc.pointer_prefix));
    let rules = spec_node.and_then(|s| s.get("rules")).map(Node::items).unwrap_or_default();
    let default_backend = spec_node.and_then(|s| s.get("defaultBackend")).filter(|n| !n.is_null());
    if rules.is_empty() && default_backend.is_none() {
        // Go's `%#v` of the empty `spec.Rules` slice.
        let value = if spec_node.and_then(|s| s.get("rules")).is_some_and(|r| !r.is_null()) {
            "[]networking.IngressRule{}"
        } else {
            "[]networking.IngressRule(nil)"
        };
        let span = doc.root.entry("spec").map_or(doc.head_span(), |e| e.key.span);
        let message = field::invalid("spec", value, "either `defaultBackend` or `rules` must be specified");
        let help = "add `rules` with hosts and paths, or a `defaultBackend` for all traffic";
        report(cx, &spec, span, message, "no rules and no default backend", help);
    }
    let Some(spec_node) = spec_node else { return };
    if let Some(backend) = default_backend {
        check_backend(cx, &spec.child("defaultBackend"), backend);
    }
    for (i, rule) in rules.iter().enumerate() {
        let at = spec.index("rules", i);
        if let Some(node) = rule.get("host")
            && let Some(host) = node.as_str().filter(|h| !h.is_empty())
        {
            check_host(cx, &at.child("host"), node, host, true);
        }
        let Some(http) = rule.get("http").filter(|n| !n.is_null()) else { continue };
        let at = at.child("http");
        if let Some(paths) = http.get("paths")
            && paths.items().is_empty()
            && !paths.is_null()
        {
            let at = at.child("paths");
            let help = "add at least one path, e.g. `- {path: /, pathType: Prefix, backend: ...}`";
            report(cx, &at, paths.span, field::required(&at.path, ""), "no paths", help);
        }
        for (j, path) in http.get("paths").map(Node::items).unwrap_or_default().iter().enumerate() {
            let at = at.index("paths", j);
            check_path(cx, &at, path);
            if let Some(backend) = path.get("backend").filter(|n| !n.is_null()) {
                check_backend(cx, &at.child("backend"), backend);
            }
        }
    }
    for (i, tls) in spec_node.get("tls").map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = spec.index("tls", i);
        for (j, node) in tls.get("hosts").map(Node::items).unwrap_or_default().iter().enumerate() {
            if let Some(host) = node.as_str() {
                check_host(cx, &at.index("hosts", j), node, host, false);
            }
        }
        if let Some(node) = tls.get("secretName")
            && let Some(name) = node.as_str().filter(|n| !n.is_empty())
            && let Err(reason) = names::dns1123_subdomain(name)
        {
            let at = at.child("secretName");
            let help = "name the Secret that holds the certificate (`kubernetes.io/tls`): a lowercase DNS name";
            report(
                cx,
                &at,
                node.span,
                field::invalid(&at.path, &field::quote(name), &reason),
                "not a Secret name",
                help,
            );
        }
    }
    ingress_class(doc, cx, &spec, spec_node);
}

/// `ingressClassName` is an object name and agrees with the older annotation.
fn ingress_class(doc: &Document, cx: &mut Context<'_>, spec: &At, spec_node: &Node) {
    let Some(node) = spec_node.get("ingressClassName") else { return };
    let Some(class) = node.as_str() else { return };
    if let Err(reason) = names::dns1123_subdomain(class) {
        let at = spec.child("ingressClassName");
        let help = "name an IngressClass (`kubectl get ingressclass`): a lowercase DNS name";
        report(cx, &at, node.span, field::invalid(&at.path, &field::quote(class), &reason), "not a class name", help);
    }
    let annotation = doc.root.at(&["metadata", "annotations"]).and_then(|a| a.get(CLASS_ANNOTATION));
    if let Some(annotation) = annotation
        && let Some(value) = annotation.as_str()
        && value != class
    {
        // The API server names the annotation without `metadata.`.
        let path = format!("annotations.{CLASS_ANNOTATION}");
        let message =
            field::invalid(&path, &field::quote(value), "must match `ingressClassName` when both are specified");
        let f = cx
            .finding(&INVALID_INGRESS, annotation.span, message)
            .label(format!("not `{class}`"))
            .secondary(doc.location(node.span), "ingressClassName")
            .pointer(format!("{}/metadata/annotations/kubernetes.io~1ingress.class", doc.pointer_prefix))
            .help("remove the deprecated annotation and keep `ingressClassName`");
        cx.report(f);
    }
}

/// A rule's host or a TLS host: a DNS name, a wildcard only as `*.` in front; a
/// rule's host also not an IP address.
fn check_host(cx: &mut Context<'_>, at: &At, node: &Node, host: &str, rule: bool) {
    let quoted = field::quote(host);
    if rule && net::parse_ip(host).is_some() {
        let message = field::invalid(&at.path, &quoted, "must be a DNS name, not an IP address");
        let help = "use the DNS name clients send in the `Host` header, or leave `host` out to match any host";
        report(cx, at, node.span, message, "an IP address", help);
    }
    let result =
        if host.contains('*') { names::wildcard_dns1123_subdomain(host) } else { names::dns1123_subdomain(host) };
    if let Err(reason) = result {
        let help = if host.contains('*') {
            "a wildcard is allowed only as the whole first label: `*.example.com`"
        } else {
            "use a lowercase DNS name without scheme, port or path, e.g. `app.example.com`"
        };
        report(cx, at, node.span, field::invalid(&at.path, &quoted, &reason), "not a DNS name", help);
    }
}

/// `validateHTTPIngressPath`: what a path must look like for its `pathType`. A
/// missing or unknown `pathType` is the schema's finding.
fn check_path(cx: &mut Context<'_>, at: &At, path: &Node) {
    let Some(ty) = path.get("pathType").and_then(Node::as_str) else { return };
    let node = path.get("path");
    let text = node.and_then(Node::as_str).unwrap_or("");
    let span = node.map_or(path.span, |n| n.span);
    let at = at.child("path");
    let mut reasons = Vec::new();
    match ty {
        "Exact" | "Prefix" => {
            if !text.starts_with('/') {
                reasons.push("must be an absolute path".to_string());
            }
            reasons.extend(
                INVALID_SEQUENCES.iter().filter(|s| text.contains(**s)).map(|s| format!("must not contain '{s}'")),
            );
            reasons.extend(
                INVALID_SUFFIXES.iter().filter(|s| text.ends_with(**s)).map(|s| format!("cannot end with '{s}'")),
            );
        }
        "ImplementationSpecific" if !text.is_empty() && !text.starts_with('/') => {
            reasons.push("must be an absolute path".to_string());
        }
        _ => {}
    }
    for reason in reasons {
        let help = if reason.contains("absolute") {
            format!("start the path with `/`, e.g. `/{}`", text.trim_start_matches('/'))
        } else {
            "write the path in its normal form: single slashes, no `.` or `..` segments, no encoded `/`".to_string()
        };
        let label = if text.is_empty() { "no path" } else { "not a valid path" };
        report(cx, &at, span, field::invalid(&at.path, &field::quote(text), &reason), label, &help);
    }
}

/// `validateIngressBackend`: a Service or a resource, not both; a Service by name and
/// by one of port name and port number.
fn check_backend(cx: &mut Context<'_>, at: &At, backend: &Node) {
    let service = backend.get("service").filter(|n| !n.is_null());
    let resource = backend.get("resource").filter(|n| !n.is_null());
    match (service, resource) {
        (Some(_), Some(_)) => {
            let message = field::invalid(&at.path, "\"\"", "cannot set both resource and service backends");
            let help = "keep `service` or `resource`, not both";
            report(cx, at, backend.span, message, "both a Service and a resource", help);
        }
        (None, None) => {
            let message = field::invalid(&at.path, "\"\"", "resource or service backend is required");
            let help = "add `service: {name: NAME, port: {number: PORT}}`";
            report(cx, at, backend.span, message, "no backend", help);
        }
        (None, Some(resource)) => check_reference(cx, &at.child("resource"), resource),
        (Some(service), None) => check_service(cx, at, backend, service),
    }
}

fn check_service(cx: &mut Context<'_>, at: &At, backend: &Node, service: &Node) {
    let name_at = at.child("service.name");
    match service.get("name") {
        Some(node) if node.as_str() == Some("") => {
            let help = "name the Service to send the traffic to";
            report(cx, &name_at, node.span, field::required(&name_at.path, ""), "empty", help);
        }
        Some(node) => {
            if let Some(name) = node.as_str()
                && let Err(reason) = names::dns1035_label(name)
            {
                let message = field::invalid(&name_at.path, &field::quote(name), &reason);
                let help =
                    "a Service's name is a DNS-1035 label: lowercase letters, digits and `-`, starting with a letter";
                report(cx, &name_at, node.span, message, "not a Service name", help);
            }
        }
        None => {} // the schema's `required-field`
    }
    let port = service.get("port").filter(|n| !n.is_null());
    let name = port.and_then(|p| p.get("name")).filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
    let number = port.and_then(|p| p.get("number")).filter(|n| n.as_i64().is_some_and(|n| n != 0));
    match (name, number) {
        (Some(_), Some(_)) => {
            let message = field::invalid(&at.path, "\"\"", "cannot set both port name & port number");
            let help = "keep `port.name` or `port.number`, not both";
            report(cx, at, port.map_or(backend.span, |p| p.span), message, "both a port name and number", help);
        }
        (Some(node), None) => {
            if let Some(text) = node.as_str()
                && let Err(reason) = names::port_name(text)
            {
                let at = at.child("service.port.name");
                let message = field::invalid(&at.path, &field::quote(text), &reason);
                let help = "use the name of one of the Service's ports (`spec.ports[].name`), or its number";
                report(cx, &at, node.span, message, "not a port name", help);
            }
        }
        (None, Some(node)) => {
            if let Some(n) = node.as_i64()
                && let Err(reason) = names::port_number(n)
            {
                let at = at.child("service.port.number");
                let help = "use one of the Service's ports (`spec.ports[].port`), 1 to 65535";
                report(cx, &at, node.span, field::invalid(&at.path, &n.to_string(), &reason), "not a port", help);
            }
        }
        (None, None) => {
            let span = port.map_or(service.span, |p| p.span);
            let message = field::required(&at.path, "port name or number is required");
            let help = "add `port: {number: 80}` or `port: {name: http}`";
            report(cx, at, span, message, "no port", help);
        }
    }
}

/// A resource backend or an IngressClass's `parameters`
/// (`validateIngressTypedLocalObjectReference`): `apiGroup` a DNS name, `kind` and
/// `name` set and safe as URL path segments.
pub(super) fn check_reference(cx: &mut Context<'_>, at: &At, resource: &Node) {
    if let Some(node) = resource.get("apiGroup")
        && let Some(group) = node.as_str()
        && let Err(reason) = names::dns1123_subdomain(group)
    {
        let at = at.child("apiGroup");
        let help = "give the API group of the resource's kind, e.g. `k8s.example.com`";
        report(cx, &at, node.span, field::invalid(&at.path, &field::quote(group), &reason), "not an API group", help);
    }
    for key in ["kind", "name"] {
        // A missing `kind` or `name` is the schema's `required-field`.
        let Some(node) = resource.get(key) else { continue };
        let Some(text) = node.as_str() else { continue };
        let at = at.child(key);
        let message = if text.is_empty() {
            field::required(&at.path, &format!("{key} is required"))
        } else if let Err(reason) = names::path_segment_name(text) {
            field::invalid(&at.path, &field::quote(text), &reason)
        } else {
            continue;
        };
        report(cx, &at, node.span, message, "not a valid reference", "name the object the traffic goes to");
    }
}
