//! The default scheduler (kube-scheduler's default profile), reduced to what
//! manifests decide. Filters, in the profile's order, each in its own file:
//! NodeUnschedulable, TaintToleration and NodeAffinity ([`node`]), NodePorts
//! ([`ports`]), NodeResourcesFit ([`resources`]), VolumeBinding ([`volumes`]),
//! PodTopologySpread ([`spread`]) and InterPodAffinity ([`affinity`]); a node
//! stops at its first failing filter. VolumeBinding's PreFilter may reject the
//! Pod before any node is tried (`0/4 nodes are available: pod has unbound
//! immediate PersistentVolumeClaims.`); NodeAffinity's PreFilter narrows the nodes
//! tried to those a DaemonSet Pod is pinned to, the others counted as `node(s)
//! didn't satisfy plugin(s) [NodeAffinity]`.
//! Scores, with the profile's weights: TaintToleration 3, NodeAffinity 2,
//! PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit (LeastAllocated) 1,
//! NodeResourcesBalancedAllocation 1 (ImageLocality is left out: image sizes are
//! unknown). Among the best nodes the real scheduler picks at random; the
//! simulation takes the first. When no node fits, DefaultPreemption
//! ([`preemption`]) looks for lower-priority victims.
//!
//! When no node fits, the message is the scheduler's own (`FitError.Error()`):
//! `0/4 nodes are available: ` then, per reason, how many nodes gave it, sorted as
//! strings (NodeResourcesFit may give a node several reasons), then what PostFilter
//! found (`preemption: 0/4 nodes are available: ...`). Messages as clusters print
//! them: before 1.35 the taint is named (`{key: value}`) and the message ends in
//! `..`; from 1.35 on `untolerated taint(s)` and one `.`.

mod affinity;
mod node;
mod ports;
pub mod preemption;
mod resources;
mod spread;
pub mod volumes;

use std::collections::{BTreeMap, BTreeSet};

use super::cluster::Cluster;
use super::disruption::Budget;
use super::labels::Labels;
use super::template::PodSpec;
use super::volumes::{Claim, Storage};

/// The Pod to place.
pub struct Incoming<'a> {
    pub namespace: &'a str,
    pub labels: &'a Labels,
    pub spec: &'a PodSpec,
    pub priority: i64,
    /// `preemptionPolicy` is not `Never`.
    pub may_preempt: bool,
    /// The node a preemption nominated (`status.nominatedNodeName`), tried first.
    pub nominated: Option<usize>,
    /// The Pods the system default spreading counts (`DefaultSelector`), when a
    /// Service, ReplicaSet or StatefulSet selects the Pod.
    pub default_selector: Option<DefaultSelector>,
    /// What VolumeBinding's PreFilter found of the Pod's claims.
    pub volumes: &'a volumes::PodVolumes,
}

/// `helper.DefaultSelector`: the labels of the Services that select the Pod, and
/// the Pod's ReplicaSet, ReplicationController or StatefulSet (its siblings stand
/// for the Pods its selector matches).
#[derive(Clone, Debug, Default)]
pub struct DefaultSelector {
    pub services: Labels,
    pub owner: Option<(usize, usize)>,
}

impl DefaultSelector {
    fn matches(&self, pod: &Placed) -> bool {
        self.services.iter().all(|(k, v)| pod.labels.get(k) == Some(v)) && self.owner.is_none_or(|o| pod.owner == o)
    }
}

/// A Pod bound to a node.
#[derive(Clone, Copy, Debug)]
pub struct Placed<'a> {
    pub id: usize,
    pub node: usize,
    pub namespace: &'a str,
    pub labels: &'a Labels,
    pub spec: &'a PodSpec,
    pub priority: i64,
    /// The controller and its object that made the Pod.
    pub owner: (usize, usize),
    pub started: u64,
    /// Terminating after a preemption (`podTerminatingByPreemption`).
    pub preempted: bool,
}

/// The cluster as the scheduler's snapshot sees it.
#[derive(Clone)]
pub struct View<'a> {
    pub cluster: &'a Cluster,
    pub pods: Vec<Placed<'a>>,
    /// Labels of the Namespace objects given, for `namespaceSelector`.
    pub namespaces: &'a BTreeMap<String, Labels>,
    pub minor: u32,
    /// StorageClasses, PersistentVolumes and claims, for VolumeBinding.
    pub storage: &'a Storage,
    pub claims: &'a [Claim],
    pub budgets: Budgets<'a>,
}

/// The PodDisruptionBudgets, and how many disruptions each allows now, counted
/// only when preemption looks for victims.
#[derive(Clone, Copy)]
pub struct Budgets<'a> {
    pub list: &'a [Budget],
    pub allowed: &'a dyn Fn() -> Vec<i64>,
}

