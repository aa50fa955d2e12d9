crate::declare_rule! {
    /// ## What it does
    /// Reports an object without `apiVersion`.
    ///
    /// ## Why it matters
    /// The API server needs the group and version to know which schema the object
    /// follows; `kubectl apply` fails with "apiVersion not set".
    ///
    /// ## Example
    /// ```yaml
    /// kind: ConfigMap
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
    pub static MISSING_API_VERSION = {
        id: "missing-api-version",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an object has no `apiVersion`",
        check: Builtin,
    };
}
