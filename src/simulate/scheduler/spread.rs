//! PodTopologySpread: `topologySpreadConstraints` with `whenUnsatisfiable:
//! DoNotSchedule` filter nodes, those with `ScheduleAnyway` score them; a Pod with
//! no constraints of its own gets the system defaults (`systemDefaultConstraints`:
//! hostname with maxSkew 3 and zone with maxSkew 5, ScheduleAnyway) over the Pods
//! of its Services, ReplicaSet or StatefulSet (`DefaultSelector`).

use std::collections::BTreeMap;

use super::node::{node_affinity_matches, taints_tolerated};
use super::{DefaultSelector, Incoming, Placed, Status, View};
use crate::simulate::constraints::SpreadConstraint;
use crate::simulate::labels::Selector;

const HOSTNAME: &str = "kubernetes.io/hostname";
const ZONE: &str = "topology.kubernetes.io/zone";

/// Which Pods a constraint counts.
enum Matcher<'a> {
    Selector(Option<Selector>),
    Default(&'a DefaultSelector),
}

struct Constraint<'a> {
    key: String,
    max_skew: i64,
    min_domains: Option<i64>,
    matcher: Matcher<'a>,
    /// `nodeAffinityPolicy` and `nodeTaintsPolicy`: Honor.
    honor_affinity: bool,
    honor_taints: bool,
}

impl<'a> Constraint<'a> {
    fn from_spec(c: &SpreadConstraint, pod: &Incoming) -> Constraint<'a> {
        Constraint {
            key: c.topology_key.clone(),
            max_skew: c.max_skew,
            min_domains: c.min_domains,
            matcher: Matcher::Selector(c.selector_for(pod.labels)),
            honor_affinity: c.honor_node_affinity,
            honor_taints: c.honor_taints,
        }
    }

    /// `countPodsMatchSelector`: Pods of the incoming Pod's namespace that match.
    fn count(&self, pod: &Incoming, view: &View, node: usize) -> i64 {
        view.on_node(node).filter(|p| p.namespace == pod.namespace && self.matches(p)).count() as i64
    }

    fn matches(&self, p: &Placed) -> bool {
        match &self.matcher {
            Matcher::Selector(s) => s.as_ref().is_some_and(|s| s.matches(p.labels)),
            Matcher::Default(d) => d.matches(p),
        }
    }

    /// `matchNodeInclusionPolicies`.
    fn includes(&self, pod: &Incoming, view: &View, node: usize) -> bool {
        (!self.honor_affinity || node_affinity_matches(pod, view, node))
            && (!self.honor_taints || taints_tolerated(&pod.spec.tolerations, view, node))
    }
}

/// PreFilter's counts for the DoNotSchedule constraints: per constraint, the
/// matching Pods per domain over the nodes that have every constraint's key and
/// pass its inclusion policies, and the smallest count.
pub struct FilterState<'a> {
    constraints: Vec<(Constraint<'a>, BTreeMap<String, i64>, i64)>,
}

impl<'a> FilterState<'a> {
    pub fn new(pod: &Incoming, view: &View) -> FilterState<'a> {
        let hard: Vec<Constraint> =
            pod.spec.constraints.spread.iter().filter(|c| c.hard).map(|c| Constraint::from_spec(c, pod)).collect();
        let mut counts: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); hard.len()];
        for (node, n) in view.cluster.nodes.iter().enumerate() {
            if !hard.iter().all(|c| n.labels.contains_key(&c.key)) {
                continue;
            }
            for (c, counts) in hard.iter().zip(counts.iter_mut()) {
                if c.includes(pod, view, node) {
                    let value = n.labels.get(&c.key).cloned().unwrap_or_default();
                    *counts.entry(value).or_default() += c.count(pod, view, node);
                }
            }
        }
        let constraints = hard
            .into_iter()
            .zip(counts)
            .map(|(c, counts)| {
                // `minMatchNum`: fewer domains than `minDomains` count as a minimum of 0.
                let mut min = counts.values().copied().min().unwrap_or(i64::from(i32::MAX));
                if c.min_domains.is_some_and(|m| (counts.len() as i64) < m) {
                    min = 0;
                }
                (c, counts, min)
            })
            .collect();
        FilterState { constraints }
    }
}

