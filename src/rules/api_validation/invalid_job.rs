use crate::document::Document;
use crate::rules::Context;
use crate::yaml::Node;

crate::declare_rule! {
    /// ## What it does
    /// Checks the settings of a Job (and a CronJob's job template) that depend on
    /// each other: `completionMode: Indexed` needs `completions` and at most 100000
    /// `parallelism`; `backoffLimitPerIndex` and `maxFailedIndexes` need Indexed
    /// mode, and `maxFailedIndexes` needs `backoffLimitPerIndex` and at most
    /// `completions`; with a `podFailurePolicy` the Pods' `restartPolicy` must be
    /// `Never`.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g. `spec.completions: Required value: when
    /// completion mode is Indexed`.
    ///
    /// ## API server
    /// Rejected on create: `validateJobSpec`, `validateCompletions` and
    /// `validatePodFailurePolicy` in `pkg/apis/batch/validation/validation.go`, e.g.
    /// `spec.completions: Required value: when completion mode is Indexed`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: shards
    /// spec:
    ///   completionMode: Indexed
    ///   parallelism: 4
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: worker
    ///         image: ghcr.io/acme/worker:1.2.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: shards
    /// spec:
    ///   completionMode: Indexed
    ///   completions: 8
    ///   parallelism: 4
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: worker
    ///         image: ghcr.io/acme/worker:1.2.0
    /// ```
    pub static INVALID_JOB = {
        id: "invalid-job",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a Job's completion mode, completions, parallelism or failure policy are inconsistent",
        fields: [
            "JobSpec.completionMode", "JobSpec.completions", "JobSpec.parallelism", "JobSpec.backoffLimitPerIndex",
            "JobSpec.maxFailedIndexes", "JobSpec.podFailurePolicy",
        ],
        check: Document(check),
    };
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let path: &[&str] = match doc.kind() {
        Some("Job") => &["spec"],
        Some("CronJob") => &["spec", "jobTemplate", "spec"],
        _ => return,
    };
    let Some(spec) = doc.root.at(path) else { return };
    let prefix = path.join(".");
    let mut report = |node: &Node, message: String, label: &str, help: &str| {
        let f = cx.finding(&INVALID_JOB, node.span, message).label(label).help(help);
        cx.report(f);
    };
    let int = |key: &str| spec.get(key).and_then(Node::as_i64);
    let mode = spec.get("completionMode");
    let indexed = mode.and_then(Node::as_str) == Some("Indexed");
    if let Some(mode) = mode.filter(|_| indexed) {
        if spec.get("completions").is_none_or(Node::is_null) {
            report(
                mode,
                format!("`{prefix}.completions` is required when completion mode is Indexed"),
                "Indexed",
                "add `completions:` with the number of indexes",
            );
        }
        if let (Some(p), Some(n)) = (spec.get("parallelism"), int("parallelism"))
            && n > 100_000
        {
            report(
                p,
                format!(
                    "invalid value {n} for `{prefix}.parallelism`: must be less than or equal to 100000 when completion mode is Indexed"
                ),
                "too many",
                "lower `parallelism`",
            );
        }
    }
    for key in ["backoffLimitPerIndex", "maxFailedIndexes"] {
        if let Some(node) = spec.get(key).filter(|n| !n.is_null() && !indexed) {
            report(
                node,
                format!(
                    "invalid value {} for `{prefix}.{key}`: requires indexed completion mode",
                    node.display_scalar()
                ),
                "needs `completionMode: Indexed`",
                "set `completionMode: Indexed`, or remove this field",
            );
        }
    }
    if let Some(max) = spec.get("maxFailedIndexes").filter(|n| !n.is_null()) {
        if spec.get("backoffLimitPerIndex").is_none_or(Node::is_null) {
            report(
                max,
                format!("`{prefix}.backoffLimitPerIndex` is required when maxFailedIndexes is specified"),
                "needs `backoffLimitPerIndex`",
                "add `backoffLimitPerIndex:`",
            );
        }
        if let (Some(m), Some(c)) = (max.as_i64(), int("completions"))
            && m > c
        {
            report(
                max,
                format!("invalid value {m} for `{prefix}.maxFailedIndexes`: must be less than or equal to completions"),
                "more than `completions`",
                "lower `maxFailedIndexes`",
            );
        }
    }
    if spec.get("podFailurePolicy").is_some_and(|p| !p.is_null())
        && let Some(policy) = spec.at(&["template", "spec", "restartPolicy"])
        && policy.as_str() == Some("OnFailure")
    {
        report(
            policy,
            format!(
                "invalid value \"OnFailure\" for `{prefix}.template.spec.restartPolicy`: only \"Never\" is supported when podFailurePolicy is specified"
            ),
            "not with a `podFailurePolicy`",
            "use `restartPolicy: Never`",
        );
    }
}
