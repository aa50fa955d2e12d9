use crate::document::Document;
use crate::kube::quantity;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Reports what the API server accepts in a Pod or Pod template but answers with
    /// a warning (`kubectl` prints it as `Warning: ...`): two container ports with
    /// the same `containerPort` and `protocol` (in one container or across the
    /// Pod's containers), a `hostIP` without a `hostPort`, the same IP twice in
    /// `hostAliases`, the same or an empty name in `imagePullSecrets`, and a
    /// fractional number of bytes as a memory or ephemeral-storage request or limit;
    /// a fractional storage request or limit of a PersistentVolumeClaim, a
    /// StatefulSet's `volumeClaimTemplates` or a generic ephemeral volume; the
    /// deprecated `volume.beta.kubernetes.io/storage-class` annotation of a claim; an
    /// Ingress's deprecated `kubernetes.io/ingress.class` annotation without
    /// `spec.ingressClassName` (Kubernetes 1.27 and later); a StatefulSet's negative
    /// `revisionHistoryLimit`.
    ///
    /// ## Why it matters
    /// The object is created, but not as written: a duplicate port is dropped by
    /// server-side apply (which refuses it outright), the second `hostAliases` entry
    /// or pull secret does nothing, `memory: 1.5` is rounded up to 2 bytes.
    ///
    /// ## API server
    /// Accepted with a warning: `warningsForPodSpecAndMeta` in
    /// `pkg/api/pod/warnings.go`, e.g. `Warning:
    /// spec.containers[0].ports[1]: duplicate port definition with
    /// spec.containers[0].ports[0]`. A duplicate port is a warning, not
    /// `duplicate-value`, for built-in kinds; only server-side apply rejects it.
    /// Claims: `GetWarningsForPersistentVolumeClaim` and
    /// `GetWarningsForPersistentVolumeClaimSpec` in
    /// `pkg/api/persistentvolumeclaim/util.go` (`spec.resources.requests[storage]:
    /// fractional byte value "1500m" is invalid, must be an integer`), called for
    /// StatefulSets by `WarningsOnCreate` in `pkg/registry/apps/statefulset/strategy.go`
    /// (`spec.volumeClaimTemplates[0].resources.requests[storage]: ...`, and
    /// `spec.revisionHistoryLimit: a negative value retains all historical revisions;
    /// a value >= 0 is recommended`). Ingress: `WarningsOnCreate` in
    /// `pkg/registry/networking/ingress/strategy.go`: `annotation
    /// "kubernetes.io/ingress.class" is deprecated, please use
    /// 'spec.ingressClassName' instead`.
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
    ///     ports:
    ///     - name: http
    ///       containerPort: 80
    ///     - name: https
    ///       containerPort: 80
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
    ///     ports:
    ///     - name: http
    ///       containerPort: 80
    ///     - name: https
    ///       containerPort: 443
    /// ```
    pub static API_SERVER_WARNING = {
        id: "api-server-warning",
        category: ApiValidation,
        severity: Warning,
        enabled: true,
        summary: "the API server accepts this with a warning (duplicate container port, duplicate host alias ...)",
        fields: [
            "ContainerPort.containerPort", "ContainerPort.hostIP", "PodSpec.hostAliases", "PodSpec.imagePullSecrets",
            "ResourceRequirements.requests", "ResourceRequirements.limits",
            "VolumeResourceRequirements.requests", "StatefulSetSpec.volumeClaimTemplates",
            "StatefulSetSpec.revisionHistoryLimit",
        ],
        check: Document(check),
    };
}

const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";
const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

fn check(doc: &Document, cx: &mut Context<'_>) {
    match doc.kind() {
        Some("Ingress") => ingress_class_annotation(doc, cx),
        Some("PersistentVolumeClaim") => {
            storage_class_annotation(doc, cx);
            claim_bytes(cx, doc.root.get("spec"), "spec", &format!("{}/spec", doc.pointer_prefix));
        }
        Some("StatefulSet") => stateful_set(doc, cx),
        _ => {}
    }
    let Some(pod) = PodTemplate::of(doc) else { return };
    ports(&pod, cx);
    duplicates(&pod, cx, "hostAliases", "ip");
    duplicates(&pod, cx, "imagePullSecrets", "name");
    fractional_bytes(&pod, cx);
    ephemeral_claims(&pod, cx);
}

