crate::declare_rule! {
    /// ## What it does
    /// Reports a Helm chart or Kustomize root that its tool cannot render: a template
    /// error, a missing file, a bad patch, a chart whose dependencies are not in
    /// `charts/`, a render that took longer than `--render-timeout`. The finding is at
    /// the file and line the tool names (else at `Chart.yaml` or the kustomization),
    /// with the tool's message; the other charts and files are still checked.
    ///
    /// ## Why it matters
    /// What does not render cannot be deployed, and nothing in it was checked.
    ///
    /// ## API server
    /// Not an API-server check: the chart or Kustomize root does not render, so
    /// nothing reaches the API server.
    ///
    /// ## Example
    /// ```yaml
    /// data:
    ///   greeting: {{ .Values.greeting | nosuchfunction }}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// data:
    ///   greeting: {{ .Values.greeting | quote }}
    /// ```
    pub static RENDER_FAILED = {
        id: "render-failed",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a Helm chart or Kustomize root does not render",
        check: Builtin,
    };
}
