use crate::document::Document;
use crate::kube::field;
use crate::rules::Context;

crate::declare_rule! {
    /// ## What it does
    /// Checks counts, limits and durations that must not be negative: replicas,
    /// `minReadySeconds`, `revisionHistoryLimit` and `progressDeadlineSeconds` of
    /// workloads (a StatefulSet's `revisionHistoryLimit` is not validated: the API
    /// server warns, see `api-server-warning`); a Job's `parallelism`, `completions`, `activeDeadlineSeconds`,
    /// `backoffLimit`, `ttlSecondsAfterFinished`, `backoffLimitPerIndex` and
    /// `maxFailedIndexes`; a CronJob's `startingDeadlineSeconds` and history limits.
    ///
    /// ## Why it matters
    /// The API server rejects the object with `spec.backoffLimit: Invalid value: -1:
    /// must be greater than or equal to 0`.
    ///
    /// ## API server
    /// Rejected on create: `ValidateNonnegativeField` in the apps and batch validations
    /// (`ValidateDeploymentSpec`, `validateJobSpec`, `validateCronJobSpec` ...):
    /// `spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   backoffLimit: -1
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: migrate
    ///         image: ghcr.io/acme/migrate:3.1.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   backoffLimit: 0
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///       - name: migrate
    ///         image: ghcr.io/acme/migrate:3.1.0
    /// ```
    pub static NEGATIVE_VALUE = {
        id: "negative-value",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a count, limit or duration is negative",
        fields: [
            "DeploymentSpec.replicas", "DeploymentSpec.minReadySeconds", "DeploymentSpec.revisionHistoryLimit",
            "DeploymentSpec.progressDeadlineSeconds", "ReplicaSetSpec.replicas", "ReplicaSetSpec.minReadySeconds",
            "ReplicationControllerSpec.replicas", "ReplicationControllerSpec.minReadySeconds",
            "StatefulSetSpec.replicas", "StatefulSetSpec.minReadySeconds",
            "DaemonSetSpec.minReadySeconds", "DaemonSetSpec.revisionHistoryLimit", "JobSpec.parallelism",
            "JobSpec.completions", "JobSpec.activeDeadlineSeconds", "JobSpec.backoffLimit",
            "JobSpec.ttlSecondsAfterFinished", "JobSpec.backoffLimitPerIndex", "JobSpec.maxFailedIndexes",
            "CronJobSpec.startingDeadlineSeconds", "CronJobSpec.successfulJobsHistoryLimit",
            "CronJobSpec.failedJobsHistoryLimit",
        ],
        check: Document(check),
    };
}

const WORKLOAD: &[&str] = &["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"];
/// `ValidateStatefulSetSpec` leaves `revisionHistoryLimit` alone.
const STATEFUL_SET: &[&str] = &["replicas", "minReadySeconds"];
const JOB: &[&str] = &[
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "backoffLimit",
    "ttlSecondsAfterFinished",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
];
const CRONJOB: &[&str] = &["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"];

fn check(doc: &Document, cx: &mut Context<'_>) {
    let groups: &[(&[&str], &[&str])] = match doc.kind() {
        Some("Deployment" | "ReplicaSet" | "ReplicationController" | "DaemonSet") => &[(&["spec"], WORKLOAD)],
        Some("StatefulSet") => &[(&["spec"], STATEFUL_SET)],
        Some("Job") => &[(&["spec"], JOB)],
        Some("CronJob") => &[(&["spec"], CRONJOB), (&["spec", "jobTemplate", "spec"], JOB)],
        _ => return,
    };
    for (path, fields) in groups {
        let Some(spec) = doc.root.at(path) else { continue };
        for field in *fields {
            let Some(node) = spec.get(field) else { continue };
            let Some(n) = node.as_i64().filter(|n| *n < 0) else { continue };
            let dotted = format!("{}.{field}", path.join("."));
            let f = cx
                .finding(
                    &NEGATIVE_VALUE,
                    node.span,
                    field::invalid(&dotted, &n.to_string(), "must be greater than or equal to 0"),
                )
                .label("negative")
                .pointer(format!("{}/{}/{field}", doc.pointer_prefix, path.join("/")))
                .help(if *field == "backoffLimit" {
                    "use 0 for no retries".to_string()
                } else {
                    "use 0 or a positive number".to_string()
                });
            cx.report(f);
        }
    }
}
