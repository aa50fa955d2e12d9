crate::declare_rule! {
    /// ## What it does
    /// Reports two items of a list that the schema says must be unique: a list of
    /// type `map` (`x-kubernetes-list-type: map`) with two items of the same keys, or
    /// a list of type `set` with the same value twice. Keys the API server defaults
    /// count with their default (a container port without `protocol` is `TCP`).
    ///
    /// This applies to built-in kinds (containers by `name`, ports by
    /// `containerPort` and `protocol`, ...) and to custom resources alike.
    ///
    /// ## Why it matters
    /// The API server rejects the object with "Duplicate value".
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
    ///     ports:
    ///     - containerPort: 80
    ///     - containerPort: 80
    ///       protocol: TCP
    /// ```
    ///
    /// Use instead: one port entry per port and protocol.
    pub static DUPLICATE_VALUE = {
        id: "duplicate-value",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "two items of a list have the same key (list-map) or value (set)",
        check: Builtin,
    };
}
