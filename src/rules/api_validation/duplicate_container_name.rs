use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that container names are unique across a Pod's `containers`,
    /// `initContainers` and `ephemeralContainers`.
    ///
    /// ## Why it matters
    /// The API server rejects the object with `spec.containers[1].name: Duplicate value:
    /// "app"`. Copying a container block and forgetting to rename it is the usual cause.
    ///
    /// ## API server
    /// Rejected on create: `validateContainers` and `validateInitContainers` in
    /// `pkg/apis/core/validation/validation.go`: `spec.containers[1].name: Duplicate value:
    /// "web"`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   initContainers:
    ///   - name: web
    ///     image: busybox:1.36
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   initContainers:
    ///   - name: setup
    ///     image: busybox:1.36
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static DUPLICATE_CONTAINER_NAME = {
        id: "duplicate-container-name",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "two containers of a Pod have the same name",
        fields: ["Container.name", "EphemeralContainer.name", "PodSpec.containers", "PodSpec.initContainers"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let mut seen: Vec<(&str, &Node)> = Vec::new();
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for (i, c) in pod.spec.get(list).map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(name) = c.get("name") else { continue };
            let Some(text) = name.as_str().filter(|t| !t.is_empty()) else { continue };
            if let Some(first) = crate::rules::first_seen(&mut seen, text, name) {
                let f = cx
                    .finding(
                        &DUPLICATE_CONTAINER_NAME,
                        name.span,
                        format!("duplicate value {text:?} for `{}.{list}[{i}].name`", pod.path()),
                    )
                    .label("duplicate container name")
                    .secondary(doc.location(first.span), "first used here")
                    .pointer(pod.pointer(&format!("/{list}/{i}/name")))
                    .note("container names must be unique across containers, init containers and ephemeral containers")
                    .help("rename one of the containers");
                cx.report(f);
            }
        }
    }
}
