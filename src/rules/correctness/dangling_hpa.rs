use crate::rules::RunContext;
use crate::rules::inventory::Facts;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a HorizontalPodAutoscaler's `scaleTargetRef` names an object of the
    /// input (same kind, name and namespace). Only runs when the input has workloads
    /// in that namespace.
    ///
    /// ## Why it matters
    /// An autoscaler whose target does not exist scales nothing, and the workload it
    /// was meant for runs at its fixed replica count.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web-frontend
    ///   minReplicas: 2
    ///   maxReplicas: 5
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
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 5
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
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    pub static DANGLING_HPA = {
        id: "dangling-hpa",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "an HPA's `scaleTargetRef` names no object of the input",
        fields: ["CrossVersionObjectReference.name", "CrossVersionObjectReference.kind"],
        check: Run(check),
    };
}

fn check(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for hpa in &inventory.resources {
        let Facts::Hpa { target: Some(target) } = hpa.facts() else { continue };
        let (kind, name) = &target.value;
        if !inventory.decidable(hpa.namespace()) || inventory.find(kind, hpa.namespace(), name).is_some() {
            continue;
        }
        let candidates: Vec<&str> = inventory.of_kind(kind, hpa.namespace()).map(|r| r.name()).collect();
        let mut f = hpa
            .finding_at(&DANGLING_HPA, target.span, format!("no {kind} `{name}` in the input"))
            .label("scale target not found")
            .note("an autoscaler without its target scales nothing");
        f.help = Some(
            crate::suggest::did_you_mean(name, candidates.iter().copied())
                .unwrap_or_else(|| format!("name a {kind} of namespace `{}`", hpa.namespace().unwrap_or("default"))),
        );
        cx.report(f);
    }
}
