crate::declare_rule! {
    /// ## What it does
    /// Reports a run that found no Kubernetes object at all: every input was empty,
    /// only comments and `---` separators, or an empty `kind: List`. One such file
    /// among others is valid, as `kubectl apply -f dir/` and kubeconform accept it.
    ///
    /// ## Why it matters
    /// `kubectl apply -f` refuses a run without objects (`error: no objects passed to
    /// apply`); a generator that wrote nothing (an empty `helm template` output, a
    /// failed redirect) usually means something went wrong earlier.
    ///
    /// ## API server
    /// Not an API-server check: `kubectl apply -f` refuses the run (`no objects passed
    /// to apply`) before contacting the API server.
    ///
    /// ## Example
    /// ```yaml
    /// ---
    /// # everything below was commented out
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    pub static NO_OBJECTS = {
        id: "no-objects",
        category: ApiValidation,
        severity: Warning,
        enabled: true,
        summary: "the input holds no Kubernetes object at all",
        check: Builtin,
    };
}
