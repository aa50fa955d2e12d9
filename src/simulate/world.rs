//! The state of the simulated cluster over time: Pods and their lifecycle (what
//! the scheduler and the kubelet do), claims, the event log, and the timers that
//! drive the clock.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashSet};

use super::admission::{self, Admission};
use super::cluster::Cluster;
use super::constraints::Constraints;
use super::disruption::{Budget, Counted};
use super::kubelet::{self, Mark, Step};
use super::labels::{Labels, service_selects};
use super::scheduler::volumes::Need;
use super::scheduler::{self, Budgets, Decision, DefaultSelector, Incoming, Placed, View};
use super::template::{PodSpec, RestartPolicy};
use super::volumes::{Claim, Storage};

/// Simulated time, in milliseconds since the start (`--now`).
pub type Millis = u64;
pub type PodId = usize;
/// A controller: one per workload in the input, in input order.
pub type CtrlId = usize;

/// The kubelet's crash-loop back-off (`initialBackOff`, `MaxContainerBackOff` in
/// pkg/kubelet): 10 s, doubled per restart, at most 5 min.
const CRASH_BACKOFF: Millis = 10_000;
const MAX_CRASH_BACKOFF: Millis = 300_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }
}

/// How a run made to fail with `--fail` ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailWith {
    /// The first container exits with this code.
    Exit(i32),
    /// The Pod is evicted (the Eviction API): deleted, with the condition
    /// `DisruptionTarget` (reason `EvictionByEvictionAPI`).
    Eviction,
}

/// `--fail NAME=N[:HOW]`: how many runs fail, and how.
pub type Failures = BTreeMap<String, (u32, FailWith)>;

/// The object a Pod's `ownerReferences` names.
#[derive(Clone, Debug)]
pub struct Owner {
    pub kind: &'static str,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Pod {
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    pub annotations: Labels,
    pub owner: Option<Owner>,
    /// The controller to wake when the Pod changes, and which of its objects owns
    /// the Pod (a Deployment's ReplicaSet, a CronJob's Job, a DaemonSet's node, a
    /// StatefulSet's ordinal, an indexed Job's index).
    pub ctrl: CtrlId,
    pub group: usize,
    pub spec: PodSpec,
    /// Environment variables the controller adds (`JOB_COMPLETION_INDEX`).
    pub env: Vec<(String, String)>,
    pub node: Option<usize>,
    pub ip: Option<String>,
    pub phase: Phase,
    pub ready: bool,
    /// Waiting to be restarted after a failed run.
    pub back_off: bool,
    pub restarts: u32,
    /// Container exits in a row, for the crash-loop back-off.
    exits: u32,
    pub created: Millis,
    /// When the Pod was bound to its node (and the kubelet's probe workers started).
    pub bound: Option<Millis>,
    pub started: Option<Millis>,
    pub ready_at: Option<Millis>,
    pub finished: Option<Millis>,
    /// When the Pod was deleted (its `deletionTimestamp`): Terminating until `gone`.
    pub deleted: Option<Millis>,
    /// When the Pod object was removed, its containers stopped.
    pub gone: Option<Millis>,
    /// Its requests are counted on its node (bound, not yet finished or gone).
    holds: bool,
    /// Why the scheduler cannot place the Pod, in its own words.
    pub pending_reason: Option<String>,
    /// The Pod's priority (from its PriorityClass) and whether it may preempt.
    pub priority: i64,
    pub may_preempt: bool,
    /// The node a preemption made room on (`status.nominatedNodeName`).
    pub nominated: Option<usize>,
    /// Runs still to fail (`--fail`), and how.
    pub fail_runs: u32,
    fail_with: FailWith,
    /// The container and exit code of the last failed run.
    pub exit: Option<(String, i32)>,
    /// The reason of the Pod's `DisruptionTarget` condition, once it was disrupted.
    pub disruption: Option<&'static str>,
    /// Counts the container runs, so that timers of an earlier run are ignored.
    run: u32,
    /// The kubelet's steps to start the containers (pulls, `Created`, `Started`),
    /// and which start they belong to.
    steps: Vec<Step>,
    attempt: u32,
    /// While the init containers run.
    pub init: Option<Init>,
    /// When the Pod is Ready if the planned start goes through (never, when a probe errors).
    planned_ready: Option<Millis>,
}

/// The init containers of a Pod that is initializing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Init {
    /// Completed (or, for sidecars, started) init containers.
    pub done: usize,
    pub total: usize,
    /// The next one exited non-zero.
    pub failed: bool,
}

impl Pod {
    /// Created, not deleted and not finished.
    pub fn is_active(&self) -> bool {
        self.deleted.is_none() && matches!(self.phase, Phase::Pending | Phase::Running)
    }

    /// Not yet removed (a Terminating Pod still exists).
    pub fn exists(&self) -> bool {
        self.gone.is_none()
    }

    /// Deleted, its containers still stopping.
    pub fn is_terminating(&self) -> bool {
        self.deleted.is_some() && self.gone.is_none()
    }

    /// Bound to a node and not finished: what the scheduler counts on the node
    /// (its informer leaves out Succeeded and Failed Pods, not Terminating ones).
    pub fn holds_node(&self) -> bool {
        self.holds
    }

