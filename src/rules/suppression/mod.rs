//! Findings about suppressions themselves; emitted by `crate::suppress`.

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression (`kval.dev/ignore` annotation or `# kval-ignore`
    /// comment) that names an enabled rule but covers no finding of it.
    ///
    /// ## Why it matters
    /// A stale suppression hides the next real finding of that rule at that place.
    /// Removing it when the problem is fixed keeps suppressions meaningful.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     kval.dev/ignore: "latest-tag # pinned by the deploy tool"
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27.3
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
    ///     image: nginx:1.27.3
    /// ```
    pub static UNUSED_SUPPRESSION = {
        id: "unused-suppression",
        category: Correctness,
        severity: Info,
        enabled: true,
        summary: "a suppression matches no finding",
        fields: ["ObjectMeta.annotations"],
        check: Builtin,
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression (`kval.dev/ignore` annotation or `# kval-ignore`
    /// comment) that names a rule kval does not have.
    ///
    /// ## Why it matters
    /// A misspelled id suppresses nothing, so the finding it was meant for is still
    /// reported, or a later one is not what the author expected.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     kval.dev/ignore: latest-tags
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     kval.dev/ignore: latest-tag
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx
    /// ```
    pub static INVALID_SUPPRESSION = {
        id: "invalid-suppression",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a suppression names an unknown rule",
        fields: ["ObjectMeta.annotations"],
        check: Builtin,
    };
}
