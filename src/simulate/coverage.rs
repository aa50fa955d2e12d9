//! What the simulation does not model, said out loud: every field of the input that
//! can change which Pods exist, where they run, their phase or their timing is
//! either read by a controller, the scheduler or the kubelet of the simulation, or
//! listed in the output as "not modelled" (and `--strict` makes that an error).
//!
//! The tables below classify each field of the Pod spec, the container and the
//! workload specs. A unit test walks the embedded schemas and fails on a field no
//! table mentions, so a field added to Kubernetes cannot be dropped silently; at
//! run time a field no table knows (a newer version's) is reported too.

use super::object::Object;
use crate::yaml::{Node, Value};

/// How the simulation treats a field (and everything under it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Read and acted on.
    Modelled,
    /// Cannot change which Pods exist, where they run, their phase or timing.
    Inert,
    /// Could change the result, and the simulation ignores it: reported.
    Unmodelled,
    /// Modelled only with this value (the default); any other value is reported.
    OnlyValue(&'static str),
    /// A Pod template (`metadata` and a Pod spec).
    Template,
    /// A Pod spec.
    PodSpec,
    /// A container of `containers`.
    Container,
    /// A container of `initContainers`: a container that may be a sidecar.
    InitContainer,
    /// A Job spec (of a Job or a CronJob's `jobTemplate`).
    JobSpec,
}

use Class::*;

/// Fields, as dotted paths from the table's root (list items take their list's
/// path); `a.*` stands for the fields of `a` no other entry names.
type Table = &'static [(&'static str, Class)];

const TEMPLATE: Table = &[
    ("metadata.labels", Modelled),
    ("metadata.annotations", Modelled),
    // A template's own name, namespace, finalizers and the like are not used by the controllers.
    ("metadata.*", Inert),
    ("spec", PodSpec),
];

/// `PodSpec` (core/v1).
const POD_SPEC: Table = &[
    ("containers", Container),
    // Run one after another before the app containers (sidecars: until started).
    ("initContainers", InitContainer),
    // Ephemeral containers cannot be set when a Pod is created.
    ("ephemeralContainers", Inert),
    ("restartPolicy", Modelled),
    ("nodeSelector", Modelled),
    ("nodeName", Modelled),
    ("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", Modelled),
    ("affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution", Modelled),
    ("affinity.podAffinity", Modelled),
    ("affinity.podAntiAffinity", Modelled),
    ("tolerations", Modelled),
    ("topologySpreadConstraints", Modelled),
    ("hostNetwork", Modelled),
    ("hostname", Modelled),
    ("subdomain", Modelled),
    ("schedulerName", OnlyValue("default-scheduler")),
    ("priority", Modelled),
    ("priorityClassName", Modelled),
    ("preemptionPolicy", Modelled),
    ("readinessGates", Unmodelled),
    ("schedulingGates", Unmodelled),
    ("runtimeClassName", Unmodelled),
    ("overhead", Unmodelled),
    ("resourceClaims", Unmodelled),
    ("resources", Unmodelled),
    ("schedulingGroup", Unmodelled),
    ("evictionResponders", Unmodelled),
    ("activeDeadlineSeconds", Unmodelled),
    // Bounds the graceful termination of a deleted Pod (kubelet.rs `termination`).
    ("terminationGracePeriodSeconds", Modelled),
    ("volumes.persistentVolumeClaim", Modelled),
    ("volumes.ephemeral", Modelled),
    // Other volume sources are mounted without delay (a missing ConfigMap or Secret
    // is `kval lint`'s dangling-reference rules' business).
    ("volumes.*", Inert),
    // The same goes for a missing ServiceAccount (lint's missing-service-account).
    ("serviceAccountName", Inert),
    ("serviceAccount", Inert),
    ("automountServiceAccountToken", Inert),
    ("dnsPolicy", Inert),
    ("dnsConfig", Inert),
    ("hostAliases", Inert),
    ("hostIPC", Inert),
    ("hostPID", Inert),
    ("hostUsers", Inert),
    ("hostnameOverride", Inert),
    ("imagePullSecrets", Inert),
    ("enableServiceLinks", Inert),
    ("os", Inert),
    ("securityContext", Inert),
    ("setHostnameAsFQDN", Inert),
    ("shareProcessNamespace", Inert),
];

