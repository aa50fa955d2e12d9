//! Deployment → ReplicaSets → Pods (controllers.md §2): the ReplicaSet named after
//! the template's hash, and the rolling update (or Recreate) to each later version
//! of the same Deployment in the input, one step per sync as `rolloutRolling` does;
//! old ReplicaSets beyond `revisionHistoryLimit` deleted (sync.go
//! `cleanupDeployment`) and `progressDeadlineSeconds` (progress.go
//! `syncRolloutStatus`).

use serde_json::json;

use super::hpa::Autoscaler;
use super::replicaset::ReplicaSet;
use super::{count, object_ref, seconds, with_label};
use crate::simulate::names::{Rng, template_hash};
use crate::simulate::object::Object;
use crate::simulate::output::{Report, Table};
use crate::simulate::template::Template;
use crate::simulate::world::{Controller, CtrlId, Millis, World};
use crate::text::plural;
use crate::yaml::{Node, Value};

const HASH_LABEL: &str = "pod-template-hash";

/// An int-or-string like `maxSurge`: `1` or `"25%"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IntOrPercent {
    Int(u32),
    Percent(u32),
}

impl IntOrPercent {
    pub fn read(node: Option<&Node>, default: IntOrPercent) -> IntOrPercent {
        match node.map(|n| &n.value) {
            Some(Value::Int(i)) => IntOrPercent::Int(u32::try_from(*i).unwrap_or(0)),
            Some(Value::Str(s)) => match s.strip_suffix('%').and_then(|p| p.parse().ok()) {
                Some(p) => IntOrPercent::Percent(p),
                None => default,
            },
            _ => default,
        }
    }

    /// `GetScaledValueFromIntOrPercent`.
    pub fn scaled(self, total: u32, round_up: bool) -> u32 {
        match self {
            IntOrPercent::Int(i) => i,
            IntOrPercent::Percent(p) => {
                let product = u64::from(p) * u64::from(total);
                let value = if round_up { product.div_ceil(100) } else { product / 100 };
                u32::try_from(value).unwrap_or(u32::MAX)
            }
        }
    }

    fn display(self) -> String {
        match self {
            IntOrPercent::Int(i) => i.to_string(),
            IntOrPercent::Percent(p) => format!("{p}%"),
        }
    }
}

/// `ResolveFenceposts` and `MaxUnavailable`: (surge, unavailable) for `replicas`.
pub fn fenceposts(replicas: u32, surge: IntOrPercent, unavailable: IntOrPercent) -> (u32, u32) {
    let s = surge.scaled(replicas, true);
    let mut u = unavailable.scaled(replicas, false);
    if s == 0 && u == 0 {
        u = 1;
    }
    (s, if replicas == 0 { 0 } else { u.min(replicas) })
}

#[derive(Clone, Debug)]
struct Version {
    replicas: u32,
    recreate: bool,
    max_surge: IntOrPercent,
    max_unavailable: IntOrPercent,
    min_ready: Millis,
    template: Template,
    hash: String,
    origin: String,
    history_limit: u32,
    progress_deadline: Millis,
    paused: bool,
}

impl Version {
    fn new(object: &Object) -> Version {
        let spec = object.spec();
        let strategy = spec.and_then(|s| s.get("strategy"));
        let recreate = strategy.and_then(|s| s.get("type")).and_then(Node::as_str) == Some("Recreate");
        let rolling = strategy.and_then(|s| s.get("rollingUpdate"));
        let template = Template::from_node(spec.and_then(|s| s.get("template")));
        Version {
            replicas: count(object, &["replicas"], 1),
            recreate,
            max_surge: IntOrPercent::read(rolling.and_then(|r| r.get("maxSurge")), IntOrPercent::Percent(25)),
            max_unavailable: IntOrPercent::read(
                rolling.and_then(|r| r.get("maxUnavailable")),
                IntOrPercent::Percent(25),
            ),
            min_ready: seconds(object, &["minReadySeconds"]).unwrap_or(0),
            hash: template_hash(&template.defaulted),
            template,
            origin: object.origin.clone(),
            history_limit: count(object, &["revisionHistoryLimit"], 10),
            progress_deadline: seconds(object, &["progressDeadlineSeconds"]).unwrap_or(600_000),
            paused: spec.and_then(|s| s.get("paused")).and_then(Node::as_bool) == Some(true),
        }
    }
}

