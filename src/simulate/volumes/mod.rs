//! Storage: StorageClasses, PersistentVolumes and PersistentVolumeClaims, and
//! which volume can bind which claim, as the PV controller
//! (pkg/controller/volume/persistentvolume) and the scheduler's VolumeBinding
//! plugin decide it. The PV controller's work is in [`controller`]; the
//! scheduler's filter in `scheduler/volumes.rs`.
//!
//! The simulated cluster has the StorageClasses and PersistentVolumes of the input
//! (and of `--cluster`), and no others: no default StorageClass unless one is given
//! (or `--default-storage-class`). Every provisioner but
//! `kubernetes.io/no-provisioner` is taken to be running, and provisions at once.

pub mod controller;

use super::labels::{Labels, NodeSelectorTerm, Selector, scalar, string_map, strings};
use super::object::Object;
use super::world::{Millis, Owner};
use crate::kube::quantity;
use crate::yaml::Node;

/// The annotation that makes a StorageClass the default (`storageutil.IsDefaultAnnotation`).
pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";
/// The provisioner of classes without dynamic provisioning (`volume.NotSupportedProvisioner`).
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// `allowedTopologies`: terms of `matchLabelExpressions` (key, values), any term
/// of which must match (`MatchTopologySelectorTerms`).
pub type Topology = Vec<Vec<(String, Vec<String>)>>;

#[derive(Clone, Debug)]
pub struct StorageClass {
    pub name: String,
    pub provisioner: String,
    /// `volumeBindingMode: WaitForFirstConsumer` (the default is Immediate).
    pub wait_for_consumer: bool,
    pub is_default: bool,
    pub allowed_topologies: Topology,
}

impl StorageClass {
    fn from_object(o: &Object) -> StorageClass {
        let text = |k| o.root.get(k).and_then(Node::as_str).unwrap_or("").to_string();
        let annotations = string_map(o.root.at(&["metadata", "annotations"]));
        let topologies = o.root.get("allowedTopologies").map(Node::items).unwrap_or_default();
        StorageClass {
            name: o.name.clone(),
            provisioner: text("provisioner"),
            wait_for_consumer: text("volumeBindingMode") == "WaitForFirstConsumer",
            is_default: annotations.get(DEFAULT_CLASS_ANNOTATION).map(String::as_str) == Some("true"),
            allowed_topologies: topologies
                .iter()
                .map(|t| {
                    let expressions = t.get("matchLabelExpressions").map(Node::items).unwrap_or_default();
                    expressions
                        .iter()
                        .map(|e| (e.get("key").and_then(scalar).unwrap_or_default(), strings(e.get("values"))))
                        .collect()
                })
                .collect(),
        }
    }

    /// Whether the class can provision a volume for a Pod on a node with these
    /// labels (`checkVolumeProvisions`: a provisioner, and the node in
    /// `allowedTopologies`).
    pub fn provisions_on(&self, labels: &Labels) -> bool {
        self.dynamic()
            && (self.allowed_topologies.is_empty()
                || self
                    .allowed_topologies
                    .iter()
                    .any(|term| term.iter().all(|(key, values)| labels.get(key).is_some_and(|v| values.contains(v)))))
    }

    pub fn dynamic(&self) -> bool {
        !self.provisioner.is_empty() && self.provisioner != NO_PROVISIONER
    }

    /// `standard (default, rancher.io/local-path, WaitForFirstConsumer)`.
    pub fn describe(&self) -> String {
        let mode = if self.wait_for_consumer { "WaitForFirstConsumer" } else { "Immediate" };
        let default = if self.is_default { "default, " } else { "" };
        format!("{} ({default}{}, {mode})", self.name, self.provisioner)
    }
}