/// `Container` (core/v1).
const CONTAINER: Table = &[
    ("name", Modelled),
    ("image", Modelled),
    ("command", Modelled),
    ("args", Modelled),
    ("resources.requests", Modelled),
    ("resources.limits", Modelled),
    ("resources.claims", Unmodelled),
    ("readinessProbe.initialDelaySeconds", Modelled),
    ("readinessProbe.periodSeconds", Modelled),
    ("readinessProbe.successThreshold", Modelled),
    // Probes are taken to succeed, except that an httpGet or tcpSocket port name the
    // container does not define makes every probe error (prober.rs): how they probe
    // does not matter otherwise.
    ("readinessProbe.*", Inert),
    // An erroring liveness probe only adds its event (errors never count as failures).
    ("livenessProbe", Inert),
    // Liveness and readiness wait for it; it succeeds at its first tick, so its
    // failureThreshold is never reached.
    ("startupProbe.initialDelaySeconds", Modelled),
    ("startupProbe.periodSeconds", Modelled),
    ("startupProbe.*", Inert),
    // On an app container (ContainerRestartRules, alpha); an init container's
    // `Always` (a sidecar) is modelled, see SIDECAR.
    ("restartPolicy", Unmodelled),
    ("restartPolicyRules", Unmodelled),
    // Run before the next container starts; failing hooks known offline (hooks.rs).
    ("lifecycle.postStart", Modelled),
    ("lifecycle.preStop", Modelled),
    ("lifecycle.*", Inert),
    ("ports.hostPort", Modelled),
    ("ports.*", Inert),
    ("imagePullPolicy", Modelled),
    ("env", Inert),
    ("envFrom", Inert),
    ("workingDir", Inert),
    ("volumeMounts", Inert),
    ("volumeDevices", Inert),
    ("resizePolicy", Inert),
    ("securityContext", Inert),
    ("stdin", Inert),
    ("stdinOnce", Inert),
    ("tty", Inert),
    ("terminationMessagePath", Inert),
    ("terminationMessagePolicy", Inert),
];

/// What an init container adds to [`CONTAINER`]: `restartPolicy: Always` makes it a sidecar.
const SIDECAR: Table = &[("restartPolicy", OnlyValue("Always"))];

const JOB_SPEC: Table = &[
    ("completions", Modelled),
    ("parallelism", Modelled),
    ("completionMode", Modelled),
    ("backoffLimit", Modelled),
    ("activeDeadlineSeconds", Modelled),
    ("ttlSecondsAfterFinished", Modelled),
    ("suspend", Modelled),
    ("template", Template),
    ("backoffLimitPerIndex", Modelled),
    ("maxFailedIndexes", Modelled),
    ("podFailurePolicy", Modelled),
    ("successPolicy", Modelled),
    // Another controller runs the Job.
    ("managedBy", Unmodelled),
    // Gang scheduling of the Job's Pods.
    ("scheduling", Unmodelled),
    // `Failed` (the default with a podFailurePolicy) waits for a Terminating Pod to
    // be gone before replacing it (job.rs).
    ("podReplacementPolicy", Modelled),
    ("selector", Inert),
    ("manualSelector", Inert),
];

/// `PersistentVolumeClaimSpec` (core/v1): what the PV controller binds by.
const CLAIM_SPEC: Table = &[
    ("accessModes", Modelled),
    ("resources.requests", Modelled),
    ("resources.limits", Inert),
    ("selector", Modelled),
    ("storageClassName", Modelled),
    ("volumeName", Modelled),
    ("volumeMode", Modelled),
    // Provisioning from a snapshot or another claim (it may fail).
    ("dataSource", Unmodelled),
    ("dataSourceRef", Unmodelled),
    ("volumeAttributesClassName", Unmodelled),
];

