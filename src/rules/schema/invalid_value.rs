crate::declare_rule! {
    /// ## What it does
    /// Reports a value outside the limits a CustomResourceDefinition schema sets:
    /// `minimum`/`maximum` (and their exclusive forms), `multipleOf`, `minLength`/
    /// `maxLength`, `pattern`, `minItems`/`maxItems`, `minProperties`/`maxProperties`,
    /// and the value validations `allOf`, `anyOf`, `oneOf` and `not`.
    ///
    /// ## Why it matters
    /// The API server rejects the custom resource with "Invalid value" ("should be
    /// greater than or equal to 1", "should match '^[a-z]+$'") or "Too many".
    ///
    /// ## API server
    /// Rejected on create by the custom resource's structural schema validation
    /// (`apiextensions-apiserver`): `Invalid value`, `Too many`, `Too long`.
    ///
    /// ## Example
    /// With a CRD whose `spec.replicas` has `minimum: 1`:
    /// ```yaml
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   replicas: 0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: w
    /// spec:
    ///   replicas: 1
    /// ```
    pub static INVALID_VALUE = {
        id: "invalid-value",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a value is outside the limits of its schema (range, length, pattern, count)",
        check: Builtin,
    };
}
