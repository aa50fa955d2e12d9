//! `kval simulate`: a discrete-event simulation of the workload controllers, the
//! scheduler and the kubelet over the objects of a set of manifests, to show which
//! Pods they produce, with which names, on which nodes, in what order and over time.
//!
//! ```text
//! objects (load.rs) → cluster.rs (nodes) + controllers/ (one per workload)
//!   → world.rs (Pods, scheduler.rs, kubelet, timers) → output/ (human, JSON, YAML)
//! ```

// The simulation indexes its own arenas (Pods, ReplicaSets, Jobs, nodes) with ids it
// hands out itself, never with input values; the input side is fuzzed
// (`fuzz/fuzz_targets/simulate_input.rs`).
#![allow(clippy::indexing_slicing)]

pub mod admission;
pub mod cluster;
pub mod constraints;
pub mod controllers;
pub mod coverage;
pub mod disruption;
pub mod hooks;
pub mod kubelet;
pub mod labels;
pub mod load;
pub mod names;
pub mod network;
pub mod object;
pub mod output;
pub mod prober;
pub mod scheduler;
pub mod template;
pub mod volumes;
pub mod world;

use std::collections::BTreeMap;

use jiff::Timestamp;

use cluster::Cluster;
use controllers::{cronjob::CronJob, daemonset::DaemonSet, deployment::Deployment, job::Job, pod::BarePod};
use controllers::{replicaset::ReplicaSetController, statefulset::StatefulSet};
use labels::string_map;
use object::Object;
use output::Report;
use world::{Controller, Millis, Settings, World};

/// The fixed default of `--now`, so that outputs do not depend on the clock.
pub const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";

/// Default timing (`--timing realistic`), from measured clusters (README, "Time"):
/// the seed's OrderedReady StatefulSet of `image: nginx` Pods had them created 20 s
/// and 18 s apart, each waiting for the previous one's pull and start; a 129 MB
/// image took 16 s to pull in a measured kind cluster. Pod sandbox and container
/// start take about 1 s (well inside the 5 s pod startup SLO, image pulls excluded).
pub const DEFAULT_IMAGE_PULL: Millis = 17_000;
pub const DEFAULT_START_DELAY: Millis = 1_000;

#[derive(Clone, Debug)]
pub struct Options {
    /// Worker nodes of the default cluster (`--nodes`).
    pub workers: Option<usize>,
    pub seed: u64,
    pub run_duration: Millis,
    pub start_delay: Millis,
    pub image_pull: Millis,
    /// The Kubernetes version whose wording events take (`-k`).
    pub version: crate::schema::KubeVersion,
    /// Show the state at this moment instead of at the end.
    pub at: Option<Millis>,
    /// `--fail NAME=N[:HOW]`.
    pub fail: world::Failures,
    /// CronJob runs to simulate.
    pub runs: usize,
    pub now: Timestamp,
    /// The objects of `--cluster`: Nodes, PriorityClasses, Namespaces, StorageClasses and PersistentVolumes.
    pub nodes: Vec<Object>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            workers: None,
            seed: 0,
            run_duration: 10_000,
            start_delay: DEFAULT_START_DELAY,
            image_pull: DEFAULT_IMAGE_PULL,
            version: crate::schema::KubeVersion::newest(),
            at: None,
            fail: BTreeMap::new(),
            runs: 3,
            now: DEFAULT_NOW.parse().unwrap_or(Timestamp::UNIX_EPOCH),
            nodes: Vec::new(),
        }
    }
}

/// A finished simulation: the world at the moment shown, and each workload's report.
pub struct Simulation {
    pub start: Timestamp,
    /// The moment shown: the end of the simulation, or `--at`.
    pub time: Millis,
    pub at: Option<Millis>,
    pub world: World,
    pub reports: Vec<Report>,
    /// How the cluster was made, for the header.
    pub cluster: String,
    /// Documents left out because they have errors (filled in by the caller).
    pub excluded: Vec<load::Excluded>,
    /// Fields and objects of the input the simulation does not model.
    pub unmodelled: Vec<coverage::Unmodelled>,
}