/// The spec table of each simulated kind.
fn spec_table(kind: &str) -> Option<Table> {
    Some(match kind {
        "Pod" => POD_SPEC,
        "Deployment" => &[
            ("replicas", Modelled),
            ("template", Template),
            ("strategy", Modelled),
            ("minReadySeconds", Modelled),
            ("revisionHistoryLimit", Modelled),
            ("progressDeadlineSeconds", Modelled),
            ("paused", Modelled),
            ("selector", Inert),
        ],
        "ReplicaSet" | "ReplicationController" => {
            &[("replicas", Modelled), ("template", Template), ("minReadySeconds", Modelled), ("selector", Inert)]
        }
        "StatefulSet" => &[
            ("replicas", Modelled),
            ("template", Template),
            ("serviceName", Modelled),
            ("podManagementPolicy", Modelled),
            ("volumeClaimTemplates", Modelled),
            ("minReadySeconds", Modelled),
            ("ordinals", Modelled),
            ("selector", Inert),
            // Updates and deletion of a StatefulSet are not simulated.
            ("updateStrategy", Inert),
            ("revisionHistoryLimit", Inert),
            ("persistentVolumeClaimRetentionPolicy", Inert),
        ],
        "DaemonSet" => &[
            ("template", Template),
            ("selector", Inert),
            // Updates of a DaemonSet are not simulated, and they are all these govern.
            ("updateStrategy", Inert),
            ("minReadySeconds", Inert),
            ("revisionHistoryLimit", Inert),
        ],
        "Job" => JOB_SPEC,
        "PersistentVolumeClaim" => CLAIM_SPEC,
        "CronJob" => &[
            ("schedule", Modelled),
            ("timeZone", Modelled),
            ("concurrencyPolicy", Modelled),
            ("suspend", Modelled),
            ("successfulJobsHistoryLimit", Modelled),
            ("failedJobsHistoryLimit", Modelled),
            ("jobTemplate.metadata", Inert),
            ("jobTemplate.spec", JobSpec),
            ("startingDeadlineSeconds", Modelled),
        ],
        _ => return None,
    })
}

/// Kinds that change Pods in a real cluster and that the simulation does not read.
/// (HorizontalPodAutoscalers: see controllers/hpa.rs.)
const UNMODELLED_KINDS: &[&str] = &["RuntimeClass", "VerticalPodAutoscaler"];

/// A field (or object) of the input that the simulation does not model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmodelled {
    /// `Deployment default/web`.
    pub object: String,
    /// `spec.template.spec.affinity.podAntiAffinity`; empty for a whole object.
    pub field: String,
    /// `file:line`.
    pub origin: String,
}

impl Unmodelled {
    /// `FIELD at file:line (OBJECT)`, or `OBJECT at file:line` for a whole object.
    pub fn describe(&self) -> String {
        if self.field.is_empty() {
            format!("{} at {}", self.object, self.origin)
        } else {
            format!("{} at {} ({})", self.field, self.origin, self.object)
        }
    }

    /// `not modelled: FIELD at file:line (OBJECT); the result may differ`.
    pub fn message(&self) -> String {
        format!("not modelled: {}; the result may differ", self.describe())
    }
}

/// What the simulation leaves out of the given objects, in input order.
pub fn unmodelled(objects: &[Object]) -> Vec<Unmodelled> {
    let mut out = Vec::new();
    for object in objects {
        if UNMODELLED_KINDS.contains(&object.kind.as_str()) {
            out.push(Unmodelled { object: object.display(), field: String::new(), origin: object.origin.clone() });
        } else if let Some(hpa) = super::controllers::hpa::unmodelled(object) {
            out.push(hpa);
        } else if let Some(fields) = admission_unmodelled(object) {
            out.extend(fields);
        } else if let (Some(table), Some(spec)) = (spec_table(&object.kind), object.spec()) {
            let mut walk = Walk { object, out: &mut out };
            walk.mapping(spec, (table, &[]), "", "spec");
        }
    }
    out
}

