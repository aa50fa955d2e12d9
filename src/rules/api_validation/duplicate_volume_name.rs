use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the volumes of a Pod have unique names.
    ///
    /// ## Why it matters
    /// The API server rejects the object with `spec.volumes[1].name: Duplicate value:
    /// "data"`; a mount could not tell which of the two it means.
    ///
    /// ## API server
    /// Rejected on create: `ValidateVolumes` in `pkg/apis/core/validation/validation.go`:
    /// `spec.volumes[1].name: Duplicate value: "data"`.
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
    ///   volumes:
    ///   - name: data
    ///     emptyDir: {}
    ///   - name: data
    ///     configMap:
    ///       name: web-config
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
    ///   volumes:
    ///   - name: data
    ///     emptyDir: {}
    ///   - name: config
    ///     configMap:
    ///       name: web-config
    /// ```
    pub static DUPLICATE_VOLUME_NAME = {
        id: "duplicate-volume-name",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "two volumes of a Pod have the same name",
        fields: ["PodSpec.volumes", "Volume.name"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let mut seen: Vec<(&str, &Node)> = Vec::new();
    for (i, v) in pod.spec.get("volumes").map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(name) = v.get("name") else { continue };
        let Some(text) = name.as_str() else { continue };
        if let Some(first) = crate::rules::first_seen(&mut seen, text, name) {
            let f = cx
                .finding(
                    &DUPLICATE_VOLUME_NAME,
                    name.span,
                    format!("duplicate value {text:?} for `{}.volumes[{i}].name`", pod.path()),
                )
                .label("duplicate volume name")
                .secondary(doc.location(first.span), "first used here")
                .pointer(pod.pointer(&format!("/volumes/{i}/name")))
                .help("rename one of the volumes, or merge them");
            cx.report(f);
        }
    }
}
