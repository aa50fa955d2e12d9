use crate::document::Document;
use crate::kube::field;
use crate::rules::Context;
use crate::rules::pod::{Container, PodTemplate};
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks each container of a Pod or Pod template as the API server does beyond
    /// the schema: `image` is required (on Pods and on templates alike) and, on a
    /// Pod, has no leading or trailing whitespace; each probe and lifecycle hook has
    /// exactly one handler (`exec`, `httpGet`, `tcpSocket`, `grpc`, or `sleep` for
    /// hooks); a liveness or startup probe's `successThreshold` is 1; an init
    /// container that is not a sidecar (`restartPolicy: Always`) has no probes and
    /// no `lifecycle`; a `resizePolicy` names each of `cpu` and `memory` at most once,
    /// with `NotRequired` or `RestartContainer` (only `NotRequired` when the Pod's
    /// `restartPolicy` is `Never`), and only on regular containers.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `spec.containers[0].image: Required value`.
    /// The schema marks `image` optional because higher-level tools may fill it in,
    /// so a schema-only check lets the omission through.
    ///
    /// ## API server
    /// Rejected on create: `validateContainerCommon` (image, `Required value`),
    /// `validateContainersOnlyForPod` (whitespace, Pods only), `validateHandler`
    /// (`must specify a handler type`, `may not specify more than 1 handler type`),
    /// `validateContainers` (`successThreshold`: `must be 1`),
    /// `validateInitContainers` (`may not be set for init containers without
    /// restartPolicy=Always`; `resizePolicy`: `must not be set for init containers`)
    /// and `validateResizePolicy` (`spec.containers[0].resizePolicy[1]: Duplicate
    /// value: "cpu"`, `Unsupported value`, ``must be 'NotRequired' when
    /// `restartPolicy` is 'Never'``) in `pkg/apis/core/validation/validation.go`.
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
    ///     livenessProbe:
    ///       successThreshold: 2
    ///       httpGet:
    ///         path: /healthz
    ///         port: 8080
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
    ///     image: registry.example.com/web:1.4.2
    ///     livenessProbe:
    ///       httpGet:
    ///         path: /healthz
    ///         port: 8080
    /// ```
    pub static INVALID_CONTAINER = {
        id: "invalid-container",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a container lacks an image, or has a probe or hook the API server rejects",
        fields: [
            "Container.image", "Container.livenessProbe", "Container.readinessProbe", "Container.startupProbe",
            "Container.lifecycle", "Probe.successThreshold", "Container.resizePolicy",
        ],
        check: Document(check),
    };
}

const PROBES: [&str; 3] = ["livenessProbe", "readinessProbe", "startupProbe"];
const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];
const HOOK_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "sleep"];

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let bare_pod = pod.kind == "Pod";
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        for (index, node) in pod.spec.get(list).map(Node::items).unwrap_or_default().iter().enumerate() {
            if !node.is_map() {
                continue;
            }
            let c = Container { node, list, index };
            image(&pod, &c, bare_pod, cx);
            if list != "ephemeralContainers" && cx.catalog.version.minor >= 27 {
                resize_policy(&pod, &c, cx);
            }
            if list == "ephemeralContainers" {
                continue; // their probes and hooks are refused by the schema's own checks
            }
            let sidecar = c.get("restartPolicy").and_then(Node::as_str) == Some("Always");
            for key in PROBES.iter().copied().chain(["lifecycle"]) {
                let Some(entry) = node.entry(key) else { continue };
                if c.is_init() && !sidecar {
                    let message = field::forbidden(
                        &pod.container_path(&c, key),
                        "may not be set for init containers without restartPolicy=Always",
                    );
                    let f = cx
                        .finding(&INVALID_CONTAINER, entry.key.span, message)
                        .label("init containers run to completion")
                        .pointer(pod.container_pointer(&c, key))
                        .help("remove it, or make the init container a sidecar with `restartPolicy: Always`");
                    cx.report(f);
                    continue;
                }
                if key == "lifecycle" {
                    for hook in ["postStart", "preStop"] {
                        if let Some(h) = entry.value.entry(hook) {
                            handler(&pod, &c, cx, &format!("lifecycle.{hook}"), h, HOOK_HANDLERS);
                        }
                    }
                } else {
                    handler(&pod, &c, cx, key, entry, PROBE_HANDLERS);
                    success_threshold(&pod, &c, cx, key, &entry.value);
                }
            }
        }
    }
}

fn image(pod: &PodTemplate<'_>, c: &Container<'_>, bare_pod: bool, cx: &mut Context<'_>) {
    let path = pod.container_path(c, "image");
    match c.get("image").filter(|n| !n.is_null()) {
        None => {
            let f = cx
                .finding(&INVALID_CONTAINER, c.span(), field::required(&path, ""))
                .label(format!("{} has no image", c.describe()))
                .pointer(pod.container_pointer(c, "image"))
                .help("add `image:` with the image to run, e.g. `image: registry.example.com/app:1.0`");
            cx.report(f);
        }
        Some(node) => {
            let Some(text) = node.as_str() else { return };
            if text.is_empty() {
                let f = cx
                    .finding(&INVALID_CONTAINER, node.span, field::required(&path, ""))
                    .label("empty image")
                    .pointer(pod.container_pointer(c, "image"))
                    .help("name the image to run");
                cx.report(f);
            } else if bare_pod && text.trim() != text {
                let message =
                    field::invalid(&path, &field::quote(text), "must not have leading or trailing whitespace");
                let f = cx
                    .finding(&INVALID_CONTAINER, node.span, message)
                    .label("whitespace around the image")
                    .pointer(pod.container_pointer(c, "image"))
                    .help(format!("use `image: {}`", text.trim()));
                cx.report(f);
            }
        }
    }
}

