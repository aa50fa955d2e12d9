//! InterPodAffinity: required pod affinity and anti-affinity filter nodes (the
//! incoming Pod's terms, and the anti-affinity terms of Pods already running),
//! preferred terms score them.

use std::collections::BTreeMap;

use super::{Incoming, Placed, Status, View};
use crate::simulate::constraints::AffinityTerm;

/// Whether `term` of the Pod (`owner_ns`, `owner`) matches the Pod `other`.
fn term_matches(
    term: &AffinityTerm,
    view: &View,
    owner_ns: &str,
    owner: &super::Labels,
    other_ns: &str,
    other: &super::Labels,
) -> bool {
    term.matches(owner_ns, owner, other_ns, other, view.namespaces)
}

/// The value of `key` on `node`: the Pods' topology domain.
fn domain<'v>(view: &'v View, node: usize, key: &str) -> Option<&'v String> {
    view.cluster.nodes[node].labels.get(key)
}

/// InterPodAffinity's Filter, in its order: the Pod's affinity (only the nodes'
/// labels can change that: no preemption), its anti-affinity, then the running
/// Pods' anti-affinity (preemption may help both).
pub fn filter(pod: &Incoming, view: &View, node: usize) -> Result<(), Status> {
    let c = &pod.spec.constraints;
    let here = |key: &str| domain(view, node, key);
    let matches =
        |t: &AffinityTerm, p: &Placed| term_matches(t, view, pod.namespace, pod.labels, p.namespace, p.labels);
    if !c.required_affinity.is_empty() {
        // `satisfyPodAffinity`: a Pod counts when it matches every term.
        let peers: Vec<&Placed> =
            view.pods.iter().filter(|p| c.required_affinity.iter().all(|t| matches(t, p))).collect();
        let mut satisfied = true;
        for term in &c.required_affinity {
            let Some(value) = here(&term.topology_key) else {
                return Err(Status::new("node(s) didn't match pod affinity rules", true));
            };
            if !peers.iter().any(|p| domain(view, p.node, &term.topology_key) == Some(value)) {
                satisfied = false;
            }
        }
        // The first of a group of Pods with affinity to each other may go anywhere
        // when no Pod matches yet and it matches its own terms.
        let first = peers.is_empty()
            && c.required_affinity
                .iter()
                .all(|t| term_matches(t, view, pod.namespace, pod.labels, pod.namespace, pod.labels));
        if !satisfied && !first {
            return Err(Status::new("node(s) didn't match pod affinity rules", true));
        }
    }
    for term in &c.required_anti_affinity {
        let Some(value) = here(&term.topology_key) else { continue };
        if view.pods.iter().any(|p| domain(view, p.node, &term.topology_key) == Some(value) && matches(term, p)) {
            return Err(Status::new("node(s) didn't match pod anti-affinity rules", false));
        }
    }
    for p in view.pods.iter().filter(|p| !p.spec.constraints.required_anti_affinity.is_empty()) {
        for term in &p.spec.constraints.required_anti_affinity {
            let (Some(theirs), Some(ours)) = (domain(view, p.node, &term.topology_key), here(&term.topology_key))
            else {
                continue;
            };
            if theirs == ours && term_matches(term, view, p.namespace, p.labels, pod.namespace, pod.labels) {
                return Err(Status::new("node(s) didn't satisfy existing pods anti-affinity rules", false));
            }
        }
    }
    Ok(())
}

/// InterPodAffinity's Score: per topology domain, the weights of the Pod's
/// preferred affinity terms that Pods there match (anti-affinity subtracts), and
/// of the running Pods' terms that match the Pod (required affinity with the
/// weight 1 of `hardPodAffinityWeight`); scaled between the lowest and the highest.
pub fn scores(pod: &Incoming, view: &View, feasible: &[usize]) -> Vec<i64> {
    let c = &pod.spec.constraints;
    let add = |view: &View, node: usize, key: &str, weight: i64, totals: &mut BTreeMap<(String, String), i64>| {
        if let Some(value) = domain(view, node, key) {
            *totals.entry((key.to_string(), value.clone())).or_default() += weight;
        }
    };
    let mut totals: BTreeMap<(String, String), i64> = BTreeMap::new();
    for p in &view.pods {
        for (w, t) in &c.preferred_affinity {
            if term_matches(t, view, pod.namespace, pod.labels, p.namespace, p.labels) {
                add(view, p.node, &t.topology_key, *w, &mut totals);
            }
        }
        for (w, t) in &c.preferred_anti_affinity {
            if term_matches(t, view, pod.namespace, pod.labels, p.namespace, p.labels) {
                add(view, p.node, &t.topology_key, -*w, &mut totals);
            }
        }
        let theirs = &p.spec.constraints;
        let mine = |t: &AffinityTerm| term_matches(t, view, p.namespace, p.labels, pod.namespace, pod.labels);
        for t in theirs.required_affinity.iter().filter(|t| mine(t)) {
            add(view, p.node, &t.topology_key, 1, &mut totals);
        }
        for (w, t) in theirs.preferred_affinity.iter().filter(|(_, t)| mine(t)) {
            add(view, p.node, &t.topology_key, *w, &mut totals);
        }
        for (w, t) in theirs.preferred_anti_affinity.iter().filter(|(_, t)| mine(t)) {
            add(view, p.node, &t.topology_key, -*w, &mut totals);
        }
    }
    if totals.is_empty() {
        return vec![0; feasible.len()];
    }
    let raw: Vec<i64> = feasible
        .iter()
        .map(|&i| {
            let labels = &view.cluster.nodes[i].labels;
            labels.iter().map(|(k, v)| totals.get(&(k.clone(), v.clone())).copied().unwrap_or(0)).sum()
        })
        .collect();
    let min = raw.iter().copied().min().unwrap_or(0);
    let max = raw.iter().copied().max().unwrap_or(0);
    raw.into_iter().map(|s| if max > min { 100 * (s - min) / (max - min) } else { 0 }).collect()
}
