crate::declare_rule! {
    /// ## What it does
    /// Evaluates the CEL rules (`x-kubernetes-validations`) of a custom resource's
    /// CustomResourceDefinition and reports each rule that is false, with the rule's
    /// `message` (or `messageExpression`), at its `fieldPath` or at the field the rule
    /// is written on.
    ///
    /// Rules kval cannot evaluate exactly are skipped and counted in a note, never
    /// reported: transition rules (they use `oldSelf`), rules calling functions kval
    /// does not implement, and rules whose cost on the object is over kval's budget.
    ///
    /// ## Why it matters
    /// The API server evaluates the same rules and rejects the object.
    ///
    /// ## API server
    /// Rejected on create: the API server evaluates the CRD's `x-kubernetes-validations`
    /// and answers with the rule's message (`Invalid value: "object": ...`).
    ///
    /// ## Example
    /// With a CRD rule `self.minReplicas <= self.maxReplicas` on `spec`:
    /// ```yaml
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   minReplicas: 5
    ///   maxReplicas: 3
    /// ```
    ///
    /// Use instead: values the rule accepts (`minReplicas: 3`, `maxReplicas: 5`).
    pub static VALIDATION_RULE = {
        id: "validation-rule",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a CEL validation rule of the custom resource's CRD is false",
        check: Builtin,
    };
}
