crate::declare_rule! {
    /// ## What it does
    /// Reports a file named on the command line (or standard input) that holds no
    /// object at all: it is empty, or only comments and `---` separators. A file
    /// without objects found while walking a directory is not reported.
    ///
    /// ## Why it matters
    /// `kubectl apply -f` refuses it with `error: no objects passed to apply`; a
    /// generator that wrote nothing (an empty `helm template` output, a failed
    /// redirect) usually means something went wrong earlier.
    ///
    /// ## Example
    /// ```yaml
    /// ---
    /// # everything below was commented out
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    pub static NO_OBJECTS = {
        id: "no-objects",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a file given holds no Kubernetes object",
        check: Builtin,
    };
}