/// What a claim asks for: the spec of a PersistentVolumeClaim, of a StatefulSet's
/// `volumeClaimTemplates` item or of an ephemeral volume's `volumeClaimTemplate`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimSpec {
    /// `resources.requests.storage` as written, and in bytes.
    pub request: Option<String>,
    pub request_bytes: u64,
    pub access_modes: Vec<String>,
    /// `storageClassName`: `None` when unset (the default class's, if any), `""`
    /// for no class.
    pub storage_class: Option<String>,
    pub selector: Option<Selector>,
    pub volume_name: Option<String>,
    pub block: bool,
}

impl ClaimSpec {
    pub fn from_node(spec: Option<&Node>) -> ClaimSpec {
        let request = spec.and_then(|s| s.at(&["resources", "requests", "storage"])).and_then(scalar);
        let text = |k| spec.and_then(|s| s.get(k)).and_then(Node::as_str).map(str::to_string);
        ClaimSpec {
            request_bytes: request.as_deref().map_or(0, bytes),
            request,
            access_modes: strings(spec.and_then(|s| s.get("accessModes"))),
            storage_class: text("storageClassName"),
            selector: spec.and_then(|s| s.get("selector")).map(|s| Selector::from_node(Some(s))),
            volume_name: text("volumeName").filter(|n| !n.is_empty()),
            block: text("volumeMode").as_deref() == Some("Block"),
        }
    }

    /// `GetPersistentVolumeClaimClass`: the class name, `""` for none.
    pub fn class(&self) -> &str {
        self.storage_class.as_deref().unwrap_or("")
    }
}

/// A quantity in bytes (rounded up), 0 when it does not parse (validation says why).
fn bytes(text: &str) -> u64 {
    quantity::parse(text).map_or(0, |q| q.max(0.0).ceil() as u64)
}

/// A PersistentVolumeClaim: given, or made by a StatefulSet or for an ephemeral volume.
#[derive(Clone, Debug)]
pub struct Claim {
    pub name: String,
    pub namespace: String,
    pub spec: ClaimSpec,
    /// The StatefulSet or Pod that made it.
    pub owner: Option<Owner>,
    /// The Pod it was made for (a StatefulSet's, or the ephemeral volume's).
    pub pod: Option<String>,
    pub created: Millis,
    /// The PersistentVolume it is bound to, and since when.
    pub volume: Option<usize>,
    pub bound_at: Option<Millis>,
    /// Deleted with its Pod (an ephemeral volume's claim).
    pub deleted: Option<Millis>,
    /// The node the scheduler chose for its first Pod (`volume.kubernetes.io/selected-node`).
    pub selected_node: Option<usize>,
    /// The message of the PV controller's last event about it while it is Pending.
    pub waiting: Option<String>,
}

impl Claim {
    pub fn new(name: String, namespace: String, spec: ClaimSpec, created: Millis) -> Claim {
        Claim {
            name,
            namespace,
            spec,
            owner: None,
            pod: None,
            created,
            volume: None,
            bound_at: None,
            deleted: None,
            selected_node: None,
            waiting: None,
        }
    }

    pub fn from_object(o: &Object) -> Claim {
        Claim::new(o.name.clone(), o.namespace.clone(), ClaimSpec::from_node(o.spec()), 0)
    }

    /// The STATUS column of `kubectl get pvc`.
    pub fn status(&self) -> &'static str {
        if self.volume.is_some() { "Bound" } else { "Pending" }
    }

    pub fn object(&self) -> String {
        format!("persistentvolumeclaim/{}", self.name)
    }

    /// Made for this Pod's ephemeral volume (`ephemeral.VolumeIsForPod`).
    pub fn owned_by(&self, pod: &super::world::Pod) -> bool {
        self.namespace == pod.namespace && self.owner.as_ref().is_some_and(|o| o.kind == "Pod" && o.name == pod.name)
    }
}

