//! The PV controller's binding of claims (`syncUnboundClaim` in
//! pkg/controller/volume/persistentvolume/pv_controller.go), dynamic provisioning
//! by an external provisioner, and what the scheduler's VolumeBinding plugin
//! reads of a Pod's claims and does once the Pod has a node.

use super::{Claim, StorageClass, Volume, mismatch};
use crate::simulate::labels::{NodeSelectorTerm, Requirement};
use crate::simulate::names::Rng;
use crate::simulate::scheduler::volumes::{Need, PodVolumes};
use crate::simulate::world::{Owner, Pod, PodId, World};

impl World {
    /// Creates a claim, with the DefaultStorageClass admission plugin's default
    /// class when it names none, and lets the PV controller sync it.
    pub fn add_claim(&mut self, mut claim: Claim) -> usize {
        if claim.spec.storage_class.is_none() {
            claim.spec.storage_class = self.storage.default_class().map(|c| c.name.clone());
        }
        claim.created = self.now;
        self.claims.push(claim);
        let id = self.claims.len() - 1;
        self.sync_claim(id);
        id
    }

    /// `syncUnboundClaim`: a claim naming a volume (`volumeName`) binds it if it
    /// fits; otherwise the best matching volume, else (unless the class waits for
    /// the first consumer) a volume provisioned by the class's provisioner.
    pub fn sync_claim(&mut self, id: usize) {
        let claim = &self.claims[id];
        if claim.volume.is_some() || claim.deleted.is_some() {
            return;
        }
        if let Some(name) = claim.spec.volume_name.clone() {
            // A volume that does not exist (yet): Pending, retried without an event.
            let Some(v) = self.storage.volumes.iter().position(|v| v.name == name) else { return };
            let volume = &self.storage.volumes[v];
            let theirs = volume.claim.is_some_and(|c| c != id)
                || volume.claim_ref.as_ref().is_some_and(|(ns, n)| *ns != claim.namespace || *n != claim.name);
            if theirs {
                let message = format!("volume {name:?} already bound to a different claim.");
                self.claim_event(id, true, "FailedBinding", message);
            } else if let Some(why) = mismatch(volume, &claim.spec) {
                let message = format!("Cannot bind to requested volume {name:?}: {why}");
                self.claim_event(id, true, "VolumeMismatch", message);
            } else {
                self.bind_claim(id, v);
            }
            return;
        }
        let delayed = self.storage.delays_binding(&claim.spec);
        if let Some(v) = self.storage.find_match(claim, None, delayed, &[]) {
            return self.bind_claim(id, v);
        }
        if delayed && claim.selected_node.is_none() {
            let message = "waiting for first consumer to be created before binding".to_string();
            self.claim_event(id, false, "WaitForFirstConsumer", message);
        } else if !claim.spec.class().is_empty() {
            self.provision(id);
        } else {
            let message = "no persistent volumes available for this claim and no storage class is set".to_string();
            self.claim_event(id, false, "FailedBinding", message);
        }
    }

