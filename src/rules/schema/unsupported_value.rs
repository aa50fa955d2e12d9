crate::declare_rule! {
    /// ## What it does
    /// Reports a value that is not one of the values the schema allows, and lists the
    /// supported ones. A value that differs from one of them only in case
    /// (`protocol: tcp`) has a safe fix that writes it (`TCP`); where a rule reports
    /// the same value in the API server's words, its finding is the one shown, with
    /// that fix.
    ///
    /// ## Why it matters
    /// The API server rejects it with "Unsupported value".
    ///
    /// ## API server
    /// Rejected on create (`Unsupported value: "X": supported values: ...`) for the enum
    /// fields the Go validation checks (`src/schema/enums.rs` lists them); a custom
    /// resource's `enum` is enforced by its structural schema. Enum values the API
    /// server does not check (most status fields) are not reported.
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
        fixes: [Safe],
        check: Builtin,
    };
}
