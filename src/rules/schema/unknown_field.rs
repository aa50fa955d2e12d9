crate::declare_rule! {
    /// ## What it does
    /// Reports a field that the object's schema does not define, with a "did you
    /// mean" suggestion when a known field is close. Some misplaced fields get a
    /// message of their own, such as `replicas` in a DaemonSet, which runs one Pod
    /// on each eligible node and has no replica count.
    ///
    /// ## Why it matters
    /// `kubectl apply` validates fields strictly and rejects unknown ones ("unknown
    /// field"). With other clients, a misspelled field is silently dropped and its
    /// setting never takes effect.
    ///
    /// Fields the schema leaves open (maps such as `labels` or `data`, and embedded
    /// raw objects) are never reported.
    ///
    /// ## API server
    /// Rejected on create with strict field validation, `kubectl`'s default
    /// (`--validate=strict`, sent as `fieldValidation=Strict`): `strict decoding
    /// error: unknown field "spec.foo"`. With `--validate=warn` the API server answers
    /// `Warning: unknown field`; with `--validate=false` and most other clients the
    /// field is dropped.
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
    ///     imagePulPolicy: IfNotPresent
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
    ///     imagePullPolicy: IfNotPresent
    /// ```
    pub static UNKNOWN_FIELD = {
        id: "unknown-field",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a field the schema does not define",
        fixes: [Safe, Unsafe],
        check: Builtin,
    };
}
