//! What a Pod spec asks of the scheduler besides node selection: pod
//! (anti-)affinity terms, topology spread constraints, preferred node affinity,
//! host ports, resources other than cpu and memory, claims and priority, read once
//! from the spec (the scheduler's `PodInfo`).

use std::collections::BTreeMap;

use super::labels::{Labels, NodeSelectorTerm, Requirement, Selector, scalar, strings};
use crate::yaml::Node;

/// A `PodAffinityTerm`.
#[derive(Clone, Debug, PartialEq)]
pub struct AffinityTerm {
    pub selector: Option<Selector>,
    /// `namespaces`; with no `namespaceSelector` and none listed, the Pod's own.
    pub namespaces: Vec<String>,
    pub namespace_selector: Option<Selector>,
    pub topology_key: String,
    pub match_label_keys: Vec<String>,
    pub mismatch_label_keys: Vec<String>,
}

impl AffinityTerm {
    fn from_node(node: &Node) -> AffinityTerm {
        AffinityTerm {
            selector: node.get("labelSelector").map(|s| Selector::from_node(Some(s))),
            namespaces: strings(node.get("namespaces")),
            namespace_selector: node.get("namespaceSelector").map(|s| Selector::from_node(Some(s))),
            topology_key: node.get("topologyKey").and_then(scalar).unwrap_or_default(),
            match_label_keys: strings(node.get("matchLabelKeys")),
            mismatch_label_keys: strings(node.get("mismatchLabelKeys")),
        }
    }

    /// Whether a Pod (`namespace`, `labels`) matches the term of the Pod `owner`
    /// (`AffinityTerm.Matches` in k8s.io/kube-scheduler/framework): its namespace is
    /// among the term's, and its labels match the selector with `matchLabelKeys`
    /// (`mismatchLabelKeys`) merged in as `In` (`NotIn`) the owner's values. A
    /// missing selector matches nothing.
    pub fn matches(
        &self,
        owner_namespace: &str,
        owner_labels: &Labels,
        namespace: &str,
        labels: &Labels,
        namespace_labels: &BTreeMap<String, Labels>,
    ) -> bool {
        let in_namespace = if self.namespaces.is_empty() && self.namespace_selector.is_none() {
            namespace == owner_namespace
        } else {
            self.namespaces.iter().any(|n| n == namespace)
                || self
                    .namespace_selector
                    .as_ref()
                    .is_some_and(|s| s.matches(&namespace_labels_of(namespace, namespace_labels)))
        };
        in_namespace
            && merged(self.selector.as_ref(), &self.match_label_keys, &self.mismatch_label_keys, owner_labels)
                .is_some_and(|s| s.matches(labels))
    }
}

/// A namespace's labels: those of its Namespace object in the input, and always
/// `kubernetes.io/metadata.name` (set by the API server).
fn namespace_labels_of(namespace: &str, known: &BTreeMap<String, Labels>) -> Labels {
    let mut labels = known.get(namespace).cloned().unwrap_or_default();
    labels.insert("kubernetes.io/metadata.name".into(), namespace.into());
    labels
}

/// A selector with `matchLabelKeys` (and `mismatchLabelKeys`) merged in from the
/// owner's labels, as the API server merges them (keys the owner lacks are skipped).
fn merged(selector: Option<&Selector>, keys: &[String], mismatch: &[String], owner: &Labels) -> Option<Selector> {
    let mut selector = selector?.clone();
    for (keys, operator) in [(keys, "In"), (mismatch, "NotIn")] {
        for key in keys {
            if let Some(value) = owner.get(key) {
                let requirement =
                    Requirement { key: key.clone(), operator: operator.into(), values: vec![value.clone()] };
                selector.expressions.push(requirement);
            }
        }
    }
    Some(selector)
}

/// A `TopologySpreadConstraint`, with the API's defaults (`nodeAffinityPolicy:
/// Honor`, `nodeTaintsPolicy: Ignore`).
#[derive(Clone, Debug, PartialEq)]
pub struct SpreadConstraint {
    pub max_skew: i64,
    pub topology_key: String,
    /// `whenUnsatisfiable: DoNotSchedule` (a filter); otherwise ScheduleAnyway (a score).
    pub hard: bool,
    pub selector: Option<Selector>,
    pub min_domains: Option<i64>,
    pub honor_node_affinity: bool,
    pub honor_taints: bool,
    pub match_label_keys: Vec<String>,
}

impl SpreadConstraint {
    fn from_node(node: &Node) -> SpreadConstraint {
        let text = |k| node.get(k).and_then(Node::as_str);
        SpreadConstraint {
            max_skew: node.get("maxSkew").and_then(Node::as_i64).unwrap_or(1).max(1),
            topology_key: text("topologyKey").unwrap_or_default().to_string(),
            hard: text("whenUnsatisfiable") != Some("ScheduleAnyway"),
            selector: node.get("labelSelector").map(|s| Selector::from_node(Some(s))),
            min_domains: node.get("minDomains").and_then(Node::as_i64),
            honor_node_affinity: text("nodeAffinityPolicy") != Some("Ignore"),
            honor_taints: text("nodeTaintsPolicy") == Some("Honor"),
            match_label_keys: strings(node.get("matchLabelKeys")),
        }
    }

    /// The selector with `matchLabelKeys` merged in from the Pod's labels; a
    /// missing selector matches no Pod.
    pub fn selector_for(&self, labels: &Labels) -> Option<Selector> {
        merged(self.selector.as_ref(), &self.match_label_keys, &[], labels)
    }
}

/// A port a container takes on its node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPort {
    pub protocol: String,
    /// `hostIP`; empty for all addresses.
    pub ip: String,
    pub port: i64,
}