/// A PersistentVolume: given (static), or provisioned for a claim.
#[derive(Clone, Debug)]
pub struct Volume {
    pub name: String,
    /// `spec.capacity.storage` as written, and in bytes.
    pub capacity: String,
    pub capacity_bytes: u64,
    pub access_modes: Vec<String>,
    /// `storageClassName`, `""` for none.
    pub class: String,
    pub labels: Labels,
    pub block: bool,
    /// `spec.claimRef` (namespace, name): the claim it is reserved for.
    pub claim_ref: Option<(String, String)>,
    /// Required node affinity (`spec.nodeAffinity.required`).
    pub node_affinity: Option<Vec<NodeSelectorTerm>>,
    /// The claim bound to it.
    pub claim: Option<usize>,
    pub provisioned: bool,
    /// Its claim was deleted: a provisioned volume is deleted with it (reclaim
    /// policy Delete), a static one is Released and binds no other claim.
    pub released: bool,
}

impl Volume {
    fn from_object(o: &Object) -> Volume {
        let spec = o.spec();
        let text = |k| spec.and_then(|s| s.get(k)).and_then(Node::as_str).unwrap_or("").to_string();
        let capacity = spec.and_then(|s| s.at(&["capacity", "storage"])).and_then(scalar).unwrap_or_default();
        let claim_ref = spec.and_then(|s| s.get("claimRef")).map(|r| {
            let field = |k| r.get(k).and_then(Node::as_str).unwrap_or("").to_string();
            let namespace = field("namespace");
            (if namespace.is_empty() { "default".into() } else { namespace }, field("name"))
        });
        Volume {
            name: o.name.clone(),
            capacity_bytes: bytes(&capacity),
            capacity,
            access_modes: strings(spec.and_then(|s| s.get("accessModes"))),
            class: text("storageClassName"),
            labels: string_map(o.root.at(&["metadata", "labels"])),
            block: text("volumeMode") == "Block",
            claim_ref,
            node_affinity: spec
                .and_then(|s| s.at(&["nodeAffinity", "required", "nodeSelectorTerms"]))
                .map(|terms| terms.items().iter().map(NodeSelectorTerm::from_node).collect()),
            claim: None,
            provisioned: false,
            released: false,
        }
    }

    /// `IsVolumeBoundToClaim`: its `claimRef` names the claim.
    fn reserved_for(&self, claim: &Claim) -> bool {
        self.claim_ref.as_ref().is_some_and(|(ns, name)| *ns == claim.namespace && *name == claim.name)
    }

    /// `CheckNodeAffinity`: the node meets the volume's required node affinity.
    pub fn fits_node(&self, node: &str, labels: &Labels) -> bool {
        self.node_affinity.as_ref().is_none_or(|terms| super::labels::terms_match(terms, node, labels))
    }

    /// `kubectl get pv`'s STATUS.
    pub fn status(&self) -> &'static str {
        match (self.claim, self.released) {
            (Some(_), _) => "Bound",
            (None, true) => "Released",
            (None, false) => "Available",
        }
    }
}

/// `CheckAccessModes`: the volume offers every mode the claim asks for.
fn offers_modes(volume: &Volume, claim: &ClaimSpec) -> bool {
    claim.access_modes.iter().all(|m| volume.access_modes.contains(m))
}

/// `checkVolumeSatisfyClaim`: why a volume a claim names (`volumeName`) cannot bind it.
pub fn mismatch(volume: &Volume, claim: &ClaimSpec) -> Option<&'static str> {
    if volume.capacity_bytes < claim.request_bytes {
        Some("requested PV is too small")
    } else if volume.class != claim.class() {
        Some("storageClassName does not match")
    } else if volume.block != claim.block {
        Some("incompatible volumeMode")
    } else if !offers_modes(volume, claim) {
        Some("incompatible accessMode")
    } else {
        None
    }
}

/// The StorageClasses and PersistentVolumes of the cluster.
#[derive(Clone, Debug, Default)]
pub struct Storage {
    pub classes: Vec<StorageClass>,
    pub volumes: Vec<Volume>,
}

impl Storage {
    pub fn from_objects(objects: &[&Object]) -> Storage {
        Storage {
            classes: objects
                .iter()
                .filter(|o| o.kind == "StorageClass")
                .map(|o| StorageClass::from_object(o))
                .collect(),
            volumes: objects.iter().filter(|o| o.kind == "PersistentVolume").map(|o| Volume::from_object(o)).collect(),
        }
    }