/// Reports a warning; `warning` is the API server's text after the field path.
fn warn(cx: &mut Context<'_>, node: &Node, pointer: String, field: &str, warning: &str) -> crate::finding::Finding {
    warn_at(cx, node.span, pointer, &format!("{field}: {warning}"))
}

/// Reports a warning with the API server's whole text.
fn warn_at(cx: &mut Context<'_>, span: crate::source::Span, pointer: String, text: &str) -> crate::finding::Finding {
    cx.finding(&API_SERVER_WARNING, span, text)
        .pointer(pointer)
        .note("the API server accepts the object and answers with this text as a `Warning:`")
}

/// The annotation `key` of the document, with its pointer.
fn annotation<'d>(doc: &'d Document, key: &str) -> Option<(&'d crate::yaml::Entry, String)> {
    let entry = doc.root.at(&["metadata", "annotations"])?.entry(key)?;
    let pointer = format!("{}/metadata/annotations/{}", doc.pointer_prefix, key.replace('~', "~0").replace('/', "~1"));
    Some((entry, pointer))
}

/// `WarningsOnCreate` of Ingresses (Kubernetes 1.27 and later): the class annotation
/// without `spec.ingressClassName` (with both, `invalid-ingress` checks they agree).
fn ingress_class_annotation(doc: &Document, cx: &mut Context<'_>) {
    if cx.catalog.version.minor < 27 || doc.root.at(&["spec", "ingressClassName"]).is_some_and(|n| !n.is_null()) {
        return;
    }
    let Some((entry, pointer)) = annotation(doc, INGRESS_CLASS) else { return };
    let text = format!("annotation {INGRESS_CLASS:?} is deprecated, please use 'spec.ingressClassName' instead");
    let class = entry.value.as_str().filter(|c| !c.is_empty()).unwrap_or("CLASS");
    let f = warn_at(cx, entry.key.span, pointer, &text)
        .label("deprecated annotation")
        .help(format!("set `spec.ingressClassName: {class}` and remove the annotation"));
    cx.report(f);
}

/// `GetWarningsForPersistentVolumeClaim`: the beta storage-class annotation.
fn storage_class_annotation(doc: &Document, cx: &mut Context<'_>) {
    let Some((entry, pointer)) = annotation(doc, BETA_STORAGE_CLASS) else { return };
    let text = format!(
        "metadata.annotations[{BETA_STORAGE_CLASS}]: deprecated since v1.8; use \"storageClassName\" attribute instead"
    );
    let class = entry.value.as_str().filter(|c| !c.is_empty()).unwrap_or("CLASS");
    let f = warn_at(cx, entry.key.span, pointer, &text)
        .label("deprecated annotation")
        .help(format!("set `spec.storageClassName: {class}` and remove the annotation"));
    cx.report(f);
}

/// `WarningsOnCreate` of StatefulSets: fractional bytes in `volumeClaimTemplates`
/// (named without their `spec`, as the API server does), and a negative
/// `revisionHistoryLimit`, which the validation accepts.
fn stateful_set(doc: &Document, cx: &mut Context<'_>) {
    let Some(spec) = doc.root.get("spec") else { return };
    for (i, template) in spec.get("volumeClaimTemplates").map(Node::items).unwrap_or_default().iter().enumerate() {
        let field = format!("spec.volumeClaimTemplates[{i}]");
        let pointer = format!("{}/spec/volumeClaimTemplates/{i}/spec", doc.pointer_prefix);
        claim_bytes(cx, template.get("spec"), &field, &pointer);
    }
    if let Some(node) = spec.get("revisionHistoryLimit")
        && node.as_i64().is_some_and(|n| n < 0)
    {
        let pointer = format!("{}/spec/revisionHistoryLimit", doc.pointer_prefix);
        let text =
            "spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended";
        let f = warn_at(cx, node.span, pointer, text)
            .label("keeps every revision")
            .help("set how many old revisions to keep, e.g. `revisionHistoryLimit: 10` (the default)");
        cx.report(f);
    }
}