    pub fn is_running_and_ready(&self) -> bool {
        self.is_active() && self.phase == Phase::Running && self.ready
    }

    /// Ready for at least `min_ready` (a controller's `minReadySeconds`).
    pub fn is_available(&self, now: Millis, min_ready: Millis) -> bool {
        self.is_running_and_ready() && self.ready_at.is_some_and(|t| t + min_ready <= now)
    }

    /// The STATUS column of `kubectl get pods` (`printPod` in kubectl's printers).
    pub fn status(&self) -> String {
        let init = self.init.filter(|_| matches!(self.phase, Phase::Pending | Phase::Failed));
        match (self.phase, init) {
            _ if self.is_terminating() => "Terminating".into(),
            (Phase::Pending, _) if self.node.is_none() => "Pending".into(),
            (Phase::Pending, Some(i)) if i.failed && self.back_off => "Init:CrashLoopBackOff".into(),
            (_, Some(i)) if i.failed => "Init:Error".into(),
            (Phase::Pending, Some(i)) if i.done < i.total => format!("Init:{}/{}", i.done, i.total),
            (Phase::Pending, Some(_)) => "PodInitializing".into(),
            (Phase::Pending, None) => "ContainerCreating".into(),
            (Phase::Running, _) if self.back_off => "CrashLoopBackOff".into(),
            (Phase::Running, _) => "Running".into(),
            (Phase::Succeeded, _) => "Completed".into(),
            (Phase::Failed, _) => "Error".into(),
        }
    }

    /// The READY column: ready containers / containers, sidecars included.
    pub fn ready_column(&self) -> String {
        let sidecars = self.spec.init_containers.iter().filter(|c| c.sidecar).count();
        let n = (self.spec.containers.len() + sidecars).max(1);
        format!("{}/{n}", if self.ready { n } else { 0 })
    }

    pub fn object(&self) -> String {
        format!("pod/{}", self.name)
    }

    /// The Pod's UID: kval's own, stable from run to run.
    pub fn uid(&self) -> String {
        crate::simulate::names::Rng::new(0, &format!("Pod/{}/{}", self.namespace, self.name)).uid()
    }

    /// The Pod's conditions (type, status) as the API shows them, for a Job's
    /// `podFailurePolicy`.
    pub fn conditions(&self) -> Vec<(&'static str, &'static str)> {
        let truth = |b: bool| if b { "True" } else { "False" };
        let mut conditions = vec![
            ("PodScheduled", truth(self.node.is_some())),
            ("Initialized", truth(self.started.is_some())),
            ("ContainersReady", truth(self.ready)),
            ("Ready", truth(self.ready)),
        ];
        if self.disruption.is_some() {
            conditions.push(("DisruptionTarget", "True"));
        }
        conditions
    }
}

/// What a controller gives to create a Pod.
pub struct PodInit {
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    pub annotations: Labels,
    pub owner: Option<Owner>,
    pub group: usize,
    pub spec: PodSpec,
    pub env: Vec<(String, String)>,
    /// Names a `--fail NAME=N` may use for this Pod's workload (its Job, its
    /// CronJob...), besides the Pod's own name.
    pub fail_keys: Vec<String>,
}

/// A Service (network.rs): its endpoints and DNS names.
#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    pub namespace: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    pub kind: String,
    pub headless: bool,
    pub cluster_ip: Option<String>,
    pub external_name: Option<String>,
    /// `spec.externalIPs`.
    pub external_ips: Vec<String>,
    /// `80/TCP`, `80:30080/TCP` with a node port, as `kubectl get services` shows them.
    pub ports: Vec<String>,
    pub port_specs: Vec<super::network::ServicePort>,
    pub publish_not_ready: bool,
    pub selector: Labels,
}

/// The PriorityClasses of the cluster: the built-in system classes and those given.
#[derive(Clone, Debug)]
pub struct Priorities {
    /// Name → value and `preemptionPolicy: Never`.
    pub classes: BTreeMap<String, (i64, bool)>,
    /// The class with `globalDefault: true`.
    pub default: Option<String>,
}

impl Default for Priorities {
    fn default() -> Self {
        let classes = [("system-cluster-critical", 2_000_000_000), ("system-node-critical", 2_000_001_000)]
            .into_iter()
            .map(|(name, value)| (name.to_string(), (value, false)))
            .collect();
        Priorities { classes, default: None }
    }
}

impl Priorities {
    /// The Priority admission plugin: the class's value (0 without one, or for a
    /// class not in the input, which is warned about), `spec.priority` given
    /// outright, and the class's `preemptionPolicy` unless the Pod says.
    fn resolve(&self, c: &Constraints) -> (i64, bool) {
        let class = c.priority_class.as_ref().or(self.default.as_ref()).and_then(|n| self.classes.get(n));
        let (value, never) = class.copied().unwrap_or((0, false));
        (c.priority.unwrap_or(value), !(c.never_preempt || never))
    }
}