/// What admission.rs leaves out of LimitRanges and ResourceQuotas: quota scopes
/// (a scoped quota is not applied) and LimitRange items of other types than
/// `Container` and `Pod` (`PersistentVolumeClaim`).
fn admission_unmodelled(object: &Object) -> Option<Vec<Unmodelled>> {
    let spec = object.spec();
    let note = |path: String, node: &Node| Unmodelled {
        object: object.display(),
        field: path,
        origin: object.origin_at(object.line(node.span.start)),
    };
    match object.kind.as_str() {
        "ResourceQuota" => {
            let entries = spec.map(Node::entries).unwrap_or_default();
            let scoped = entries.iter().filter(|e| matches!(e.key.name.as_str(), "scopes" | "scopeSelector"));
            Some(scoped.map(|e| note(format!("spec.{}", e.key.name), &e.value)).collect())
        }
        "LimitRange" => {
            let items = spec.and_then(|s| s.get("limits")).map(Node::items).unwrap_or_default();
            let other = items.iter().enumerate().filter_map(|(i, item)| {
                let kind = item.get("type")?;
                (!matches!(kind.as_str(), Some("Container" | "Pod")))
                    .then(|| note(format!("spec.limits[{i}].type"), kind))
            });
            Some(other.collect())
        }
        _ => None,
    }
}

struct Walk<'a> {
    object: &'a Object,
    out: &'a mut Vec<Unmodelled>,
}

impl Walk<'_> {
    /// Classifies the fields of `node`, a mapping at `relative` in `table` (its
    /// entries first of the pair's second table, then of its first) and at `path` in
    /// the object.
    fn mapping(&mut self, node: &Node, tables: (Table, Table), relative: &str, path: &str) {
        let (table, overrides) = tables;
        let Value::Map(entries) = &node.value else { return };
        for entry in entries {
            let key = entry.key.name.as_str();
            let relative = if relative.is_empty() { key.to_string() } else { format!("{relative}.{key}") };
            let path = format!("{path}.{key}");
            let line = self.object.line(entry.key.span.start);
            match classify(overrides, &relative).or_else(|| classify(table, &relative)) {
                Some(class) => self.value(&entry.value, class, &path, line),
                None if has_children(table, &relative) => {
                    self.each_item(&entry.value, &path, |walk, item, path| walk.mapping(item, tables, &relative, path));
                }
                // A field no table knows (a newer Kubernetes version's, or a custom one).
                None => self.note(&path, line),
            }
        }
    }

    fn value(&mut self, node: &Node, class: Class, path: &str, line: usize) {
        match class {
            Modelled | Inert => {}
            Unmodelled => self.note(path, line),
            OnlyValue(value) => {
                if node.as_str() != Some(value) {
                    self.note(path, line);
                }
            }
            Template => self.mapping(node, (TEMPLATE, &[]), "", path),
            PodSpec => self.mapping(node, (POD_SPEC, &[]), "", path),
            JobSpec => self.mapping(node, (JOB_SPEC, &[]), "", path),
            Container => self.each_item(node, path, |walk, item, path| walk.mapping(item, (CONTAINER, &[]), "", path)),
            InitContainer => {
                self.each_item(node, path, |walk, item, path| walk.mapping(item, (CONTAINER, SIDECAR), "", path));
            }
        }
    }

    /// Calls `f` on a mapping, or on each item of a list (`path[i]`).
    fn each_item(&mut self, node: &Node, path: &str, mut f: impl FnMut(&mut Self, &Node, &str)) {
        match &node.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    f(self, item, &format!("{path}[{i}]"));
                }
            }
            _ => f(self, node, path),
        }
    }

    fn note(&mut self, field: &str, line: usize) {
        let origin = self.object.origin_at(line);
        self.out.push(Unmodelled { object: self.object.display(), field: field.to_string(), origin });
    }
}