/// Generic ephemeral volumes of a Pod: their claim's storage is checked as a PVC's.
fn ephemeral_claims(pod: &PodTemplate<'_>, cx: &mut Context<'_>) {
    for (i, volume) in pod.spec.get("volumes").map(Node::items).unwrap_or_default().iter().enumerate() {
        let spec = volume.at(&["ephemeral", "volumeClaimTemplate", "spec"]);
        let rest = format!("volumes[{i}].ephemeral.volumeClaimTemplate.spec");
        let pointer = pod.pointer(&format!("/volumes/{i}/ephemeral/volumeClaimTemplate/spec"));
        claim_bytes(cx, spec, &format!("{}.{rest}", pod.path()), &pointer);
    }
}

/// `GetWarningsForPersistentVolumeClaimSpec`: the storage request and limit of a
/// claim's `spec` at `field`.
fn claim_bytes(cx: &mut Context<'_>, spec: Option<&Node>, field: &str, pointer: &str) {
    let Some(spec) = spec else { return };
    for kind in ["requests", "limits"] {
        if let Some(node) = spec.at(&["resources", kind, "storage"]) {
            let at = format!("{field}.resources.{kind}[storage]");
            fractional(cx, node, &at, format!("{pointer}/resources/{kind}/storage"));
        }
    }
}

struct Port<'a> {
    node: &'a Node,
    field: String,
    host_ip: String,
    host_port: i64,
}

fn ports(pod: &PodTemplate<'_>, cx: &mut Context<'_>) {
    let mut seen: Vec<(String, Port<'_>)> = Vec::new();
    let lists = ["initContainers", "containers", "ephemeralContainers"];
    for (list, c) in lists
        .iter()
        .flat_map(|l| pod.spec.get(l).map(Node::items).unwrap_or_default().iter().enumerate().map(move |c| (*l, c)))
    {
        let (ci, c) = c;
        for (i, port) in c.get("ports").map(Node::items).unwrap_or_default().iter().enumerate() {
            let field = format!("{}.{list}[{ci}].ports[{i}]", pod.path());
            let pointer = pod.pointer(&format!("/{list}/{ci}/ports/{i}"));
            let host_ip = port.get("hostIP").and_then(Node::as_str).unwrap_or("").to_string();
            let host_port = port.get("hostPort").and_then(Node::as_i64).unwrap_or(0);
            if !host_ip.is_empty() && host_port == 0 {
                let node = port.get("hostIP").unwrap_or(port);
                let f = warn(cx, node, pointer.clone(), &field, "hostIP set without hostPort")
                    .label("no hostPort")
                    .help("add the `hostPort` to expose, or remove `hostIP`");
                cx.report(f);
            }
            let Some(number) = port.get("containerPort").and_then(Node::as_i64) else { continue };
            let protocol = port.get("protocol").and_then(Node::as_str).unwrap_or("TCP");
            let key = format!("{number}/{protocol}");
            let this = Port { node: port.get("containerPort").unwrap_or(port), field, host_ip, host_port };
            for (_, other) in seen.iter().filter(|(k, _)| *k == key) {
                let what = if this.host_ip == other.host_ip && this.host_port == other.host_port {
                    "duplicate"
                } else if this.host_port == 0 || other.host_port == 0 {
                    "overlapping"
                } else {
                    continue;
                };
                let warning = format!("{what} port definition with {}", other.field);
                let f = warn(cx, this.node, pointer.clone(), &this.field, &warning)
                    .label(format!("{key} again"))
                    .secondary(cx.doc.location(other.node.span), "first declared here")
                    .help("declare each port and protocol once; server-side apply refuses the duplicate");
                cx.report(f);
            }
            seen.push((key, this));
        }
    }
}

/// `hostAliases[*].ip` and `imagePullSecrets[*].name`: the same value twice, or an
/// empty pull secret name.
fn duplicates(pod: &PodTemplate<'_>, cx: &mut Context<'_>, list: &str, key: &str) {
    let mut seen: Vec<(&str, &Node)> = Vec::new();
    for (i, item) in pod.spec.get(list).map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(node) = item.get(key) else { continue };
        let Some(value) = node.as_str() else { continue };
        let field = format!("{}.{list}[{i}].{key}", pod.path());
        let pointer = pod.pointer(&format!("/{list}/{i}/{key}"));
        if value.is_empty() && list == "imagePullSecrets" {
            let f = warn(cx, node, pointer.clone(), &field, "invalid empty name \"\"")
                .label("empty")
                .help("name the Secret holding the registry credentials, or remove the entry");
            cx.report(f);
            continue;
        }
        if let Some(first) = crate::rules::first_seen(&mut seen, value, node) {
            let f = warn(cx, node, pointer, &field, &format!("duplicate {key} {value:?}"))
                .label("declared twice")
                .secondary(cx.doc.location(first.span), "first declared here")
                .help("remove one of them; merge their host names into one entry");
            cx.report(f);
        }
    }
}