/// One line of the timeline, like `kubectl get events`.
#[derive(Clone, Debug)]
pub struct Event {
    pub time: Millis,
    pub warning: bool,
    /// kval's own note (a Deployment's next version applied, a Job removed by its
    /// TTL), not an event any cluster component emits.
    pub kval: bool,
    pub reason: String,
    pub namespace: String,
    /// `pod/web-7c9f-abcde`, `job/backup`.
    pub object: String,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// How long a container that runs to completion runs, without an obvious `sleep`.
    pub run_duration: Millis,
    /// From binding to the first container's image pull (the Pod sandbox).
    pub start_delay: Millis,
    /// How long pulling an image takes.
    pub image_pull: Millis,
    /// The Kubernetes minor version whose wording messages take (`-k`).
    pub minor: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    /// A step of the kubelet starting containers: Pod, start attempt, step.
    Kubelet(PodId, u32, usize),
    /// The end of a crash-loop back-off.
    Restart(PodId, u32),
    Ready(PodId, u32),
    Exit(PodId, u32),
    /// The end of a Pod's graceful termination.
    Gone(PodId),
    Wake(CtrlId),
}

/// The most controller syncs one simulation may take; past it the simulation stops
/// with a warning rather than run on.
const MAX_SYNCS: usize = 200_000;

/// The most Pods one simulation creates; past it controllers create no more, with
/// a warning (a manifest asking for millions of replicas must not exhaust memory).
pub const MAX_PODS: usize = 2_000;

pub struct World {
    pub now: Millis,
    /// When something last happened: the end of the simulation (timers that change
    /// nothing, such as a deadline after completion, do not count).
    pub last_change: Millis,
    pub cluster: Cluster,
    pub pods: Vec<Pod>,
    pub claims: Vec<Claim>,
    /// StorageClasses and PersistentVolumes (the claims bind to them).
    pub storage: Storage,
    pub services: Vec<Service>,
    /// Labels of the Namespace objects given (for `namespaceSelector`).
    pub namespaces: BTreeMap<String, Labels>,
    pub priorities: Priorities,
    /// The PodDisruptionBudgets given, for preemption.
    pub budgets: Vec<Budget>,
    /// The LimitRanges and ResourceQuotas given, for the Pods controllers create.
    pub admission: Admission,
    /// Controllers a ResourceQuota refused a Pod: synced again when Pods finish.
    refused: BTreeSet<CtrlId>,
    pub events: Vec<Event>,
    pub warnings: Vec<String>,
    pub settings: Settings,
    /// `--fail` budgets by name, and the names that matched something.
    fail_budget: Failures,
    pub fail_used: BTreeSet<String>,
    queue: BinaryHeap<Reverse<(Millis, u64, Timer)>>,
    seq: u64,
    dirty: BTreeSet<CtrlId>,
    /// Set when resources were freed or claims bound: Pending Pods are tried again.
    pub(crate) retry_pending: bool,
    names: HashSet<(String, String)>,
    syncs: usize,
    warned_full: bool,
}

/// A workload controller. `sync` is level-triggered: it looks at the world as it is
/// now and acts, and is called again whenever one of its Pods changes or a timer
/// it set comes due.
pub trait Controller {
    fn sync(&mut self, w: &mut World, me: CtrlId);
    fn report(&self, w: &World, me: CtrlId) -> super::output::Report;
}

impl World {
    pub fn new(cluster: Cluster, services: Vec<Service>, settings: Settings, fail: Failures) -> World {
        World {
            now: 0,
            last_change: 0,
            cluster,
            pods: Vec::new(),
            claims: Vec::new(),
            storage: Storage::default(),
            services,
            namespaces: BTreeMap::new(),
            priorities: Priorities::default(),
            budgets: Vec::new(),
            admission: Admission::default(),
            refused: BTreeSet::new(),
            events: Vec::new(),
            warnings: Vec::new(),
            settings,
            fail_budget: fail,
            fail_used: BTreeSet::new(),
            queue: BinaryHeap::new(),
            seq: 0,
            dirty: BTreeSet::new(),
            retry_pending: false,
            names: HashSet::new(),
            syncs: 0,
            warned_full: false,
        }
    }

    pub fn event(&mut self, warning: bool, reason: &str, namespace: &str, object: String, message: String) {
        self.last_change = self.now;
        let namespace = namespace.to_string();
        self.events.push(Event {
            time: self.now,
            warning,
            kval: false,
            reason: reason.into(),
            namespace,
            object,
            message,
        });
    }

    /// A line of the timeline that is kval's own, not a cluster event (see [`Event::kval`]).
    pub fn note(&mut self, reason: &str, namespace: &str, object: String, message: String) {
        self.event(false, reason, namespace, object, message);
        if let Some(e) = self.events.last_mut() {
            e.kval = true;
        }
    }

    fn at(&mut self, time: Millis, timer: Timer) {
        self.seq += 1;
        self.queue.push(Reverse((time, self.seq, timer)));
    }

    /// Asks for `ctrl` to be synced at `time` (now or later).
    pub fn wake(&mut self, ctrl: CtrlId, time: Millis) {
        if time <= self.now {
            self.dirty.insert(ctrl);
        } else {
            self.at(time, Timer::Wake(ctrl));
        }
    }

    pub fn name_taken(&self, namespace: &str, name: &str) -> bool {
        self.names.contains(&(namespace.to_string(), name.to_string()))
    }

