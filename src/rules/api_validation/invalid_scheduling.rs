use crate::document::Document;
use crate::kube::{field, names};
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::source::Span;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks a Pod's tolerations and affinity as the API server does: a toleration
    /// with no `key` has `operator: Exists`; `Exists` takes no `value`; `Equal` takes a
    /// label value; `tolerationSeconds` only with `effect: NoExecute`; effects and
    /// operators from their lists. Node affinity: at least one `nodeSelectorTerms` entry;
    /// `In`/`NotIn` need `values`, `Exists`/`DoesNotExist` take none, `Gt`/`Lt` take
    /// one; keys are label names and values label values; `matchFields` only on
    /// `metadata.name`. Pod (anti-)affinity terms need a `topologyKey`; weights are
    /// between 1 and 100.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.tolerations[0].operator: Invalid
    /// value: "dedicated": value must be empty when `operator` is 'Exists'`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateTolerations`, `validateTaintEffect`,
    /// `ValidateNodeSelector`, `ValidateNodeSelectorRequirement`,
    /// `ValidateNodeFieldSelectorRequirement`, `ValidatePreferredSchedulingTerms`,
    /// `validatePodAffinityTerm` and `validateWeightedPodAffinityTerms` in
    /// `pkg/apis/core/validation/validation.go`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   tolerations:
    ///   - key: dedicated
    ///     operator: Exists
    ///     value: gpu
    ///     effect: NoSchedule
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   tolerations:
    ///   - key: dedicated
    ///     operator: Equal
    ///     value: gpu
    ///     effect: NoSchedule
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub static INVALID_SCHEDULING = {
        id: "invalid-scheduling",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a toleration or an affinity term is rejected by the API server",
        fields: [
            "PodSpec.tolerations", "Toleration.operator", "Toleration.value", "Toleration.effect",
            "Toleration.tolerationSeconds", "PodSpec.affinity", "NodeSelectorRequirement.operator",
            "NodeSelectorRequirement.values", "PodAffinityTerm.topologyKey", "WeightedPodAffinityTerm.weight",
            "PreferredSchedulingTerm.weight",
        ],
        fixes: [Safe],
        check: Document(check),
    };
}

const EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

fn report(cx: &mut Context<'_>, at: &At, span: Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_SCHEDULING, span, message, label, help);
}

fn str_of<'n>(node: &'n Node, key: &str) -> &'n str {
    node.get(key).and_then(Node::as_str).unwrap_or("")
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let spec = At::new(pod.path(), pod.pointer(""));
    for (i, t) in pod.spec.get("tolerations").map(Node::items).unwrap_or_default().iter().enumerate() {
        if t.is_map() {
            toleration(cx, &spec.index("tolerations", i), t);
        }
    }
    let Some(affinity) = pod.spec.get("affinity") else { return };
    let at = spec.child("affinity");
    if let Some(node) = affinity.get("nodeAffinity") {
        node_affinity(cx, &at.child("nodeAffinity"), node);
    }
    for kind in ["podAffinity", "podAntiAffinity"] {
        let Some(node) = affinity.get(kind) else { continue };
        let at = at.child(kind);
        let required = "requiredDuringSchedulingIgnoredDuringExecution";
        for (i, term) in node.get(required).map(Node::items).unwrap_or_default().iter().enumerate() {
            pod_affinity_term(cx, &at.index(required, i), term);
        }
        let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
        for (i, weighted) in node.get(preferred).map(Node::items).unwrap_or_default().iter().enumerate() {
            let at = at.index(preferred, i);
            weight(cx, &at, weighted);
            if let Some(term) = weighted.get("podAffinityTerm") {
                pod_affinity_term(cx, &at.child("podAffinityTerm"), term);
            }
        }
    }
}

