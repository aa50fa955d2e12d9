crate::declare_rule! {
    /// ## What it does
    /// Reports two items of a list that the schema says must be unique: a list of
    /// type `map` (`x-kubernetes-list-type: map`) with two items of the same keys, or
    /// a list of type `set` with the same value twice. Keys the API server defaults
    /// count with their default (a container port without `protocol` is `TCP`).
    ///
    /// For custom resources every such list counts; for built-in kinds only the
    /// lists whose duplicates the API server rejects (see below).
    ///
    /// ## Why it matters
    /// The API server rejects the object with "Duplicate value".
    ///
    /// ## API server
    /// For custom resources, rejected on create: the structural schema's
    /// `x-kubernetes-list-type: map` and `set` are enforced by `apiextensions-apiserver`
    /// (`validation.ValidateListSetsAndMaps`): `Duplicate value`. For built-in kinds the
    /// API server enforces list-map keys only where its hand-written validation does, so
    /// this rule reports only those (`volumeMounts` by `mountPath`, `volumeDevices`,
    /// `topologySpreadConstraints`, `schedulingGates`, `resourceClaims`, webhooks, match
    /// conditions); duplicate container ports, host aliases and pull secrets are accepted
    /// with a warning (`api-server-warning`), and a ServiceAccount's `secrets` or
    /// `finalizers` silently. Server-side apply refuses all of them.
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
    ///     image: nginx
    ///     volumeMounts:
    ///     - name: data
    ///       mountPath: /data
    ///     - name: cache
    ///       mountPath: /data
    /// ```
    ///
    /// Use instead: one mount per `mountPath`.
    pub static DUPLICATE_VALUE = {
        id: "duplicate-value",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "two items of a list have the same key (list-map) or value (set)",
        check: Builtin,
    };
}
