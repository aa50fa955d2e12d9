use crate::document::Document;
use crate::kube::names;
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks `metadata.name` (required unless `generateName` is set) against the rule
    /// the API server applies to its kind: a lowercase RFC 1123 subdomain for most
    /// objects (`my-app.v2`), a lowercase RFC 1123 label for Namespaces and
    /// StatefulSets (`my-app`), an RFC 1035 label for Services (starting with a
    /// letter), at most 52 characters for CronJobs. Container names must be RFC 1123
    /// labels. (A StatefulSet name longer than 52 characters is accepted, and reported as
    /// a warning by `long-statefulset-name`.)
    ///
    /// ## Why it matters
    /// The API server rejects the object (`metadata.name: Invalid value: "Web_App": a
    /// lowercase RFC 1123 subdomain must consist of …`).
    ///
    /// ## API server
    /// Rejected on create: `ValidateObjectMeta` with each kind's name function
    /// (`ValidateServiceName`: DNS-1035 label; `ValidateNamespaceName`,
    /// `ValidateStatefulSetName`: DNS-1123 label; RBAC: `ValidatePathSegmentName`; most
    /// kinds: DNS-1123 subdomain), `ValidateCronJobCreate` (at most 52 characters) and
    /// `validateContainerCommon` for container names.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web.frontend
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web-frontend
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    pub static INVALID_NAME = {
        id: "invalid-name",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "an object or container name is missing, too long or not a valid DNS name",
        fields: ["ObjectMeta.name", "ObjectMeta.generateName", "Container.name", "EphemeralContainer.name"],
        check: Document(check),
    };
}

/// The longest CronJob name: its Jobs are named `<name>-<minutes since epoch>`.
const CRONJOB_NAME_MAX: usize = 52;

enum Rule {
    Subdomain,
    Label,
    Dns1035,
    /// RBAC and a few others: any path segment.
    PathSegment,
}

fn rule_for(kind: &str) -> Option<Rule> {
    Some(match kind {
        "Service" => Rule::Dns1035,
        "Namespace" | "StatefulSet" => Rule::Label,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => Rule::PathSegment,
        "Pod"
        | "PodTemplate"
        | "Deployment"
        | "ReplicaSet"
        | "DaemonSet"
        | "ReplicationController"
        | "Job"
        | "CronJob"
        | "ConfigMap"
        | "Secret"
        | "ServiceAccount"
        | "PersistentVolumeClaim"
        | "PersistentVolume"
        | "Ingress"
        | "IngressClass"
        | "NetworkPolicy"
        | "PodDisruptionBudget"
        | "HorizontalPodAutoscaler"
        | "StorageClass"
        | "PriorityClass"
        | "Endpoints"
        | "LimitRange"
        | "ResourceQuota"
        | "RuntimeClass"
        | "CSIDriver"
        | "Lease"
        | "EndpointSlice" => Rule::Subdomain,
        _ => return None,
    })
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    object_name(doc, cx);
    if let Some(pod) = PodTemplate::of(doc) {
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            for (i, c) in pod.spec.get(list).map(Node::items).unwrap_or_default().iter().enumerate() {
                let Some(name) = c.get("name") else { continue };
                let Some(text) = name.as_str() else { continue };
                if let Err(reason) = names::dns1123_label(text) {
                    let field = format!("{}.{list}[{i}].name", pod.path());
                    let (message, note) = crate::rules::invalid_value(&format!("{text:?}"), &field, &reason);
                    let mut f = cx.finding(&INVALID_NAME, name.span, message).label("not a valid container name");
                    f.note = note;
                    let f = f.pointer(pod.pointer(&format!("/{list}/{i}/name"))).help(suggestion(text));
                    cx.report(f);
                }
            }
        }
    }
}

fn object_name(doc: &Document, cx: &mut Context<'_>) {
    let Some(kind) = doc.kind() else { return };
    let Some(rule) = rule_for(kind) else { return };
    let metadata = doc.root.get("metadata");
    let name = metadata.and_then(|m| m.get("name")).filter(|n| !n.is_null());
    let pointer = format!("{}/metadata/name", doc.pointer_prefix);
    let Some(name) = name else {
        let generated = metadata.and_then(|m| m.get("generateName")).is_some_and(|n| !n.is_null());
        if !generated {
            let span = doc.root.entry("metadata").map_or(doc.head_span(), |e| e.key.span);
            let f = cx
                .finding(&INVALID_NAME, span, "`metadata.name` is required: name or generateName is required")
                .label(if metadata.is_some() { "no `name` here" } else { "no `metadata`" })
                .pointer(pointer)
                .help("add `name:` under `metadata`");
            cx.report(f);
        }
        return;
    };
    let Some(text) = name.as_str() else { return };
    let result = match rule {
        Rule::Subdomain => names::dns1123_subdomain(text),
        Rule::Label => names::dns1123_label(text),
        Rule::Dns1035 => names::dns1035_label(text),
        Rule::PathSegment => names::path_segment_name(text),
    };
    let (reason, label) = match result {
        Err(reason) => (reason, "not a valid name"),
        Ok(()) if kind == "CronJob" && text.len() > CRONJOB_NAME_MAX => {
            (format!("must be no more than {CRONJOB_NAME_MAX} characters"), "too long for a CronJob")
        }
        Ok(()) => return,
    };
    let (message, note) = crate::rules::invalid_value(&format!("{text:?}"), "metadata.name", &reason);
    let mut f = cx.finding(&INVALID_NAME, name.span, message).label(label);
    f.note = note;
    let f = f.pointer(pointer).help(suggestion(text));
    cx.report(f);
}

/// A name in the form every rule accepts: lowercase, with `-` for other characters.
fn suggestion(text: &str) -> String {
    let mut fixed: String =
        text.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    fixed = fixed.trim_matches('-').to_string();
    while fixed.contains("--") {
        fixed = fixed.replace("--", "-");
    }
    if fixed.is_empty() || fixed == text || fixed.len() > 52 {
        "use lowercase letters, digits and `-`, starting and ending with a letter or digit".to_string()
    } else {
        format!("e.g. `{fixed}`")
    }
}
