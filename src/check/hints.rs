//! Explanations for fields people put in the wrong place.

/// A tailored explanation for an unknown field.
pub struct Misplaced {
    pub message: &'static str,
    pub note: &'static str,
    pub help: &'static str,
}

impl Misplaced {
    /// The help is to remove the field: nothing else can hold its meaning.
    pub fn removes(&self) -> bool {
        self.help.starts_with("remove `")
    }
}

/// Fields that belong to another kind, by (schema type, field).
pub fn misplaced(type_name: &str, field: &str) -> Option<Misplaced> {
    Some(match (type_name, field) {
        ("DaemonSetSpec", "replicas") => Misplaced {
            message: "a DaemonSet has no `spec.replicas`",
            note: "a DaemonSet runs one Pod on each eligible node, so it has no replica count",
            help: "remove `replicas`; to choose the nodes, use `spec.template.spec.nodeSelector` or node affinity",
        },
        ("DaemonSetSpec" | "StatefulSetSpec", "strategy") => Misplaced {
            message: "unknown field `strategy`",
            note: "`strategy` is a Deployment field",
            help: "DaemonSets and StatefulSets use `updateStrategy`",
        },
        ("DeploymentSpec", "updateStrategy") => Misplaced {
            message: "unknown field `updateStrategy`",
            note: "`updateStrategy` is a DaemonSet and StatefulSet field",
            help: "Deployments use `strategy`",
        },
        ("PodSpec", "replicas") => Misplaced {
            message: "a Pod template has no `replicas`",
            note: "the replica count belongs to the workload, not to its Pod template",
            help: "move `replicas` to the workload's `spec`",
        },
        _ => return None,
    })
}

/// Common names for fields that are called something else in Kubernetes.
pub fn alias(field: &str) -> Option<&'static str> {
    Some(match field {
        "cmd" | "entrypoint" => "command",
        "arguments" => "args",
        "environment" | "envVars" => "env",
        "port" => "ports",
        "volume" => "volumes",
        "volumeMount" | "mounts" => "volumeMounts",
        "label" => "labels",
        "annotation" => "annotations",
        "container" => "containers",
        _ => return None,
    })
}
