//! StatefulSet (controllers.md §3): Pods `<name>-<ordinal>` from `spec.ordinals.start`,
//! OrderedReady (one at a time, each after the previous is Running and Ready) or
//! Parallel; claims `<template>-<name>-<ordinal>` made before each Pod; hostname and
//! subdomain for the governing Service's DNS names.

use serde_json::json;

use super::{count, object_ref, pod_from_template, seconds, with_label};
use crate::simulate::names::revision_hash;
use crate::simulate::object::Object;
use crate::simulate::output::Report;
use crate::simulate::template::Template;
use crate::simulate::volumes::{Claim, ClaimSpec, PodClaim};
use crate::simulate::world::{Controller, CtrlId, Millis, Owner, World};
use crate::text::plural;
use crate::yaml::Node;

/// A `volumeClaimTemplates` item: its name and spec.
#[derive(Clone, Debug)]
struct ClaimTemplate {
    name: String,
    spec: ClaimSpec,
}

pub struct StatefulSet {
    namespace: String,
    name: String,
    replicas: u32,
    start: u32,
    parallel: bool,
    min_ready: Millis,
    service: Option<String>,
    template: Template,
    revision: String,
    claims: Vec<ClaimTemplate>,
    /// What the governing Service looks like in the input, for the report.
    service_note: Option<String>,
}

impl StatefulSet {
    pub fn new(object: &Object) -> StatefulSet {
        let spec = object.spec();
        let template = Template::from_node(spec.and_then(|s| s.get("template")));
        let claims = spec
            .and_then(|s| s.get("volumeClaimTemplates"))
            .map(|c| c.items().iter().map(claim_template).collect())
            .unwrap_or_default();
        StatefulSet {
            namespace: object.namespace.clone(),
            name: object.name.clone(),
            replicas: count(object, &["replicas"], 1),
            start: count(object, &["ordinals", "start"], 0),
            parallel: object.text(&["podManagementPolicy"]) == Some("Parallel"),
            min_ready: seconds(object, &["minReadySeconds"]).unwrap_or(0),
            service: object.text(&["serviceName"]).filter(|s| !s.is_empty()).map(str::to_string),
            revision: format!("{}-{}", object.name, revision_hash(&template.defaulted)),
            template,
            claims,
            service_note: None,
        }
    }

    /// Checks the governing Service against the input, warning as a user would want.
    pub fn check_service(&mut self, w: &mut World) {
        let who = format!("StatefulSet {}/{}", self.namespace, self.name);
        let Some(service) = &self.service else {
            self.service_note = Some("no serviceName: the Pods get no DNS names".into());
            return;
        };
        let found = w.services.iter().find(|s| &s.name == service && s.namespace == self.namespace);
        let (note, warning) = match found {
            None => (
                format!("governing Service `{service}` is not in the input: no DNS names"),
                Some(format!(
                    "{who}: its governing Service `{service}` is not in the input, so its Pods get no DNS names here"
                )),
            ),
            Some(s) if !s.headless => (
                format!("Service `{service}` is not headless: no per-Pod DNS names"),
                Some(format!(
                    "{who}: Service `{service}` is not headless (`clusterIP: None`), so its Pods get no per-Pod DNS names"
                )),
            ),
            Some(s) if !crate::simulate::labels::service_selects(&s.selector, &self.template.labels) => (
                format!("headless Service `{service}` does not select the Pods: no DNS names"),
                Some(format!("{who}: headless Service `{service}` does not select the StatefulSet's Pods")),
            ),
            Some(_) => (format!("governing Service `{service}` (headless)"), None),
        };
        self.service_note = Some(note);
        w.warnings.extend(warning);
    }

    fn pod_name(&self, ordinal: u32) -> String {
        format!("{}-{ordinal}", self.name)
    }

