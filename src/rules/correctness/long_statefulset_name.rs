use crate::document::Document;
use crate::rules::Context;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a StatefulSet's name has at most 52 characters.
    ///
    /// ## Why it matters
    /// The StatefulSet controller labels each Pod `controller-revision-hash:
    /// <name>-<hash>`, with a hash of up to 10 characters. With a longer name the label
    /// value exceeds 63 characters, and every Pod the controller creates is refused
    /// (`metadata.labels: Invalid value: ...: must be no more than 63 characters`): the
    /// StatefulSet exists but never runs a Pod.
    ///
    /// ## API server
    /// Accepted on create: `ValidateStatefulSetName` in
    /// `pkg/apis/apps/validation/validation.go` only requires a DNS-1123 label (at most 63
    /// characters), so this is a warning; the Pods are rejected later by
    /// `ValidateObjectMeta` (`ValidateLabels`) when the controller creates them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: payments-ledger-postgresql-primary-replica-europe-west
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: ledger-postgresql-primary
    /// ```
    pub static LONG_STATEFULSET_NAME = {
        id: "long-statefulset-name",
        category: Correctness,
        severity: Warning,
        enabled: true,
        summary: "a StatefulSet name over 52 characters makes its Pods' labels too long",
        fields: ["ObjectMeta.name"],
        check: Document(check),
    };
}

/// The longest StatefulSet name whose Pods' `controller-revision-hash` label value
/// (`<name>-<hash of up to 10 characters>`) is a valid label value.
const MAX: usize = 52;

fn check(doc: &Document, cx: &mut Context<'_>) {
    if doc.kind() != Some("StatefulSet") {
        return;
    }
    let Some(name) = doc.root.at(&["metadata", "name"]) else { return };
    let Some(text) = name.as_str().filter(|t| t.len() > MAX) else { return };
    // Longer than a DNS label is `invalid-name`'s error.
    if crate::kube::names::dns1123_label(text).is_err() {
        return;
    }
    let f = cx
        .finding(
            &LONG_STATEFULSET_NAME,
            name.span,
            format!(
                "the StatefulSet name {text:?} is {} characters: its Pods' `controller-revision-hash` label would be longer than 63",
                text.len()
            ),
        )
        .label("too long for its Pods' labels")
        .pointer(format!("{}/metadata/name", doc.pointer_prefix))
        .note("the API server accepts the StatefulSet, then refuses every Pod its controller creates: the label `controller-revision-hash: <name>-<hash>` must be at most 63 characters")
        .help(format!("use a name of at most {MAX} characters"));
    cx.report(f);
}