    /// `provisionClaimOperation`: the class's external provisioner makes a volume
    /// `pvc-<claim uid>` of the requested size (at once: provisioning time is not
    /// modelled) and the claim is bound to it. Where the class names topology keys
    /// (`allowedTopologies`), the volume's node affinity is the segment it was made
    /// in (external-provisioner `GenerateAccessibilityRequirements`): the selected
    /// node's values under WaitForFirstConsumer, else the first allowed term's
    /// first values (the driver picks one of them).
    fn provision(&mut self, id: usize) {
        let claim = &self.claims[id];
        let class_name = claim.spec.class().to_string();
        let Some(class) = self.storage.class(&class_name) else {
            let message = format!("storageclass.storage.k8s.io {class_name:?} not found");
            return self.claim_event(id, true, "ProvisioningFailed", message);
        };
        if !class.dynamic() {
            let message = format!("no volume plugin matched name: {}", class.provisioner);
            return self.claim_event(id, true, "ProvisioningFailed", message);
        }
        let provisioner = class.provisioner.clone();
        let node_affinity = self.provisioned_topology(class, claim.selected_node);
        let uid = Rng::new(0, &format!("PersistentVolumeClaim/{}/{}", claim.namespace, claim.name)).uid();
        let key = format!("{}/{}", claim.namespace, claim.name);
        let volume = Volume {
            name: format!("pvc-{uid}"),
            capacity: claim.spec.request.clone().unwrap_or_default(),
            capacity_bytes: claim.spec.request_bytes,
            access_modes: claim.spec.access_modes.clone(),
            class: class_name,
            labels: Default::default(),
            block: claim.spec.block,
            claim_ref: Some((claim.namespace.clone(), claim.name.clone())),
            node_affinity,
            claim: None,
            provisioned: true,
            released: false,
        };
        let name = volume.name.clone();
        self.storage.volumes.push(volume);
        let message = format!(
            "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the \
             system administrator. If volume creation is delayed, please verify that the provisioner is running and \
             correctly registered."
        );
        self.claim_event(id, false, "ExternalProvisioning", message);
        let message = format!("External provisioner is provisioning volume for claim {key:?}");
        self.claim_event(id, false, "Provisioning", message);
        self.claim_event(id, false, "ProvisioningSucceeded", format!("Successfully provisioned volume {name}"));
        self.bind_claim(id, self.storage.volumes.len() - 1);
    }

    fn provisioned_topology(&self, class: &StorageClass, node: Option<usize>) -> Option<Vec<NodeSelectorTerm>> {
        let keys: std::collections::BTreeSet<&str> =
            class.allowed_topologies.iter().flatten().map(|(key, _)| key.as_str()).collect();
        if keys.is_empty() {
            return None;
        }
        let expressions: Vec<Requirement> = match node.and_then(|n| self.cluster.nodes.get(n)) {
            Some(n) => keys
                .iter()
                .filter_map(|key| {
                    let value = n.labels.get(*key)?;
                    Some(Requirement { key: key.to_string(), operator: "In".into(), values: vec![value.clone()] })
                })
                .collect(),
            None => class
                .allowed_topologies
                .first()?
                .iter()
                .filter_map(|(key, values)| {
                    Some(Requirement { key: key.clone(), operator: "In".into(), values: vec![values.first()?.clone()] })
                })
                .collect(),
        };
        (!expressions.is_empty()).then(|| vec![NodeSelectorTerm { expressions, fields: Vec::new() }])
    }

    fn bind_claim(&mut self, id: usize, volume: usize) {
        let (claim, v) = (&mut self.claims[id], &mut self.storage.volumes[volume]);
        v.claim = Some(id);
        claim.volume = Some(volume);
        claim.bound_at = Some(self.now);
        claim.waiting = None;
        self.last_change = self.now;
        // The scheduler retries the Pods that wait for it.
        self.retry_pending = true;
    }

    /// An event on a Pending claim, once per message (a real controller repeats it
    /// at each resync: `(x12 over 4m12s)`).
    fn claim_event(&mut self, id: usize, warning: bool, reason: &str, message: String) {
        let claim = &mut self.claims[id];
        if claim.waiting.as_ref() == Some(&message) {
            return;
        }
        if claim.volume.is_none() {
            claim.waiting = Some(message.clone());
        }
        let (namespace, object) = (claim.namespace.clone(), claim.object());
        self.event(warning, reason, &namespace, object, message);
    }

