//! `dangling-pdb` and `dangling-network-policy`: Pod selectors that select nothing.

use crate::rules::inventory::Facts;
use crate::rules::{Rule, RunContext};

crate::declare_rule! {
    /// ## What it does
    /// Checks that a PodDisruptionBudget's `selector` matches the Pods of at least one
    /// workload of the input in its namespace. Only runs when the input has workloads
    /// in that namespace.
    ///
    /// ## Why it matters
    /// A budget that selects no Pod protects nothing: a node drain can take down every
    /// replica of the workload it was written for.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web-frontend
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
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
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static DANGLING_PDB = {
        id: "dangling-pdb",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a PodDisruptionBudget's selector matches no Pod template of the input",
        fields: ["PodDisruptionBudgetSpec.selector"],
        check: Run(pdb),
    };
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that a NetworkPolicy's `podSelector` matches the Pods of at least one
    /// workload of the input in its namespace (an empty selector, which selects every
    /// Pod, is fine). Only runs when the input has workloads in that namespace.
    ///
    /// ## Why it matters
    /// A policy that selects no Pod isolates nothing: the Pods it was written for
    /// accept traffic from anywhere.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web-frontend
    ///   policyTypes: ["Ingress"]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   policyTypes: ["Ingress"]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    pub static DANGLING_NETWORK_POLICY = {
        id: "dangling-network-policy",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a NetworkPolicy's `podSelector` matches no Pod template of the input",
        fields: ["NetworkPolicySpec.podSelector"],
        check: Run(network_policy),
    };
}

fn pdb(cx: &mut RunContext<'_>) {
    check(cx, &DANGLING_PDB, "PodDisruptionBudget", "a budget that selects no Pod protects nothing");
}

fn network_policy(cx: &mut RunContext<'_>) {
    check(cx, &DANGLING_NETWORK_POLICY, "NetworkPolicy", "a policy that selects no Pod isolates nothing");
}

fn check(cx: &mut RunContext<'_>, rule: &'static Rule, kind: &str, note: &str) {
    let inventory = cx.inventory;
    for object in inventory.resources.iter().filter(|r| r.kind() == kind) {
        let Facts::PodSelector { selector, .. } = object.facts() else { continue };
        if selector.value.is_empty() || !inventory.decidable(object.namespace()) {
            continue;
        }
        if inventory.selects_any(&selector.value, object.namespace()) {
            continue;
        }
        let f = object
            .finding_at(
                rule,
                selector.span,
                format!(
                    "the selector `{}` of {kind} `{}` matches no Pods in the input",
                    selector.value.display(),
                    object.name()
                ),
            )
            .label("selects nothing")
            .note(note)
            .help("make the selector match the `labels` of the workload's Pod template");
        cx.report(f);
    }
}
