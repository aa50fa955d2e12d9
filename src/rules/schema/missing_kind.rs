crate::declare_rule! {
    /// ## What it does
    /// Reports an object without `kind`.
    ///
    /// ## Why it matters
    /// Without a kind the object cannot be decoded; `kubectl apply` fails with
    /// "kind not set".
    ///
    /// ## API server
    /// Rejected: the object cannot be decoded (`Object 'Kind' is missing`); `kubectl`
    /// fails before sending it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// metadata:
    ///   name: settings
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    pub static MISSING_KIND = {
        id: "missing-kind",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an object has no `kind`",
        check: Builtin,
    };
}