/// What `--fail-on-pending`, `--fail-on-failed-job` and `--fail-on-crash-loop` gate on.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gates {
    pub pending: bool,
    pub failed_job: bool,
    pub crash_loop: bool,
}

impl Simulation {
    /// What fails the gates at the moment shown: Pods never scheduled, Jobs (also a
    /// CronJob's) that failed, Pods in CrashLoopBackOff.
    pub fn gate_failures(&self, gates: Gates) -> Vec<String> {
        let mut out = Vec::new();
        for pod in self.world.pods.iter().filter(|p| p.exists()) {
            if gates.pending && pod.is_active() && pod.node.is_none() {
                let why = pod.pending_reason.as_deref().unwrap_or("not scheduled");
                out.push(format!("Pod {}/{} is Pending: {why}", pod.namespace, pod.name));
            }
            if gates.crash_loop && pod.status() == "CrashLoopBackOff" {
                out.push(format!(
                    "Pod {}/{} is in CrashLoopBackOff ({} restarts)",
                    pod.namespace, pod.name, pod.restarts
                ));
            }
        }
        if gates.failed_job {
            for report in &self.reports {
                let jobs = match report.kind {
                    "Job" => vec![&report.detail],
                    "CronJob" => report
                        .detail
                        .get("jobs")
                        .and_then(|j| j.as_array())
                        .map(|j| j.iter().collect())
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                for job in jobs {
                    let status = job.get("status").and_then(|s| s.as_str()).unwrap_or("");
                    if let Some(reason) = status.strip_prefix("Failed: ") {
                        let name = job.get("name").and_then(|n| n.as_str()).unwrap_or(&report.name);
                        out.push(format!("Job {}/{name} failed ({reason})", report.namespace));
                    }
                }
            }
        }
        out
    }
}

const WORKLOADS: &[&str] =
    &["Pod", "ReplicaSet", "ReplicationController", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];

pub fn simulate(objects: &[Object], options: &Options) -> Simulation {
    let mut warnings = Vec::new();
    let node_objects: Vec<&Object> = options.nodes.iter().chain(objects).filter(|o| o.kind == "Node").collect();
    let (cluster, description) = if node_objects.is_empty() {
        let workers = options.workers.unwrap_or(3);
        let c = Cluster::default_nodes(workers);
        (
            c,
            format!(
                "{} nodes: 1 control plane (tainted NoSchedule) and {}, 4 CPUs and 16Gi each (the default cluster)",
                workers + 1,
                crate::text::plural(workers, "worker")
            ),
        )
    } else {
        if options.workers.is_some() {
            warnings.push("`--nodes` is ignored: the Node manifests given make the cluster".to_string());
        }
        let c = Cluster::from_objects(&node_objects);
        let names: Vec<&str> = c.nodes.iter().map(|n| n.name.as_str()).collect();
        let description = format!("{} nodes from the Node manifests given: {}", names.len(), names.join(", "));
        (c, description)
    };
    let services = network::services(objects);
    let settings = Settings {
        run_duration: options.run_duration,
        start_delay: options.start_delay,
        image_pull: options.image_pull,
        minor: options.version.minor,
    };
    let mut world = World::new(cluster, services, settings, options.fail.clone());
    let cluster_objects: Vec<&Object> = options.nodes.iter().chain(objects).collect();
    world.namespaces = cluster_objects
        .iter()
        .filter(|o| o.kind == "Namespace")
        .map(|o| (o.name.clone(), string_map(o.root.at(&["metadata", "labels"]))))
        .collect();
    world.priorities = priorities(&cluster_objects, objects, &mut warnings);
    world.storage = volumes::Storage::from_objects(&cluster_objects);
    world.admission = admission::Admission::from_objects(objects);
    world.budgets =
        objects.iter().filter(|o| o.kind == "PodDisruptionBudget").map(disruption::Budget::from_object).collect();
    for claim in objects.iter().filter(|o| o.kind == "PersistentVolumeClaim") {
        world.add_claim(volumes::Claim::from_object(claim));
    }
    world.warnings = warnings;
    let mut controllers = build_controllers(objects, options, &mut world.warnings);
    world.run(&mut controllers, options.at);
    for name in world.unused_failures() {
        world.warnings.push(format!("`--fail {name}=...`: no Pod or workload of that name was simulated"));
    }
    let time = options.at.unwrap_or(world.last_change);
    let reports = controllers.iter().enumerate().map(|(i, c)| c.report(&world, i)).collect();
    Simulation {
        start: options.now,
        time,
        at: options.at,
        world,
        reports,
        cluster: description,
        excluded: Vec::new(),
        unmodelled: coverage::unmodelled(objects),
    }
}

/// One controller per workload, in input order. The versions of a Deployment given
/// more than once are rolled out in turn; other kinds keep their first object.
fn build_controllers(objects: &[Object], options: &Options, warnings: &mut Vec<String>) -> Vec<Box<dyn Controller>> {
    let mut controllers: Vec<Box<dyn Controller>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for object in objects.iter().filter(|o| WORKLOADS.contains(&o.kind.as_str())) {
        let key = (object.kind.as_str(), object.namespace.as_str(), object.name.as_str());
        if !object.generated && !seen.insert(key) {
            if object.kind != "Deployment" {
                warnings.push(format!(
                    "{} ({}) is given again; only Deployments are simulated through an update, so this one is left out",
                    object.display(),
                    object.origin
                ));
            }
            continue;
        }
        let seed = options.seed;
        let controller: Box<dyn Controller> = match object.kind.as_str() {
            "Pod" => Box::new(BarePod::new(object, seed)),
            "ReplicaSet" | "ReplicationController" => Box::new(ReplicaSetController::new(object, seed)),
            "Deployment" => {
                let versions: Vec<&Object> = objects
                    .iter()
                    .filter(|o| o.kind == "Deployment" && o.namespace == object.namespace && o.name == object.name)
                    .collect();
                let hpa = controllers::hpa::Autoscaler::of_deployment(objects, &object.namespace, &object.name);
                Box::new(Deployment::new(&versions, seed).with_autoscaler(hpa))
            }
            "StatefulSet" => Box::new(StatefulSet::new(object)),
            "DaemonSet" => Box::new(DaemonSet::new(object, seed)),
            "Job" => Box::new(Job::new(object, seed)),
            _ => Box::new(CronJob::new(object, seed, options.now, options.runs)),
        };
        controllers.push(controller);
    }
    controllers
}

/// The PriorityClasses given (with the built-in ones), and a warning for each class
/// a Pod template names that is neither: the API server would refuse such Pods.
fn priorities(cluster: &[&Object], objects: &[Object], warnings: &mut Vec<String>) -> world::Priorities {
    let mut p = world::Priorities::default();
    for o in cluster.iter().filter(|o| o.kind == "PriorityClass") {
        let value = o.root.get("value").and_then(crate::yaml::Node::as_i64).unwrap_or(0);
        let never = o.root.get("preemptionPolicy").and_then(crate::yaml::Node::as_str) == Some("Never");
        p.classes.insert(o.name.clone(), (value, never));
        if o.root.get("globalDefault").and_then(crate::yaml::Node::as_bool) == Some(true) {
            p.default = Some(o.name.clone());
        }
    }
    let mut missing = std::collections::BTreeSet::new();
    for o in objects.iter().filter(|o| WORKLOADS.contains(&o.kind.as_str())) {
        let spec = match o.kind.as_str() {
            "Pod" => o.spec(),
            "CronJob" => o.spec().and_then(|s| s.at(&["jobTemplate", "spec", "template", "spec"])),
            _ => o.spec().and_then(|s| s.at(&["template", "spec"])),
        };
        let name = spec.and_then(|s| s.get("priorityClassName")).and_then(crate::yaml::Node::as_str);
        if let Some(name) = name.filter(|n| !p.classes.contains_key(*n))
            && missing.insert(name.to_string())
        {
            warnings.push(format!(
                "PriorityClass `{name}` ({} at {}) is not in the input: a real API server refuses its Pods (`no PriorityClass with name {name} was found`); the simulation gives them priority 0",
                o.display(),
                o.origin
            ));
        }
    }
    p
}
