//! One controller per workload kind, each in its own file, with the behaviour of
//! the Kubernetes controller it stands for (`shared/reference/controllers.md`).

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod hpa;
pub mod job;
pub mod job_policy;
pub mod pod;
pub mod replicaset;
pub mod statefulset;

use super::labels::Labels;
use super::object::Object;
use super::template::Template;
use super::world::{Owner, PodInit};

/// The Pod a controller makes from its template (`GetPodFromTemplate`): the
/// template's labels, annotations and spec, owned by the controller.
pub fn pod_from_template(
    template: &Template,
    name: String,
    namespace: &str,
    owner: Owner,
    group: usize,
    fail_keys: Vec<String>,
) -> PodInit {
    PodInit {
        name,
        namespace: namespace.to_string(),
        labels: template.labels.clone(),
        annotations: template.annotations.clone(),
        owner: Some(owner),
        group,
        spec: template.spec.clone(),
        env: Vec::new(),
        fail_keys,
    }
}

/// `<name>-`, the generateName prefix of a controller's Pods (`getPodsPrefix`).
pub fn prefix(name: &str) -> String {
    format!("{name}-")
}

/// A non-negative integer field, or its default.
pub fn count(object: &Object, path: &[&str], default: u32) -> u32 {
    object.int(path).map_or(default, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// Seconds to milliseconds, for `minReadySeconds` and the like.
pub fn seconds(object: &Object, path: &[&str]) -> Option<u64> {
    object.int(path).map(|s| u64::try_from(s.max(0)).unwrap_or(0).saturating_mul(1000))
}

pub fn with_label(labels: &Labels, key: &str, value: &str) -> Labels {
    let mut labels = labels.clone();
    labels.insert(key.to_string(), value.to_string());
    labels
}

/// `kind/name` in lower case, as `kubectl get events` names objects.
pub fn object_ref(kind: &str, name: &str) -> String {
    format!("{}/{name}", kind.to_ascii_lowercase())
}
