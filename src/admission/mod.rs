//! Admission, offline: what the API server's admission plugins would say about each
//! object of the input, given the cluster configuration the input (or the command
//! line) carries: the Pod Security admission with namespaces' levels, and the
//! ValidatingAdmissionPolicies of the input and of `--policy`.
//!
//! The configuration is gathered from every input before any object is checked
//! ([`Admission::collect`]), so that a Namespace in one file decides for the Pods of
//! another.

pub mod custom;
pub mod pod_security;
pub mod policy;

use std::collections::HashMap;
use std::sync::Arc;

use cel::Value;

use crate::document::Document;
use crate::finding::Finding;
use crate::kube::selector::{Labels, labels};
use crate::rules::admission::{
    ADMISSION_POLICY, ADMISSION_POLICY_AUDIT, ADMISSION_POLICY_WARNING, INVALID_ADMISSION_POLICY, POD_SECURITY,
    POD_SECURITY_AUDIT, POD_SECURITY_WARNING,
};
use crate::rules::pod::PodTemplate;
use crate::rules::{Context, Rule};
use crate::schema::{Catalog, KubeVersion, split_api_version};
use pod_security::{Failed, LevelVersion, Policy};
use policy::{Action, Param, Policies, Request};

/// The admission configuration of a run.
#[derive(Debug, Default)]
pub struct Admission {
    /// The cluster's minor version (`-k`): the checks of `latest`.
    cluster: u32,
    /// The Pod Security levels of namespaces without labels (`--pod-security`).
    default_policy: Option<LevelVersion>,
    /// The Namespaces of the input, by name.
    namespaces: HashMap<String, Namespace>,
    policies: Policies,
    /// The parameter objects of the policies, from the input.
    params: Vec<Param>,
    /// `.kval.yaml`'s `customRules`.
    custom: Vec<Arc<custom::CustomRule>>,
}

#[derive(Debug)]
struct Namespace {
    labels: Labels,
    /// `namespaceObject`.
    value: Value,
}

/// Whether a source may hold something admission needs (a Namespace, a policy or
/// binding): such sources are parsed before the others are checked.
pub fn wants(text: &str) -> bool {
    text.contains("Namespace") || text.contains("ValidatingAdmissionPolicy")
}

/// An object as a CEL value without a schema, and its size.
fn plain_value(node: &crate::yaml::Node) -> (Value, u64) {
    (crate::cel::from_json(&node.to_json()), node.count() as u64)
}

impl Admission {
    pub fn new(version: KubeVersion, default_policy: Option<LevelVersion>) -> Admission {
        Admission { cluster: version.minor, default_policy, ..Admission::default() }
    }

    /// Evaluates `.kval.yaml`'s custom rules too.
    pub fn with_custom_rules(mut self, rules: Vec<Arc<custom::CustomRule>>) -> Admission {
        self.custom = rules;
        self
    }

