crate::declare_rule! {
    /// ## What it does
    /// Reports values that a chart's `values.schema.json` rejects, as `helm
    /// template` (and `helm install`) reports them, at the key in the values file
    /// that set them (a `ci/*-values.yaml`, a `--helm-values` file, or `values.yaml`).
    ///
    /// ## Why it matters
    /// Helm refuses to install the chart with these values.
    ///
    /// ## API server
    /// Not an API-server check: Helm refuses the values before anything reaches the
    /// API server.
    ///
    /// ## Example
    /// ```yaml
    /// # values.schema.json: "replicas": {"type": "integer"}
    /// replicas: two
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// replicas: 2
    /// ```
    pub static INVALID_VALUES = {
        id: "invalid-values",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a chart's values do not match its values.schema.json",
        check: Builtin,
    };
}
