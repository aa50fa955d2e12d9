//! NodeResourcesFit (Filter and the LeastAllocated score) and
//! NodeResourcesBalancedAllocation.

use std::collections::BTreeMap;

use super::{Incoming, Status, View};
use crate::simulate::template::Resources;

/// What the Pods on a node request.
fn requested<'a>(view: &View<'a>, node: usize) -> (Resources, Resources, BTreeMap<&'a str, u64>, usize) {
    let mut used = Resources::default();
    let mut nonzero = Resources::default();
    let mut extended: BTreeMap<&str, u64> = BTreeMap::new();
    let mut count = 0;
    for p in view.on_node(node) {
        used = used.plus(p.spec.requests);
        nonzero = nonzero.plus(p.spec.nonzero);
        for (name, amount) in &p.spec.extended {
            *extended.entry(name).or_default() += amount;
        }
        count += 1;
    }
    (used, nonzero, extended, count)
}

/// NodeResourcesFit's Filter (`fitsRequest`): room for one more Pod, and for each
/// resource the Pod requests. A node may give several reasons; preemption may help.
pub fn filter(pod: &Incoming, view: &View, node: usize) -> Result<(), Status> {
    let n = &view.cluster.nodes[node];
    let (used, _, extended, count) = requested(view, node);
    let mut reasons = Vec::new();
    if count + 1 > n.max_pods as usize {
        reasons.push("Too many pods".to_string());
    }
    let want = pod.spec.requests;
    let free = n.allocatable.minus(used);
    if want.cpu_milli > 0 && want.cpu_milli > free.cpu_milli {
        reasons.push("Insufficient cpu".into());
    }
    if want.memory > 0 && want.memory > free.memory {
        reasons.push("Insufficient memory".into());
    }
    for (name, amount) in &pod.spec.extended {
        let have = n.extended.get(name).copied().unwrap_or(0);
        let taken = extended.get(name.as_str()).copied().unwrap_or(0);
        if *amount > have.saturating_sub(taken) {
            reasons.push(format!("Insufficient {name}"));
        }
    }
    if reasons.is_empty() { Ok(()) } else { Err(Status { reasons, unresolvable: false }) }
}

/// `leastRequestedScore` per resource, 0–100.
fn least(requested: u64, capacity: u64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    ((capacity - requested) * 100 / capacity) as i64
}

/// NodeResourcesFit's Score with the default LeastAllocated strategy (cpu and
/// memory weighted alike), on the requests with defaults for containers that
/// request nothing (`NonZeroRequested`).
pub fn least_allocated_scores(pod: &Incoming, view: &View, feasible: &[usize]) -> Vec<i64> {
    feasible
        .iter()
        .map(|&i| {
            let n = &view.cluster.nodes[i];
            let (_, nonzero, _, _) = requested(view, i);
            let total = nonzero.plus(pod.spec.nonzero);
            (least(total.cpu_milli, n.allocatable.cpu_milli) + least(total.memory, n.allocatable.memory)) / 2
        })
        .collect()
}

/// NodeResourcesBalancedAllocation's Score: cpu and memory used in like shares,
/// `(1 - |cpu share - memory share| / 2) * 100`.
pub fn balanced_scores(pod: &Incoming, view: &View, feasible: &[usize]) -> Vec<i64> {
    feasible
        .iter()
        .map(|&i| {
            let n = &view.cluster.nodes[i];
            let (used, _, _, _) = requested(view, i);
            let total = used.plus(pod.spec.requests);
            let share = |r: u64, c: u64| if c == 0 { 0.0 } else { (r as f64 / c as f64).min(1.0) };
            let std = (share(total.cpu_milli, n.allocatable.cpu_milli) - share(total.memory, n.allocatable.memory))
                .abs()
                / 2.0;
            ((1.0 - std) * 100.0) as i64
        })
        .collect()
}