    /// The Pods a controller made for one of its objects, in creation order.
    pub fn pods_of(&self, ctrl: CtrlId, group: usize) -> impl Iterator<Item = (PodId, &Pod)> {
        self.pods.iter().enumerate().filter(move |(_, p)| p.ctrl == ctrl && p.group == group)
    }

    /// True once [`MAX_PODS`] Pods were created: controllers stop creating.
    pub fn full(&mut self) -> bool {
        let full = self.pods.len() >= MAX_PODS;
        if full && !self.warned_full {
            self.warned_full = true;
            self.warnings.push(format!("the simulation stopped creating Pods after {MAX_PODS}"));
        }
        full
    }

    /// The API server's admission of a Pod its controller is about to create
    /// (admission.rs): LimitRange defaults written into `init.spec`, then the
    /// LimitRange and ResourceQuota checks. `Err` is the API server's answer,
    /// `pods "NAME" is forbidden: ...`, NAME `shown`: the Pod's name, or the
    /// `generateName` of a generated one (`extractResourceName`: names are generated
    /// after admission).
    pub fn admit(&mut self, ctrl: CtrlId, init: &mut PodInit, shown: &str) -> Result<(), String> {
        if self.admission.is_empty() {
            return Ok(());
        }
        let namespace = init.namespace.clone();
        let checked = self.admission.limit(&namespace, &mut init.spec).and_then(|()| {
            let mut used = std::collections::BTreeMap::new();
            for p in self.pods.iter().filter(|p| {
                p.namespace == namespace && p.exists() && matches!(p.phase, Phase::Pending | Phase::Running)
            }) {
                for (k, v) in admission::usage(&p.spec) {
                    *used.entry(k).or_insert(0u64) += v;
                }
            }
            self.admission.quota(&namespace, &init.spec, &used).inspect_err(|_| {
                self.refused.insert(ctrl);
            })
        });
        checked.map_err(|e| format!("pods \"{shown}\" is forbidden: {e}"))
    }

    /// A controller's `FailedCreate` event, once per message (a cluster's event
    /// recorder counts repeats on one event).
    pub fn failed_create(&mut self, namespace: &str, object: String, message: String) {
        let seen = self.events.iter().any(|e| e.reason == "FailedCreate" && e.object == object && e.message == message);
        if !seen {
            self.event(true, "FailedCreate", namespace, object, message);
        }
    }

    /// Quota was freed: the controllers it refused try again (their work queue's
    /// back-off is milliseconds).
    fn quota_freed(&mut self) {
        self.dirty.extend(self.refused.iter().copied());
    }

    pub fn create_pod(&mut self, ctrl: CtrlId, init: PodInit) -> PodId {
        let (fail_runs, fail_with) = self.take_failures(&init.name, &init.fail_keys);
        let id = self.pods.len();
        self.names.insert((init.namespace.clone(), init.name.clone()));
        self.pods.push(Pod {
            name: init.name,
            namespace: init.namespace,
            labels: init.labels,
            annotations: init.annotations,
            owner: init.owner,
            ctrl,
            group: init.group,
            spec: init.spec,
            env: init.env,
            node: None,
            ip: None,
            phase: Phase::Pending,
            ready: false,
            back_off: false,
            restarts: 0,
            exits: 0,
            created: self.now,
            bound: None,
            started: None,
            ready_at: None,
            finished: None,
            deleted: None,
            gone: None,
            holds: false,
            pending_reason: None,
            priority: 0,
            may_preempt: true,
            nominated: None,
            fail_runs,
            fail_with,
            exit: None,
            disruption: None,
            run: 0,
            steps: Vec::new(),
            attempt: 0,
            init: None,
            planned_ready: None,
        });
        let (priority, may_preempt) = self.priorities.resolve(&self.pods[id].spec.constraints);
        self.pods[id].priority = priority;
        self.pods[id].may_preempt = may_preempt;
        self.create_ephemeral_claims(id);
        self.schedule(id);
        id
    }

    /// `--fail POD=N` fails the Pod's first N runs; `--fail WORKLOAD=N` fails the
    /// first run of each of the first N Pods the workload creates.
    fn take_failures(&mut self, pod: &str, keys: &[String]) -> (u32, FailWith) {
        if let Some(failures) = self.fail_budget.remove(pod) {
            self.fail_used.insert(pod.to_string());
            return failures;
        }
        for key in keys {
            if let Some((left, with)) = self.fail_budget.get_mut(key) {
                self.fail_used.insert(key.clone());
                if *left > 0 {
                    *left -= 1;
                    return (1, *with);
                }
            }
        }
        (0, FailWith::Exit(1))
    }

