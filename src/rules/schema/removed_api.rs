crate::declare_rule! {
    /// ## What it does
    /// Reports an `apiVersion` that the selected Kubernetes version no longer serves
    /// for this kind, names the release that removed it and the apiVersion to use
    /// instead (`extensions/v1beta1` Deployment → `apps/v1`, `batch/v1beta1` CronJob
    /// → `batch/v1`, `autoscaling/v2beta2` HorizontalPodAutoscaler →
    /// `autoscaling/v2`).
    ///
    /// ## Why it matters
    /// The API server answers "no matches for kind" and the object is not created.
    /// Check against the version you upgrade to with `--kubernetes-version`.
    ///
    /// ## API server
    /// Rejected: the API server of the selected version no longer serves that
    /// group/version (`no matches for kind "Deployment" in version "extensions/v1beta1"`).
    /// Versions still served but deprecated get the warning `deprecated-api`, as the API
    /// server answers them with `Warning: ... is deprecated`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1beta1
    /// kind: CronJob
    /// metadata:
    ///   name: nightly
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///           - name: task
    ///             image: busybox:1.36
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: nightly
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///           - name: task
    ///             image: busybox:1.36
    /// ```
    pub static REMOVED_API = {
        id: "removed-api",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "the apiVersion was removed from the selected Kubernetes version",
        fixes: [Safe],
        check: Builtin,
    };
}
