use crate::document::Document;
use crate::rules::Context;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a PodDisruptionBudget sets `minAvailable` or `maxUnavailable`.
    ///
    /// ## Why it matters
    /// The API server accepts a budget with neither, but it then states no budget:
    /// how many Pods may be evicted depends on defaults that changed between API
    /// versions (`policy/v1beta1` filled in `minAvailable: 1`). The field was most
    /// likely lost in a template or a values file.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    pub static PDB_WITHOUT_BUDGET = {
        id: "pdb-without-budget",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a PodDisruptionBudget sets neither `minAvailable` nor `maxUnavailable`",
        fields: ["PodDisruptionBudgetSpec.minAvailable", "PodDisruptionBudgetSpec.maxUnavailable"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("PodDisruptionBudget") {
        return;
    }
    let Some(spec) = doc.root.entry("spec") else { return };
    let set = |field: &str| spec.value.get(field).is_some_and(|n| !n.is_null());
    if set("minAvailable") || set("maxUnavailable") {
        return;
    }
    let f = cx
        .finding(&PDB_WITHOUT_BUDGET, spec.key.span, "neither `spec.minAvailable` nor `spec.maxUnavailable` is set")
        .label("no budget")
        .pointer(format!("{}/spec", doc.pointer_prefix))
        .help("add `maxUnavailable: 1` (or the `minAvailable` that was meant)");
    cx.report(f);
}
