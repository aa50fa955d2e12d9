crate::declare_rule! {
    /// ## What it does
    /// Reports an `apiVersion` or `kind` that the selected Kubernetes version does not
    /// know, and suggests the closest known one (`apps/v` → `apps/v1`,
    /// `Deploymnet` → `Deployment`).
    ///
    /// ## Why it matters
    /// `kubectl apply` fails with "no matches for kind". Custom resources are unknown
    /// too unless their CustomResourceDefinition is part of the run (or given with
    /// `--crd`); `--ignore-missing-schemas` counts them as skipped instead.
    ///
    /// ## API server
    /// Rejected: the API server serves no such resource, and `kubectl` fails before
    /// sending it (`no matches for kind "X" in version "G/V"`, `ensure CRDs are installed
    /// first`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deploymnet
    /// metadata:
    ///   name: web
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web
    /// ```
    pub static UNKNOWN_KIND = {
        id: "unknown-kind",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "the apiVersion or kind is not known",
        check: Builtin,
    };
}