    /// Creates the claims of one ordinal that do not exist yet, then its Pod.
    fn create(&self, w: &mut World, me: CtrlId, ordinal: u32) {
        let pod = self.pod_name(ordinal);
        let object = object_ref("StatefulSet", &self.name);
        for c in &self.claims {
            let name = format!("{}-{}-{ordinal}", c.name, self.name);
            if w.claims.iter().any(|x| x.name == name && x.namespace == self.namespace) {
                continue;
            }
            let message = format!("create Claim {name} Pod {pod} in StatefulSet {} success", self.name);
            w.event(false, "SuccessfulCreate", &self.namespace, object.clone(), message);
            let mut claim = Claim::new(name, self.namespace.clone(), c.spec.clone(), w.now);
            claim.owner = Some(Owner { kind: "StatefulSet", name: self.name.clone() });
            claim.pod = Some(pod.clone());
            w.add_claim(claim);
        }
        let owner = Owner { kind: "StatefulSet", name: self.name.clone() };
        let fail_keys = vec![self.name.clone()];
        let mut init =
            pod_from_template(&self.template, pod.clone(), &self.namespace, owner, ordinal as usize, fail_keys);
        init.labels = with_label(&init.labels, "controller-revision-hash", &self.revision);
        init.labels = with_label(&init.labels, "statefulset.kubernetes.io/pod-name", &pod);
        init.labels = with_label(&init.labels, "apps.kubernetes.io/pod-index", &ordinal.to_string());
        // `updateStorage`: each template's claim replaces the Pod's volume of that name.
        for c in &self.claims {
            let claim_name = format!("{}-{}-{ordinal}", c.name, self.name);
            let claims = &mut init.spec.constraints.claims;
            claims.retain(|v| v.volume != c.name);
            claims.push(PodClaim { volume: c.name.clone(), claim_name, ephemeral: None });
        }
        init.spec.hostname = Some(pod.clone());
        init.spec.subdomain = self.service.clone();
        // stateful_pod_control.go recordPodEvent.
        if let Err(e) = w.admit(me, &mut init, &pod) {
            let message = format!("create Pod {pod} in StatefulSet {} failed error: {e}", self.name);
            w.failed_create(&self.namespace, object, message);
            return;
        }
        let message = format!("create Pod {pod} in StatefulSet {} successful", self.name);
        w.event(false, "SuccessfulCreate", &self.namespace, object, message);
        w.create_pod(me, init);
    }
}

impl Controller for StatefulSet {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        if self.service_note.is_none() {
            self.check_service(w);
        }
        for ordinal in self.start..self.start.saturating_add(self.replicas) {
            let group = ordinal as usize;
            let existing = w.pods_of(me, group).find(|(_, p)| p.exists()).map(|(id, p)| (id, p.is_active()));
            match existing {
                None => {
                    if w.full() {
                        return;
                    }
                    self.create(w, me, ordinal);
                    if !self.parallel {
                        return;
                    }
                }
                // A finished Pod is deleted, and made again on a later sync.
                Some((id, false)) => {
                    let name = w.pods[id].name.clone();
                    w.delete_pod(id);
                    let message = format!("delete Pod {name} in StatefulSet {} successful", self.name);
                    w.event(false, "SuccessfulDelete", &self.namespace, object_ref("StatefulSet", &self.name), message);
                    w.wake(me, w.now);
                    return;
                }
                Some((id, true)) if !self.parallel => {
                    let pod = &w.pods[id];
                    if !pod.is_running_and_ready() {
                        return;
                    }
                    if !pod.is_available(w.now, self.min_ready) {
                        let at = pod.ready_at.unwrap_or(w.now).saturating_add(self.min_ready);
                        w.wake(me, at);
                        return;
                    }
                }
                Some(_) => {}
            }
        }
    }

    fn report(&self, w: &World, me: CtrlId) -> Report {
        let ready = (self.start..self.start.saturating_add(self.replicas))
            .filter(|&o| w.pods_of(me, o as usize).any(|(_, p)| p.is_running_and_ready()))
            .count();
        let policy = if self.parallel {
            "Parallel (all Pods at once)"
        } else {
            "OrderedReady (one at a time, each after the previous is Running and Ready)"
        };
        let mut lines = vec![format!("{} of {} ready, {policy}", ready, plural(self.replicas as usize, "replica"))];
        let mut created: Vec<(Millis, String)> =
            w.pods.iter().filter(|p| p.ctrl == me).map(|p| (p.created, p.name.clone())).collect();
        created.sort();
        if !created.is_empty() {
            let order: Vec<String> =
                created.iter().map(|(t, n)| format!("{n} at {}", crate::kube::duration::format(*t))).collect();
            lines.push(format!("created {}", order.join(", ")));
        }
        if !self.claims.is_empty() {
            let names: Vec<&str> = self.claims.iter().map(|c| c.name.as_str()).collect();
            lines.push(format!(
                "claims from volumeClaimTemplates {}: `<template>-{}-<ordinal>`",
                names.join(", "),
                self.name
            ));
        }
        lines.extend(self.service_note.clone());
        let detail = json!({
            "replicas": self.replicas,
            "ready": ready,
            "ordinalsStart": self.start,
            "podManagementPolicy": if self.parallel { "Parallel" } else { "OrderedReady" },
            "serviceName": self.service,
            "controllerRevisionHash": self.revision,
        });
        Report::new("StatefulSet", &self.namespace, &self.name, lines, detail)
    }
}

fn claim_template(node: &Node) -> ClaimTemplate {
    ClaimTemplate {
        name: node.at(&["metadata", "name"]).and_then(Node::as_str).unwrap_or("").to_string(),
        spec: ClaimSpec::from_node(node.get("spec")),
    }
}