    /// Deletes a Pod gracefully: Terminating (no longer counted by its controller,
    /// nor Ready in EndpointSlices) while the kubelet stops its running containers
    /// ([`kubelet::termination`]), each with a `Killing` event; its node keeps its
    /// requests until it is gone. A Pod not running goes at once.
    pub fn delete_pod(&mut self, id: PodId) {
        let now = self.now;
        let Some(pod) = self.pods.get_mut(id) else { return };
        if pod.deleted.is_some() {
            return;
        }
        let running = pod.phase == Phase::Running && !pod.back_off;
        pod.deleted = Some(now);
        let (ctrl, namespace, object) = (pod.ctrl, pod.namespace.clone(), pod.object());
        let sidecars = pod.spec.init_containers.iter().filter(|c| c.sidecar);
        let containers: Vec<String> = pod.spec.containers.iter().chain(sidecars).map(|c| c.name.clone()).collect();
        let took = kubelet::termination(&pod.spec, running);
        if running {
            for container in containers {
                self.event(false, "Killing", &namespace, object.clone(), format!("Stopping container {container}"));
            }
        }
        if took == 0 {
            self.gone(id);
        } else {
            self.last_change = now;
            self.at(now.saturating_add(took), Timer::Gone(id));
        }
        self.dirty.insert(ctrl);
    }

    /// The Pod's containers have stopped and the object is removed.
    fn gone(&mut self, id: PodId) {
        self.release(id);
        let pod = &mut self.pods[id];
        pod.gone = Some(self.now);
        pod.ready = false;
        self.last_change = self.now;
        let (ctrl, key) = (pod.ctrl, (pod.namespace.clone(), pod.name.clone()));
        self.names.remove(&key);
        // The garbage collector deletes its ephemeral volumes' claims.
        self.delete_claims_of(id);
        self.dirty.insert(ctrl);
    }

    /// Frees the Pod's requests on its node, once.
    fn release(&mut self, id: PodId) {
        self.quota_freed();
        let pod = &mut self.pods[id];
        if let (true, Some(node)) = (pod.holds, pod.node) {
            pod.holds = false;
            self.cluster.release(node, pod.spec.requests);
            self.retry_pending = true;
        }
    }

    /// Each PodDisruptionBudget's `disruptionsAllowed` now (the disruption
    /// controller's count of the Pods it covers).
    fn disruptions_allowed(&self) -> Vec<i64> {
        let budget_allows = |b: &Budget| {
            let covered = self.pods.iter().filter(|p| p.exists() && b.covers(&p.namespace, &p.labels));
            b.disruptions_allowed(
                covered.map(|p| Counted { healthy: p.is_active() && p.ready, expected: p.is_active() }),
            )
        };
        self.budgets.iter().map(budget_allows).collect()
    }

    fn schedule(&mut self, id: PodId) {
        let Some(pod) = self.pods.get(id) else { return };
        if !pod.is_active() || pod.node.is_some() {
            return;
        }
        let volumes = self.pod_volumes(pod);
        let decision = match &pod.spec.node_name {
            // A Pod with `nodeName` skips the scheduler: the kubelet takes it.
            Some(name) => match self.cluster.find(name) {
                Some(node) => Decision::Bind(node),
                None => Decision::Unschedulable(format!(
                    "`spec.nodeName` is `{name}`, which is not a node of the simulated cluster"
                )),
            },
            None => {
                // The bound Pods, and (RunFilterPluginsWithNominatedPods,
                // addGENominatedPods) the Pods nominated to a node by a preemption
                // whose priority is at least this Pod's: the room a preemption
                // made is kept for its Pod.
                let placed = self.pods.iter().enumerate().filter_map(|(i, p)| {
                    let node = match p.node {
                        Some(node) => Some(node).filter(|_| p.holds_node())?,
                        None if i != id && p.is_active() && p.priority >= pod.priority => p.nominated?,
                        None => return None,
                    };
                    Some(Placed {
                        id: i,
                        node,
                        namespace: &p.namespace,
                        labels: &p.labels,
                        spec: &p.spec,
                        priority: p.priority,
                        owner: selector_owner(p),
                        started: p.bound.unwrap_or(p.created),
                        preempted: p.is_terminating() && p.disruption == Some("PreemptionByScheduler"),
                    })
                });
                let allowed = || self.disruptions_allowed();
                let view = View {
                    cluster: &self.cluster,
                    pods: placed.collect(),
                    namespaces: &self.namespaces,
                    minor: self.settings.minor,
                    storage: &self.storage,
                    claims: &self.claims,
                    budgets: Budgets { list: &self.budgets, allowed: &allowed },
                };
                let incoming = Incoming {
                    namespace: &pod.namespace,
                    labels: &pod.labels,
                    spec: &pod.spec,
                    priority: pod.priority,
                    may_preempt: pod.may_preempt,
                    nominated: pod.nominated,
                    default_selector: self.default_selector(pod),
                    volumes: &volumes,
                };
                scheduler::place(&incoming, &view)
            }
        };
        let (namespace, object, name) = (pod.namespace.clone(), pod.object(), pod.name.clone());
        match decision {
            Decision::Bind(node) => {
                // A Pod with `nodeName` never meets the scheduler, whose VolumeBinding
                // binds and provisions WaitForFirstConsumer claims (and which alone
                // emits `Scheduled`): such claims stay Pending and the kubelet waits
                // for their volumes, ContainerCreating without an IP.
                let direct = self.pods[id].spec.node_name.is_some();
                let waits = direct
                    && match &volumes {
                        Err(_) => true,
                        Ok(needs) => needs.iter().any(|n| matches!(n, Need::Delayed { .. })),
                    };
                if !direct {
                    self.bind_pod_volumes(&volumes, node);
                }
                let spec = &self.pods[id].spec;
                let ip = self.cluster.bind(node, spec.requests, spec.host_network);
                let node_name = self.cluster.nodes[node].name.clone();
                let pod = &mut self.pods[id];
                pod.holds = true;
                pod.node = Some(node);
                pod.ip = (!waits).then_some(ip);
                pod.pending_reason = None;
                pod.nominated = None;
                pod.bound = Some(self.now);
                if !direct {
                    let message = format!("Successfully assigned {namespace}/{name} to {node_name}");
                    self.event(false, "Scheduled", &namespace, object, message);
                    self.plan_start(id, true);
                } else if waits {
                    let message = "waits for its volumes: spec.nodeName bypasses the scheduler, which binds \
                                   WaitForFirstConsumer claims"
                        .to_string();
                    self.note("VolumesNotBound", &namespace, object, message);
                } else {
                    self.plan_start(id, true);
                }
            }
            Decision::Preempt { node, victims, message } => {
                self.pods[id].nominated = Some(node);
                self.failed_scheduling(id, message);
                let uid = self.pods[id].uid();
                let node_name = self.cluster.nodes[node].name.clone();
                // prepareCandidate: a victim already being deleted gets no second
                // deletion and no event.
                let victims: Vec<PodId> = victims.into_iter().filter(|&v| self.pods[v].deleted.is_none()).collect();
                for victim in victims {
                    let (ns, object) = (self.pods[victim].namespace.clone(), self.pods[victim].object());
                    // prepareCandidate's event: the preemptor's UID from 1.29 on, before
                    // that (1.26.1 to 1.28) no word of it.
                    let message = if self.settings.minor >= 29 {
                        format!("Preempted by pod {uid} on node {node_name}")
                    } else {
                        format!("Preempted by a pod on node {node_name}")
                    };
                    self.event(false, "Preempted", &ns, object, message);
                    // prepareCandidate: the victim gets DisruptionTarget before its deletion.
                    self.pods[victim].disruption = Some("PreemptionByScheduler");
                    self.delete_pod(victim);
                }
            }
            Decision::Unschedulable(reason) => self.failed_scheduling(id, reason),
        }
    }

