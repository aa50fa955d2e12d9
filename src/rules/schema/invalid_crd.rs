crate::declare_rule! {
    /// ## What it does
    /// Checks a CustomResourceDefinition as the API server does before accepting it:
    /// every schema is structural (a supported `type` everywhere, except under
    /// `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields`; no
    /// `$ref`; `items` for lists; `properties` and `additionalProperties` not
    /// together), patterns are valid regular expressions, CEL rules compile, list-map
    /// keys are required or defaulted, exactly one version is the storage version, and
    /// `metadata.name` is `<spec.names.plural>.<spec.group>`.
    ///
    /// ## Why it matters
    /// The API server refuses such a CRD, and then every custom resource of it.
    ///
    /// ## API server
    /// Rejected on create by `apiextensions-apiserver`'s CRD validation (for example
    /// `metadata.name: Invalid value: ...: must be spec.names.plural+"."+spec.group`).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   versions:
    ///   - name: v1
    ///     served: true
    ///     storage: true
    ///     schema:
    ///       openAPIV3Schema:
    ///         type: object
    ///         properties:
    ///           spec:
    ///             type: strign
    /// ```
    ///
    /// Use instead: `type: string`.
    pub static INVALID_CRD = {
        id: "invalid-crd",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a CustomResourceDefinition the API server would refuse",
        check: Builtin,
    };
}