/// A probe or hook needs exactly one handler.
fn handler(
    pod: &PodTemplate<'_>,
    c: &Container<'_>,
    cx: &mut Context<'_>,
    key: &str,
    entry: &crate::yaml::Entry,
    handlers: &[&str],
) {
    if !entry.value.is_map() {
        return;
    }
    let set: Vec<&crate::yaml::Entry> = entry
        .value
        .entries()
        .iter()
        .filter(|e| handlers.contains(&e.key.name.as_str()) && !e.value.is_null())
        .collect();
    let pointer = pod.container_pointer(c, &key.replace('.', "/"));
    if set.is_empty() {
        let message = field::required(&pod.container_path(c, key), "must specify a handler type");
        let f =
            cx.finding(&INVALID_CONTAINER, entry.key.span, message).label("no handler").pointer(pointer.clone()).help(
                format!("add one of {}", handlers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")),
            );
        cx.report(f);
    }
    for extra in set.iter().skip(1) {
        let name = &extra.key.name;
        let message = field::forbidden(
            &pod.container_path(c, &format!("{key}.{name}")),
            "may not specify more than 1 handler type",
        );
        let mut f = cx
            .finding(&INVALID_CONTAINER, extra.key.span, message)
            .label("a second handler")
            .pointer(format!("{pointer}/{name}"))
            .help("keep one handler");
        if let Some(first) = set.first() {
            f = f.secondary(cx.doc.location(first.key.span), "first handler");
        }
        cx.report(f);
    }
}

fn success_threshold(pod: &PodTemplate<'_>, c: &Container<'_>, cx: &mut Context<'_>, key: &str, probe: &Node) {
    if key == "readinessProbe" {
        return;
    }
    let Some(node) = probe.get("successThreshold") else { return };
    // 0 is defaulted to 1 before validation.
    let Some(n) = node.as_i64().filter(|n| *n != 1 && *n != 0) else { return };
    let message =
        field::invalid(&pod.container_path(c, &format!("{key}.successThreshold")), &n.to_string(), "must be 1");
    let f = cx
        .finding(&INVALID_CONTAINER, node.span, message)
        .label(format!(
            "a {} succeeds on its first success",
            if key == "livenessProbe" { "liveness probe" } else { "startup probe" }
        ))
        .pointer(pod.container_pointer(c, &format!("{key}/successThreshold")))
        .help("remove `successThreshold` (it must be 1)");
    cx.report(f);
}

const RESIZE_RESOURCES: &[&str] = &["cpu", "memory"];
const RESIZE_POLICIES: &[&str] = &["NotRequired", "RestartContainer"];

/// `validateResizePolicy`: each resource once, `cpu` or `memory`, with a known
/// restart policy, and `NotRequired` when the Pod never restarts; init containers
/// have none (`validateInitContainers`).
fn resize_policy(pod: &PodTemplate<'_>, c: &Container<'_>, cx: &mut Context<'_>) {
    let Some(entry) = c.node.entry("resizePolicy").filter(|e| !e.value.is_null()) else { return };
    let path = pod.container_path(c, "resizePolicy");
    let pointer = pod.container_pointer(c, "resizePolicy");
    if c.is_init() {
        // Go's `%#v` of the list, abridged.
        let message = field::invalid(&path, "[]core.ContainerResizePolicy{…}", "must not be set for init containers");
        let f = cx
            .finding(&INVALID_CONTAINER, entry.key.span, message)
            .label("init containers are not resized in place")
            .pointer(pointer)
            .help("remove `resizePolicy` from the init container");
        cx.report(f);
        return;
    }
    let never = pod.spec.get("restartPolicy").and_then(Node::as_str) == Some("Never");
    let mut seen = Vec::new();
    for (i, item) in entry.value.items().iter().enumerate() {
        let text = |key: &str| item.get(key).and_then(|n| n.as_str().map(|s| (n, s))).filter(|(_, s)| !s.is_empty());
        if let Some((node, name)) = text("resourceName") {
            if let Some(first) = crate::rules::first_seen(&mut seen, name, node) {
                let message = field::duplicate(&format!("{path}[{i}]"), &field::quote(name));
                let f = cx
                    .finding(&INVALID_CONTAINER, node.span, message)
                    .label(format!("`{name}` has a policy already"))
                    .secondary(cx.doc.location(first.span), "first policy")
                    .pointer(format!("{pointer}/{i}/resourceName"))
                    .help("keep one policy per resource");
                cx.report(f);
            } else if !RESIZE_RESOURCES.contains(&name) {
                let message = field::not_supported(&path, name, RESIZE_RESOURCES);
                let f = cx
                    .finding(&INVALID_CONTAINER, node.span, message)
                    .label("not a resizable resource")
                    .pointer(format!("{pointer}/{i}/resourceName"))
                    .help("only `cpu` and `memory` are resized in place");
                cx.report(f);
            }
        }
        let Some((node, policy)) = text("restartPolicy") else { continue };
        let (message, label) = if !RESIZE_POLICIES.contains(&policy) {
            (field::not_supported(&path, policy, RESIZE_POLICIES), "not a resize restart policy")
        } else if never && policy != "NotRequired" {
            let reason = "must be 'NotRequired' when `restartPolicy` is 'Never'";
            (field::invalid(&path, &field::quote(policy), reason), "the Pod never restarts its containers")
        } else {
            continue;
        };
        let f = cx
            .finding(&INVALID_CONTAINER, node.span, message)
            .label(label)
            .pointer(format!("{pointer}/{i}/restartPolicy"))
            .help("use `NotRequired` (resize the running container) or `RestartContainer`");
        cx.report(f);
    }
}
