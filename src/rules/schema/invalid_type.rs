crate::declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong type: a number where a string is expected, a
    /// mapping where a number is expected, and so on. It says what was expected and
    /// what was found, at the value.
    ///
    /// Two common causes get a message of their own:
    /// - an unquoted `yes`, `no`, `on`, `off`, `y` or `n` where a string is expected:
    ///   Kubernetes reads YAML 1.1, where these are booleans; quote them;
    /// - a value that is a mapping repeating its own key
    ///   (`ttlSecondsAfterFinished:` followed by a nested `ttlSecondsAfterFinished: 0`).
    ///
    /// Fixes: a quoted integer (`"8080"`) or a number in words (`"eighty"`) in an
    /// integer field is written as the number (safe); an IANA service name where a
    /// port number is required (`port: https`) as its usual port (unsafe: a guess).
    ///
    /// ## Why it matters
    /// The API server cannot decode the object ("cannot unmarshal bool into Go struct
    /// field EnvVar.value of type string") and rejects it.
    ///
    /// ## API server
    /// Rejected on create, before any validation: the request body does not decode
    /// into the Go type.
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
    ///     env:
    ///     - name: FEATURE_FLAG
    ///       value: yes
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
    ///     env:
    ///     - name: FEATURE_FLAG
    ///       value: "yes"
    /// ```
    pub static INVALID_TYPE = {
        id: "invalid-type",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a value has the wrong type",
        fixes: [Safe, Unsafe],
        check: Builtin,
    };
}