impl<'a> View<'a> {
    fn on_node(&self, node: usize) -> impl Iterator<Item = &Placed<'a>> {
        self.pods.iter().filter(move |p| p.node == node)
    }

    fn without(&self, gone: &[usize]) -> View<'a> {
        let mut view = self.clone();
        view.pods.retain(|p| !gone.contains(&p.id));
        view
    }
}

/// Why a node does not fit: the filter's reasons, and whether preemption cannot
/// help (`UnschedulableAndUnresolvable`).
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub reasons: Vec<String>,
    pub unresolvable: bool,
}

impl Status {
    fn new(reason: impl Into<String>, unresolvable: bool) -> Status {
        Status { reasons: vec![reason.into()], unresolvable }
    }
}

/// What the scheduler decides for a Pod.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    Bind(usize),
    /// No node fits; evicting `victims` from `node` makes room (the message is the
    /// FailedScheduling event's).
    Preempt {
        node: usize,
        victims: Vec<usize>,
        message: String,
    },
    Unschedulable(String),
}

/// Runs the filters on one node (`RunFilterPlugins`: the first failure counts).
fn filter(pod: &Incoming, view: &View, node: usize, state: &spread::FilterState) -> Result<(), Status> {
    node::filter(pod, view, node)?;
    ports::filter(pod, view, node)?;
    resources::filter(pod, view, node)?;
    volumes::filter(pod, view, node)?;
    spread::filter(pod, view, node, state)?;
    affinity::filter(pod, view, node)
}

/// All filters, for preemption's dry runs on a changed view.
fn fits(pod: &Incoming, view: &View, node: usize) -> Result<(), Status> {
    filter(pod, view, node, &spread::FilterState::new(pod, view))
}

/// Chooses a node, or explains why none fits.
pub fn place(pod: &Incoming, view: &View) -> Decision {
    let total = view.cluster.nodes.len();
    if let Err(reason) = pod.volumes {
        // A PreFilter's rejection: every node gets its status, the message names it once.
        let statuses: Vec<(usize, Status)> = (0..total).map(|i| (i, Status::new(reason.clone(), true))).collect();
        return unschedulable(pod, view, format!("0/{total} nodes are available: {reason}."), &statuses);
    }
    let only = node::prefilter_nodes(pod);
    if only.as_ref().is_some_and(BTreeSet::is_empty) {
        // NodeAffinity's PreFilter: terms that pin disjoint nodes (errReasonConflict).
        let reason = "pod affinity terms conflict";
        let statuses: Vec<(usize, Status)> = (0..total).map(|i| (i, Status::new(reason, true))).collect();
        return unschedulable(pod, view, format!("0/{total} nodes are available: {reason}."), &statuses);
    }
    let state = spread::FilterState::new(pod, view);
    if let Some(n) = pod.nominated
        && filter(pod, view, n, &state).is_ok()
    {
        return Decision::Bind(n);
    }
    let mut statuses = Vec::new();
    let mut feasible = Vec::new();
    for i in 0..view.cluster.nodes.len() {
        if let Some(only) = &only
            && !only.contains(view.cluster.nodes[i].name.as_str())
        {
            // findNodesThatFitPod: the nodes a PreFilterResult leaves out are not
            // filtered; they count as UnschedulableAndUnresolvable, worded as 1.32's
            // NodeToStatus.SetAbsentNodesStatus words them (1.28 to 1.31: the
            // NodeToStatusMap entry of the loop over all nodes; older versions worded
            // as 1.28).
            let reason = if view.minor >= 32 {
                "node(s) didn't satisfy plugin(s) [NodeAffinity]"
            } else {
                "node is filtered out by the prefilter result"
            };
            statuses.push((i, Status::new(reason, true)));
            continue;
        }
        match filter(pod, view, i, &state) {
            Ok(()) => feasible.push(i),
            Err(status) => statuses.push((i, status)),
        }
    }
    if !feasible.is_empty() {
        return Decision::Bind(best(pod, view, &feasible));
    }
    let mut message = format!("0/{total} nodes are available");
    if !statuses.is_empty() {
        message.push_str(&format!(": {}.", histogram(statuses.iter().map(|(_, s)| s))));
    }
    unschedulable(pod, view, message, &statuses)
}

/// PostFilter (DefaultPreemption) on the nodes' statuses, its message appended.
fn unschedulable(pod: &Incoming, view: &View, mut message: String, statuses: &[(usize, Status)]) -> Decision {
    match preemption::preempt(pod, view, statuses) {
        Ok((node, victims)) => Decision::Preempt { node, victims, message },
        Err(post_filter) => {
            if !statuses.is_empty() {
                message.push_str(&format!(" preemption: {post_filter}"));
                if view.minor < 35 {
                    message.push('.');
                }
            }
            Decision::Unschedulable(message)
        }
    }
}