#[derive(Clone, Debug)]
struct Owned {
    rs: ReplicaSet,
    hash: String,
    revision: u32,
    /// Deleted by `cleanupDeployment` (beyond `revisionHistoryLimit`).
    deleted: Option<Millis>,
}

/// What `syncRolloutStatus` watches to tell progress: (updated, old, ready, available) Pods.
type Progress = (u32, u32, u32, u32);

/// One scaling action of a rollout, for `--rollout`.
#[derive(Clone, Debug)]
struct Step {
    time: Millis,
    action: String,
    new: u32,
    old: u32,
    available: u32,
}

pub struct Deployment {
    namespace: String,
    name: String,
    versions: Vec<Version>,
    current: usize,
    applied: Vec<Millis>,
    /// Whether each version's template differs from the one running when it was
    /// applied (a rollout), or only its replicas (a scale).
    template_changed: Vec<bool>,
    completed: Vec<Option<Millis>>,
    /// The index of each version's first rollout step.
    first_step: Vec<usize>,
    owned: Vec<Owned>,
    steps: Vec<Step>,
    /// The last progress (`Progressing` condition's `lastUpdateTime`) and the
    /// counts it was seen at.
    progress: (Millis, Progress),
    /// When the rollout of the current version exceeded its progress deadline.
    timed_out: Option<Millis>,
    rng: Rng,
    /// The HorizontalPodAutoscaler on the Deployment, and the last version it acted on.
    autoscaler: Option<Autoscaler>,
    autoscaled: Option<usize>,
}

impl Deployment {
    /// `versions`: the same Deployment as many times as the input gives it.
    pub fn new(versions: &[&Object], seed: u64) -> Deployment {
        let first = versions[0];
        Deployment {
            namespace: first.namespace.clone(),
            name: first.name.clone(),
            versions: versions.iter().map(|o| Version::new(o)).collect(),
            current: 0,
            applied: vec![0],
            template_changed: vec![true],
            completed: vec![None],
            first_step: vec![0],
            owned: Vec::new(),
            steps: Vec::new(),
            progress: (0, (0, 0, 0, 0)),
            timed_out: None,
            rng: Rng::new(seed, &format!("Deployment/{}/{}", first.namespace, first.name)),
            autoscaler: None,
            autoscaled: None,
        }
    }

    /// The Deployment with its HorizontalPodAutoscaler (hpa.rs).
    pub fn with_autoscaler(mut self, autoscaler: Option<Autoscaler>) -> Deployment {
        self.autoscaler = autoscaler;
        self
    }

    /// The HPA's sync after the Deployment controller's first (each version given
    /// sets `replicas` anew, and the HPA corrects it again): `replicas` clamped to
    /// its bounds, through the scale subresource.
    fn autoscale(&mut self, w: &mut World, me: CtrlId) {
        let Some(hpa) = &self.autoscaler else { return };
        if self.owned.is_empty() || self.autoscaled == Some(self.current) {
            return;
        }
        self.autoscaled = Some(self.current);
        let version = &mut self.versions[self.current];
        if let Some((to, reason)) = hpa.rescale(version.replicas) {
            version.replicas = to;
            let object = object_ref("HorizontalPodAutoscaler", &hpa.name);
            w.event(false, "SuccessfulRescale", &self.namespace, object, format!("New size: {to}; reason: {reason}"));
            w.wake(me, w.now);
        }
    }

    fn version(&self) -> &Version {
        &self.versions[self.current]
    }

    /// The ReplicaSet of the current template: found by hash (a rollback reuses an
    /// old one and gives it a new revision) or created with 0 replicas.
    fn new_replica_set(&mut self) -> usize {
        let version = self.version().clone();
        let newest = self.owned.iter().map(|o| o.revision).max().unwrap_or(0);
        if let Some(i) = self.owned.iter().position(|o| o.hash == version.hash && o.deleted.is_none()) {
            if self.owned[i].revision != newest {
                self.owned[i].revision = newest + 1;
            }
            self.owned[i].rs.min_ready = version.min_ready;
            return i;
        }
        let name = format!("{}-{}", self.name, version.hash);
        let mut template = version.template.clone();
        template.labels = with_label(&template.labels, HASH_LABEL, &version.hash);
        let rs = ReplicaSet {
            kind: "ReplicaSet",
            fail_keys: vec![name.clone(), self.name.clone()],
            name,
            namespace: self.namespace.clone(),
            template,
            replicas: 0,
            min_ready: version.min_ready,
        };
        self.owned.push(Owned { rs, hash: version.hash, revision: newest + 1, deleted: None });
        self.owned.len() - 1
    }

