crate::declare_rule! {
    /// ## What it does
    /// Reports a mapping key that appears twice, at its second occurrence.
    ///
    /// ## Why it matters
    /// Which of the two values was meant is lost: the tools that read manifests
    /// strictly reject the file, and those that keep the last value silently drop
    /// the first.
    ///
    /// ## API server
    /// Rejected by kustomize (`kubectl apply -k`, Flux, Argo CD) and Helm (`mapping key
    /// "x" already defined`, `key "x" already set in map`). `kubectl apply -f` converts
    /// the YAML to JSON first and keeps the last value without a word
    /// (kubernetes/kubernetes#125885), so the API server never sees the duplicate: one
    /// of the two values is lost. An error because either way the manifest does not say
    /// what is applied.
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
