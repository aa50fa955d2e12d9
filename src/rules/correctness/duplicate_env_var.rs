use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for an environment variable defined twice in one container's `env`.
    ///
    /// ## Why it matters
    /// The API server accepts it, but only the last definition takes effect, so the
    /// first one silently does nothing; a later edit to it has no effect either.
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
    ///     - name: LOG_LEVEL
    ///       value: debug
    ///     - name: LOG_LEVEL
    ///       value: info
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
    ///     - name: LOG_LEVEL
    ///       value: info
    /// ```
    pub static DUPLICATE_ENV_VAR = {
        id: "duplicate-env-var",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "an environment variable is defined twice in a container",
        fields: ["Container.env", "EnvVar.name"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let mut seen: Vec<(&str, &Node)> = Vec::new();
        for (i, var) in c.get("env").map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(name) = var.get("name") else { continue };
            let Some(text) = name.as_str() else { continue };
            if let Some(first) = crate::rules::first_seen(&mut seen, text, name) {
                let f = cx
                    .finding(
                        &DUPLICATE_ENV_VAR,
                        name.span,
                        format!("environment variable `{text}` is defined twice in {}", c.describe()),
                    )
                    .label("this definition wins")
                    .secondary(doc.location(first.span), "ignored")
                    .pointer(pod.container_pointer(&c, &format!("env/{i}/name")))
                    .help("remove one of the two definitions");
                cx.report(f);
            }
        }
    }
}