impl HostPort {
    /// `HostPortInfo.CheckConflict`: the same protocol and port, on the same address
    /// or where either side takes all addresses.
    pub fn conflicts(&self, other: &HostPort) -> bool {
        let any = |ip: &str| ip.is_empty() || ip == "0.0.0.0";
        self.protocol == other.protocol
            && self.port == other.port
            && (any(&self.ip) || any(&other.ip) || self.ip == other.ip)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub required_affinity: Vec<AffinityTerm>,
    pub required_anti_affinity: Vec<AffinityTerm>,
    pub preferred_affinity: Vec<(i64, AffinityTerm)>,
    pub preferred_anti_affinity: Vec<(i64, AffinityTerm)>,
    pub preferred_nodes: Vec<(i64, NodeSelectorTerm)>,
    pub spread: Vec<SpreadConstraint>,
    pub host_ports: Vec<HostPort>,
    pub priority_class: Option<String>,
    /// `spec.priority` given outright.
    pub priority: Option<i64>,
    /// `preemptionPolicy: Never`.
    pub never_preempt: bool,
    /// The volumes that use PersistentVolumeClaims (VolumeBinding).
    pub claims: Vec<super::volumes::PodClaim>,
}

impl Constraints {
    pub fn from_spec(spec: &Node) -> Constraints {
        let list = |path: &[&str]| spec.at(path).map(Node::items).unwrap_or_default();
        let required = |kind: &str| {
            list(&["affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution"])
                .iter()
                .map(AffinityTerm::from_node)
                .collect()
        };
        let weighted = |kind: &str| {
            list(&["affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution"])
                .iter()
                .filter_map(|p| Some((weight(p), AffinityTerm::from_node(p.get("podAffinityTerm")?))))
                .collect()
        };
        let preferred_nodes = list(&["affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"])
            .iter()
            .filter_map(|p| Some((weight(p), NodeSelectorTerm::from_node(p.get("preference")?))))
            .collect();
        let host_network = spec.get("hostNetwork").and_then(Node::as_bool) == Some(true);
        let sidecars = list(&["initContainers"])
            .iter()
            .filter(|c| c.get("restartPolicy").and_then(Node::as_str) == Some("Always"));
        let host_ports = list(&["containers"])
            .iter()
            .chain(sidecars)
            .flat_map(|c| c.get("ports").map(Node::items).unwrap_or_default())
            .filter_map(|p| host_port(p, host_network))
            .collect();
        Constraints {
            required_affinity: required("podAffinity"),
            required_anti_affinity: required("podAntiAffinity"),
            preferred_affinity: weighted("podAffinity"),
            preferred_anti_affinity: weighted("podAntiAffinity"),
            preferred_nodes,
            spread: list(&["topologySpreadConstraints"]).iter().map(SpreadConstraint::from_node).collect(),
            host_ports,
            priority_class: spec
                .get("priorityClassName")
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            priority: spec.get("priority").and_then(Node::as_i64),
            never_preempt: spec.get("preemptionPolicy").and_then(Node::as_str) == Some("Never"),
            claims: super::volumes::PodClaim::from_spec(spec),
        }
    }
}

fn weight(node: &Node) -> i64 {
    node.get("weight").and_then(Node::as_i64).unwrap_or(0)
}

/// A container port's `hostPort`; with `hostNetwork` every container port is one
/// (`defaultHostNetworkPorts` sets `hostPort` to `containerPort`).
fn host_port(port: &Node, host_network: bool) -> Option<HostPort> {
    let number = |k| port.get(k).and_then(Node::as_i64).filter(|p| *p > 0);
    let host = number("hostPort").or_else(|| if host_network { number("containerPort") } else { None })?;
    Some(HostPort {
        protocol: port.get("protocol").and_then(Node::as_str).unwrap_or("TCP").to_string(),
        ip: port.get("hostIP").and_then(Node::as_str).unwrap_or("").to_string(),
        port: host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn terms_match_namespaces_and_label_keys() {
        let selector = Selector { match_labels: labels(&[("app", "web")]), expressions: Vec::new() };
        let mut term = AffinityTerm {
            selector: Some(selector),
            namespaces: Vec::new(),
            namespace_selector: None,
            topology_key: "kubernetes.io/hostname".into(),
            match_label_keys: vec!["pod-template-hash".into()],
            mismatch_label_keys: Vec::new(),
        };
        let none = BTreeMap::new();
        let owner = labels(&[("app", "web"), ("pod-template-hash", "abc")]);
        assert!(term.matches("shop", &owner, "shop", &owner, &none));
        assert!(!term.matches("shop", &owner, "other", &owner, &none), "the owner's namespace only");
        let older = labels(&[("app", "web"), ("pod-template-hash", "old")]);
        assert!(!term.matches("shop", &owner, "shop", &older, &none), "matchLabelKeys");
        term.namespace_selector = Some(Selector::default());
        assert!(term.matches("shop", &owner, "other", &owner, &none), "an empty namespaceSelector: all");
        term.selector = None;
        assert!(!term.matches("shop", &owner, "shop", &owner, &none), "no labelSelector: no Pod");
    }

    #[test]
    fn host_ports_conflict_per_address() {
        let port = |ip: &str, port| HostPort { protocol: "TCP".into(), ip: ip.into(), port };
        assert!(port("", 80).conflicts(&port("10.0.0.1", 80)));
        assert!(!port("10.0.0.2", 80).conflicts(&port("10.0.0.1", 80)));
        assert!(!port("", 80).conflicts(&port("", 81)));
    }
}
