crate::declare_rule! {
    /// ## What it does
    /// Reports a resource quantity that Kubernetes cannot parse, such as `512MB`
    /// (the suffix is `M` or `Mi`, without `B`) or `1.5.Gi`. A unit in the wrong case
    /// or written with `iB` or a space (`500mi`, `1GiB`, `512 Mi`) has a safe fix; a
    /// decimal unit with a `B` or in the wrong case (`512MB`, `1K`) an unsafe one to
    /// the decimal unit, as the binary one (`512Mi`) may have been meant.
    ///
    /// ## Why it matters
    /// The API server rejects the object: quantities must match
    /// `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`. Schema validators that only
    /// check for "string" let these through.
    ///
    /// ## API server
    /// Rejected on create: `quantities must match the regular expression
    /// '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     resources:
    ///       limits:
    ///         memory: 512MB
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
    ///     resources:
    ///       limits:
    ///         memory: 512Mi
    /// ```
    pub static INVALID_QUANTITY = {
        id: "invalid-quantity",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a resource quantity does not parse (`512MB`)",
        fixes: [Safe, Unsafe],
        check: Builtin,
    };
}