fn classify(table: Table, relative: &str) -> Option<Class> {
    if let Some((_, class)) = table.iter().find(|(path, _)| *path == relative) {
        return Some(*class);
    }
    if has_children(table, relative) {
        return None;
    }
    let parent = relative.rsplit_once('.').map_or("", |(parent, _)| parent);
    table.iter().find(|(path, _)| path.strip_suffix(".*") == Some(parent)).map(|(_, class)| *class)
}

/// Whether the table classifies fields under `relative` (and not `relative` as a whole).
fn has_children(table: Table, relative: &str) -> bool {
    table.iter().any(|(path, _)| path.strip_prefix(relative).is_some_and(|rest| rest.starts_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Catalog, KubeVersion, Schema};

    /// Every field of the schema is classified: a field Kubernetes adds must be
    /// modelled or put on the list, never ignored without a word.
    fn assert_classified(catalog: &Catalog, schema: &Schema, table: Table, relative: &str, missing: &mut Vec<String>) {
        let schema = match &schema.items {
            Some(items) => catalog.resolve(items),
            None => schema,
        };
        for property in &schema.properties {
            let name = &property.name;
            let relative = if relative.is_empty() { name.clone() } else { format!("{relative}.{name}") };
            if classify(table, &relative).is_some() {
                continue;
            }
            if has_children(table, &relative) {
                let child = catalog.resolve(&property.schema);
                assert_classified(catalog, child, table, &relative, missing);
            } else {
                missing.push(relative);
            }
        }
    }

    #[test]
    fn every_field_of_the_schemas_is_classified() {
        let catalog = Catalog::get(KubeVersion::newest());
        let definitions: [(&str, Table); 10] = [
            ("io.k8s.api.core.v1.PersistentVolumeClaimSpec", CLAIM_SPEC),
            ("io.k8s.api.core.v1.PodSpec", POD_SPEC),
            ("io.k8s.api.core.v1.Container", CONTAINER),
            ("io.k8s.api.core.v1.PodTemplateSpec", TEMPLATE),
            ("io.k8s.api.batch.v1.JobSpec", JOB_SPEC),
            ("io.k8s.api.apps.v1.DeploymentSpec", spec_table("Deployment").unwrap_or_default()),
            ("io.k8s.api.apps.v1.ReplicaSetSpec", spec_table("ReplicaSet").unwrap_or_default()),
            ("io.k8s.api.apps.v1.StatefulSetSpec", spec_table("StatefulSet").unwrap_or_default()),
            ("io.k8s.api.apps.v1.DaemonSetSpec", spec_table("DaemonSet").unwrap_or_default()),
            ("io.k8s.api.batch.v1.CronJobSpec", spec_table("CronJob").unwrap_or_default()),
        ];
        let mut missing = Vec::new();
        for (name, table) in definitions {
            let id = catalog.def_id(name).unwrap_or_else(|| panic!("{name} is not in the catalog"));
            let mut fields = Vec::new();
            assert_classified(catalog, catalog.schema(id), table, "", &mut fields);
            missing.extend(fields.into_iter().map(|f| format!("{name}: {f}")));
        }
        let rc = catalog.def_id("io.k8s.api.core.v1.ReplicationControllerSpec").map(|id| catalog.schema(id));
        if let Some(rc) = rc {
            assert_classified(catalog, rc, spec_table("ReplicationController").unwrap_or_default(), "", &mut missing);
        }
        assert!(missing.is_empty(), "fields neither modelled nor listed in coverage.rs: {missing:#?}");
    }

    #[test]
    fn classification() {
        assert_eq!(classify(POD_SPEC, "affinity.podAntiAffinity"), Some(Modelled));
        assert_eq!(classify(POD_SPEC, "affinity"), None);
        assert!(has_children(POD_SPEC, "affinity"));
        assert_eq!(classify(POD_SPEC, "volumes.configMap"), Some(Inert));
        assert_eq!(classify(POD_SPEC, "volumes.persistentVolumeClaim"), Some(Modelled));
        assert_eq!(classify(POD_SPEC, "noSuchField"), None);
        assert!(!has_children(POD_SPEC, "noSuchField"));
    }
}
