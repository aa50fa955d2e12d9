//! How the kubelet starts a Pod's containers, in the order `computePodActions`
//! (pkg/kubelet/kuberuntime/kuberuntime_manager.go) gives: on the first start the
//! Pod sandbox, then the init containers one at a time — the next one once the
//! previous has exited 0, or, for a sidecar (an init container with `restartPolicy:
//! Always`, `IsRestartableInitContainer` in pkg/kubelet/container), once it has
//! started (its startup probe succeeded) — then the app containers. Each container
//! is pulled when needed (`EnsureImageExists` in pkg/kubelet/images/image_manager.go;
//! one pull at a time per node, `serialImagePuller`, as `serializeImagePulls`
//! defaults to true),
//! created and started (`startContainer` in kuberuntime_container.go), with the
//! kubelet's events. After a crash only the containers still to run start again.

use std::collections::BTreeMap;

use super::hooks::PostStart;
use super::prober;
use super::template::{Container, PodSpec, Sleep};
use super::world::{Millis, Settings};

/// What happens at one step of a start.
#[derive(Clone, Debug)]
pub enum Mark {
    /// A kubelet event on the Pod (`warning`: of type Warning).
    Event { warning: bool, reason: &'static str, message: String },
    /// This many init containers have completed (or, for sidecars, started).
    Initialized(usize),
    /// The init container of this index exited with this code.
    InitFailed(usize, i32),
    /// The `postStart` hook of this app container failed and the container was killed.
    HookFailed(String),
    /// The app containers run: the Pod is Running.
    Start,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub time: Millis,
    pub mark: Mark,
}

/// The steps of one start, in time order, and when the Pod is Ready if all goes to
/// plan (never, when a probe it waits for errors: prober.rs).
#[derive(Clone, Debug)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub ready: Option<Millis>,
}

struct Planner<'a> {
    settings: &'a Settings,
    images: &'a mut BTreeMap<String, Millis>,
    /// The node's pulls: when each was requested and when it ends.
    puller: &'a mut Vec<(Millis, Millis)>,
    time: Millis,
    plan: Plan,
}

/// Plans a start from `now`: from the sandbox on the Pod's first start, else from
/// init container `init_from` (the first one not yet done), on a node with `images`
/// and the pulls its kubelet has queued.
pub fn plan(
    spec: &PodSpec,
    (images, puller): (&mut BTreeMap<String, Millis>, &mut Vec<(Millis, Millis)>),
    settings: &Settings,
    now: Millis,
    bound: Millis,
    first: bool,
    init_from: Option<usize>,
) -> Plan {
    let time = now.saturating_add(if first { settings.start_delay } else { 0 });
    let mut p = Planner { settings, images, puller, time, plan: Plan { steps: Vec::new(), ready: Some(0) } };
    for (i, c) in spec.init_containers.iter().enumerate().skip(init_from.unwrap_or(spec.init_containers.len())) {
        let started = p.start(c);
        match p.post_start(c, spec.grace) {
            Hooked::Returned => {}
            Hooked::Hangs => return p.finish(),
            Hooked::Failed => {
                p.mark(Mark::InitFailed(i, KILLED));
                return p.finish();
            }
        }
        if c.sidecar {
            // The next init container waits for the sidecar's startup probe
            // (`computeInitContainerActions`); the sidecar's readiness counts for the Pod's.
            p.probed(c, bound, started);
            match c.started_at(bound, started) {
                Some(up) => p.time = up,
                // A startup probe that errors holds the Pod in `Init:i/n`.
                None => return p.finish(),
            }
        } else {
            let run = match c.sleep {
                Some(Sleep::For(ms)) => ms,
                // An init container that never exits holds the Pod in `Init:i/n`.
                Some(Sleep::Forever) => return p.finish(),
                None => settings.run_duration,
            };
            p.time = started.saturating_add(run);
            if let Some(code) = c.exit_code {
                p.mark(Mark::InitFailed(i, code));
                return p.finish();
            }
        }
        p.mark(Mark::Initialized(i + 1));
    }
    for c in &spec.containers {
        let started = p.start(c);
        match p.post_start(c, spec.grace) {
            Hooked::Returned => {}
            Hooked::Hangs => return p.finish(),
            Hooked::Failed => {
                p.mark(Mark::HookFailed(c.name.clone()));
                return p.finish();
            }
        }
        p.probed(c, bound, started);
    }
    p.mark(Mark::Start);
    p.finish()
}

/// How long the kubelet takes to stop a Pod's running containers
/// (`killContainersWithSyncResult`: `killContainer` in kuberuntime_container.go, in
/// parallel for each): the `preStop` hook, cut at the grace period, then SIGTERM
/// and, for a process that ignores it, SIGKILL when the rest of the grace period (at
/// least `minimumGracePeriodInSeconds`, 2 s) is up. Sidecars stop last, in reverse
/// order (`newTerminationOrdering` in termination_ordering.go): after its `preStop`
/// hook each waits (`waitForTurn`, out of what is left of its grace period) until
/// the app containers and the sidecars declared after it have exited.
pub fn termination(spec: &PodSpec, running: bool) -> Millis {
    if !running {
        return 0;
    }
    let apps = spec.containers.iter().map(|c| stop_time(c, spec.grace, 0)).max().unwrap_or(0);
    spec.init_containers
        .iter()
        .rev()
        .filter(|c| c.sidecar)
        .fold(apps, |turn, c| turn.max(stop_time(c, spec.grace, turn)))
}

