use crate::document::Document;
use crate::kube::int_or_percent;
use crate::rules::Context;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a PodDisruptionBudget does not set both `minAvailable` and
    /// `maxUnavailable`, and that each is a non-negative number or a percentage such
    /// as `50%` (at most `100%`).
    ///
    /// ## Why it matters
    /// The API server rejects the object: `minAvailable and maxUnavailable cannot be
    /// both set`, or a value that is not a valid number or percentage. A budget with
    /// neither is accepted; `pdb-without-budget` reports it.
    ///
    /// ## API server
    /// Rejected on create: `ValidatePodDisruptionBudgetSpec` in
    /// `pkg/apis/policy/validation/validation.go`: `spec: Invalid value: ...: minAvailable
    /// and maxUnavailable cannot be both set`, and `ValidatePositiveIntOrPercent` /
    /// `IsNotMoreThan100Percent` for the values.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   minAvailable: 1
    ///   maxUnavailable: 1
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
    pub static INVALID_PDB = {
        id: "invalid-pdb",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a PodDisruptionBudget sets both `minAvailable` and `maxUnavailable`, or an invalid value",
        fields: ["PodDisruptionBudgetSpec.minAvailable", "PodDisruptionBudgetSpec.maxUnavailable"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("PodDisruptionBudget") {
        return;
    }
    let Some(spec) = doc.root.get("spec") else { return };
    let min = spec.get("minAvailable").filter(|n| !n.is_null());
    let max = spec.get("maxUnavailable").filter(|n| !n.is_null());
    let pointer = |f: &str| format!("{}/spec/{f}", doc.pointer_prefix);
    if let (Some(min), Some(max)) = (min, max) {
        let f = cx
            .finding(&INVALID_PDB, max.span, "invalid `spec`: minAvailable and maxUnavailable cannot be both set")
            .label("set together with `minAvailable`")
            .secondary(doc.location(min.span), "minAvailable")
            .pointer(pointer("maxUnavailable"))
            .help("keep one of them; `maxUnavailable` follows scaling better");
        cx.report(f);
    }
    for (node, field) in [(min, "minAvailable"), (max, "maxUnavailable")] {
        let Some(node) = node else { continue };
        let Some(reason) = int_or_percent::problem(node, true) else { continue };
        let f = cx
            .finding(
                &INVALID_PDB,
                node.span,
                format!("invalid value {} for `spec.{field}`: {reason}", node.display_scalar()),
            )
            .label("not a valid budget")
            .pointer(pointer(field));
        cx.report(f);
    }
}