    fn scale(&mut self, w: &mut World, me: CtrlId, i: usize, to: u32, new: usize) {
        let from = self.owned[i].rs.replicas;
        self.owned[i].rs.replicas = to;
        let direction = if to > from { "up" } else { "down" };
        let action = format!("Scaled {direction} replica set {} from {from} to {to}", self.owned[i].rs.name);
        w.event(false, "ScalingReplicaSet", &self.namespace, object_ref("Deployment", &self.name), action.clone());
        let old = self.owned.iter().enumerate().filter(|(j, _)| *j != new).map(|(_, o)| o.rs.replicas).sum();
        let available = (0..self.owned.len()).map(|j| self.owned[j].rs.available(w, me, j)).sum();
        self.steps.push(Step { time: w.now, action, new: self.owned[new].rs.replicas, old, available });
    }

    /// One step of `rolloutRolling`; true when something was scaled.
    fn rolling(&mut self, w: &mut World, me: CtrlId, new: usize) -> bool {
        let v = self.version().clone();
        let (surge, unavailable) = fenceposts(v.replicas, v.max_surge, v.max_unavailable);
        let total: u32 = self.owned.iter().map(|o| o.rs.replicas).sum();
        let new_replicas = self.owned[new].rs.replicas;
        if new_replicas > v.replicas {
            self.scale(w, me, new, v.replicas, new);
            return true;
        }
        let ceiling = v.replicas + surge;
        if new_replicas < v.replicas && total < ceiling {
            let up = (ceiling - total).min(v.replicas - new_replicas);
            self.scale(w, me, new, new_replicas + up, new);
            return true;
        }
        let olds: Vec<usize> = (0..self.owned.len()).filter(|&i| i != new && self.owned[i].rs.replicas > 0).collect();
        if olds.is_empty() {
            return false;
        }
        let min_available = v.replicas - unavailable;
        let new_available = self.owned[new].rs.available(w, me, new);
        let new_unavailable = new_replicas.saturating_sub(new_available);
        let budget = i64::from(total) - i64::from(min_available) - i64::from(new_unavailable);
        if budget <= 0 {
            return false;
        }
        let budget = budget as u32;
        // cleanupUnhealthyReplicas: drop old replicas that are not available, oldest first.
        let mut cleaned = 0;
        for &i in &olds {
            if cleaned >= budget {
                break;
            }
            let replicas = self.owned[i].rs.replicas;
            let unhealthy = replicas.saturating_sub(self.owned[i].rs.available(w, me, i));
            if unhealthy > 0 {
                let down = unhealthy.min(budget - cleaned);
                self.scale(w, me, i, replicas - down, new);
                cleaned += down;
            }
        }
        // scaleDownOldReplicaSetsForRollingUpdate: keep minAvailable available.
        let available: u32 = (0..self.owned.len()).map(|i| self.owned[i].rs.available(w, me, i)).sum();
        let mut scaled = 0;
        if available > min_available {
            let target = available - min_available;
            for &i in &olds {
                let replicas = self.owned[i].rs.replicas;
                if scaled >= target || replicas == 0 {
                    continue;
                }
                let down = replicas.min(target - scaled);
                self.scale(w, me, i, replicas - down, new);
                scaled += down;
            }
        }
        cleaned + scaled > 0
    }

    /// `rolloutRecreate`: every old ReplicaSet to 0, then, once no old Pod runs (a
    /// Terminating one still does, `oldPodsRunning`), the new one to `replicas`.
    fn recreate(&mut self, w: &mut World, me: CtrlId, new: usize) -> bool {
        let olds: Vec<usize> = (0..self.owned.len()).filter(|&i| i != new && self.owned[i].rs.replicas > 0).collect();
        for &i in &olds {
            self.scale(w, me, i, 0, new);
        }
        if !olds.is_empty() {
            return true;
        }
        let old_pods = (0..self.owned.len())
            .filter(|&i| i != new)
            .any(|i| w.pods_of(me, i).any(|(_, p)| p.exists() && p.finished.is_none()));
        let replicas = self.version().replicas;
        if !old_pods && self.owned[new].rs.replicas != replicas {
            self.scale(w, me, new, replicas, new);
            return true;
        }
        false
    }

