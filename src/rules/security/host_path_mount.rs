//! `sensitive-host-mount` and `docker-sock-mount`: hostPath volumes.

use crate::document::Document;
use crate::rules::pod::PodTemplate;
use crate::rules::{Context, Rule};
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks for `hostPath` volumes of the node's system directories: `/`, `/boot`,
    /// `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr`.
    ///
    /// ## Why it matters
    /// The Pod can read the node's credentials and configuration and, when writable,
    /// change them: a way out of the container onto the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   containers:
    ///   - name: agent
    ///     image: busybox:1.36
    ///     volumeMounts:
    ///     - name: etc
    ///       mountPath: /host/etc
    ///   volumes:
    ///   - name: etc
    ///     hostPath:
    ///       path: /etc
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   containers:
    ///   - name: agent
    ///     image: busybox:1.36
    ///     volumeMounts:
    ///     - name: config
    ///       mountPath: /etc/agent
    ///   volumes:
    ///   - name: config
    ///     configMap:
    ///       name: agent-config
    /// ```
    pub static SENSITIVE_HOST_MOUNT = {
        id: "sensitive-host-mount",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a Pod mounts a system directory of the node",
        fields: ["HostPathVolumeSource.path"],
        check: Document(sensitive),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks for `hostPath` volumes of a container runtime's socket
    /// (`/var/run/docker.sock`, `containerd.sock`, `crio.sock`).
    ///
    /// ## Why it matters
    /// Whoever talks to the runtime socket can start privileged containers on the
    /// node: it is root on the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///   - name: builder
    ///     image: docker:27.3
    ///     volumeMounts:
    ///     - name: docker
    ///       mountPath: /var/run/docker.sock
    ///   volumes:
    ///   - name: docker
    ///     hostPath:
    ///       path: /var/run/docker.sock
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///   - name: builder
    ///     image: gcr.io/kaniko-project/executor:v1.23.2
    /// ```
    pub static DOCKER_SOCK_MOUNT = {
        id: "docker-sock-mount",
        category: Security,
        severity: Warning,
        enabled: true,
        summary: "a Pod mounts the container runtime's socket",
        fields: ["HostPathVolumeSource.path"],
        check: Document(socket),
    };
}

const SENSITIVE: &[&str] = &["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"];
const SOCKETS: &[&str] = &["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock"];

fn sensitive(doc: &Document, cx: &mut Context<'_>) {
    check(doc, cx, &SENSITIVE_HOST_MOUNT, |path| {
        let trimmed = path.trim_end_matches('/');
        SENSITIVE.contains(&if trimmed.is_empty() { "/" } else { trimmed })
    });
}

fn socket(doc: &Document, cx: &mut Context<'_>) {
    check(doc, cx, &DOCKER_SOCK_MOUNT, |path| SOCKETS.iter().any(|s| path.ends_with(s)));
}

fn check(doc: &Document, cx: &mut Context<'_>, rule: &'static Rule, matches: impl Fn(&str) -> bool) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    for (i, volume) in pod.spec.get("volumes").map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(node) = volume.at(&["hostPath", "path"]) else { continue };
        let Some(path) = node.as_str().filter(|p| matches(p)) else { continue };
        let message = if rule.id == DOCKER_SOCK_MOUNT.id {
            format!("the Pod mounts the container runtime socket `{path}`")
        } else {
            format!("the Pod mounts the node's `{path}`")
        };
        let f = cx
            .finding(rule, node.span, message)
            .label("host path")
            .pointer(pod.pointer(&format!("/volumes/{i}/hostPath/path")))
            .help("mount only what the Pod needs, from a ConfigMap, Secret or a narrower path");
        cx.report(f);
    }
}
