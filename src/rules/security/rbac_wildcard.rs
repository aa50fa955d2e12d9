use crate::document::Document;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for Roles and ClusterRoles whose rules grant every verb or every
    /// resource (`*`).
    ///
    /// ## Why it matters
    /// A wildcard grants what exists now and whatever is added later (new resources,
    /// custom resources, subresources such as `pods/exec`). CIS Kubernetes Benchmark
    /// 5.1.3.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps"]
    ///   verbs: ["*"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    pub static RBAC_WILDCARD = {
        id: "rbac-wildcard",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a role grants every verb or every resource (`*`)",
        fields: ["PolicyRule.verbs", "PolicyRule.resources"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if !matches!(doc.kind(), Some("Role" | "ClusterRole")) {
        return;
    }
    for (i, rule) in doc.root.get("rules").map(Node::items).unwrap_or_default().iter().enumerate() {
        for field in ["verbs", "resources"] {
            let items = rule.get(field).map(Node::items).unwrap_or_default();
            let Some((j, star)) = items.iter().enumerate().find(|(_, n)| n.as_str() == Some("*")) else { continue };
            let what = if field == "verbs" { "every verb" } else { "every resource" };
            let f = cx
                .finding(&RBAC_WILDCARD, star.span, format!("the role grants {what} (`*` in `{field}`)"))
                .label("wildcard")
                .pointer(format!("{}/rules/{i}/{field}/{j}", doc.pointer_prefix))
                .help(format!("list the {field} the role needs"));
            cx.report(f);
        }
    }
}