    /// `cleanupDeployment`: old ReplicaSets beyond `revisionHistoryLimit`, lowest
    /// revision first, deleted when they have no replicas left.
    fn clean_history(&mut self, w: &World, me: CtrlId, new: usize) {
        let mut old: Vec<usize> =
            (0..self.owned.len()).filter(|&i| i != new && self.owned[i].deleted.is_none()).collect();
        let excess = old.len().saturating_sub(self.version().history_limit as usize);
        old.sort_by_key(|&i| self.owned[i].revision);
        for &i in old.iter().take(excess) {
            let pods = w.pods_of(me, i).any(|(_, p)| p.exists());
            if self.owned[i].rs.replicas == 0 && !pods {
                self.owned[i].deleted = Some(w.now);
            }
        }
    }

    /// `syncRolloutStatus`: progress is more updated, ready or available Pods or
    /// fewer old ones (`DeploymentProgressing`); none for `progressDeadlineSeconds`
    /// sets `Progressing=False` with `ProgressDeadlineExceeded` (the rollout goes on).
    fn track_progress(&mut self, w: &mut World, me: CtrlId, new: usize) {
        let mut counts = (0, 0, 0, 0);
        for (i, o) in self.owned.iter().enumerate() {
            let active = w.pods_of(me, i).filter(|(_, p)| p.is_active()).count() as u32;
            if i == new {
                counts.0 = active;
            } else {
                counts.1 += active;
            }
            counts.2 += w.pods_of(me, i).filter(|(_, p)| p.is_running_and_ready()).count() as u32;
            counts.3 += w.pods_of(me, i).filter(|(_, p)| p.is_available(w.now, o.rs.min_ready)).count() as u32;
        }
        let last = self.progress.1;
        if counts.0 > last.0 || counts.1 < last.1 || counts.2 > last.2 || counts.3 > last.3 {
            self.progress.0 = w.now;
        }
        self.progress.1 = counts;
        if self.timed_out.is_some() {
            return;
        }
        let deadline = self.progress.0.saturating_add(self.version().progress_deadline);
        if w.now >= deadline {
            self.timed_out = Some(w.now);
            w.last_change = w.now;
        } else {
            w.wake(me, deadline);
        }
    }

    fn complete(&self, w: &mut World, me: CtrlId, new: usize) -> bool {
        let v = self.version();
        let olds_done = self.owned.iter().enumerate().all(|(i, o)| i == new || o.rs.replicas == 0);
        let old_pods =
            (0..self.owned.len()).filter(|&i| i != new).any(|i| w.pods_of(me, i).any(|(_, p)| p.is_active()));
        olds_done
            && !old_pods
            && self.owned[new].rs.replicas == v.replicas
            && self.owned[new].rs.available(w, me, new) >= v.replicas
    }
}

impl Deployment {
    /// `sync` (sync.go), all that `syncDeployment` does for a paused Deployment:
    /// `getAllReplicaSetsAndSyncRevision` without creating the new ReplicaSet, then
    /// `scale`, which sizes the active ReplicaSet (or the latest when none has
    /// replicas, `FindActiveOrLatest`) to `replicas`. No rollout: a template change
    /// waits, and a Deployment created paused has no ReplicaSet and no Pods. The
    /// versions are applied one after another once settled, so there is never more
    /// than one active ReplicaSet to scale proportionally here.
    fn sync_paused(&mut self, w: &mut World, me: CtrlId) {
        let live = (0..self.owned.len()).filter(|&i| self.owned[i].deleted.is_none());
        let active: Vec<usize> = live.clone().filter(|&i| self.owned[i].rs.replicas > 0).collect();
        let target = match active.as_slice() {
            [one] => Some(*one),
            [] => live.max_by_key(|&i| self.owned[i].revision),
            _ => None,
        };
        let replicas = self.version().replicas;
        if let Some(i) = target
            && self.owned[i].rs.replicas != replicas
        {
            self.scale(w, me, i, replicas, i);
        }
        for (i, owned) in self.owned.iter().enumerate() {
            owned.rs.manage(w, me, i, &mut self.rng);
        }
        let settled = target.is_none_or(|i| self.owned[i].rs.available(w, me, i) >= replicas);
        if settled && self.completed[self.current].is_none() {
            self.completed[self.current] = Some(w.now);
            self.next_version(w, me);
        }
    }

