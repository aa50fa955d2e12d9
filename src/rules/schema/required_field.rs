crate::declare_rule! {
    /// ## What it does
    /// Reports a required field that is missing (or null), at the mapping that lacks
    /// it.
    ///
    /// ## Why it matters
    /// The API server rejects the object with "Required value"; a client that
    /// fills in nothing sends the field's zero value, which the validation refuses.
    ///
    /// ## API server
    /// For custom resources, rejected on create: the structural schema's `required` is
    /// enforced (`Required value`). For built-in kinds only the Go validation
    /// (`pkg/apis/*/validation`) rejects, and it accepts a few fields the schema marks
    /// required absent: a probe header's `value`, a sysctl's `value`, a preferred node
    /// affinity term's `preference`, a Job's `podFailurePolicy.rules`, an iSCSI `lun`, and
    /// from 1.33 a sleep hook's `seconds`. Those are not reported.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - image: nginx:1.27
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
    /// ```
    pub static REQUIRED_FIELD = {
        id: "required-field",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a required field is missing",
        fixes: [Unsafe],
        check: Builtin,
    };
}
