use crate::rules::RunContext;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the ServiceAccount a Pod template names is in the input, when the
    /// input defines ServiceAccounts in that namespace (so it manages them).
    ///
    /// ## Why it matters
    /// The API server refuses to create the Pods (`error looking up service account
    /// shop/web: serviceaccount "web" not found`): the workload is applied, but no
    /// Pod ever starts. Usually a typo, or a ServiceAccount renamed in one place.
    ///
    /// ## Known problems
    /// A ServiceAccount created by other means (another chart, an operator) is not
    /// seen; the rule only runs for namespaces where the input has ServiceAccounts.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: web
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       serviceAccountName: webb
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: web
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       serviceAccountName: web
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:1.0
    /// ```
    pub static MISSING_SERVICE_ACCOUNT = {
        id: "missing-service-account",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a Pod template names a ServiceAccount the input does not define",
        fields: ["PodSpec.serviceAccountName"],
        check: Run(check),
    };
}

fn check(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for workload in &inventory.resources {
        let Some(name) = workload.pods.as_ref().and_then(|p| p.service_account.as_ref()) else { continue };
        // Every namespace has `default`, made by the cluster.
        if name.value.is_empty() || name.value == "default" {
            continue;
        }
        let Some(names) = inventory.missing("ServiceAccount", workload.namespace(), &name.value) else { continue };
        let mut f = workload
            .finding_at(&MISSING_SERVICE_ACCOUNT, name.span, format!("no ServiceAccount `{}` in the input", name.value))
            .label("ServiceAccount not found")
            .note("the API server refuses to create Pods whose ServiceAccount does not exist");
        f.help = Some(
            crate::suggest::did_you_mean(&name.value, names)
                .unwrap_or_else(|| format!("add a ServiceAccount `{}` to the input", name.value)),
        );
        cx.report(f);
    }
}