    /// Applies the next version of the Deployment in the input, once the current
    /// one is rolled out (or scaled, while paused).
    fn next_version(&mut self, w: &mut World, me: CtrlId) {
        if self.current + 1 >= self.versions.len() {
            return;
        }
        let replicas = self.version().replicas;
        // The template running: the newest ReplicaSet's (a paused version's template was not rolled out).
        let live = self.owned.iter().filter(|o| o.deleted.is_none());
        let running = live.max_by_key(|o| o.revision).map_or_else(String::new, |o| o.hash.clone());
        self.current += 1;
        self.applied.push(w.now);
        self.completed.push(None);
        self.first_step.push(self.steps.len());
        self.progress.0 = w.now;
        self.timed_out = None;
        // A change of replicas alone scales (sync.go `sync`); only a new template rolls out.
        let changed = running != self.version().hash;
        self.template_changed.push(changed);
        let after = self.version();
        let mut what = if changed {
            "the template changed".to_string()
        } else if replicas != after.replicas {
            format!("replicas {replicas} → {}, the template is unchanged", after.replicas)
        } else {
            "the template is unchanged".to_string()
        };
        if after.paused {
            what.push_str("; paused, so it is not rolled out");
        }
        let message = format!("kval applies version {} of the Deployment ({}): {what}", self.current + 1, after.origin);
        w.note("Applied", &self.namespace, object_ref("Deployment", &self.name), message);
        w.wake(me, w.now);
    }
}

impl Controller for Deployment {
    fn sync(&mut self, w: &mut World, me: CtrlId) {
        self.autoscale(w, me);
        if self.version().paused {
            return self.sync_paused(w, me);
        }
        let new = self.new_replica_set();
        let changed = if self.version().recreate { self.recreate(w, me, new) } else { self.rolling(w, me, new) };
        for (i, owned) in self.owned.iter().enumerate() {
            owned.rs.manage(w, me, i, &mut self.rng);
        }
        if changed {
            w.wake(me, w.now);
            return;
        }
        let complete = self.complete(w, me, new);
        if complete {
            self.clean_history(w, me, new);
        } else if self.completed[self.current].is_none() {
            self.track_progress(w, me, new);
        }
        if self.completed[self.current].is_none() && complete {
            self.completed[self.current] = Some(w.now);
            self.next_version(w, me);
        }
    }