    /// A FailedScheduling event, when the reason changed.
    fn failed_scheduling(&mut self, id: PodId, reason: String) {
        let pod = &mut self.pods[id];
        if pod.pending_reason.as_ref() != Some(&reason) {
            pod.pending_reason = Some(reason.clone());
            let (namespace, object) = (pod.namespace.clone(), pod.object());
            self.event(true, "FailedScheduling", &namespace, object, reason);
        }
    }

    /// `DefaultSelector`: the Services of the Pod's namespace that select it, and its
    /// ReplicaSet, ReplicationController or StatefulSet.
    fn default_selector(&self, pod: &Pod) -> Option<DefaultSelector> {
        let mut services = Labels::new();
        for s in
            self.services.iter().filter(|s| s.namespace == pod.namespace && service_selects(&s.selector, &pod.labels))
        {
            services.extend(s.selector.clone());
        }
        let owned = pod
            .owner
            .as_ref()
            .is_some_and(|o| matches!(o.kind, "ReplicaSet" | "ReplicationController" | "StatefulSet"));
        let owner = owned.then(|| selector_owner(pod));
        (owner.is_some() || !services.is_empty()).then_some(DefaultSelector { services, owner })
    }

    /// Plans how the kubelet starts the Pod's containers from now ([`kubelet::plan`]):
    /// from the sandbox on the first start, else the init containers not yet done
    /// or the app containers again.
    fn plan_start(&mut self, id: PodId, first: bool) {
        let settings = self.settings.clone();
        let now = self.now;
        let pod = &mut self.pods[id];
        let Some(node) = pod.node.and_then(|n| self.cluster.nodes.get_mut(n)) else { return };
        let inits = pod.spec.init_containers.len();
        let init_from = if first {
            pod.init = (inits > 0).then_some(Init { done: 0, total: inits, failed: false });
            Some(0)
        } else {
            pod.init.map(|i| i.done)
        };
        if let Some(init) = pod.init.as_mut().filter(|i| i.failed) {
            // An init container restarts after its back-off.
            init.failed = false;
            pod.restarts += 1;
        }
        pod.back_off = false;
        let puller = (&mut node.images, &mut node.pulls);
        let plan = kubelet::plan(&pod.spec, puller, &settings, now, pod.bound.unwrap_or(now), first, init_from);
        pod.attempt += 1;
        let attempt = pod.attempt;
        pod.planned_ready = plan.ready;
        let first_step = plan.steps.first().map(|s| s.time);
        pod.steps = plan.steps;
        if let Some(time) = first_step {
            self.at(time, Timer::Kubelet(id, attempt, 0));
        }
    }