/// PodTopologySpread's Filter: a node without a constraint's topology label is out
/// for good; one where the Pod would make the skew (its domain's count, plus one
/// when the Pod matches itself, minus the smallest) exceed `maxSkew` may be helped
/// by preemption.
pub fn filter(pod: &Incoming, view: &View, node: usize, state: &FilterState) -> Result<(), Status> {
    let labels = &view.cluster.nodes[node].labels;
    for (c, counts, min) in &state.constraints {
        let Some(value) = labels.get(&c.key) else {
            return Err(Status::new(
                "node(s) didn't match pod topology spread constraints (missing required label)",
                true,
            ));
        };
        let own = match &c.matcher {
            Matcher::Selector(s) => i64::from(s.as_ref().is_some_and(|s| s.matches(pod.labels))),
            Matcher::Default(_) => 1,
        };
        let skew = counts.get(value).copied().unwrap_or(0) + own - min;
        if skew > c.max_skew {
            return Err(Status::new("node(s) didn't match pod topology spread constraints", false));
        }
    }
    Ok(())
}

/// PodTopologySpread's Score (PreScore, Score and NormalizeScore): per node the
/// matching Pods of its domain, weighted by `ln(domains + 2)`, plus `maxSkew - 1`;
/// fewer is better.
pub fn scores(pod: &Incoming, view: &View, feasible: &[usize]) -> Vec<i64> {
    let own = &pod.spec.constraints.spread;
    let (constraints, system): (Vec<Constraint>, bool) = if own.is_empty() {
        let Some(d) = &pod.default_selector else { return vec![0; feasible.len()] };
        let default = |key: &str, max_skew| Constraint {
            key: key.into(),
            max_skew,
            min_domains: None,
            matcher: Matcher::Default(d),
            honor_affinity: true,
            honor_taints: false,
        };
        (vec![default(HOSTNAME, 3), default(ZONE, 5)], true)
    } else {
        (own.iter().filter(|c| !c.hard).map(|c| Constraint::from_spec(c, pod)).collect(), false)
    };
    if constraints.is_empty() {
        return vec![0; feasible.len()];
    }
    let nodes = &view.cluster.nodes;
    let ignored: Vec<bool> = feasible
        .iter()
        .map(|&i| !system && !constraints.iter().all(|c| nodes[i].labels.contains_key(&c.key)))
        .collect();
    let mut pairs: Vec<BTreeMap<String, i64>> = vec![BTreeMap::new(); constraints.len()];
    for (k, &i) in feasible.iter().enumerate() {
        if ignored[k] {
            continue;
        }
        for (c, pairs) in constraints.iter().zip(pairs.iter_mut()) {
            if c.key != HOSTNAME {
                pairs.entry(nodes[i].labels.get(&c.key).cloned().unwrap_or_default()).or_insert(0);
            }
        }
    }
    for (node, n) in nodes.iter().enumerate() {
        for (c, pairs) in constraints.iter().zip(pairs.iter_mut()) {
            if c.key == HOSTNAME || !c.includes(pod, view, node) {
                continue;
            }
            let value = n.labels.get(&c.key).cloned().unwrap_or_default();
            if let Some(count) = pairs.get_mut(&value) {
                *count += c.count(pod, view, node);
            }
        }
    }
    let considered = ignored.iter().filter(|i| !**i).count();
    let weights: Vec<f64> = constraints
        .iter()
        .zip(&pairs)
        .map(|(c, pairs)| {
            let size = if c.key == HOSTNAME { considered } else { pairs.len() };
            ((size + 2) as f64).ln()
        })
        .collect();
    let raw: Vec<Option<i64>> = feasible
        .iter()
        .zip(&ignored)
        .map(|(&i, &ignored)| {
            if ignored {
                return None;
            }
            let mut score = 0.0;
            for ((c, pairs), weight) in constraints.iter().zip(&pairs).zip(&weights) {
                let Some(value) = nodes[i].labels.get(&c.key) else { continue };
                let count =
                    if c.key == HOSTNAME { c.count(pod, view, i) } else { pairs.get(value).copied().unwrap_or(0) };
                score += count as f64 * weight + (c.max_skew - 1) as f64;
            }
            Some(score.round() as i64)
        })
        .collect();
    let min = raw.iter().flatten().copied().min().unwrap_or(0);
    let max = raw.iter().flatten().copied().max().unwrap_or(0);
    raw.into_iter()
        .map(|s| match s {
            None => 0,
            Some(_) if max == 0 => 100,
            Some(s) => 100 * (max + min - s) / max,
        })
        .collect()
}
