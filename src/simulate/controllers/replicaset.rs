//! ReplicaSet and ReplicationController: keep `replicas` Pods (controllers.md §7).
//! [`ReplicaSet`] is also what a Deployment scales.

use serde_json::json;

use super::{count, object_ref, pod_from_template, prefix, seconds};
use crate::simulate::names::Rng;
use crate::simulate::object::Object;
use crate::simulate::output::Report;
use crate::simulate::template::Template;
use crate::simulate::world::{Controller, CtrlId, Millis, Owner, PodId, World};
use crate::text::plural;

#[derive(Clone, Debug)]
pub struct ReplicaSet {
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub template: Template,
    pub replicas: u32,
    pub min_ready: Millis,
    /// Names a `--fail` may give for this ReplicaSet's Pods.
    pub fail_keys: Vec<String>,
}

impl ReplicaSet {
    pub fn active(&self, w: &World, me: CtrlId, group: usize) -> Vec<PodId> {
        w.pods_of(me, group).filter(|(_, p)| p.is_active()).map(|(i, _)| i).collect()
    }

    /// Available Pods; asks to be woken when a Ready Pod will become available.
    pub fn available(&self, w: &mut World, me: CtrlId, group: usize) -> u32 {
        let now = w.now;
        let mut available = 0;
        let mut wake = None;
        for (_, pod) in w.pods_of(me, group).filter(|(_, p)| p.is_running_and_ready()) {
            if pod.is_available(now, self.min_ready) {
                available += 1;
            } else if let Some(ready) = pod.ready_at {
                let at = ready.saturating_add(self.min_ready);
                wake = Some(wake.map_or(at, |t: Millis| t.min(at)));
            }
        }
        if let Some(time) = wake {
            w.wake(me, time);
        }
        available
    }

    /// `manageReplicas`: creates the missing Pods (all in one sync, as slow-start
    /// batches that succeed do) or deletes the extra ones, least useful first.
    pub fn manage(&self, w: &mut World, me: CtrlId, group: usize, rng: &mut Rng) {
        let active = self.active(w, me, group);
        let want = self.replicas as usize;
        let object = object_ref(self.kind, &self.name);
        if active.len() < want {
            // `burstReplicas`: at most 500 per sync, the rest on the next one.
            let batch = (want - active.len()).min(500);
            if batch < want - active.len() && !w.full() {
                w.wake(me, w.now);
            }
            for _ in 0..batch {
                if w.full() {
                    break;
                }
                let name = rng.generate_name(&prefix(&self.name), |n| w.name_taken(&self.namespace, n));
                let owner = Owner { kind: self.kind, name: self.name.clone() };
                let mut init = pod_from_template(
                    &self.template,
                    name.clone(),
                    &self.namespace,
                    owner,
                    group,
                    self.fail_keys.clone(),
                );
                // slowStartBatch stops at the first refusal (RealPodControl createPods).
                if let Err(e) = w.admit(me, &mut init, &prefix(&self.name)) {
                    w.failed_create(&self.namespace, object.clone(), format!("Error creating: {e}"));
                    break;
                }
                w.event(false, "SuccessfulCreate", &self.namespace, object.clone(), format!("Created pod: {name}"));
                w.create_pod(me, init);
            }
        } else if active.len() > want {
            let extra = active.len() - want;
            let mut victims = active;
            // `controller.ActivePods` order: unassigned, pending, not ready, ready
            // for less time, more restarts, newer first.
            victims.sort_by_key(|&i| {
                let p = &w.pods[i];
                (
                    p.node.is_some(),
                    p.phase == crate::simulate::world::Phase::Running,
                    p.ready,
                    std::cmp::Reverse(p.ready_at),
                    std::cmp::Reverse(p.restarts),
                    std::cmp::Reverse(p.created),
                    std::cmp::Reverse(i),
                )
            });
            for id in victims.into_iter().take(extra) {
                let name = w.pods[id].name.clone();
                w.delete_pod(id);
                w.event(false, "SuccessfulDelete", &self.namespace, object.clone(), format!("Deleted pod: {name}"));
            }
        }
    }
}

/// A ReplicaSet or ReplicationController from the input.
pub struct ReplicaSetController {
    rs: ReplicaSet,
    rng: Rng,
}

impl ReplicaSetController {
    pub fn new(object: &Object, seed: u64) -> ReplicaSetController {
        let kind = if object.kind == "ReplicationController" { "ReplicationController" } else { "ReplicaSet" };
        let rs = ReplicaSet {
            kind,
            name: object.name.clone(),
            namespace: object.namespace.clone(),
            template: Template::from_node(object.spec().and_then(|s| s.get("template"))),
            replicas: count(object, &["replicas"], 1),
            min_ready: seconds(object, &["minReadySeconds"]).unwrap_or(0),
            fail_keys: vec![object.name.clone()],
        };
        ReplicaSetController { rng: Rng::new(seed, &format!("{kind}/{}/{}", object.namespace, object.name)), rs }
    }
}

impl Controller for ReplicaSetController {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        self.rs.manage(w, me, 0, &mut self.rng);
    }

    fn report(&self, w: &World, me: CtrlId) -> Report {
        let ready = w.pods_of(me, 0).filter(|(_, p)| p.is_running_and_ready()).count();
        let line = format!("{} of {} ready", ready, plural(self.rs.replicas as usize, "replica"));
        Report::new(
            self.rs.kind,
            &self.rs.namespace,
            &self.rs.name,
            vec![line],
            json!({ "replicas": self.rs.replicas, "ready": ready }),
        )
    }
}