/// `3 Insufficient cpu, 1 node(s) had ...`: per reason, how many nodes gave it,
/// sorted as strings.
fn histogram<'s>(statuses: impl Iterator<Item = &'s Status>) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for status in statuses {
        for reason in &status.reasons {
            *counts.entry(reason).or_default() += 1;
        }
    }
    let mut parts: Vec<String> = counts.into_iter().map(|(reason, n)| format!("{n} {reason}")).collect();
    parts.sort();
    parts.join(", ")
}

/// The feasible node with the highest weighted score (the first of equals).
fn best(pod: &Incoming, view: &View, feasible: &[usize]) -> usize {
    if feasible.len() == 1 {
        return feasible[0];
    }
    let weighted: [(u64, Vec<i64>); 6] = [
        (3, node::taint_scores(pod, view, feasible)),
        (2, node::affinity_scores(pod, view, feasible)),
        (2, spread::scores(pod, view, feasible)),
        (2, affinity::scores(pod, view, feasible)),
        (1, resources::least_allocated_scores(pod, view, feasible)),
        (1, resources::balanced_scores(pod, view, feasible)),
    ];
    let total = |k: usize| weighted.iter().map(|(w, s)| *w as i64 * s.get(k).copied().unwrap_or(0)).sum::<i64>();
    let mut best = 0;
    for k in 1..feasible.len() {
        if total(k) > total(best) {
            best = k;
        }
    }
    feasible[best]
}

/// `DefaultNormalizeScore`: scores scaled to 0–100 by the highest (reversed:
/// 100 minus that).
fn normalize(scores: Vec<i64>, reverse: bool) -> Vec<i64> {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max <= 0 {
        return vec![if reverse { 100 } else { 0 }; scores.len()];
    }
    scores.into_iter().map(|s| if reverse { 100 - 100 * s / max } else { 100 * s / max }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::template::Template;

    fn spec(yaml: &str) -> PodSpec {
        let stream = crate::yaml::load(yaml, &crate::limits::Limits::default());
        Template::from_node(stream.documents.first().map(|d| &d.root)).spec
    }

    fn incoming<'a>(spec: &'a PodSpec, labels: &'a Labels) -> Incoming<'a> {
        Incoming {
            namespace: "default",
            labels,
            spec,
            priority: 0,
            may_preempt: true,
            nominated: None,
            default_selector: None,
            volumes: &volumes::NO_VOLUMES,
        }
    }

    static NO_STORAGE: Storage = Storage { classes: Vec::new(), volumes: Vec::new() };

    fn view<'a>(cluster: &'a Cluster, namespaces: &'a BTreeMap<String, Labels>, minor: u32) -> View<'a> {
        let budgets = Budgets { list: &[], allowed: &Vec::new };
        View { cluster, pods: Vec::new(), namespaces, minor, storage: &NO_STORAGE, claims: &[], budgets }
    }

    #[test]
    fn scheduler_wording() {
        let cluster = Cluster::default_nodes(3);
        let none = BTreeMap::new();
        let labels = Labels::new();
        let big = spec("spec: {containers: [{name: a, resources: {requests: {cpu: '8'}}}]}");
        assert_eq!(
            place(&incoming(&big, &labels), &view(&cluster, &none, 34)),
            Decision::Unschedulable("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..".into())
        );
        // The wording of 1.35 and later (seen in clusters: `untolerated taint(s)`, one period).
        assert_eq!(
            place(&incoming(&big, &labels), &view(&cluster, &none, 35)),
            Decision::Unschedulable("0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.".into())
        );
        let ssd = spec("spec: {nodeSelector: {disk: ssd}, containers: [{name: a}]}");
        assert_eq!(
            place(&incoming(&ssd, &labels), &view(&cluster, &none, 34)),
            Decision::Unschedulable("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..".into())
        );
    }

    #[test]
    fn one_node_can_give_two_reasons() {
        let cluster = Cluster::default_nodes(2);
        let none = BTreeMap::new();
        let labels = Labels::new();
        let p = spec("spec: {containers: [{name: a, resources: {requests: {cpu: '8', memory: 64Gi}}}]}");
        assert_eq!(
            place(&incoming(&p, &labels), &view(&cluster, &none, 34)),
            Decision::Unschedulable("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..".into())
        );
    }

    #[test]
    fn least_allocated_spreads_pods_without_requests() {
        let cluster = Cluster::default_nodes(3);
        let none = BTreeMap::new();
        let labels = Labels::new();
        let p = spec("spec: {containers: [{name: a}]}");
        let mut v = view(&cluster, &none, 35);
        assert_eq!(place(&incoming(&p, &labels), &v), Decision::Bind(1));
        v.pods.push(Placed {
            id: 0,
            node: 1,
            namespace: "default",
            labels: &labels,
            spec: &p,
            priority: 0,
            owner: (0, 0),
            started: 0,
            preempted: false,
        });
        assert_eq!(place(&incoming(&p, &labels), &v), Decision::Bind(2));
    }
}
