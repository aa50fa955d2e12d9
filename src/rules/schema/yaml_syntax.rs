crate::declare_rule! {
    /// ## What it does
    /// Reports YAML that cannot be parsed, at the line and column where the parser
    /// stopped, with the parser's message.
    ///
    /// ## Why it matters
    /// `kubectl apply` refuses the whole file. kval still checks the documents of the
    /// file that come after the next `---`, and every other file.
    ///
    /// ## API server
    /// Rejected before it reaches the API server: kubectl's YAML reader (go-yaml v2
    /// through sigs.k8s.io/yaml) fails with `error converting YAML to JSON: yaml: line N:
    /// ...` and nothing of the file is applied. kval reads YAML as that reader does,
    /// libyaml's leniencies included (`tests/yaml_differential.rs`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data: {level: info
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data: {level: info}
    /// ```
    pub static YAML_SYNTAX = {
        id: "yaml-syntax",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "the YAML cannot be parsed",
        check: Builtin,
    };
}
