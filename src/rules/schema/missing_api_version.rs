crate::declare_rule! {
    /// ## What it does
    /// Reports an object without `apiVersion`.
    ///
    /// ## Why it matters
    /// The API server needs the group and version to know which schema the object
    /// follows; `kubectl apply` fails with "apiVersion not set".
    ///
    /// ## API server
    /// Rejected: the object cannot be decoded (`Object 'apiVersion' is missing`);
    /// `kubectl` fails before sending it.
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
