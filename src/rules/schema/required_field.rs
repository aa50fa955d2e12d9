crate::declare_rule! {
    /// ## What it does
    /// Reports a required field that is missing (or null), at the mapping that lacks
    /// it.
    ///
    /// ## Why it matters
    /// The API server rejects the object with "Required value".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static REQUIRED_FIELD = {
        id: "required-field",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a required field is missing",
        fixes: [Unsafe],
        check: Builtin,
    };
}
