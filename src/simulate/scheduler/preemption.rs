//! DefaultPreemption (PostFilter), when no node fits: on each node where the
//! failure may be resolvable, remove every Pod of a lower priority; where the Pod
//! then fits, put back as many as still let it fit (`SelectVictimsOnNode`): first
//! those whose PodDisruptionBudget their eviction would violate
//! (`filterPodsWithPDBViolation`), then the others, most important first in each
//! group. Among those candidates take the node whose victims matter least
//! (`pickOneNodeForPreemption`): the fewest PDB violations, the lowest highest
//! victim priority, the lowest sum of priorities (each offset by 2^31, so fewer
//! victims win), the fewest victims, the latest start of the most important
//! victims; then the first node.

use std::cmp::Reverse;

use super::{Budgets, Incoming, Placed, Status, View, fits, histogram};

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
    let mut allowed: Option<Vec<i64>> = None;
    let mut outcomes = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
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
        let allowed = allowed.get_or_insert_with(|| (view.budgets.allowed)());
        let (violating, others) = split_by_pdb_violation(lower, view.budgets, allowed);
        let mut victims = Vec::new();
        let mut violations = 0;
        for (p, violates) in violating.into_iter().map(|p| (p, true)).chain(others.into_iter().map(|p| (p, false))) {
            trial.pods.push(p);
            if fits(pod, &trial, node).is_err() {
                trial.pods.pop();
                victims.push(p);
                violations += usize::from(violates);
            }
        }
        candidates.push(Candidate { node, victims, violations });
    }
    match candidates.into_iter().min_by_key(Candidate::rank) {
        Some(c) => Ok((c.node, c.victims.iter().map(|v| v.id).collect())),
        None => Err(format!("0/{} nodes are available: {}.", view.cluster.nodes.len(), histogram(outcomes.iter()))),
    }
}

struct Candidate<'a> {
    node: usize,
    victims: Vec<Placed<'a>>,
    violations: usize,
}

impl Candidate<'_> {
    /// `pickOneNodeForPreemption`'s criteria in order, the smallest best.
    fn rank(&self) -> (usize, i64, i64, usize, Reverse<u64>, usize) {
        let highest = self.victims.iter().map(|v| v.priority).max().unwrap_or(i64::MIN);
        let offset = i64::from(i32::MAX) + 1;
        let sum: i64 = self.victims.iter().map(|v| v.priority.saturating_add(offset)).fold(0, i64::saturating_add);
        // GetEarliestPodStartTime of the highest-priority victims: the later, the better.
        let earliest = self.victims.iter().filter(|v| v.priority == highest).map(|v| v.started).min().unwrap_or(0);
        (self.violations, highest, sum, self.victims.len(), Reverse(earliest), self.node)
    }
}

/// `filterPodsWithPDBViolation`: walking the victims in order, each budget that
/// covers one is counted down; a victim is violating once a budget of its is below
/// 0. The order within each group is kept.
fn split_by_pdb_violation<'a>(
    pods: Vec<Placed<'a>>,
    budgets: Budgets,
    allowed: &[i64],
) -> (Vec<Placed<'a>>, Vec<Placed<'a>>) {
    let mut left = allowed.to_vec();
    let mut violating = Vec::new();
    let mut others = Vec::new();
    for p in pods {
        let mut violated = false;
        for (i, budget) in budgets.list.iter().enumerate() {
            if budget.covers(p.namespace, p.labels)
                && let Some(n) = left.get_mut(i)
            {
                *n -= 1;
                violated |= *n < 0;
            }
        }
        if violated { violating.push(p) } else { others.push(p) }
    }
    (violating, others)
}
