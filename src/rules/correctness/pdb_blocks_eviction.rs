use crate::kube::int_or_percent::IntOrPercent;
use crate::rules::RunContext;
use crate::rules::inventory::{At, Facts, Resource};
use crate::text::plural;

crate::declare_rule! {
    /// ## What it does
    /// Checks for a PodDisruptionBudget that can never allow a voluntary eviction:
    /// `maxUnavailable: 0`, `minAvailable: 100%`, or a `minAvailable` count at least
    /// the replicas of the Deployments, StatefulSets and ReplicaSets it selects in
    /// the input.
    ///
    /// ## Why it matters
    /// `kubectl drain`, node upgrades and the cluster autoscaler evict Pods through
    /// the eviction API, which refuses while the budget allows no disruption: the
    /// drain waits for ever and an upgrade stalls on the node.
    ///
    /// ## Known problems
    /// A workload scaled by a HorizontalPodAutoscaler may run more replicas than its
    /// manifest says.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 0
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    pub static PDB_BLOCKS_EVICTION = {
        id: "pdb-blocks-eviction",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a PodDisruptionBudget never allows a voluntary eviction, so node drains block",
        fields: ["PodDisruptionBudgetSpec.minAvailable", "PodDisruptionBudgetSpec.maxUnavailable"],
        check: Run(check),
    };
}

const NOTE: &str = "`kubectl drain` and node upgrades wait until the budget allows an eviction, which never happens";

fn check(cx: &mut RunContext<'_>) {
    let inventory = cx.inventory;
    for pdb in inventory.resources.iter().filter(|r| r.kind() == "PodDisruptionBudget") {
        let Facts::PodSelector { selector, budget: [min, max] } = pdb.facts() else { continue };
        if min.is_some() && max.is_some() {
            continue; // rejected by the API server: `invalid-pdb`
        }
        let f = match (min, max) {
            (_, Some(max @ At { value: IntOrPercent::Int(0) | IntOrPercent::Percent(0), .. })) => pdb
                .finding_at(
                    &PDB_BLOCKS_EVICTION,
                    max.span,
                    format!("no Pod selected by PodDisruptionBudget `{}` may ever be evicted", pdb.name()),
                )
                .label("no eviction is ever allowed"),
            (Some(min @ At { value: IntOrPercent::Percent(p), .. }), _) if *p >= 100 => pdb
                .finding_at(
                    &PDB_BLOCKS_EVICTION,
                    min.span,
                    format!("every Pod selected by PodDisruptionBudget `{}` must stay available", pdb.name()),
                )
                .label("no eviction is ever allowed"),
            (Some(min @ At { value: IntOrPercent::Int(n), .. }), _) if *n > 0 => {
                if !inventory.decidable(pdb.namespace()) {
                    continue;
                }
                let selected: Vec<&Resource> = inventory.selected(&selector.value, pdb.namespace()).collect();
                // Only kinds with a replica count say how many Pods there are.
                let replicated = |w: &&Resource| matches!(w.kind(), "Deployment" | "StatefulSet" | "ReplicaSet");
                if selector.value.is_empty() || selected.is_empty() || !selected.iter().all(replicated) {
                    continue;
                }
                let replicas: i64 =
                    selected.iter().filter_map(|w| w.pods.as_ref()).map(|p| p.replicas.unwrap_or(1)).sum();
                if replicas > *n {
                    continue;
                }
                let mut f = pdb
                    .finding_at(
                        &PDB_BLOCKS_EVICTION,
                        min.span,
                        format!(
                            "the PodDisruptionBudget `{}` requires {} available, as many as the workloads it selects run",
                            pdb.name(),
                            plural(count(*n), "Pod"),
                        ),
                    )
                    .label(format!("the selected workloads have {}", plural(count(replicas), "replica")));
                for w in selected {
                    let replicas = w.pods.as_ref().and_then(|p| p.replicas).unwrap_or(1);
                    let label = format!("{} `{}`: {}", w.kind(), w.name(), plural(count(replicas), "replica"));
                    f = f.secondary(w.at(w.name_or_head()), label);
                }
                f
            }
            _ => continue,
        };
        cx.report(f.note(NOTE).help("allow at least one disruption, such as `maxUnavailable: 1`"));
    }
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}