    /// One step of [`World::plan_start`].
    fn kubelet_step(&mut self, id: PodId, attempt: u32, step: usize) {
        let pod = &self.pods[id];
        if pod.attempt != attempt || !pod.is_active() {
            return;
        }
        let (namespace, object) = (pod.namespace.clone(), pod.object());
        match pod.steps.get(step).map(|s| s.mark.clone()) {
            Some(Mark::Event { warning, reason, message }) => self.event(warning, reason, &namespace, object, message),
            Some(Mark::Initialized(done)) => {
                if let Some(init) = self.pods[id].init.as_mut() {
                    init.done = done;
                }
                self.last_change = self.now;
            }
            Some(Mark::InitFailed(i, code)) => self.init_failed(id, i, code),
            Some(Mark::HookFailed(container)) => self.hook_failed(id, container),
            Some(Mark::Start) => self.start(id),
            None => {}
        }
        if let Some(time) = self.pods[id].steps.get(step + 1).map(|s| s.time) {
            self.at(time, Timer::Kubelet(id, attempt, step + 1));
        }
    }

    /// An init container exited non-zero: under `restartPolicy: Never` the Pod fails
    /// (`Init:Error`), otherwise the kubelet restarts that init container after its
    /// back-off (`Init:CrashLoopBackOff`).
    fn init_failed(&mut self, id: PodId, container: usize, code: i32) {
        let pod = &mut self.pods[id];
        let name = pod.spec.init_containers.get(container).map_or_else(String::new, |c| c.name.clone());
        pod.exit = Some((name.clone(), code));
        if let Some(init) = pod.init.as_mut() {
            init.failed = true;
        }
        self.last_change = self.now;
        // A sidecar is restarted whatever the Pod's policy.
        let sidecar = pod.spec.init_containers.get(container).is_some_and(|c| c.sidecar);
        if pod.spec.restart_policy == RestartPolicy::Never && !sidecar {
            self.finish(id, true);
        } else {
            self.restart_after_back_off(id, &name);
        }
        self.dirty.insert(self.pods[id].ctrl);
    }

    /// An app container's `postStart` hook failed and the kubelet killed it
    /// (hooks.rs): it ran, so the Pod is Running, and it is restarted as a crashed
    /// container is (CrashLoopBackOff), or under `restartPolicy: Never` the Pod fails.
    /// The kubelet counts a restart each time it starts the container again.
    fn hook_failed(&mut self, id: PodId, container: String) {
        let now = self.now;
        let pod = &mut self.pods[id];
        if pod.started.is_some() {
            pod.restarts += 1;
        }
        pod.started.get_or_insert(now);
        pod.phase = Phase::Running;
        pod.init = None;
        pod.ready = false;
        pod.exit = Some((container.clone(), kubelet::KILLED));
        self.last_change = now;
        if pod.spec.restart_policy == RestartPolicy::Never {
            self.finish(id, true);
        } else {
            self.restart_after_back_off(id, &container);
        }
        self.dirty.insert(self.pods[id].ctrl);
    }

    fn start(&mut self, id: PodId) {
        let now = self.now;
        let settings = self.settings.clone();
        let pod = &mut self.pods[id];
        if !pod.is_active() {
            return;
        }
        pod.phase = Phase::Running;
        pod.back_off = false;
        pod.init = None;
        // The kubelet counts a restart when it starts the container again.
        if pod.started.is_some() {
            pod.restarts += 1;
        }
        pod.started.get_or_insert(now);
        pod.run += 1;
        let run = pod.run;
        let failing = pod.fail_runs > 0;
        let run_time = if failing {
            Some(pod.spec.failing_run_time(settings.run_duration))
        } else {
            pod.spec.run_time(settings.run_duration)
        };
        let ready_at = pod.planned_ready;
        let ctrl = pod.ctrl;
        if let Some(time) = run_time {
            self.at(now.saturating_add(time), Timer::Exit(id, run));
        }
        match ready_at {
            Some(at) if at <= now => self.set_ready(id),
            Some(at) if run_time.is_none_or(|t| at < now.saturating_add(t)) => self.at(at, Timer::Ready(id, run)),
            _ => {}
        }
        self.dirty.insert(ctrl);
    }

    fn set_ready(&mut self, id: PodId) {
        let now = self.now;
        let pod = &mut self.pods[id];
        pod.ready = true;
        pod.ready_at = Some(now);
        self.last_change = now;
        self.dirty.insert(pod.ctrl);
    }

    /// A run ends. The kubelet restarts the container under `restartPolicy: Always`,
    /// and under OnFailure when it failed: the first time at once, then after a
    /// back-off of 10 s, 20 s, 40 s … at most 5 min (`doBackOff` in
    /// kuberuntime_manager.go), in CrashLoopBackOff meanwhile. Once the back-off has
    /// reached its maximum the Pod stays in CrashLoopBackOff: the simulation stops
    /// following it (nothing new would happen, only more restarts).
    fn exit(&mut self, id: PodId) {
        let now = self.now;
        let pod = &mut self.pods[id];
        if !pod.is_active() {
            return;
        }
        let forced = pod.fail_runs > 0;
        pod.fail_runs = pod.fail_runs.saturating_sub(1);
        if forced && pod.fail_with == FailWith::Eviction {
            return self.evict(id);
        }
        let exit = match (forced, pod.fail_with) {
            (true, FailWith::Exit(code)) => Some((pod.spec.first_container().to_string(), code)),
            _ => pod.spec.exit_code().map(|(c, code)| (c.to_string(), code)),
        };
        let failed = exit.is_some();
        if failed {
            pod.exit = exit;
        }
        pod.ready = false;
        self.last_change = now;
        let container = pod.spec.first_container().to_string();
        let ctrl = pod.ctrl;
        let restart = match pod.spec.restart_policy {
            RestartPolicy::Always => true,
            RestartPolicy::OnFailure => failed,
            RestartPolicy::Never => false,
        };
        if restart {
            self.restart_after_back_off(id, &container);
        } else {
            self.finish(id, failed);
        }
        self.dirty.insert(ctrl);
    }

