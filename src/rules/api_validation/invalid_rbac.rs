use crate::document::Document;
use crate::kube::{field, names};
use crate::rules::Context;
use crate::source::Span;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks RBAC objects as the API server does. A binding's `roleRef` names the
    /// `rbac.authorization.k8s.io` group (the group alone, not `.../v1`) and a `Role`
    /// or `ClusterRole` (a ClusterRoleBinding only a `ClusterRole`); each subject is a
    /// `ServiceAccount`, `User` or `Group` with its own `apiGroup` (none for a
    /// ServiceAccount), a ServiceAccount by a valid name and, in a
    /// ClusterRoleBinding, with its `namespace`. Each rule of a Role or ClusterRole
    /// has `verbs`, and either `apiGroups` and `resources` or, in a ClusterRole
    /// only, `nonResourceURLs` alone.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `subjects[0].namespace: Required
    /// value` for a ServiceAccount bound cluster-wide without its namespace, or
    /// `rules[0].apiGroups: Required value: resource rules must supply at least one
    /// api group` (the core group is `""`, which must still be listed).
    ///
    /// ## API server
    /// Rejected on create: `ValidateRoleBinding`, `ValidateClusterRoleBinding`,
    /// `ValidateRoleBindingSubject`, `ValidatePolicyRule` and `ValidateClusterRole` in
    /// `pkg/apis/rbac/validation/validation.go`: `roleRef.apiGroup: Unsupported value:
    /// "rbac.authorization.k8s.io/v1": supported values: "rbac.authorization.k8s.io"`,
    /// `rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: namespaced rules
    /// cannot apply to non-resource URLs`. An empty `apiGroup` is defaulted first
    /// (`SetDefaults_Subject`, `SetDefaults_RoleBinding`), so it is accepted.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: metrics-reader
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: metrics-reader
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: prometheus
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: metrics-reader
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: metrics-reader
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: prometheus
    ///   namespace: monitoring
    /// ```
    pub static INVALID_RBAC = {
        id: "invalid-rbac",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an RBAC binding's roleRef or subject, or a role's rule, is rejected by the API server",
        fields: [
            "RoleBinding.roleRef", "RoleBinding.subjects", "ClusterRoleBinding.roleRef", "ClusterRoleBinding.subjects",
            "Subject.kind", "Subject.apiGroup", "Subject.namespace", "RoleRef.apiGroup", "RoleRef.kind",
            "PolicyRule.verbs", "PolicyRule.apiGroups", "PolicyRule.resources", "PolicyRule.nonResourceURLs",
            "AggregationRule.clusterRoleSelectors",
        ],
        fixes: [Safe],
        check: Document(check),
    };
}

const GROUP: &str = "rbac.authorization.k8s.io";
const SUBJECT_KINDS: &[&str] = &["ServiceAccount", "User", "Group"];

fn report(cx: &mut Context<'_>, at: &At, span: Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_RBAC, span, message, label, help);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.api_version() != Some("rbac.authorization.k8s.io/v1") {
        return;
    }
    let root = At::new("", doc.pointer_prefix.clone());
    match doc.kind() {
        Some(kind @ ("RoleBinding" | "ClusterRoleBinding")) => {
            let namespaced = kind == "RoleBinding";
            if let Some(role_ref) = doc.root.get("roleRef") {
                check_role_ref(cx, &root.child("roleRef"), role_ref, namespaced);
            }
            for (i, subject) in doc.root.get("subjects").map(Node::items).unwrap_or_default().iter().enumerate() {
                check_subject(cx, &root.index("subjects", i), subject, namespaced);
            }
        }
        Some(kind @ ("Role" | "ClusterRole")) => {
            let namespaced = kind == "Role";
            for (i, rule) in doc.root.get("rules").map(Node::items).unwrap_or_default().iter().enumerate() {
                check_rule(cx, &root.index("rules", i), rule, namespaced);
            }
            if !namespaced
                && let Some(aggregation) = doc.root.get("aggregationRule").filter(|n| !n.is_null())
                && aggregation.get("clusterRoleSelectors").map(Node::items).unwrap_or_default().is_empty()
            {
                let at = root.child("aggregationRule.clusterRoleSelectors");
                let message = field::required(
                    &at.path,
                    "at least one clusterRoleSelector required if aggregationRule is non-nil",
                );
                let help = "add `clusterRoleSelectors` with the labels of the ClusterRoles to aggregate, or remove `aggregationRule`";
                report(cx, &at, aggregation.span, message, "no selectors", help);
            }
        }
        _ => {}
    }
}

fn check_role_ref(cx: &mut Context<'_>, at: &At, role_ref: &Node, namespaced: bool) {
    if let Some(node) = role_ref.get("apiGroup")
        && let Some(group) = node.as_str().filter(|g| !g.is_empty() && *g != GROUP)
    {
        let at = at.child("apiGroup");
        let help =
            if group.starts_with(GROUP) { "the API group without the version" } else { "roles are in this group" };
        let help = format!("use `apiGroup: {GROUP}` ({help})");
        report(cx, &at, node.span, field::not_supported(&at.path, group, &[GROUP]), "not the RBAC group", &help);
    }
    let kinds: &[&str] = if namespaced { &["Role", "ClusterRole"] } else { &["ClusterRole"] };
    if let Some(node) = role_ref.get("kind")
        && let Some(kind) = node.as_str()
        && !kinds.contains(&kind)
    {
        let at = at.child("kind");
        let help = if namespaced {
            "use `Role` or `ClusterRole`"
        } else if kind == "Role" {
            "a ClusterRoleBinding grants cluster-wide and can only refer to a ClusterRole; bind a Role with a RoleBinding"
        } else {
            "use `ClusterRole`"
        };
        report(cx, &at, node.span, field::not_supported(&at.path, kind, kinds), "not a role kind", help);
    }
    if let Some(node) = role_ref.get("name")
        && let Some(name) = node.as_str()
    {
        let at = at.child("name");
        let message = match names::path_segment_name(name) {
            _ if name.is_empty() => field::required(&at.path, ""),
            Err(reason) => field::invalid(&at.path, &field::quote(name), &reason),
            Ok(()) => return,
        };
        report(cx, &at, node.span, message, "not a role name", "name the Role or ClusterRole to grant");
    }
}

