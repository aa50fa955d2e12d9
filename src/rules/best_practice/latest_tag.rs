use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;

crate::declare_rule! {
    /// ## What it does
    /// Checks for container images without a tag or digest (`nginx`), or tagged
    /// `latest` (`nginx:latest`).
    ///
    /// ## Why it matters
    /// Such an image changes under your feet: two Pods of one Deployment can run
    /// different code, a rollback goes back to nothing, and the pull policy defaults to
    /// `Always`, so every Pod start depends on the registry.
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
    ///     image: nginx:1.27.3
    /// ```
    pub static LATEST_TAG = {
        id: "latest-tag",
        category: BestPractice,
        severity: Warning,
        enabled: true,
        summary: "a container image has no tag, or the `latest` tag",
        fields: ["Container.image"],
        check: Document(check),
    };
}

/// The tag of an image reference (`None` without one), and whether it has a digest.
fn tag(image: &str) -> (Option<&str>, bool) {
    let (name, digest) = match image.split_once('@') {
        Some((name, _)) => (name, true),
        None => (image, false),
    };
    // A `:` after the last `/` separates the tag; before it, it is a registry port.
    let last = name.rsplit('/').next().unwrap_or(name);
    (last.split_once(':').map(|(_, t)| t), digest)
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for c in pod.all_containers() {
        let Some(node) = c.get("image") else { continue };
        let Some(image) = node.as_str().map(str::trim).filter(|i| !i.is_empty()) else { continue };
        let message = match tag(image) {
            (_, true) => continue,
            (Some("latest"), _) => format!("{} uses the `latest` tag", c.describe()),
            (None, _) => format!("{} has no image tag", c.describe()),
            _ => continue,
        };
        let base = image.split(':').next().unwrap_or(image);
        let f = cx
            .finding(&LATEST_TAG, node.span, message)
            .label("means `latest`, which changes over time")
            .pointer(pod.container_pointer(&c, "image"))
            .help(format!("pin a version, e.g. `{base}:1.2.3`, or a digest `{base}@sha256:…`"));
        cx.report(f);
    }
}

#[cfg(test)]
mod tests {
    use super::tag;

    #[test]
    fn tags() {
        assert_eq!(tag("nginx"), (None, false));
        assert_eq!(tag("nginx:1.27"), (Some("1.27"), false));
        assert_eq!(tag("localhost:5000/app"), (None, false));
        assert_eq!(tag("localhost:5000/app:latest"), (Some("latest"), false));
        assert_eq!(tag("app@sha256:abc"), (None, true));
    }
}
