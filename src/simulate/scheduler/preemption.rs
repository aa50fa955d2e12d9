//! DefaultPreemption (PostFilter), when no node fits: on each node where the
//! failure may be resolvable, remove every Pod of a lower priority; where the Pod
//! then fits, put back as many as still let it fit, most important first
//! (`SelectVictimsOnNode`); among those candidates take the node whose victims
//! matter least (`pickOneNodeForPreemption`: the lowest highest victim priority,
//! then the lowest sum of priorities, then the fewest victims; PodDisruptionBudgets
//! are not modelled).

use std::cmp::Reverse;

use super::{Incoming, Placed, Status, View, fits, histogram};

/// The node and its victims (Pod ids), or PostFilter's message.
pub fn preempt(pod: &Incoming, view: &View, statuses: &[(usize, Status)]) -> Result<(usize, Vec<usize>), String> {
    if !pod.may_preempt {
        return Err("not eligible due to preemptionPolicy=Never.".into());
    }
    // PodEligibleToPreemptOthers: a Pod whose earlier preemption's victims are still
    // terminating waits for them (unless its node became unresolvable).
    if let Some(n) = pod.nominated
        && statuses.iter().any(|(node, s)| *node == n && !s.unresolvable)
        && view.on_node(n).any(|p| p.preempted && p.priority < pod.priority)
    {
        return Err("not eligible due to a terminating pod on the nominated node.".into());
    }
    let mut outcomes = Vec::new();
    let mut candidates: Vec<(usize, Vec<Placed>)> = Vec::new();
    for (node, status) in statuses {
        let node = *node;
        if status.unresolvable {
            outcomes.push(Status::new("Preemption is not helpful for scheduling", true));
            continue;
        }
        let mut lower: Vec<Placed> = view.on_node(node).filter(|p| p.priority < pod.priority).copied().collect();
        if lower.is_empty() {
            outcomes.push(Status::new("No preemption victims found for incoming pod", true));
            continue;
        }
        let ids: Vec<usize> = lower.iter().map(|p| p.id).collect();
        let mut trial = view.without(&ids);
        if let Err(status) = fits(pod, &trial, node) {
            outcomes.push(status);
            continue;
        }
        // `MoreImportantPod`: a higher priority, then the earlier start.
        lower.sort_by_key(|p| (Reverse(p.priority), p.started, p.id));
        let mut victims = Vec::new();
        for p in lower {
            trial.pods.push(p);
            if fits(pod, &trial, node).is_err() {
                trial.pods.pop();
                victims.push(p);
            }
        }
        candidates.push((node, victims));
    }
    let best = candidates.into_iter().min_by_key(|(node, victims)| {
        let highest = victims.iter().map(|v| v.priority).max().unwrap_or(i64::MIN);
        let sum: i64 = victims.iter().map(|v| v.priority).sum();
        (highest, sum, victims.len(), *node)
    });
    match best {
        Some((node, victims)) => Ok((node, victims.iter().map(|v| v.id).collect())),
        None => Err(format!("0/{} nodes are available: {}.", view.cluster.nodes.len(), histogram(outcomes.iter()))),
    }
}
