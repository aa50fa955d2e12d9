crate::declare_rule! {
    /// ## What it does
    /// Reports a YAML document that is a scalar or a list instead of a mapping, and a
    /// `List` whose `items` are not mappings.
    ///
    /// ## Why it matters
    /// Every Kubernetes object is a mapping with `apiVersion`, `kind` and `metadata`;
    /// `kubectl apply` cannot decode anything else.
    ///
    /// ## API server
    /// Rejected before it reaches the API server: kubectl cannot decode a document that
    /// is not a mapping into an object.
    ///
    /// ## Example
    /// ```yaml
    /// - apiVersion: v1
    ///   kind: ConfigMap
    ///   metadata:
    ///     name: settings
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    pub static INVALID_DOCUMENT = {
        id: "invalid-document",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a document is not a mapping",
        check: Builtin,
    };
}
