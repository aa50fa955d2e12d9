use crate::document::Document;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for containers that mount a `hostPath` volume without `readOnly: true`.
    ///
    /// ## Why it matters
    /// The container can change the node's files: plant binaries, rewrite
    /// configuration, fill the disk.
    ///
    /// Off by default (as in kube-linter): node agents need writable host paths, and
    /// `sensitive-host-mount` and the Pod Security profiles cover the worst cases.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: logs
    /// spec:
    ///   volumes:
    ///   - name: logs
    ///     hostPath:
    ///       path: /var/log
    ///   containers:
    ///   - name: shipper
    ///     image: fluent-bit:3.1
    ///     volumeMounts:
    ///     - name: logs
    ///       mountPath: /var/log
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: logs
    /// spec:
    ///   volumes:
    ///   - name: logs
    ///     hostPath:
    ///       path: /var/log
    ///   containers:
    ///   - name: shipper
    ///     image: fluent-bit:3.1
    ///     volumeMounts:
    ///     - name: logs
    ///       mountPath: /var/log
    ///       readOnly: true
    /// ```
    pub static WRITABLE_HOST_MOUNT = {
        id: "writable-host-mount",
        category: Security,
        severity: Warning,
        enabled: false,
        summary: "a container mounts a host path writable",
        fields: ["VolumeMount.readOnly"],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let volumes = pod.spec.get("volumes").map(Node::items).unwrap_or_default();
    let host: Vec<&str> =
        volumes.iter().filter(|v| v.get("hostPath").is_some()).filter_map(|v| v.get("name")?.as_str()).collect();
    if host.is_empty() {
        return;
    }
    for c in pod.all_containers() {
        for (i, mount) in c.get("volumeMounts").map(Node::items).unwrap_or_default().iter().enumerate() {
            let Some(name) = mount.get("name").filter(|n| n.as_str().is_some_and(|n| host.contains(&n))) else {
                continue;
            };
            if mount.get("readOnly").and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let f = cx
                .finding(
                    &WRITABLE_HOST_MOUNT,
                    name.span,
                    format!("{} mounts host path volume `{}` writable", c.describe(), name.display_scalar()),
                )
                .label("no `readOnly: true`")
                .pointer(pod.container_pointer(&c, &format!("volumeMounts/{i}")))
                .help("add `readOnly: true` to the mount");
            cx.report(f);
        }
    }
}
