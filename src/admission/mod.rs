//! Admission, offline: what the API server's admission plugins would say about each
//! object of the input, given the cluster configuration the input (or the command
//! line) carries: the Pod Security admission with namespaces' levels.
//!
//! The configuration is gathered from every input before any object is checked
//! ([`Admission::collect`]), so that a Namespace in one file decides for the Pods of
//! another.

pub mod pod_security;

use std::collections::HashMap;

use crate::document::Document;
use crate::finding::Finding;
use crate::rules::admission::{POD_SECURITY, POD_SECURITY_AUDIT, POD_SECURITY_WARNING};
use crate::rules::pod::PodTemplate;
use crate::rules::{Context, Rule};
use crate::schema::KubeVersion;
use pod_security::{Failed, LevelVersion, Policy};

/// The admission configuration of a run.
#[derive(Debug, Default)]
pub struct Admission {
    /// The cluster's minor version (`-k`): the checks of `latest`.
    cluster: u32,
    /// The Pod Security levels of namespaces without labels (`--pod-security`).
    default_policy: Option<LevelVersion>,
    /// The Namespaces of the input: name and labels.
    namespaces: HashMap<String, Vec<(String, String)>>,
}

/// Whether a source may hold something admission needs (a Namespace): such sources
/// are parsed before the others are checked.
pub fn wants(text: &str) -> bool {
    text.contains("Namespace")
}

impl Admission {
    pub fn new(version: KubeVersion, default_policy: Option<LevelVersion>) -> Admission {
        Admission { cluster: version.minor, default_policy, namespaces: HashMap::new() }
    }

    /// Takes what the admission configuration needs from the documents of the input.
    pub fn collect<'d>(&mut self, documents: impl IntoIterator<Item = &'d Document>) {
        for doc in documents {
            if doc.kind() == Some("Namespace")
                && doc.api_version() == Some("v1")
                && let Some(name) = doc.object.name.clone()
            {
                let labels = doc.root.at(&["metadata", "labels"]).map(|l| l.entries()).unwrap_or_default();
                let labels = labels
                    .iter()
                    .filter_map(|e| Some((e.key.name.clone(), crate::kube::selector::scalar_text(&e.value)?)))
                    .collect();
                self.namespaces.entry(name).or_insert(labels);
            }
        }
    }

    /// The Pod Security policy of a namespace, and what sets it.
    fn pod_security(&self, namespace: Option<&str>) -> (Policy, String) {
        let defaults = Policy::uniform(self.default_policy.unwrap_or(LevelVersion::PRIVILEGED));
        let labelled = namespace.and_then(|ns| Some((ns, self.namespaces.get(ns)?)));
        match labelled {
            Some((ns, labels)) if labels.iter().any(|(k, _)| k.starts_with("pod-security.kubernetes.io/")) => {
                let policy = Policy::from_labels(labels.iter().map(|(k, v)| (k.as_str(), v.as_str())), defaults);
                (policy, format!("the labels of namespace `{ns}`"))
            }
            _ => (defaults, "`--pod-security`".to_string()),
        }
    }

    /// What admission says about one document.
    pub fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        self.check_pod_security(doc, cx);
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
