use crate::rules::RunContext;
use crate::rules::inventory::Facts;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a Service's `selector` selects the Pods of at least one workload of
    /// the input in its namespace. Only runs when the input has workloads in that
    /// namespace, so a Service linted alone, or one for Pods made by an operator, is
    /// not reported.
    ///
    /// ## Why it matters
    /// A Service that selects no Pod has no endpoints: connections to it are refused,
    /// and nothing else says why. A typo in a label is the usual cause.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web-frontend
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static DANGLING_SERVICE = {
        id: "dangling-service",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a Service's selector matches no Pod template of the input",
        fields: ["ServiceSpec.selector"],
        check: Run(check),
    };
}

fn check(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for service in &inventory.resources {
        let Facts::Service { selector: Some(selector), .. } = service.facts() else { continue };
        if selector.value.is_empty() || !inventory.decidable(service.namespace()) {
            continue;
        }
        if inventory.selects_any(&selector.value, service.namespace()) {
            continue;
        }
        let f = service
            .finding_at(
                &DANGLING_SERVICE,
                selector.span,
                format!(
                    "the selector `{}` of Service `{}` matches no Pods in the input",
                    selector.value.display(),
                    service.name()
                ),
            )
            .label("selects nothing")
            .note("a Service without matching Pods has no endpoints: connections to it fail")
            .help("make the selector match the `labels` of the workload's Pod template");
        cx.report(f);
    }
}