fn toleration(cx: &mut Context<'_>, at: &At, t: &Node) {
    let key = str_of(t, "key");
    let operator = str_of(t, "operator");
    let value = str_of(t, "value");
    let effect = str_of(t, "effect");
    let span_of = |k: &str| t.get(k).map_or_else(|| crate::document::head(t), |n| n.span);
    if !key.is_empty()
        && let Err(reason) = names::qualified_name(key)
    {
        let at = at.child("key");
        let help = "use a taint key such as `dedicated` or `node.kubernetes.io/unreachable`";
        report(cx, &at, span_of("key"), field::invalid(&at.path, &field::quote(key), &reason), "not a taint key", help);
    }
    let op = at.child("operator");
    if key.is_empty() && operator != "Exists" {
        let detail = "operator must be Exists when `key` is empty, which means \"match all values and all keys\"";
        let help = "add the taint's `key`, or use `operator: Exists` to tolerate every taint";
        report(cx, &op, span_of("operator"), field::invalid(&op.path, &field::quote(operator), detail), "no key", help);
    }
    if t.get("tolerationSeconds").is_some_and(|n| !n.is_null()) && effect != "NoExecute" {
        let at = at.child("effect");
        let detail = "effect must be 'NoExecute' when `tolerationSeconds` is set";
        let help = "use `effect: NoExecute`, or remove `tolerationSeconds`";
        let message = field::invalid(&at.path, &field::quote(effect), detail);
        report(cx, &at, span_of("tolerationSeconds"), message, "only for NoExecute taints", help);
    }
    match operator {
        "Equal" | "" => {
            if let Err(reason) = names::label_value(value) {
                let message = field::invalid(&op.path, &field::quote(value), &reason);
                report(cx, &op, span_of("value"), message, "not a label value", "use the taint's value");
            }
        }
        "Exists" => {
            if !value.is_empty() {
                let detail = "value must be empty when `operator` is 'Exists'";
                let help = "remove `value`, or use `operator: Equal` to match it";
                report(
                    cx,
                    &op,
                    span_of("value"),
                    field::invalid(&op.path, &field::quote(value), detail),
                    "a value",
                    help,
                );
            }
        }
        _ => {
            let message = field::not_supported(&op.path, operator, &["Equal", "Exists"]);
            report(cx, &op, span_of("operator"), message, "not an operator", "use `Equal` or `Exists`");
        }
    }
    if !effect.is_empty() && !EFFECTS.contains(&effect) {
        let at = at.child("effect");
        let help = "use `NoSchedule`, `PreferNoSchedule` or `NoExecute`, or leave it out to match every effect";
        report(cx, &at, span_of("effect"), field::not_supported(&at.path, effect, EFFECTS), "not an effect", help);
    }
}

fn weight(cx: &mut Context<'_>, at: &At, weighted: &Node) {
    let Some(node) = weighted.get("weight") else { return };
    let Some(n) = node.as_i64().filter(|n| !(1..=100).contains(n)) else { return };
    let at = at.child("weight");
    let message = field::invalid(&at.path, &n.to_string(), "must be in the range 1-100");
    report(cx, &at, node.span, message, "out of range", "use a weight between 1 and 100");
}

fn node_affinity(cx: &mut Context<'_>, at: &At, node: &Node) {
    let required = "requiredDuringSchedulingIgnoredDuringExecution";
    if let Some(selector) = node.get(required).filter(|n| n.is_map()) {
        let at = at.child(required).child("nodeSelectorTerms");
        let terms = selector.get("nodeSelectorTerms").map(Node::items).unwrap_or_default();
        if terms.is_empty() {
            let message = field::required(&at.path, "must have at least one node selector term");
            let span = node.entry(required).map_or(node.span, |e| e.key.span);
            report(cx, &at, span, message, "no term", "add a `nodeSelectorTerms` entry with `matchExpressions`");
        }
        for (i, term) in terms.iter().enumerate() {
            node_selector_term(cx, &at.item(i), term, false);
        }
    }
    let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
    for (i, term) in node.get(preferred).map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = at.index(preferred, i);
        weight(cx, &at, term);
        if let Some(pref) = term.get("preference") {
            // Preferred terms may hold invalid label values (they can still match nothing).
            node_selector_term(cx, &at.child("preference"), pref, true);
        }
    }
}

