//! Allowed values that the API server enforces but the OpenAPI data does not carry.
//!
//! The embedded schemas have no `enum` for built-in fields; the API server checks
//! these values in its Go validation ("Unsupported value"). This table mirrors
//! `pkg/apis/*/validation` for the fields people get wrong. An empty string is
//! always accepted: the API server defaults it.

/// (definition name, field, allowed values). For a list field the values apply to
/// its items.
static ENUMS: &[(&str, &str, &[&str])] = &[
    ("ServiceSpec", "type", &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]),
    ("ServiceSpec", "sessionAffinity", &["ClientIP", "None"]),
    ("ServiceSpec", "externalTrafficPolicy", &["Cluster", "Local"]),
    ("ServiceSpec", "internalTrafficPolicy", &["Cluster", "Local"]),
    ("ServiceSpec", "ipFamilyPolicy", &["PreferDualStack", "RequireDualStack", "SingleStack"]),
    ("ServiceSpec", "ipFamilies", &["IPv4", "IPv6"]),
    ("ServicePort", "protocol", &["SCTP", "TCP", "UDP"]),
    ("ContainerPort", "protocol", &["SCTP", "TCP", "UDP"]),
    ("NetworkPolicyPort", "protocol", &["SCTP", "TCP", "UDP"]),
    ("EndpointPort", "protocol", &["SCTP", "TCP", "UDP"]),
    ("Container", "imagePullPolicy", &["Always", "IfNotPresent", "Never"]),
    ("EphemeralContainer", "imagePullPolicy", &["Always", "IfNotPresent", "Never"]),
    ("Container", "terminationMessagePolicy", &["FallbackToLogsOnError", "File"]),
    ("PodSpec", "restartPolicy", &["Always", "Never", "OnFailure"]),
    ("PodSpec", "dnsPolicy", &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]),
    ("PodSpec", "preemptionPolicy", &["Never", "PreemptLowerPriority"]),
    ("DeploymentStrategy", "type", &["Recreate", "RollingUpdate"]),
    ("DaemonSetUpdateStrategy", "type", &["OnDelete", "RollingUpdate"]),
    ("StatefulSetUpdateStrategy", "type", &["OnDelete", "RollingUpdate"]),
    ("StatefulSetSpec", "podManagementPolicy", &["OrderedReady", "Parallel"]),
    ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted", &["Delete", "Retain"]),
    ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled", &["Delete", "Retain"]),
    ("JobSpec", "completionMode", &["Indexed", "NonIndexed"]),
    ("JobSpec", "podReplacementPolicy", &["Failed", "TerminatingOrFailed"]),
    ("CronJobSpec", "concurrencyPolicy", &["Allow", "Forbid", "Replace"]),
    (
        "PersistentVolumeClaimSpec",
        "accessModes",
        &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"],
    ),
    ("PersistentVolumeClaimSpec", "volumeMode", &["Block", "Filesystem"]),
    ("PersistentVolumeSpec", "accessModes", &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]),
    ("PersistentVolumeSpec", "volumeMode", &["Block", "Filesystem"]),
    ("PersistentVolumeSpec", "persistentVolumeReclaimPolicy", &["Delete", "Recycle", "Retain"]),
    ("NodeSelectorRequirement", "operator", &["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"]),
    ("LabelSelectorRequirement", "operator", &["DoesNotExist", "Exists", "In", "NotIn"]),
    ("Toleration", "operator", &["Equal", "Exists"]),
    ("Toleration", "effect", &["NoExecute", "NoSchedule", "PreferNoSchedule"]),
    ("Taint", "effect", &["NoExecute", "NoSchedule", "PreferNoSchedule"]),
    ("HTTPGetAction", "scheme", &["HTTP", "HTTPS"]),
    ("SeccompProfile", "type", &["Localhost", "RuntimeDefault", "Unconfined"]),
    ("AppArmorProfile", "type", &["Localhost", "RuntimeDefault", "Unconfined"]),
    ("PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy", &["AlwaysAllow", "IfHealthyBudget"]),
    ("HTTPIngressPath", "pathType", &["Exact", "ImplementationSpecific", "Prefix"]),
    ("NetworkPolicySpec", "policyTypes", &["Egress", "Ingress"]),
    ("TopologySpreadConstraint", "whenUnsatisfiable", &["DoNotSchedule", "ScheduleAnyway"]),
    ("TopologySpreadConstraint", "nodeAffinityPolicy", &["Honor", "Ignore"]),
    ("TopologySpreadConstraint", "nodeTaintsPolicy", &["Honor", "Ignore"]),
    ("MetricSpec", "type", &["ContainerResource", "External", "Object", "Pods", "Resource"]),
    ("MetricTarget", "type", &["AverageValue", "Utilization", "Value"]),
    ("HPAScalingPolicy", "type", &["Percent", "Pods"]),
    ("HPAScalingRules", "selectPolicy", &["Disabled", "Max", "Min"]),
    ("StorageClass", "reclaimPolicy", &["Delete", "Retain"]),
    ("StorageClass", "volumeBindingMode", &["Immediate", "WaitForFirstConsumer"]),
    ("Subject", "kind", &["Group", "ServiceAccount", "User"]),
];

/// The allowed values of a field of a definition (by its short name).
pub fn allowed(type_name: &str, field: &str) -> Option<&'static [&'static str]> {
    ENUMS.iter().find(|(t, f, _)| *t == type_name && *f == field).map(|(_, _, v)| *v)
}