fn fractional_bytes(pod: &PodTemplate<'_>, cx: &mut Context<'_>) {
    for c in pod.all_containers() {
        for kind in ["limits", "requests"] {
            for resource in ["memory", "ephemeral-storage"] {
                let Some(node) = c.node.at(&["resources", kind, resource]) else { continue };
                let field = format!("{}[{resource}]", pod.container_path(&c, &format!("resources.{kind}")));
                let pointer = pod.container_pointer(&c, &format!("resources/{kind}/{resource}"));
                fractional(cx, node, &field, pointer);
            }
        }
    }
}

/// A number of bytes with a fraction: rounded up by the API server, with a warning.
fn fractional(cx: &mut Context<'_>, node: &Node, field: &str, pointer: String) {
    let text = match &node.value {
        crate::yaml::Value::Str(s) => s.clone(),
        crate::yaml::Value::Float(f) => crate::yaml::format_float(*f),
        _ => return,
    };
    let Some(bytes) = quantity::parse(&text) else { return };
    // The API server checks `MilliValue()`, thousandths of a byte rounded up.
    if (close_to_integer(bytes * 1000.0).unwrap_or((bytes * 1000.0).ceil()) as i64) % 1000 == 0 {
        return;
    }
    let warning = format!("fractional byte value {:?} is invalid, must be an integer", go_string(bytes));
    let f = warn(cx, node, pointer, field, &warning)
        .label("not a whole number of bytes")
        .help("use a whole number of bytes, e.g. `512Mi` or `1G`");
    cx.report(f);
}

/// A fractional quantity as Go's `Quantity.String()` prints it: the decimal mantissa
/// with the largest suffix that keeps it whole (`1.5` → `1500m`), rounded up at
/// nanos.
fn go_string(value: f64) -> String {
    for (suffix, factor) in [("m", 1e3), ("u", 1e6)] {
        if let Some(whole) = close_to_integer(value * factor) {
            return format!("{whole}{suffix}");
        }
    }
    let nanos = close_to_integer(value * 1e9).unwrap_or((value * 1e9).ceil());
    format!("{nanos}n")
}

/// `x` when it is an integer but for floating-point error.
fn close_to_integer(x: f64) -> Option<f64> {
    let r = x.round();
    ((x - r).abs() <= 1e-6 * r.abs().max(1.0)).then_some(r)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quantities_as_go_prints_them() {
        assert_eq!(super::go_string(1.5), "1500m");
        assert_eq!(super::go_string(0.1), "100m");
        assert_eq!(super::go_string(102.4), "102400m");
        assert_eq!(super::go_string(0.0015), "1500u");
        assert_eq!(super::go_string(1e-7), "100n");
    }
}
