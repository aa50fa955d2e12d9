crate::declare_rule! {
    /// ## What it does
    /// Reports a file whose check stopped on an internal error of kval (a bug). The
    /// other files are still checked, and the run exits with status 2.
    ///
    /// ## Why it matters
    /// kval must never crash on any input; when it fails on one file, the message
    /// says which one so that the bug can be reported with that file.
    ///
    /// ## API server
    /// Not an API-server check: a bug in kval.
    ///
    /// ## Example
    /// ```yaml
    /// # any file that makes kval fail: please report it
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # a newer kval, once the bug is fixed
    /// ```
    pub static INTERNAL_ERROR = {
        id: "internal-error",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "kval failed on a file (a bug)",
        check: Builtin,
    };
}