fn check_subject(cx: &mut Context<'_>, at: &At, subject: &Node, namespaced: bool) {
    let name_node = subject.get("name");
    let name = name_node.and_then(Node::as_str);
    if let (Some(node), Some("")) = (name_node, name) {
        let at = at.child("name");
        report(cx, &at, node.span, field::required(&at.path, ""), "empty", "name the user, group or ServiceAccount");
    }
    let Some(kind_node) = subject.get("kind") else { return }; // the schema's `required-field`
    let Some(kind) = kind_node.as_str() else { return };
    let group_node = subject.get("apiGroup");
    let group = group_node.and_then(Node::as_str).unwrap_or("");
    let group_span = group_node.map_or(subject.span, |n| n.span);
    match kind {
        "ServiceAccount" => {
            if let (Some(node), Some(name)) = (name_node, name.filter(|n| !n.is_empty()))
                && let Err(reason) = names::dns1123_subdomain(name)
            {
                let at = at.child("name");
                let help = if name.starts_with("system:serviceaccount:") {
                    "give the ServiceAccount's own name and its `namespace`, not the `system:serviceaccount:` user name"
                } else {
                    "a ServiceAccount's name is a lowercase DNS name"
                };
                report(cx, &at, node.span, field::invalid(&at.path, &field::quote(name), &reason), "not a name", help);
            }
            if !group.is_empty() {
                let at = at.child("apiGroup");
                let help = "a ServiceAccount is in the core group: remove `apiGroup` (or set it to `\"\"`)";
                report(cx, &at, group_span, field::not_supported(&at.path, group, &[""]), "not the core group", help);
            }
            if !namespaced && subject.get("namespace").and_then(Node::as_str).is_none_or(str::is_empty) {
                let at = at.child("namespace");
                let help = "a ClusterRoleBinding has no namespace of its own: add the ServiceAccount's `namespace`";
                report(cx, &at, kind_node.span, field::required(&at.path, ""), "no namespace", help);
            }
        }
        "User" | "Group" => {
            if !group.is_empty() && group != GROUP {
                let at = at.child("apiGroup");
                let help = format!("use `apiGroup: {GROUP}`, or leave it out");
                report(
                    cx,
                    &at,
                    group_span,
                    field::not_supported(&at.path, group, &[GROUP]),
                    "not the RBAC group",
                    &help,
                );
            }
        }
        _ => {
            let at = at.child("kind");
            let help = "use `ServiceAccount`, `User` or `Group` (the case matters)";
            report(
                cx,
                &at,
                kind_node.span,
                field::not_supported(&at.path, kind, SUBJECT_KINDS),
                "not a subject kind",
                help,
            );
        }
    }
}

/// `ValidatePolicyRule`.
fn check_rule(cx: &mut Context<'_>, at: &At, rule: &Node, namespaced: bool) {
    let list = |key: &str| rule.get(key).map(Node::items).unwrap_or_default();
    if let Some(verbs) = rule.get("verbs")
        && verbs.items().is_empty()
    {
        let at = at.child("verbs");
        let message = field::required(&at.path, "verbs must contain at least one value");
        report(cx, &at, verbs.span, message, "no verbs", "list the verbs to allow, e.g. `[get, list, watch]`");
    }
    let urls = list("nonResourceURLs");
    if !urls.is_empty() {
        let Some(node) = rule.get("nonResourceURLs") else { return };
        let at = at.child("nonResourceURLs");
        let quoted: Vec<String> =
            urls.iter().map(|u| u.as_str().map_or_else(|| u.display_scalar(), field::quote)).collect();
        let value = format!("[]string{{{}}}", quoted.join(", "));
        if namespaced {
            let message = field::invalid(&at.path, &value, "namespaced rules cannot apply to non-resource URLs");
            let help = "grant non-resource URLs (`/metrics`, `/healthz`) with a ClusterRole and ClusterRoleBinding";
            report(cx, &at, node.span, message, "in a Role", help);
        }
        if ["apiGroups", "resources", "resourceNames"].iter().any(|k| !list(k).is_empty()) {
            let message =
                field::invalid(&at.path, &value, "rules cannot apply to both regular resources and non-resource URLs");
            let help = "split it into two rules: one with `nonResourceURLs`, one with `apiGroups` and `resources`";
            report(cx, &at, node.span, message, "with resources", help);
        }
        return;
    }
    let missing = [
        (
            "apiGroups",
            "resource rules must supply at least one api group",
            "list the API groups, `\"\"` for the core group (pods, services, ...)",
        ),
        (
            "resources",
            "resource rules must supply at least one resource",
            "list the resources, e.g. `[pods]`, or `nonResourceURLs` in a ClusterRole",
        ),
    ];
    for (key, detail, help) in missing {
        if list(key).is_empty() {
            let at = at.child(key);
            let span = rule.entry(key).map_or(rule.span, |e| e.key.span);
            report(cx, &at, span, field::required(&at.path, detail), &format!("no {key}"), help);
        }
    }
}
