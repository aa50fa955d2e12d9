//! `access-to-secrets` and `access-to-create-pods`: what a binding lets its subjects
//! do, from the role of the input it binds.

use crate::rules::inventory::{Facts, Resource};
use crate::rules::{Rule, RunContext};

crate::declare_rule! {
    /// ## What it does
    /// Checks for RoleBindings and ClusterRoleBindings whose role (in the input) lets
    /// the subjects read or change Secrets (`get`, `list`, `watch`, `create`,
    /// `delete` or `*` on `secrets`).
    ///
    /// ## Why it matters
    /// Reading Secrets gives away every credential of the namespace, ServiceAccount
    /// tokens included. CIS Kubernetes Benchmark 5.1.2.
    ///
    /// Off by default (as in kube-linter): operators and controllers legitimately
    /// need it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["secrets"]
    ///   verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: web
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: reader
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps"]
    ///   verbs: ["get"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: reader
    ///   namespace: shop
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: web
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: reader
    /// ```
    pub static ACCESS_TO_SECRETS = {
        id: "access-to-secrets",
        category: Security,
        severity: Warning,
        enabled: false,
        summary: "a binding lets its subjects read or change Secrets",
        fields: ["RoleRef.name"],
        check: Run(secrets),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks for RoleBindings and ClusterRoleBindings whose role (in the input) lets
    /// the subjects create Pods or the workloads that create them (`create` or `*` on
    /// `pods`, `deployments`, `statefulsets`, `replicasets`, `daemonsets`, `jobs`,
    /// `cronjobs`).
    ///
    /// ## Why it matters
    /// Whoever creates a Pod chooses its ServiceAccount and host access: it is a path
    /// to every permission of the namespace. CIS Kubernetes Benchmark 5.1.4.
    ///
    /// Off by default (as in kube-linter): deployers need it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: runner
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["pods"]
    ///   verbs: ["create"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: runner
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: ci
    ///   namespace: ci
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: runner
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: runner
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["pods"]
    ///   verbs: ["get", "list"]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: runner
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: ci
    ///   namespace: ci
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: runner
    /// ```
    pub static ACCESS_TO_CREATE_PODS = {
        id: "access-to-create-pods",
        category: Security,
        severity: Warning,
        enabled: false,
        summary: "a binding lets its subjects create Pods or workloads",
        fields: ["RoleRef.name"],
        check: Run(create_pods),
    };
}

fn secrets(cx: &mut RunContext<'_>) {
    let verbs = ["get", "list", "watch", "create", "delete"];
    check(cx, &ACCESS_TO_SECRETS, &verbs, &["secrets"], "read or change Secrets");
}

fn create_pods(cx: &mut RunContext<'_>) {
    let resources = ["pods", "deployments", "statefulsets", "replicasets", "daemonsets", "jobs", "cronjobs"];
    check(cx, &ACCESS_TO_CREATE_PODS, &["create"], &resources, "create Pods");
}

/// The role a binding names, if the input has it.
fn role<'a>(cx: &RunContext<'a>, binding: &Resource, kind: &str, name: &str) -> Option<&'a Resource> {
    let namespace = if kind == "ClusterRole" { None } else { binding.namespace() };
    cx.inventory.find(kind, namespace, name)
}

fn check(cx: &mut RunContext<'_>, rule: &'static Rule, verbs: &[&str], resources: &[&str], what: &str) {
    let inventory = cx.inventory;
    for binding in &inventory.resources {
        let Facts::RoleBinding { role: bound } = binding.facts() else { continue };
        let (kind, name) = &bound.value;
        let Some(role) = role(cx, binding, kind, name) else { continue };
        let Facts::Role { rules } = role.facts() else { continue };
        if !rules.iter().any(|r| r.grants(verbs, resources)) {
            continue;
        }
        let f = binding
            .finding_at(rule, bound.span, format!("the binding lets its subjects {what} (through {kind} `{name}`)"))
            .label("grants access")
            .secondary(role.at(role.name_or_head()), "the role")
            .help("bind a role without this access, or suppress this finding where it is needed");
        cx.report(f);
    }
}
