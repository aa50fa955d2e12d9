//! The filters and scores that look at the node alone: NodeUnschedulable,
//! TaintToleration and NodeAffinity (nodeSelector, required and preferred node
//! affinity).

use std::collections::BTreeSet;

use super::{Incoming, Status, View, normalize};
use crate::simulate::labels::{Taint, Toleration, terms_match, untolerated};

/// NodeUnschedulable, TaintToleration and NodeAffinity's Filters, in that order;
/// none can be helped by preemption.
pub fn filter(pod: &Incoming, view: &View, node: usize) -> Result<(), Status> {
    let n = &view.cluster.nodes[node];
    let spec = pod.spec;
    let cordon =
        Taint { key: "node.kubernetes.io/unschedulable".into(), value: String::new(), effect: "NoSchedule".into() };
    if n.unschedulable && !spec.tolerations.iter().any(|t| t.tolerates(&cordon)) {
        return Err(Status::new("node(s) were unschedulable", true));
    }
    if let Some(taint) = untolerated(&n.taints, &spec.tolerations) {
        let reason = if view.minor >= 35 {
            "node(s) had untolerated taint(s)".to_string()
        } else {
            format!("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value)
        };
        return Err(Status::new(reason, true));
    }
    if !node_affinity_matches(pod, view, node) {
        return Err(Status::new("node(s) didn't match Pod's node affinity/selector", true));
    }
    Ok(())
}

/// `nodeSelector` and required node affinity (`GetRequiredNodeAffinity(pod).Match`).
pub fn node_affinity_matches(pod: &Incoming, view: &View, node: usize) -> bool {
    let n = &view.cluster.nodes[node];
    pod.spec.node_selector.iter().all(|(k, v)| n.labels.get(k) == Some(v))
        && pod.spec.affinity.as_ref().is_none_or(|terms| terms_match(terms, &n.name, &n.labels))
}

/// NodeAffinity's PreFilter: when every required term names nodes with
/// `matchFields` `metadata.name In` (as the DaemonSet controller pins its Pods),
/// only those nodes are tried (`PreFilterResult.NodeNames`, the union over the
/// terms, each term's requirements intersected); `None` when all nodes are.
pub fn prefilter_nodes<'a>(pod: &Incoming<'a>) -> Option<BTreeSet<&'a str>> {
    let mut names = BTreeSet::new();
    for term in pod.spec.affinity.as_deref()? {
        let mut term_names: Option<BTreeSet<&str>> = None;
        for r in term.fields.iter().filter(|r| r.key == "metadata.name" && r.operator == "In") {
            let these: BTreeSet<&str> = r.values.iter().map(String::as_str).collect();
            term_names = Some(match term_names {
                None => these,
                Some(before) => before.intersection(&these).copied().collect(),
            });
        }
        names.extend(term_names?);
    }
    Some(names)
}

/// Whether the node's NoSchedule and NoExecute taints are tolerated
/// (`nodeTaintsPolicy: Honor` of topology spreading).
pub fn taints_tolerated(tolerations: &[Toleration], view: &View, node: usize) -> bool {
    untolerated(&view.cluster.nodes[node].taints, tolerations).is_none()
}

/// TaintToleration's Score: fewer untolerated PreferNoSchedule taints is better.
pub fn taint_scores(pod: &Incoming, view: &View, feasible: &[usize]) -> Vec<i64> {
    let scores = feasible
        .iter()
        .map(|&i| {
            let taints = &view.cluster.nodes[i].taints;
            let soft = taints.iter().filter(|t| t.effect == "PreferNoSchedule");
            soft.filter(|t| !pod.spec.tolerations.iter().any(|tol| tol.tolerates(t))).count() as i64
        })
        .collect();
    normalize(scores, true)
}

/// NodeAffinity's Score: the weights of the preferred terms the node matches.
pub fn affinity_scores(pod: &Incoming, view: &View, feasible: &[usize]) -> Vec<i64> {
    let preferred = &pod.spec.constraints.preferred_nodes;
    let scores = feasible
        .iter()
        .map(|&i| {
            let n = &view.cluster.nodes[i];
            preferred
                .iter()
                .filter(|(_, term)| terms_match(std::slice::from_ref(term), &n.name, &n.labels))
                .map(|(w, _)| *w)
                .sum()
        })
        .collect();
    normalize(scores, false)
}