    pub fn class(&self, name: &str) -> Option<&StorageClass> {
        self.classes.iter().find(|c| c.name == name)
    }

    /// The default StorageClass; of several, the last given (the API server's
    /// DefaultStorageClass admission takes the newest).
    pub fn default_class(&self) -> Option<&StorageClass> {
        self.classes.iter().rev().find(|c| c.is_default)
    }

    /// `IsDelayBindingMode`: the claim's class exists and waits for the first consumer.
    pub fn delays_binding(&self, claim: &ClaimSpec) -> bool {
        self.class(claim.class()).is_some_and(|c| c.wait_for_consumer)
    }

    /// `FindMatchingVolume`: a volume reserved for the claim (`claimRef`), else the
    /// smallest Available volume of the claim's class that is large enough, offers
    /// its access modes and volume mode and matches its selector. With `node` (the
    /// scheduler's path) the volume's node affinity must match it; without one
    /// (the PV controller's), a claim whose binding waits for its first consumer
    /// only takes a reserved volume.
    pub fn find_match(
        &self,
        claim: &Claim,
        node: Option<(&str, &Labels)>,
        delayed: bool,
        excluded: &[usize],
    ) -> Option<usize> {
        let spec = &claim.spec;
        let mut best: Option<usize> = None;
        for (i, v) in self.volumes.iter().enumerate() {
            if excluded.contains(&i) || v.released || v.claim.is_some_and(|_| !v.reserved_for(claim)) {
                continue;
            }
            if v.claim_ref.is_some() && !v.reserved_for(claim) {
                continue;
            }
            if v.capacity_bytes < spec.request_bytes || v.block != spec.block {
                continue;
            }
            let fits = node.is_none_or(|(name, labels)| v.fits_node(name, labels));
            if v.reserved_for(claim) {
                return fits.then_some(i);
            }
            if (node.is_none() && delayed) || v.claim.is_some() {
                continue;
            }
            if spec.selector.as_ref().is_some_and(|s| !s.matches(&v.labels)) || v.class != spec.class() || !fits {
                continue;
            }
            if !offers_modes(v, spec) {
                continue;
            }
            if best.is_none_or(|b| self.volumes[b].capacity_bytes > v.capacity_bytes) {
                best = Some(i);
            }
        }
        best
    }
}

/// A volume of a Pod that uses a claim: `persistentVolumeClaim.claimName`, or a
/// generic ephemeral volume (`ephemeral.volumeClaimTemplate`), whose claim is
/// `<pod>-<volume>`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodClaim {
    pub volume: String,
    pub claim_name: String,
    pub ephemeral: Option<ClaimSpec>,
}

impl PodClaim {
    /// The claims of a Pod spec's volumes, in order.
    pub fn from_spec(spec: &Node) -> Vec<PodClaim> {
        let volumes = spec.get("volumes").map(Node::items).unwrap_or_default();
        volumes
            .iter()
            .filter_map(|v| {
                let volume = v.get("name").and_then(Node::as_str).unwrap_or("").to_string();
                if let Some(claim) = v.get("persistentVolumeClaim") {
                    let claim_name = claim.get("claimName").and_then(Node::as_str).unwrap_or("").to_string();
                    return Some(PodClaim { volume, claim_name, ephemeral: None });
                }
                let template = v.at(&["ephemeral", "volumeClaimTemplate"])?;
                let spec = ClaimSpec::from_node(template.get("spec"));
                Some(PodClaim { volume, claim_name: String::new(), ephemeral: Some(spec) })
            })
            .collect()
    }

    /// `ephemeral.VolumeClaimName`: `<pod>-<volume>` for an ephemeral volume.
    pub fn claim_name(&self, pod: &str) -> String {
        match self.ephemeral {
            Some(_) => format!("{pod}-{}", self.volume),
            None => self.claim_name.clone(),
        }
    }
}
