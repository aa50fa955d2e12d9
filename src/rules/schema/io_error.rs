crate::declare_rule! {
    /// ## What it does
    /// Reports a path that cannot be read: it does not exist, permission is denied,
    /// or it is not a regular file. The run goes on with the other paths and exits
    /// with status 2.
    ///
    /// ## Why it matters
    /// A CI step that silently skips a manifest it was asked to check gives false
    /// confidence.
    ///
    /// ## API server
    /// Not an API-server check: the input could not be read.
    ///
    /// ## Example
    /// ```yaml
    /// # kval lint deploy/does-not-exist.yaml
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # kval lint deploy/
    /// ```
    pub static IO_ERROR = {
        id: "io-error",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a path cannot be read",
        check: Builtin,
    };
}
