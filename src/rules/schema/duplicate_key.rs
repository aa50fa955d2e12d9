crate::declare_rule! {
    /// ## What it does
    /// Reports a mapping key that appears twice, at its second occurrence.
    ///
    /// ## Why it matters
    /// Kubernetes decodes manifests strictly: `kubectl apply` rejects a duplicate key
    /// ("mapping key already defined"). Tools that keep the last value silently hide
    /// which of the two values was meant.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   name: settings-v2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings-v2
    /// ```
    pub static DUPLICATE_KEY = {
        id: "duplicate-key",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a mapping key appears twice",
        check: Builtin,
    };
}
