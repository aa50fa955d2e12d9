//! IngressClass, for `invalid-ingress`: `ValidateIngressClass`,
//! `validateIngressClassSpec` and `validateIngressClassParametersReference` in
//! `pkg/apis/networking/validation/validation.go`.

use crate::document::Document;
use crate::kube::{field, names};
use crate::rules::Context;
use crate::yaml::Node;

use super::at::At;
use super::invalid_ingress::{check_reference, report};

/// `maxLenIngressClassController`.
const MAX_CONTROLLER: usize = 250;
/// `supportedIngressClassParametersReferenceScopes`, sorted as the message lists them.
const SCOPES: &[&str] = &["Cluster", "Namespace"];
/// apimachinery's `httpPathFmt`: the characters of an HTTP path (RFC 3986).
const HTTP_PATH: &str = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

pub fn check(doc: &Document, cx: &mut Context<'_>) {
    let spec_node = doc.root.get("spec").filter(|n| !n.is_null());
    let spec = At::new("spec", format!("{}/spec", doc.pointer_prefix));
    controller(doc, cx, &spec.child("controller"), spec_node);
    if let Some(params) = spec_node.and_then(|s| s.get("parameters")).filter(|n| n.is_map()) {
        parameters(cx, &spec.child("parameters"), params);
    }
}

/// `IsDomainPrefixedPath`: `example.com/ingress-controller`, at most 250 bytes.
fn controller(doc: &Document, cx: &mut Context<'_>, at: &At, spec: Option<&Node>) {
    let node = spec.and_then(|s| s.get("controller"));
    let Some((node, text)) = node.and_then(|n| n.as_str().map(|t| (n, t))).filter(|(_, t)| !t.is_empty()) else {
        if node.is_some_and(|n| !n.is_null() && n.as_str().is_none()) {
            return; // a type error, the schema's
        }
        let span = node.map(|n| n.span).or_else(|| doc.root.entry("spec").map(|e| e.key.span));
        let help = "name the controller that implements the class, e.g. `controller: k8s.io/ingress-nginx`";
        report(cx, at, span.unwrap_or(doc.head_span()), field::required(&at.path, ""), "no controller", help);
        return;
    };
    let help = "write the controller as a domain-prefixed path, e.g. `k8s.io/ingress-nginx`";
    if text.len() > MAX_CONTROLLER {
        report(cx, at, node.span, field::too_long(&at.path, MAX_CONTROLLER), "too long", help);
    }
    let (domain, path) = text.split_once('/').unwrap_or((text, ""));
    if domain.is_empty() || path.is_empty() {
        let message =
            field::invalid(&at.path, &field::quote(text), "must be a domain-prefixed path (such as \"acme.io/foo\")");
        report(cx, at, node.span, message, "not a domain-prefixed path", help);
        return;
    }
    if let Err(reason) = names::dns1123_subdomain(domain) {
        report(cx, at, node.span, field::invalid(&at.path, &field::quote(domain), &reason), "not a domain", help);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c);
    if !path.chars().all(allowed) {
        let reason = format!("Invalid path (regex used for validation is '{HTTP_PATH}')");
        report(cx, at, node.span, field::invalid(&at.path, &field::quote(path), &reason), "not an HTTP path", help);
    }
}

/// `parameters`: a reference as a resource backend's, then its `scope` (defaulted to
/// `Cluster` before validation) and `namespace`, which only a `Namespace` scope has.
fn parameters(cx: &mut Context<'_>, at: &At, params: &Node) {
    check_reference(cx, at, params);
    let scope_node = params.get("scope").filter(|n| !n.is_null());
    let Some(scope) = scope_node.map_or(Some("Cluster"), Node::as_str) else { return };
    let namespace = params.get("namespace").filter(|n| !n.is_null());
    let scope_span = scope_node.map_or(params.span, |n| n.span);
    if !SCOPES.contains(&scope) {
        let at = at.child("scope");
        let help = "use `Cluster` for a cluster-scoped resource, or `Namespace` with `namespace`";
        report(cx, &at, scope_span, field::not_supported(&at.path, scope, SCOPES), "not a scope", help);
    } else if scope == "Namespace" {
        let at = at.child("namespace");
        match namespace.and_then(Node::as_str) {
            None if namespace.is_none() => {
                let message = field::required(&at.path, "`parameters.scope` is set to 'Namespace'");
                report(cx, &at, scope_span, message, "no namespace", "add the `namespace` of the parameters resource");
            }
            Some(ns) => {
                if let Err(reason) = names::dns1123_label(ns) {
                    let span = namespace.map_or(scope_span, |n| n.span);
                    let help = "a namespace name is a lowercase RFC 1123 label";
                    report(
                        cx,
                        &at,
                        span,
                        field::invalid(&at.path, &field::quote(ns), &reason),
                        "not a namespace",
                        help,
                    );
                }
            }
            None => {}
        }
    } else if let Some(node) = namespace {
        let at = at.child("namespace");
        let message = field::forbidden(&at.path, "`parameters.scope` is set to 'Cluster'");
        let label = if scope_node.is_some() { "the scope is `Cluster`" } else { "the scope defaults to `Cluster`" };
        let help = "add `scope: Namespace` for a namespaced parameters resource, or remove `namespace`";
        report(cx, &at, node.span, message, label, help);
    }
}