/// When `killContainer` has stopped one container, out of the grace period, its
/// turn coming at `turn` (0 for app containers).
fn stop_time(c: &Container, grace: Millis, turn: Millis) -> Millis {
    const MINIMUM_GRACE: Millis = 2_000;
    let hook = c.pre_stop.min(grace);
    let waited = turn.saturating_sub(hook).min(grace.saturating_sub(hook));
    let rest = grace.saturating_sub(hook).saturating_sub(waited).max(MINIMUM_GRACE);
    hook.saturating_add(waited).saturating_add(if c.ignores_sigterm { rest } else { 0 })
}

/// The exit code kval gives a container the kubelet killed (128 + SIGKILL).
pub const KILLED: i32 = 137;

/// How a container's `postStart` hook ended.
enum Hooked {
    Returned,
    Hangs,
    Failed,
}

impl Planner<'_> {
    fn mark(&mut self, mark: Mark) {
        self.plan.steps.push(Step { time: self.time, mark });
    }

    fn event(&mut self, reason: &'static str, message: String) {
        self.mark(Mark::Event { warning: false, reason, message });
    }

    /// A container started at `started` counts for the Pod's readiness, and its
    /// erroring probes give their `Unhealthy` events.
    fn probed(&mut self, c: &Container, bound: Millis, started: Millis) {
        let ready = c.ready_at(bound, started);
        self.plan.ready = self.plan.ready.zip(ready).map(|(a, b)| a.max(b));
        for (time, message) in prober::unhealthy_events(c, bound, started, self.settings.minor) {
            self.plan.steps.push(Step { time, mark: Mark::Event { warning: true, reason: "Unhealthy", message } });
        }
    }

    /// Runs the container's `postStart` hook (hooks.rs): the next container waits
    /// for it; a failed hook gets its event and the container is killed.
    fn post_start(&mut self, c: &Container, grace: Millis) -> Hooked {
        match c.post_start {
            None => Hooked::Returned,
            Some(PostStart::Returns(ms)) => {
                self.time = self.time.saturating_add(ms);
                Hooked::Returned
            }
            Some(PostStart::Hangs) => Hooked::Hangs,
            Some(PostStart::Fails(ms)) => {
                self.time = self.time.saturating_add(ms);
                self.mark(Mark::Event {
                    warning: true,
                    reason: "FailedPostStartHook",
                    message: "PostStartHook failed".into(),
                });
                self.event("Killing", "FailedPostStartHook".into());
                self.time = self.time.saturating_add(stop_time(c, grace, 0));
                Hooked::Failed
            }
        }
    }

    /// The plan, its steps in time order (probe events come after later containers'
    /// starts; the sort is stable, so steps at one time keep their order).
    fn finish(mut self) -> Plan {
        self.plan.steps.sort_by_key(|s| s.time);
        self.plan
    }

    /// Pulls (when needed), creates and starts one container; returns when it started.
    /// The node's puller takes one pull at a time, in the order of the requests
    /// (`serialImagePuller.processImagePullRequests`): a pull waits for the ones
    /// requested before it (a pull planned earlier but requested later is not moved
    /// back: kval plans a Pod's start at once), and an image another pull is fetching is not on the node yet, so
    /// it is pulled again once that pull is done, taking no time (its layers are
    /// there). The event gives the pull's own time and the time since `Pulling`.
    fn start(&mut self, c: &Container) -> Millis {
        let requested = self.time;
        match self.images.get(&c.image).copied() {
            Some(at) if c.pull_never || (at <= requested && !c.pull_always) => {
                self.time = self.time.max(at);
                self.event("Pulled", format!("Container image \"{}\" already present on machine", c.image));
            }
            None if c.pull_never => {}
            in_flight => {
                self.event("Pulling", format!("Pulling image \"{}\"", c.image));
                let pull = if in_flight.is_some_and(|at| at > requested) { 0 } else { self.settings.image_pull };
                let queued = self.puller.iter().filter(|(at, _)| *at <= requested).map(|(_, end)| *end).max();
                self.time = requested.max(queued.unwrap_or(0)).saturating_add(pull);
                self.puller.push((requested, self.time));
                let took = crate::kube::duration::format(pull);
                let waited = crate::kube::duration::format(self.time.saturating_sub(requested));
                let message =
                    format!("Successfully pulled image \"{}\" in {took} ({waited} including waiting)", c.image);
                self.event("Pulled", message);
                let at = self.images.entry(c.image.clone()).or_insert(self.time);
                *at = (*at).min(self.time);
            }
        }
        let created = if self.settings.minor >= 32 { "Created container: " } else { "Created container " };
        self.event("Created", format!("{created}{}", c.name));
        self.event("Started", format!("Started container {}", c.name));
        self.time
    }
}
