//! DaemonSet (controllers.md §4): one Pod on each node where it should run
//! (`NodeShouldRunDaemonPod`: nodeName, node affinity and nodeSelector, taints with
//! effect NoSchedule or NoExecute), with the tolerations the controller adds, pinned
//! to its node by a required node affinity term; the scheduler then checks resources.

use serde_json::json;

use super::{object_ref, pod_from_template, with_label};
use crate::simulate::cluster::Node;
use crate::simulate::labels::{NodeSelectorTerm, Toleration, terms_match, untolerated};
use crate::simulate::names::{Rng, template_hash};
use crate::simulate::object::Object;
use crate::simulate::output::Report;
use crate::simulate::template::Template;
use crate::simulate::world::{Controller, CtrlId, Owner, World};

/// `AddOrUpdateDaemonPodTolerations`.
fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let mut t = vec![
        Toleration::exists("node.kubernetes.io/not-ready", "NoExecute"),
        Toleration::exists("node.kubernetes.io/unreachable", "NoExecute"),
        Toleration::exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
        Toleration::exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
        Toleration::exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
        Toleration::exists("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        t.push(Toleration::exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    t
}

pub struct DaemonSet {
    namespace: String,
    name: String,
    template: Template,
    hash: String,
    rng: Rng,
}

impl DaemonSet {
    pub fn new(object: &Object, seed: u64) -> DaemonSet {
        let mut template = Template::from_node(object.spec().and_then(|s| s.get("template")));
        let hash = template_hash(&template.defaulted);
        let host_network = template.spec.host_network;
        for t in daemon_tolerations(host_network) {
            if !template.spec.tolerations.contains(&t) {
                template.spec.tolerations.push(t);
            }
        }
        template.labels = with_label(&template.labels, "controller-revision-hash", &hash);
        template.labels = with_label(&template.labels, "pod-template-generation", "1");
        DaemonSet {
            rng: Rng::new(seed, &format!("DaemonSet/{}/{}", object.namespace, object.name)),
            namespace: object.namespace.clone(),
            name: object.name.clone(),
            template,
            hash,
        }
    }

    /// Why the DaemonSet runs no Pod on a node, or `None` when it should run one.
    fn skip_reason(&self, node: &Node) -> Option<String> {
        let spec = &self.template.spec;
        if spec.node_name.as_ref().is_some_and(|n| n != &node.name) {
            return Some("`nodeName` names another node".into());
        }
        let selector_ok = spec.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v));
        let affinity_ok = spec.affinity.as_ref().is_none_or(|t| terms_match(t, &node.name, &node.labels));
        if !selector_ok || !affinity_ok {
            return Some("nodeSelector or node affinity does not match".into());
        }
        untolerated(&node.taints, &spec.tolerations).map(|t| format!("untolerated taint `{}`", t.display()))
    }
}

impl Controller for DaemonSet {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        let object = object_ref("DaemonSet", &self.name);
        for index in 0..w.cluster.nodes.len() {
            let node = &w.cluster.nodes[index];
            if self.skip_reason(node).is_some() || w.pods_of(me, index).any(|(_, p)| p.exists()) {
                continue;
            }
            let node_name = node.name.clone();
            if w.full() {
                return;
            }
            let name = self.rng.generate_name(&format!("{}-", self.name), |n| w.name_taken(&self.namespace, n));
            let owner = Owner { kind: "DaemonSet", name: self.name.clone() };
            let mut init =
                pod_from_template(&self.template, name.clone(), &self.namespace, owner, index, vec![self.name.clone()]);
            // `ReplaceDaemonSetPodNodeNameNodeAffinity` replaces the required terms.
            init.spec.affinity = Some(vec![NodeSelectorTerm::node_name(&node_name)]);
            if let Err(e) = w.admit(me, &mut init, &format!("{}-", self.name)) {
                w.failed_create(&self.namespace, object.clone(), format!("Error creating: {e}"));
                return;
            }
            w.event(false, "SuccessfulCreate", &self.namespace, object.clone(), format!("Created pod: {name}"));
            w.create_pod(me, init);
        }
    }

    fn report(&self, w: &World, me: CtrlId) -> Report {
        let nodes = &w.cluster.nodes;
        let mut skipped = Vec::new();
        let mut placed = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            match self.skip_reason(node) {
                Some(reason) => skipped.push(json!({ "node": node.name, "reason": reason })),
                None => {
                    let ready = w.pods_of(me, i).any(|(_, p)| p.is_running_and_ready());
                    placed.push((node.name.clone(), ready));
                }
            }
        }
        let ready = placed.iter().filter(|(_, r)| *r).count();
        let mut lines = vec![format!("Pods on {} of {} nodes, {ready} ready", placed.len(), nodes.len())];
        for s in &skipped {
            lines.push(format!(
                "no Pod on {}: {}",
                s["node"].as_str().unwrap_or_default(),
                s["reason"].as_str().unwrap_or_default()
            ));
        }
        let detail = json!({
            "desired": placed.len(),
            "ready": ready,
            "controllerRevisionHash": self.hash,
            "nodes": placed.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
            "skippedNodes": skipped,
        });
        Report::new("DaemonSet", &self.namespace, &self.name, lines, detail)
    }
}