fn node_selector_term(cx: &mut Context<'_>, at: &At, term: &Node, any_value: bool) {
    for (j, req) in term.get("matchExpressions").map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = at.index("matchExpressions", j);
        let values = req.get("values").map(Node::items).unwrap_or_default();
        let vat = at.child("values");
        let span = req.get("values").map_or_else(|| crate::document::head(req), |n| n.span);
        match str_of(req, "operator") {
            "In" | "NotIn" if values.is_empty() => {
                let message = field::required(&vat.path, "must be specified when `operator` is 'In' or 'NotIn'");
                report(cx, &vat, span, message, "no values", "list the label values to match");
            }
            "Exists" | "DoesNotExist" if !values.is_empty() => {
                let message =
                    field::forbidden(&vat.path, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                report(cx, &vat, span, message, "values", "remove `values`, or use `In`");
            }
            "Gt" | "Lt" if values.len() != 1 => {
                let message =
                    field::required(&vat.path, "must be specified single value when `operator` is 'Lt' or 'Gt'");
                report(cx, &vat, span, message, "not one value", "give one integer value");
            }
            "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
            other => {
                let at = at.child("operator");
                let span = req.get("operator").map_or(req.span, |n| n.span);
                let message = field::invalid(&at.path, &field::quote(other), "not a valid selector operator");
                report(
                    cx,
                    &at,
                    span,
                    message,
                    "not an operator",
                    "use `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`",
                );
            }
        }
        if let Some(node) = req.get("key")
            && let Some(key) = node.as_str()
            && let Err(reason) = names::qualified_name(key)
        {
            let at = at.child("key");
            report(
                cx,
                &at,
                node.span,
                field::invalid(&at.path, &field::quote(key), &reason),
                "not a label key",
                "use a node label key",
            );
        }
        if any_value {
            continue;
        }
        for (k, node) in values.iter().enumerate() {
            let Some(value) = node.as_str() else { continue };
            if let Err(reason) = names::label_value(value) {
                let at = vat.item(k);
                report(
                    cx,
                    &at,
                    node.span,
                    field::invalid(&at.path, &field::quote(value), &reason),
                    "not a label value",
                    "use a node label value",
                );
            }
        }
    }
    for (j, req) in term.get("matchFields").map(Node::items).unwrap_or_default().iter().enumerate() {
        let at = at.index("matchFields", j);
        let values = req.get("values").map(Node::items).unwrap_or_default();
        let operator = str_of(req, "operator");
        if matches!(operator, "In" | "NotIn") {
            if values.len() != 1 {
                let vat = at.child("values");
                let detail = "must be only one value when `operator` is 'In' or 'NotIn' for node field selector";
                let span = req.get("values").map_or(req.span, |n| n.span);
                report(cx, &vat, span, field::required(&vat.path, detail), "not one value", "give one node name");
            }
        } else {
            let oat = at.child("operator");
            let span = req.get("operator").map_or(req.span, |n| n.span);
            let message = field::invalid(&oat.path, &field::quote(operator), "not a valid selector operator");
            report(cx, &oat, span, message, "not an operator", "use `In` or `NotIn`");
        }
        let key = str_of(req, "key");
        if key != "metadata.name" {
            let kat = at.child("key");
            let span = req.get("key").map_or(req.span, |n| n.span);
            let message = field::invalid(&kat.path, &field::quote(key), "not a valid field selector key");
            report(cx, &kat, span, message, "not a node field", "`matchFields` selects on `metadata.name` only");
        }
    }
}

fn pod_affinity_term(cx: &mut Context<'_>, at: &At, term: &Node) {
    // A missing `topologyKey` is the schema's `required-field`; an empty one is this rule's.
    let Some(topology) = term.get("topologyKey") else { return };
    match topology.as_str().filter(|k| !k.is_empty()) {
        None => {
            let tat = at.child("topologyKey");
            let span = topology.span;
            let help = "add `topologyKey`, e.g. `kubernetes.io/hostname` or `topology.kubernetes.io/zone`";
            report(cx, &tat, span, field::required(&tat.path, "can not be empty"), "no topology key", help);
        }
        Some(key) => {
            if let Err(reason) = names::qualified_name(key) {
                let tat = at.child("topologyKey");
                let message = field::invalid(&tat.path, &field::quote(key), &reason);
                report(cx, &tat, topology.span, message, "not a label key", "use a node label key");
            }
        }
    }
    for node in term.get("namespaces").map(Node::items).unwrap_or_default() {
        let Some(ns) = node.as_str() else { continue };
        if let Err(reason) = names::dns1123_label(ns) {
            // `validatePodAffinityTerm` names `namespace`, not the list item.
            let nat = At::new(format!("{}.namespace", at.path), format!("{}/namespaces", at.pointer));
            let message = field::invalid(&nat.path, &field::quote(ns), &reason);
            report(cx, &nat, node.span, message, "not a namespace name", "name a namespace");
        }
    }
}
