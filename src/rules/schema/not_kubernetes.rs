crate::declare_rule! {
    /// ## What it does
    /// Reports a file named on the command line that is YAML or JSON but not
    /// Kubernetes: no document in it has `apiVersion` or `kind` at its top level
    /// (a docker-compose file, a CI workflow, `package.json`). kval skips the file.
    /// Such files found while walking a directory are skipped silently and counted
    /// as "not Kubernetes" in the summary.
    ///
    /// ## Why it matters
    /// A repository holds much YAML that is not Kubernetes; reporting a missing
    /// `apiVersion` in each would drown the true findings. A file named explicitly
    /// was probably meant to be a manifest, so kval says why it checked nothing.
    /// A document with only one of `apiVersion` and `kind` is still reported
    /// (`missing-api-version`, `missing-kind`).
    ///
    /// ## API server
    /// Not an API-server check: kval skips the file and says so; the API server never
    /// sees it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead: leave such files out of the paths given to kval, or disable the
    /// rule (`--disable not-kubernetes`).
    pub static NOT_KUBERNETES = {
        id: "not-kubernetes",
        category: ApiValidation,
        severity: Warning,
        enabled: true,
        summary: "a file given is YAML but holds no Kubernetes object",
        check: Builtin,
    };
}