    /// Takes what the admission configuration needs from the documents of the input:
    /// Namespaces, policies and bindings.
    pub fn collect<'d>(&mut self, documents: impl IntoIterator<Item = &'d Document>) {
        for doc in documents {
            if doc.kind() == Some("Namespace")
                && doc.api_version() == Some("v1")
                && let Some(name) = doc.object.name.clone()
            {
                let mut labels = doc.root.at(&["metadata", "labels"]).map(labels).unwrap_or_default();
                // The API server sets this label on every namespace.
                if !labels.iter().any(|(k, _)| k == "kubernetes.io/metadata.name") {
                    labels.push(("kubernetes.io/metadata.name".to_string(), name.clone()));
                }
                let value = plain_value(&doc.root).0;
                self.namespaces.entry(name).or_insert(Namespace { labels, value });
            } else if policy::is_policy(doc) {
                if let (Some(p), _) = policy::compile(doc) {
                    self.policies.policies.push(Arc::new(p));
                }
            } else if policy::is_binding(doc)
                && let Some(b) = policy::binding(doc)
            {
                self.policies.bindings.push(b);
            }
        }
    }

    /// The kinds of the parameter objects the policies need.
    pub fn param_kinds(&self) -> Vec<&str> {
        self.policies.param_kinds()
    }

    /// Takes the parameter objects of the policies from documents of the input.
    pub fn collect_params<'d>(&mut self, documents: impl IntoIterator<Item = &'d Document>) {
        let kinds: Vec<String> = self.param_kinds().iter().map(|k| k.to_string()).collect();
        for doc in documents {
            let Some(kind) = doc.kind().filter(|k| kinds.iter().any(|x| x == k)) else { continue };
            let (value, size) = plain_value(&doc.root);
            self.params.push(Param {
                kind: kind.to_string(),
                name: doc.object.name.clone().unwrap_or_default(),
                namespace: doc.object.namespace.clone(),
                labels: doc.root.at(&["metadata", "labels"]).map(labels).unwrap_or_default(),
                value,
                size,
            });
        }
    }

    /// The Pod Security policy of a namespace, and what sets it.
    fn pod_security(&self, namespace: Option<&str>) -> (Policy, String) {
        let defaults = Policy::uniform(self.default_policy.unwrap_or(LevelVersion::PRIVILEGED));
        match namespace.and_then(|ns| Some((ns, self.levels(ns)?))) {
            Some((ns, labels)) => {
                let policy = Policy::from_labels(labels.iter().map(|(k, v)| (k.as_str(), v.as_str())), defaults);
                (policy, format!("the labels of namespace `{ns}`"))
            }
            None => (defaults, "`--pod-security`".to_string()),
        }
    }

    /// The labels of a Namespace of the input that set its Pod Security levels.
    fn levels(&self, namespace: &str) -> Option<&Labels> {
        let labels = &self.namespaces.get(namespace)?.labels;
        labels.iter().any(|(k, _)| k.starts_with("pod-security.kubernetes.io/")).then_some(labels)
    }

    /// Whether what admission says of an object may depend on what was collected from
    /// the input (see [`Admission::collect`]) rather than on options alone: always
    /// with bound policies; for Pod templates, when they are in `pods_in`, a Namespace
    /// whose labels set its levels.
    pub fn collected_applies(&self, pods_in: Option<&str>) -> bool {
        !self.policies.is_empty() || pods_in.is_some_and(|ns| self.levels(ns).is_some())
    }

    /// What admission says about one document.
    pub fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        self.check_pod_security(doc, cx);
        if policy::is_policy(doc) {
            for problem in policy::compile(doc).1 {
                let mut f =
                    cx.finding(&INVALID_ADMISSION_POLICY, problem.span, problem.message).label("does not compile");
                f.note = problem.note;
                cx.report(f);
            }
        }
        if self.policies.is_empty() && self.custom.is_empty() {
            return;
        }
        let (Some(api_version), Some(kind)) = (doc.api_version(), doc.kind()) else { return };
        let (group, version) = split_api_version(api_version);
        let object = object_value(doc, cx.catalog, group, version, kind);
        for rule in &self.custom {
            rule.check(doc, &object, cx);
        }
        if !self.policies.is_empty() {
            self.check_policies(doc, cx, object);
        }
    }

    /// Evaluates every bound policy on the document.
    fn check_policies(&self, doc: &Document, cx: &mut Context<'_>, (value, size): (Value, u64)) {
        let (Some(api_version), Some(kind)) = (doc.api_version(), doc.kind()) else { return };
        let (group, version) = split_api_version(api_version);
        let catalog = cx.catalog;
        let served = catalog.resources.iter().find(|r| r.group == group && r.version == version && r.kind == kind);
        let resource = served.map_or_else(|| policy::resource(kind), |r| r.plural.clone());
        let namespaced = served.map_or(doc.object.namespace.is_some(), |r| r.namespaced);
        let namespace = doc.object.namespace.as_deref().filter(|_| namespaced);
        let known = self.namespaces.get(namespace.unwrap_or_default());
        let unknown_namespace: Labels =
            namespace.map(|ns| vec![("kubernetes.io/metadata.name".to_string(), ns.to_string())]).unwrap_or_default();
        let object_labels = doc.root.at(&["metadata", "labels"]).map(labels).unwrap_or_default();
        let name = doc.object.name.as_deref().unwrap_or_default();
        let request_value = policy::map([
            ("operation", Value::from("CREATE")),
            ("name", Value::from(name)),
            ("namespace", Value::from(namespace.unwrap_or_default())),
            ("kind", policy::map([("group", group.into()), ("version", version.into()), ("kind", kind.into())])),
            (
                "resource",
                policy::map([
                    ("group", group.into()),
                    ("version", version.into()),
                    ("resource", resource.as_str().into()),
                ]),
            ),
            ("dryRun", Value::Bool(false)),
        ]);
        let object = policy::Object {
            request: Request {
                group,
                version,
                resource: &resource,
                name,
                labels: &object_labels,
                namespace_labels: namespaced.then(|| known.map_or(&unknown_namespace, |n| &n.labels)),
            },
            namespace,
            value,
            size,
            request_value,
            namespace_object: known.map_or(Value::Null, |n| n.value.clone()),
        };
        for (policy, binding) in self.policies.bound() {
            for decision in policy::evaluate(policy, binding, &object, &self.params) {
                let rule = match decision.action {
                    Action::Deny => &ADMISSION_POLICY,
                    Action::Warn => &ADMISSION_POLICY_WARNING,
                    Action::Audit => &ADMISSION_POLICY_AUDIT,
                };
                let (span, pointer) = locate(doc, decision.field.as_deref());
                let mut f = cx.finding(rule, span, decision.message).secondary(decision.at, "the policy's validation");
                if let Some(pointer) = pointer {
                    f = f.pointer(pointer);
                }
                cx.report(f);
            }
        }
    }

    fn check_pod_security(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(pod) = PodTemplate::of(doc) else { return };
        let (policy, source) = self.pod_security(doc.object.namespace.as_deref());
        let is_pod = pod.kind == "Pod";
        let enforced = policy.enforce.evaluate(&pod, self.cluster);
        let mut reported = None;
        let mut failed_checks = Vec::new();
        if !enforced.is_empty() {
            let (rule, verb, note) = if is_pod {
                (&POD_SECURITY, "violates", format!("the API server rejects this Pod (level from {source})"))
            } else {
                let note = format!(
                    "the API server accepts this {}, but rejects the Pods it creates (level from {source})",
                    pod.kind
                );
                (&POD_SECURITY_WARNING, "would violate", note)
            };
            self.report(cx, rule, verb, policy.enforce, &enforced, &note, &mut failed_checks);
            reported = Some(policy.enforce);
        } else {
            let warned = policy.warn.evaluate(&pod, self.cluster);
            let note = format!("the API server admits it with this warning (level from {source})");
            self.report(cx, &POD_SECURITY_WARNING, "would violate", policy.warn, &warned, &note, &mut failed_checks);
            reported = reported.or((!warned.is_empty()).then_some(policy.warn));
        }
        if reported != Some(policy.audit) {
            let audited = policy.audit.evaluate(&pod, self.cluster);
            let note = format!("the API server records this in the audit log (level from {source})");
            let mut ignored = Vec::new();
            self.report(cx, &POD_SECURITY_AUDIT, "would violate", policy.audit, &audited, &note, &mut ignored);
        }
        drop_overlapping(cx, &failed_checks);
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        cx: &mut Context<'_>,
        rule: &'static Rule,
        verb: &str,
        level: LevelVersion,
        failed: &[Failed],
        note: &str,
        reported: &mut Vec<&'static str>,
    ) {
        if failed.is_empty() || !cx.enabled(rule) {
            return;
        }
        for f in failed {
            let message = format!("{verb} PodSecurity \"{level}\": {} ({})", f.reason, f.detail);
            let mut finding = cx.finding(rule, f.span, message).label(f.reason.clone()).note(note);
            if !f.pointer.is_empty() {
                finding = finding.pointer(f.pointer.clone());
            }
            cx.report(finding);
        }
        reported.extend(failed.iter().map(|f| f.check));
    }
}