    /// The kubelet restarts a container that exited: at once the first time, then
    /// after the back-off (see [`World::exit`]).
    fn restart_after_back_off(&mut self, id: PodId, container: &str) {
        let now = self.now;
        let pod = &mut self.pods[id];
        pod.exits += 1;
        let delay = match pod.exits {
            1 => 0,
            n => (CRASH_BACKOFF << (n - 2).min(10)).min(MAX_CRASH_BACKOFF),
        };
        if delay == 0 {
            return self.plan_start(id, false);
        }
        pod.back_off = true;
        let (namespace, object, name, uid) = (pod.namespace.clone(), pod.object(), pod.name.clone(), pod.uid());
        let run = pod.run;
        // `format.Pod`: name_namespace(uid).
        let message = format!("Back-off restarting failed container {container} in pod {name}_{namespace}({uid})");
        self.event(true, "BackOff", &namespace, object, message);
        if delay < MAX_CRASH_BACKOFF {
            self.at(now.saturating_add(delay), Timer::Restart(id, run));
        }
    }

    /// The Pod's containers ended for good: Succeeded or Failed, its resources freed.
    fn finish(&mut self, id: PodId, failed: bool) {
        let pod = &mut self.pods[id];
        pod.phase = if failed { Phase::Failed } else { Phase::Succeeded };
        pod.finished = Some(self.now);
        self.release(id);
    }

    /// The Eviction API deletes the Pod; its phase ends Failed with the condition
    /// `DisruptionTarget` (`EvictionByEvictionAPI`, pkg/registry/core/pod/storage/eviction.go).
    fn evict(&mut self, id: PodId) {
        self.delete_pod(id);
        let now = self.now;
        let pod = &mut self.pods[id];
        pod.phase = Phase::Failed;
        pod.finished = Some(now);
        pod.disruption = Some("EvictionByEvictionAPI");
    }

    /// Runs the controllers until nothing is left to do, or until `until`.
    pub fn run(&mut self, controllers: &mut [Box<dyn Controller>], until: Option<Millis>) {
        self.dirty.extend(0..controllers.len());
        self.settle(controllers);
        while let Some(Reverse((time, _, _))) = self.queue.peek() {
            if until.is_some_and(|u| *time > u) || self.syncs > MAX_SYNCS {
                break;
            }
            let Some(Reverse((time, _, timer))) = self.queue.pop() else { break };
            self.now = time;
            match timer {
                Timer::Kubelet(id, attempt, step) => self.kubelet_step(id, attempt, step),
                Timer::Restart(id, run) => {
                    if self.pods[id].run == run && self.pods[id].is_active() {
                        self.plan_start(id, false);
                    }
                }
                Timer::Ready(id, run) => {
                    if self.pods[id].run == run && self.pods[id].is_active() && !self.pods[id].back_off {
                        self.set_ready(id);
                    }
                }
                Timer::Exit(id, run) => {
                    if self.pods[id].run == run {
                        self.exit(id);
                    }
                }
                Timer::Gone(id) => self.gone(id),
                Timer::Wake(ctrl) => {
                    self.dirty.insert(ctrl);
                }
            }
            self.settle(controllers);
        }
        if self.syncs > MAX_SYNCS {
            self.warnings.push(format!("the simulation stopped after {MAX_SYNCS} controller syncs"));
        }
        if let Some(until) = until {
            self.now = self.now.max(until);
        }
    }

    /// Syncs the controllers that need it, and retries Pending Pods when resources were freed.
    fn settle(&mut self, controllers: &mut [Box<dyn Controller>]) {
        loop {
            if self.retry_pending {
                self.retry_pending = false;
                let pending: Vec<PodId> =
                    (0..self.pods.len()).filter(|&i| self.pods[i].is_active() && self.pods[i].node.is_none()).collect();
                for id in pending {
                    self.schedule(id);
                }
            }
            let Some(ctrl) = self.dirty.pop_first() else { break };
            self.syncs += 1;
            if self.syncs > MAX_SYNCS {
                break;
            }
            if let Some(c) = controllers.get_mut(ctrl) {
                c.sync(self, ctrl);
            }
        }
    }

    /// Unused `--fail` names.
    pub fn unused_failures(&self) -> Vec<String> {
        self.fail_budget.keys().filter(|k| !self.fail_used.contains(*k)).cloned().collect()
    }
}

/// The object whose selector matches the Pod, for default spreading: the
/// controller's object, the StatefulSet as a whole (its groups are ordinals).
fn selector_owner(pod: &Pod) -> (CtrlId, usize) {
    let whole = pod.owner.as_ref().is_some_and(|o| o.kind == "StatefulSet");
    (pod.ctrl, if whole { 0 } else { pod.group })
}
