use crate::document::Document;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for RoleBindings and ClusterRoleBindings that grant the `cluster-admin`
    /// ClusterRole.
    ///
    /// ## Why it matters
    /// `cluster-admin` can do anything to every object (in the namespace, for a
    /// RoleBinding): whoever holds it, or takes over a Pod running as it, owns the
    /// cluster. CIS Kubernetes Benchmark 5.1.1.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: ci
    ///   namespace: ci
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: ci
    ///   namespace: ci
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: ci-deployer
    /// ```
    pub static CLUSTER_ADMIN_BINDING = {
        id: "cluster-admin-binding",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a binding grants the `cluster-admin` ClusterRole",
        fields: ["RoleRef.name"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if !matches!(doc.kind(), Some("RoleBinding" | "ClusterRoleBinding")) {
        return;
    }
    let Some(role) = doc.root.get("roleRef") else { return };
    let Some(name) = role.get("name").filter(|n| n.as_str() == Some("cluster-admin")) else { return };
    if role.get("kind").and_then(Node::as_str) != Some("ClusterRole") {
        return;
    }
    let scope = if doc.kind() == Some("RoleBinding") { "in its namespace" } else { "in the whole cluster" };
    let f = cx
        .finding(&CLUSTER_ADMIN_BINDING, name.span, format!("the binding grants `cluster-admin` {scope}"))
        .label("full control")
        .pointer(format!("{}/roleRef/name", doc.pointer_prefix))
        .help("bind a role with only the verbs and resources the subjects need");
    cx.report(f);
}