/// The object as the API server's CEL sees it: typed by its schema, with the
/// schema's defaults, when kval has the kind.
fn object_value(doc: &Document, catalog: &Catalog, group: &str, version: &str, kind: &str) -> (Value, u64) {
    match catalog.kind(group, version, kind) {
        Some(id) => crate::cel::to_value(&doc.root, catalog.schema(id), &|r| catalog.resolve(r)),
        None => plain_value(&doc.root),
    }
}

/// The span of the deepest field of `path` (`spec.replicas`) the object has, and its
/// pointer; the object's name when it has none of it.
fn locate(doc: &Document, path: Option<&str>) -> (crate::source::Span, Option<String>) {
    let mut node = &doc.root;
    let mut pointer = String::new();
    for key in path.unwrap_or_default().split('.').filter(|k| !k.is_empty()) {
        match node.get(key) {
            Some(child) => {
                node = child;
                pointer = format!("{pointer}/{key}");
            }
            None => break,
        }
    }
    if pointer.is_empty() {
        let span = doc.root.at(&["metadata", "name"]).map_or_else(|| doc.head_span(), |n| n.span);
        return (span, None);
    }
    (node.span, Some(format!("{}{pointer}", doc.pointer_prefix)))
}

/// The security rules a Pod Security check covers: when the check is reported, their
/// findings on the same object are dropped (one problem, one finding).
const OVERLAPS: &[(&str, &[&str])] = &[
    ("privileged", &["privileged-container"]),
    ("hostNamespaces", &["host-network", "host-pid", "host-ipc"]),
    ("allowPrivilegeEscalation", &["privilege-escalation"]),
    ("capabilities_baseline", &["privilege-escalation"]),
    ("capabilities_restricted", &["privilege-escalation", "net-raw-not-dropped"]),
    ("hostPathVolumes", &["sensitive-host-mount", "docker-sock-mount"]),
    ("restrictedVolumes", &["sensitive-host-mount", "docker-sock-mount"]),
    ("sysctls", &["unsafe-sysctl"]),
    ("hostPorts", &["host-port"]),
    ("procMount", &["unsafe-proc-mount"]),
    ("procMount_restricted", &["unsafe-proc-mount"]),
    ("runAsNonRoot", &["run-as-root"]),
];

fn drop_overlapping(cx: &mut Context<'_>, failed_checks: &[&str]) {
    let covered: Vec<&str> = OVERLAPS
        .iter()
        .filter(|(check, _)| failed_checks.contains(check))
        .flat_map(|(_, rules)| rules.iter().copied())
        .collect();
    if !covered.is_empty() {
        cx.retain(|f: &Finding| !covered.contains(&f.rule));
    }
}
