crate::declare_rule! {
    /// ## What it does
    /// Reports a value that is not one of the values the schema allows, and lists the
    /// supported ones.
    ///
    /// ## Why it matters
    /// The API server rejects it with "Unsupported value".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: Loadbalancer
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: LoadBalancer
    ///   ports:
    ///   - port: 80
    /// ```
    pub static UNSUPPORTED_VALUE = {
        id: "unsupported-value",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a value is not one of the allowed values",
        check: Builtin,
    };
}
