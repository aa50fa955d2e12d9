//! The default scheduler, reduced to what manifests decide: the filters
//! NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector and required
//! affinity) and NodeResourcesFit, in that order, and a score that spreads a
//! workload's Pods and prefers the least allocated node.
//!
//! When no node fits, the message is the scheduler's own (`FitError.Error()`):
//! `0/4 nodes are available: ` then, per reason, how many nodes gave it, sorted as
//! strings. A node stops at its first failing filter; NodeResourcesFit may give a
//! node several reasons (`Insufficient cpu` and `Insufficient memory`). Then comes
//! what PostFilter (DefaultPreemption) found: `preemption: 0/4 nodes are available:`
//! with, per node, `Preemption is not helpful for scheduling` where the failure is
//! UnschedulableAndUnresolvable (taints, affinity, cordon) and `No preemption
//! victims found for incoming pod` where evicting Pods could help (resources) but
//! no Pod of a lower priority runs (priorities are not modelled: all are equal).
//! Messages as clusters print them: before 1.35 the taint is named
//! (`{key: value}`) and the message ends in `..`; from 1.35 on `untolerated
//! taint(s)` and one `.`.

use super::cluster::{Cluster, Node};
use super::labels::{terms_match, untolerated};
use super::template::PodSpec;

/// Chooses a node, or explains why none fits.
pub fn place(pod: &PodSpec, cluster: &Cluster, spread: &[u32], minor: u32) -> Result<usize, String> {
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    let mut preemption: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut feasible = Vec::new();
    for (i, node) in cluster.nodes.iter().enumerate() {
        let (failed, resolvable) = filter(pod, node, minor);
        if failed.is_empty() {
            feasible.push(i);
            continue;
        }
        let outcome = if resolvable {
            "No preemption victims found for incoming pod"
        } else {
            "Preemption is not helpful for scheduling"
        };
        *preemption.entry(outcome).or_default() += 1;
        for reason in failed {
            *reasons.entry(reason).or_default() += 1;
        }
    }
    let best = feasible.into_iter().min_by_key(|&i| {
        let node = &cluster.nodes[i];
        (spread.get(i).copied().unwrap_or(0), allocation_permille(node, pod), node.pods, i)
    });
    match best {
        Some(i) => Ok(i),
        None => {
            let counted = |map: Vec<(String, usize)>| {
                let mut parts: Vec<String> = map.into_iter().map(|(reason, n)| format!("{n} {reason}")).collect();
                parts.sort();
                parts.join(", ")
            };
            let total = cluster.nodes.len();
            let mut message = format!("0/{total} nodes are available");
            if !reasons.is_empty() {
                let end = if minor >= 35 { "." } else { ".." };
                let preemption = counted(preemption.into_iter().map(|(k, n)| (k.to_string(), n)).collect());
                message.push_str(&format!(
                    ": {}. preemption: 0/{total} nodes are available: {preemption}{end}",
                    counted(reasons.into_iter().collect())
                ));
            }
            Err(message)
        }
    }
}

/// The reasons a node does not fit, empty when it does, and whether preemption
/// could resolve them.
fn filter(pod: &PodSpec, node: &Node, minor: u32) -> (Vec<String>, bool) {
    let unschedulable_tolerated = pod.tolerations.iter().any(|t| {
        t.tolerates(&super::labels::Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            value: String::new(),
            effect: "NoSchedule".into(),
        })
    });
    if node.unschedulable && !unschedulable_tolerated {
        return (vec!["node(s) were unschedulable".into()], false);
    }
    if let Some(taint) = untolerated(&node.taints, &pod.tolerations) {
        let reason = if minor >= 35 {
            "node(s) had untolerated taint(s)".to_string()
        } else {
            format!("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value)
        };
        return (vec![reason], false);
    }
    let selector_ok = pod.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v));
    let affinity_ok = pod.affinity.as_ref().is_none_or(|terms| terms_match(terms, &node.name, &node.labels));
    if !selector_ok || !affinity_ok {
        return (vec!["node(s) didn't match Pod's node affinity/selector".into()], false);
    }
    let mut reasons = Vec::new();
    if node.pods + 1 > node.max_pods {
        reasons.push("Too many pods".into());
    }
    let free = node.free();
    if pod.requests.cpu_milli > 0 && pod.requests.cpu_milli > free.cpu_milli {
        reasons.push("Insufficient cpu".into());
    }
    if pod.requests.memory > 0 && pod.requests.memory > free.memory {
        reasons.push("Insufficient memory".into());
    }
    (reasons, true)
}

/// How full the node would be with the Pod, in thousandths (the mean of cpu and
/// memory): the LeastAllocated score, inverted.
fn allocation_permille(node: &Node, pod: &PodSpec) -> u64 {
    let share = |used: u64, req: u64, cap: u64| ((used + req) * 1000).checked_div(cap).unwrap_or(1000);
    let cpu = share(node.used.cpu_milli, pod.requests.cpu_milli, node.allocatable.cpu_milli);
    let memory = share(node.used.memory, pod.requests.memory, node.allocatable.memory);
    (cpu + memory) / 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::template::{Resources, RestartPolicy};

    fn pod(cpu_milli: u64) -> PodSpec {
        PodSpec {
            containers: Vec::new(),
            restart_policy: RestartPolicy::Always,
            requests: Resources { cpu_milli, memory: 0 },
            node_selector: Default::default(),
            affinity: None,
            tolerations: Vec::new(),
            node_name: None,
            hostname: None,
            subdomain: None,
            host_network: false,
        }
    }

    #[test]
    fn spreads_over_workers() {
        let cluster = Cluster::default_nodes(3);
        assert_eq!(place(&pod(0), &cluster, &[0, 1, 0, 0], 34), Ok(2));
        assert_eq!(place(&pod(0), &cluster, &[0, 0, 0, 0], 34), Ok(1));
    }

    #[test]
    fn scheduler_wording() {
        let cluster = Cluster::default_nodes(3);
        assert_eq!(
            place(&pod(8000), &cluster, &[0; 4], 34),
            Err("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..".into())
        );
        // The wording of 1.35 and later (seen in clusters: `untolerated taint(s)`, one period).
        assert_eq!(
            place(&pod(8000), &cluster, &[0; 4], 35),
            Err("0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.".into())
        );
        let mut p = pod(0);
        p.node_selector.insert("disk".into(), "ssd".into());
        assert_eq!(
            place(&p, &cluster, &[0; 4], 34),
            Err("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling..".into())
        );
    }

    #[test]
    fn one_node_can_give_two_reasons() {
        let cluster = Cluster::default_nodes(2);
        let mut p = pod(8000);
        p.requests.memory = 64 << 30;
        assert_eq!(
            place(&p, &cluster, &[0; 3], 34),
            Err("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..".into())
        );
    }
}
