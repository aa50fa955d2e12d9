crate::declare_rule! {
    /// ## What it does
    /// Reports a plain (unquoted) mapping key that Kubernetes does not read as the
    /// text written: `on`, `off`, `yes`, `no`, `y`, `n`, `true` and `false` become the
    /// key `"true"` or `"false"`, and numbers become their decimal form.
    ///
    /// ## Why it matters
    /// Kubernetes reads YAML with YAML 1.1 rules (go-yaml v2), and converts non-string
    /// keys to strings. A label or data key named `on` or `y` silently becomes `true`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: switches
    /// data:
    ///   on: "enabled"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: switches
    /// data:
    ///   "on": "enabled"
    /// ```
    pub static YAML_KEY_CONVERTED = {
        id: "yaml-key-converted",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "an unquoted key that Kubernetes reads as another text (`on` → `true`)",
        check: Builtin,
    };
}
