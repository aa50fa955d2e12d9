//! Which enum fields the API server rejects unsupported values of.
//!
//! The data says which values a field has (`enum`), but not whether the API server
//! enforces them: its Go validation (`pkg/apis/*/validation`, "Unsupported value")
//! checks the fields below, and not, for example, most status fields. An empty
//! string is always accepted: the API server defaults it.

use Values::{Data, Server};

/// Where a validated field's allowed values come from.
#[derive(Clone, Copy, Debug)]
pub enum Values {
    /// The data's `enum`, in its order; these values where the data has none (fields
    /// through a pointer or of list items before 1.27 and 1.30, when kube-openapi
    /// started to give them their enum).
    Data(&'static [&'static str]),
    /// The validation's own list: the field's type is no `+enum` type, or the
    /// validation accepts fewer values than the type has (a StorageClass cannot
    /// `Recycle`).
    Server(&'static [&'static str]),
}

/// (definition name, field, allowed values). For a list field the values apply to
/// its items.
static ENUMS: &[(&str, &str, Values)] = &[
    ("ServiceSpec", "type", Data(&["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"])),
    ("ServiceSpec", "sessionAffinity", Data(&["ClientIP", "None"])),
    ("ServiceSpec", "externalTrafficPolicy", Data(&["Cluster", "Local"])),
    ("ServiceSpec", "internalTrafficPolicy", Data(&["Cluster", "Local"])),
    ("ServiceSpec", "ipFamilyPolicy", Data(&["PreferDualStack", "RequireDualStack", "SingleStack"])),
    ("ServiceSpec", "ipFamilies", Data(&["IPv4", "IPv6"])),
    ("ServicePort", "protocol", Data(&["SCTP", "TCP", "UDP"])),
    ("ContainerPort", "protocol", Data(&["SCTP", "TCP", "UDP"])),
    ("NetworkPolicyPort", "protocol", Data(&["SCTP", "TCP", "UDP"])),
    ("EndpointPort", "protocol", Data(&["SCTP", "TCP", "UDP"])),
    ("Container", "imagePullPolicy", Data(&["Always", "IfNotPresent", "Never"])),
    ("EphemeralContainer", "imagePullPolicy", Data(&["Always", "IfNotPresent", "Never"])),
    ("Container", "terminationMessagePolicy", Data(&["FallbackToLogsOnError", "File"])),
    ("PodSpec", "restartPolicy", Data(&["Always", "Never", "OnFailure"])),
    ("PodSpec", "dnsPolicy", Data(&["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"])),
    ("PodSpec", "preemptionPolicy", Data(&["Never", "PreemptLowerPriority"])),
    ("DeploymentStrategy", "type", Data(&["Recreate", "RollingUpdate"])),
    ("DaemonSetUpdateStrategy", "type", Data(&["OnDelete", "RollingUpdate"])),
    ("StatefulSetUpdateStrategy", "type", Data(&["OnDelete", "RollingUpdate"])),
    ("StatefulSetSpec", "podManagementPolicy", Data(&["OrderedReady", "Parallel"])),
    ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted", Server(&["Delete", "Retain"])),
    ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled", Server(&["Delete", "Retain"])),
    ("JobSpec", "completionMode", Data(&["Indexed", "NonIndexed"])),
    ("JobSpec", "podReplacementPolicy", Data(&["Failed", "TerminatingOrFailed"])),
    ("CronJobSpec", "concurrencyPolicy", Data(&["Allow", "Forbid", "Replace"])),
    (
        "PersistentVolumeClaimSpec",
        "accessModes",
        Data(&["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]),
    ),
    ("PersistentVolumeClaimSpec", "volumeMode", Data(&["Block", "Filesystem"])),
    (
        "PersistentVolumeSpec",
        "accessModes",
        Data(&["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]),
    ),
    ("PersistentVolumeSpec", "volumeMode", Data(&["Block", "Filesystem"])),
    ("PersistentVolumeSpec", "persistentVolumeReclaimPolicy", Data(&["Delete", "Recycle", "Retain"])),
    ("NodeSelectorRequirement", "operator", Data(&["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"])),
    ("LabelSelectorRequirement", "operator", Server(&["DoesNotExist", "Exists", "In", "NotIn"])),
    ("Toleration", "operator", Data(&["Equal", "Exists"])),
    ("Toleration", "effect", Data(&["NoExecute", "NoSchedule", "PreferNoSchedule"])),
    ("Taint", "effect", Data(&["NoExecute", "NoSchedule", "PreferNoSchedule"])),
    ("HTTPGetAction", "scheme", Data(&["HTTP", "HTTPS"])),
    ("SeccompProfile", "type", Data(&["Localhost", "RuntimeDefault", "Unconfined"])),
    ("AppArmorProfile", "type", Data(&["Localhost", "RuntimeDefault", "Unconfined"])),
    ("PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy", Data(&["AlwaysAllow", "IfHealthyBudget"])),
    ("HTTPIngressPath", "pathType", Data(&["Exact", "ImplementationSpecific", "Prefix"])),
    ("NetworkPolicySpec", "policyTypes", Data(&["Egress", "Ingress"])),
    ("TopologySpreadConstraint", "whenUnsatisfiable", Data(&["DoNotSchedule", "ScheduleAnyway"])),
    ("TopologySpreadConstraint", "nodeAffinityPolicy", Data(&["Honor", "Ignore"])),
    ("TopologySpreadConstraint", "nodeTaintsPolicy", Data(&["Honor", "Ignore"])),
    ("MetricSpec", "type", Server(&["ContainerResource", "External", "Object", "Pods", "Resource"])),
    ("MetricTarget", "type", Server(&["AverageValue", "Utilization", "Value"])),
    ("HPAScalingPolicy", "type", Server(&["Percent", "Pods"])),
    ("HPAScalingRules", "selectPolicy", Server(&["Disabled", "Max", "Min"])),
    ("StorageClass", "reclaimPolicy", Server(&["Delete", "Retain"])),
    ("StorageClass", "volumeBindingMode", Data(&["Immediate", "WaitForFirstConsumer"])),
    ("Subject", "kind", Server(&["Group", "ServiceAccount", "User"])),
];

/// The allowed values of a field of a definition (by its short name), when the API
/// server checks them.
pub fn validated(type_name: &str, field: &str) -> Option<Values> {
    ENUMS.iter().find(|(t, f, _)| *t == type_name && *f == field).map(|(_, _, v)| *v)
}
