crate::declare_rule! {
    /// ## What it does
    /// Reports a Helm chart or Kustomize root that cannot be rendered because its
    /// tool is not installed: `helm` for charts; `kustomize`, or `kubectl` for its
    /// `kubectl kustomize`, for Kustomize roots. One finding per chart or root, and
    /// exit status 2, as for a file that cannot be read.
    ///
    /// ## Why it matters
    /// kval renders charts and roots with the real tools, so that what is checked is
    /// what would be applied. Without the tool nothing in them is checked; their
    /// files are never linted one by one as plain YAML (templates are not YAML).
    ///
    /// ## API server
    /// Not an API-server check: the rendering tool is missing.
    ///
    /// ## Example
    /// A repository with `charts/web/Chart.yaml`, linted where helm is not on `PATH`.
    ///
    /// Use instead: install the tool, name it (`--helm PATH`, `--kustomize PATH`),
    /// or skip charts and roots with `--no-render`.
    pub static RENDER_UNAVAILABLE = {
        id: "render-unavailable",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "helm or kustomize is not installed to render a chart or root",
        check: Builtin,
    };
}