    fn report(&self, w: &World, me: CtrlId) -> Report {
        let v = self.version();
        let (surge, unavailable) = fenceposts(v.replicas, v.max_surge, v.max_unavailable);
        let mut lines = Vec::new();
        let strategy = if v.recreate {
            "strategy Recreate".to_string()
        } else {
            format!(
                "strategy RollingUpdate (maxSurge {} = {surge}, maxUnavailable {} = {unavailable})",
                v.max_surge.display(),
                v.max_unavailable.display()
            )
        };
        lines.push(format!("{}, {strategy}", plural(v.replicas as usize, "replica")));
        if v.paused {
            lines.push(
                "paused (spec.paused): the controller only scales, no rollout; Progressing=Unknown DeploymentPaused"
                    .into(),
            );
        }
        let mut sets = Vec::new();
        for (i, o) in self.owned.iter().enumerate() {
            let ready = w.pods_of(me, i).filter(|(_, p)| p.is_running_and_ready()).count();
            let state = match o.deleted {
                Some(t) => format!("deleted at {} (revisionHistoryLimit {})", fmt(t), v.history_limit),
                None => format!("{} of {} ready", ready, o.rs.replicas),
            };
            lines.push(format!(
                "ReplicaSet {} (revision {}, pod-template-hash {}): {state}",
                o.rs.name, o.revision, o.hash
            ));
            sets.push(json!({
                "name": o.rs.name,
                "podTemplateHash": o.hash,
                "revision": o.revision,
                "replicas": o.rs.replicas,
                "ready": ready,
                "deletedAt": o.deleted.map(secs),
            }));
        }
        let new_rs = self.owned.iter().rev().find(|o| o.hash == v.hash).map_or("", |o| o.rs.name.as_str());
        let progressing = match self.timed_out {
            // checkPausedConditions (progress.go).
            _ if v.paused => {
                json!({ "status": "Unknown", "reason": "DeploymentPaused", "message": "Deployment is paused" })
            }
            Some(t) => {
                lines.push(format!(
                    "Progressing=False ProgressDeadlineExceeded at {}: ReplicaSet \"{new_rs}\" has timed out progressing. (progressDeadlineSeconds {})",
                    fmt(t),
                    v.progress_deadline / 1000
                ));
                json!({ "status": "False", "reason": "ProgressDeadlineExceeded", "at": secs(t),
                    "message": format!("ReplicaSet \"{new_rs}\" has timed out progressing.") })
            }
            None if self.completed[self.current].is_some() => {
                json!({ "status": "True", "reason": "NewReplicaSetAvailable",
                "message": format!("ReplicaSet \"{new_rs}\" has successfully progressed.") })
            }
            None => json!({ "status": "True", "reason": "ReplicaSetUpdated",
                "message": format!("ReplicaSet \"{new_rs}\" is progressing.") }),
        };
        for (i, version) in self.versions.iter().enumerate().skip(1) {
            let line = match (self.applied.get(i), self.completed.get(i).copied().flatten()) {
                (Some(at), _) if version.paused => {
                    format!(
                        "version {} ({}) applied at {} while paused: not rolled out",
                        i + 1,
                        version.origin,
                        fmt(*at)
                    )
                }
                (Some(at), Some(done)) => format!(
                    "version {} ({}) {} from {} to {} in {}",
                    i + 1,
                    version.origin,
                    if self.template_changed.get(i) == Some(&true) { "rolled out" } else { "scaled" },
                    fmt(*at),
                    fmt(done),
                    plural(
                        self.first_step.get(i + 1).copied().unwrap_or(self.steps.len())
                            - self.first_step.get(i).copied().unwrap_or(0),
                        "step"
                    )
                ),
                (Some(at), None) => {
                    format!("version {} ({}) applied at {}, rollout in progress", i + 1, version.origin, fmt(*at))
                }
                _ => format!("version {} ({}) waits for the previous rollout", i + 1, version.origin),
            };
            lines.push(line);
        }
        if self.owned.len() > 1 || self.versions.len() > 1 {
            lines.push("the pod-template-hash is kval's own (FNV-1a of the template), not cluster-exact".into());
        }
        let steps = self.steps.iter().map(|s| {
            json!({ "time": secs(s.time), "action": s.action, "newReplicas": s.new, "oldReplicas": s.old, "available": s.available })
        });
        let detail = json!({
            "replicas": v.replicas,
            "strategy": if v.recreate { "Recreate" } else { "RollingUpdate" },
            "paused": v.paused,
            "maxSurge": surge,
            "maxUnavailable": unavailable,
            "replicaSets": sets,
            "revisionHistoryLimit": v.history_limit,
            "progressDeadlineSeconds": v.progress_deadline / 1000,
            "progressing": progressing,
            "versions": self.versions.iter().enumerate().map(|(i, v)| json!({
                "origin": v.origin,
                "appliedAt": self.applied.get(i).map(|t| secs(*t)),
                "completedAt": self.completed.get(i).copied().flatten().map(secs),
            })).collect::<Vec<_>>(),
            "steps": steps.collect::<Vec<_>>(),
        });
        let mut report = Report::new("Deployment", &self.namespace, &self.name, lines, detail);
        let rows = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    fmt(s.time),
                    s.action.clone(),
                    s.new.to_string(),
                    s.old.to_string(),
                    s.available.to_string(),
                ]
            })
            .collect();
        report.rollout = Some(Table::new(&["STEP", "TIME", "ACTION", "NEW", "OLD", "AVAILABLE"], rows));
        report
    }
}

fn fmt(ms: Millis) -> String {
    crate::kube::duration::format(ms)
}

fn secs(ms: Millis) -> f64 {
    ms as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenceposts_from_the_reference() {
        let p = IntOrPercent::Percent(25);
        assert_eq!(fenceposts(10, p, p), (3, 2));
        assert_eq!(fenceposts(1, p, p), (1, 0));
        assert_eq!(fenceposts(3, p, p), (1, 0));
        assert_eq!(fenceposts(4, p, p), (1, 1));
        assert_eq!(fenceposts(5, IntOrPercent::Int(0), IntOrPercent::Int(0)), (0, 1));
        assert_eq!(fenceposts(2, IntOrPercent::Int(0), IntOrPercent::Int(5)), (0, 2));
    }
}