    /// VolumeBinding's PreFilter (`podHasPVCs`, `GetPodVolumeClaims`): each claim
    /// the Pod's volumes name must exist, and be bound unless its class waits for
    /// the first consumer; what the Filter then checks per node.
    pub fn pod_volumes(&self, pod: &Pod) -> PodVolumes {
        let mut ids = Vec::new();
        for volume in &pod.spec.constraints.claims {
            let name = volume.claim_name(&pod.name);
            let found =
                self.claims.iter().rposition(|c| c.deleted.is_none() && c.namespace == pod.namespace && c.name == name);
            match found {
                Some(id) if volume.ephemeral.is_some() && !self.claims[id].owned_by(pod) => {
                    let ns = &pod.namespace;
                    return Err(format!(
                        "PVC {ns}/{name} was not created for pod {ns}/{} (pod is not owner)",
                        pod.name
                    ));
                }
                Some(id) => ids.push(id),
                None if volume.ephemeral.is_some() => {
                    return Err(format!(
                        "waiting for ephemeral volume controller to create the persistentvolumeclaim {name:?}"
                    ));
                }
                None => return Err(format!("persistentvolumeclaim {name:?} not found")),
            }
        }
        let mut needs = Vec::new();
        let mut delayed = Vec::new();
        for id in ids {
            let claim = &self.claims[id];
            match claim.volume {
                Some(v) => needs.push(Need::Bound(self.storage.volumes[v].node_affinity.clone())),
                None if self.storage.delays_binding(&claim.spec) => delayed.push(id),
                None => return Err("pod has unbound immediate PersistentVolumeClaims".into()),
            }
        }
        // `findMatchingVolumes` takes the smallest requests first.
        delayed.sort_by_key(|&id| self.claims[id].spec.request_bytes);
        needs.extend(delayed.into_iter().map(|claim| Need::Delayed { claim }));
        Ok(needs)
    }

    /// For a Pod bound to `node`, the scheduler's Reserve and PreBind: each claim
    /// waiting for its first consumer is bound to the volume the Filter chose, or
    /// provisioned on that node (`volume.kubernetes.io/selected-node`).
    pub fn bind_pod_volumes(&mut self, volumes: &PodVolumes, node: usize) {
        let Ok(needs) = volumes else { return };
        let (name, labels) = {
            let n = &self.cluster.nodes[node];
            (n.name.clone(), n.labels.clone())
        };
        let mut chosen = Vec::new();
        for need in needs {
            let Need::Delayed { claim } = *need else { continue };
            self.claims[claim].selected_node = Some(node);
            match self.storage.find_match(&self.claims[claim], Some((&name, &labels)), true, &chosen) {
                Some(v) => {
                    chosen.push(v);
                    self.bind_claim(claim, v);
                }
                None => self.provision(claim),
            }
        }
    }

    /// The ephemeral volume controller (pkg/controller/volume/ephemeral,
    /// `handleVolume`): for each generic ephemeral volume a claim `<pod>-<volume>`
    /// from its template, owned by the Pod, unless a claim of that name exists.
    pub fn create_ephemeral_claims(&mut self, pod: PodId) {
        let p = &self.pods[pod];
        let (namespace, name) = (p.namespace.clone(), p.name.clone());
        let wanted: Vec<_> = p
            .spec
            .constraints
            .claims
            .iter()
            .filter_map(|c| Some((c.claim_name(&name), c.ephemeral.clone()?)))
            .collect();
        for (claim_name, spec) in wanted {
            if self.claims.iter().any(|c| c.deleted.is_none() && c.namespace == namespace && c.name == claim_name) {
                continue;
            }
            let mut claim = Claim::new(claim_name, namespace.clone(), spec, self.now);
            claim.owner = Some(Owner { kind: "Pod", name: name.clone() });
            claim.pod = Some(name.clone());
            self.add_claim(claim);
        }
    }

    /// The garbage collector deletes a deleted Pod's ephemeral claims; their
    /// volumes are released.
    pub fn delete_claims_of(&mut self, pod: PodId) {
        let now = self.now;
        let p = &self.pods[pod];
        for claim in self.claims.iter_mut().filter(|c| c.deleted.is_none() && c.owned_by(p)) {
            claim.deleted = Some(now);
            if let Some(v) = claim.volume.and_then(|v| self.storage.volumes.get_mut(v)) {
                v.claim = None;
                v.released = true;
            }
        }
    }
}
