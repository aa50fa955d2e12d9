//! Pod templates as the simulation needs them: what the scheduler reads (requests,
//! selectors, affinity, tolerations), how long containers run and when they are
//! ready, and the defaulted template that hashes are computed over.

use serde_json::{Value as Json, json};

use std::collections::BTreeMap;

use super::constraints::Constraints;
use super::labels::{Labels, NodeSelectorTerm, Toleration, string_map};
use crate::kube::quantity;
use crate::yaml::Node;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub cpu_milli: u64,
    pub memory: u64,
}

impl Resources {
    pub fn plus(self, o: Resources) -> Resources {
        Resources { cpu_milli: self.cpu_milli + o.cpu_milli, memory: self.memory + o.memory }
    }

    pub fn minus(self, o: Resources) -> Resources {
        Resources {
            cpu_milli: self.cpu_milli.saturating_sub(o.cpu_milli),
            memory: self.memory.saturating_sub(o.memory),
        }
    }

    pub fn is_zero(self) -> bool {
        self.cpu_milli == 0 && self.memory == 0
    }
}

/// A resource amount: its text as written (what messages quote) and its value in
/// the simulation's units (cpu in millicores, others in their units, rounded up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub text: String,
    pub value: u64,
}

impl Quantity {
    pub fn new(resource: &str, text: &str) -> Option<Quantity> {
        let q = quantity::parse(text)?;
        let scale = if resource == "cpu" { 1000.0 } else { 1.0 };
        Some(Quantity { text: text.to_string(), value: (q.max(0.0) * scale).ceil() as u64 })
    }

    /// A computed amount, printed as Kubernetes prints it.
    pub fn of(resource: &str, value: u64) -> Quantity {
        let text = match resource {
            "cpu" => super::cluster::format_cpu(value),
            "memory" | "ephemeral-storage" => super::cluster::format_memory(value),
            _ if resource.starts_with("hugepages-") => super::cluster::format_memory(value),
            _ => value.to_string(),
        };
        Quantity { text, value }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestartPolicy {
    Always,
    OnFailure,
    Never,
}

/// How long a container runs, read from an obvious `sleep` in its command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sleep {
    For(u64),
    Forever,
}

/// A probe's timing (the kubelet's defaults filled in: period 10 s, success
/// threshold 1), and the error it always ends in, when that is knowable offline
/// (prober.rs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub initial_delay: u64,
    pub period: u64,
    pub success_threshold: u64,
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub name: String,
    pub image: String,
    /// `imagePullPolicy`, defaulted from the image's tag as the API server does.
    pub pull_always: bool,
    pub pull_never: bool,
    pub sleep: Option<Sleep>,
    /// The non-zero code an obvious `exit N` at the end of its script exits with.
    pub exit_code: Option<i32>,
    pub readiness: Option<Probe>,
    pub startup: Option<Probe>,
    pub liveness: Option<Probe>,
    /// An init container with `restartPolicy: Always`: a sidecar.
    pub sidecar: bool,
    /// How long its `preStop` hook runs: an exec of an obvious `sleep`, or the
    /// `sleep` action; other hooks return at once.
    pub pre_stop: u64,
    /// Its process is PID 1 of an obvious `sleep` or shell loop without a `trap`:
    /// the kernel ignores SIGTERM for PID 1 without a handler, so it runs until
    /// SIGKILL at the end of the grace period. Other processes (servers) are taken
    /// to exit promptly on SIGTERM.
    pub ignores_sigterm: bool,
    /// `ports`: (name, containerPort, protocol).
    pub ports: Vec<(String, i64, String)>,
    /// Its `postStart` hook (hooks.rs).
    pub post_start: Option<super::hooks::PostStart>,
    /// `resources.requests`, with the limits the API server copies into missing
    /// requests (`SetDefaults_Pod`), and `resources.limits`.
    pub requests: BTreeMap<String, Quantity>,
    pub limits: BTreeMap<String, Quantity>,
}

impl Container {
    /// When the kubelet counts the container started (`status.containerStatuses[].started`):
    /// when its startup probe first succeeds, else when it runs; never when the
    /// startup probe errors.
    pub fn started_at(&self, bound: u64, started: u64) -> Option<u64> {
        self.startup.as_ref().map_or(Some(started), |p| p.ready_at(bound, started, 0))
    }

    /// When the container is Ready: its readiness probe is not run before the
    /// startup probe has succeeded (`doProbe` in pkg/kubelet/prober/worker.go skips
    /// while `Started` is false), so readiness comes at the first readiness tick
    /// after that; without a readiness probe the container is Ready once started.
    /// Never, when a probe it waits for errors.
    pub fn ready_at(&self, bound: u64, started: u64) -> Option<u64> {
        let up = self.started_at(bound, started)?;
        match &self.readiness {
            Some(p) if self.startup.is_some() => p.ready_at(bound, started, up.saturating_add(1)),
            Some(p) => p.ready_at(bound, started, 0),
            None => Some(up),
        }
    }
}

#[derive(Clone, Debug)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub restart_policy: RestartPolicy,
    pub requests: Resources,
    pub node_selector: Labels,
    /// Required node affinity terms; `None` when there is no requirement.
    pub affinity: Option<Vec<NodeSelectorTerm>>,
    pub tolerations: Vec<Toleration>,
    pub node_name: Option<String>,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub host_network: bool,
    /// `terminationGracePeriodSeconds` (30 s by default), in milliseconds.
    pub grace: u64,
    /// Requests of resources other than cpu and memory (`nvidia.com/gpu`,
    /// `ephemeral-storage`, hugepages), in their units (rounded up).
    pub extended: BTreeMap<String, u64>,
    /// cpu and memory with 100m and 200Mi for each container that requests none:
    /// what the scheduler's scores count (`NonZeroRequested`).
    pub nonzero: Resources,
    /// What the other scheduler plugins read.
    pub constraints: Constraints,
}

impl PodSpec {
    pub fn from_node(spec: Option<&Node>) -> PodSpec {
        let empty =
            Node { value: crate::yaml::Value::Null, span: Default::default(), style: crate::yaml::Style::Plain };
        let spec = spec.unwrap_or(&empty);
        let text = |k| spec.get(k).and_then(Node::as_str).map(str::to_string);
        let list = |k| spec.get(k).map(Node::items).unwrap_or_default();
        let containers: Vec<Container> = list("containers").iter().map(container).collect();
        let affinity = spec
            .at(&["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"])
            .map(|r| r.get("nodeSelectorTerms").map(Node::items).unwrap_or_default())
            .map(|terms| terms.iter().map(NodeSelectorTerm::from_node).collect());
        let mut pod = PodSpec {
            containers,
            init_containers: list("initContainers").iter().map(container).collect(),
            restart_policy: match text("restartPolicy").as_deref() {
                Some("OnFailure") => RestartPolicy::OnFailure,
                Some("Never") => RestartPolicy::Never,
                _ => RestartPolicy::Always,
            },
            requests: Resources::default(),
            node_selector: string_map(spec.get("nodeSelector")),
            affinity,
            tolerations: list("tolerations").iter().map(Toleration::from_node).collect(),
            node_name: text("nodeName").filter(|n| !n.is_empty()),
            hostname: text("hostname"),
            subdomain: text("subdomain"),
            host_network: spec.get("hostNetwork").and_then(Node::as_bool) == Some(true),
            grace: spec
                .get("terminationGracePeriodSeconds")
                .and_then(Node::as_i64)
                .map_or(30_000, |s| u64::try_from(s).unwrap_or(0).saturating_mul(1000)),
            extended: BTreeMap::new(),
            nonzero: Resources::default(),
            constraints: Constraints::from_spec(spec),
        };
        pod.resources_changed();
        pod
    }

    /// Computes the Pod's requests from its containers' (again, after an admission
    /// plugin changed them).
    pub fn resources_changed(&mut self) {
        let all = self.aggregate(false);
        let nonzero = pod_requests(&self.containers, &self.init_containers, |c| container_requests(c, true));
        let cpu_memory = |r: &BTreeMap<String, u64>| Resources {
            cpu_milli: r.get("cpu").copied().unwrap_or(0),
            memory: r.get("memory").copied().unwrap_or(0),
        };
        self.requests = cpu_memory(&all);
        self.nonzero = cpu_memory(&nonzero);
        self.extended = all.into_iter().filter(|(k, v)| *v > 0 && k != "cpu" && k != "memory").collect();
    }

    /// `PodRequests` (or, with `limits`, `PodLimits`) per resource.
    pub fn aggregate(&self, limits: bool) -> BTreeMap<String, u64> {
        let values = |m: &BTreeMap<String, Quantity>| m.iter().map(|(k, q)| (k.clone(), q.value)).collect();
        if limits {
            pod_requests(&self.containers, &self.init_containers, |c| values(&c.limits))
        } else {
            pod_requests(&self.containers, &self.init_containers, |c| container_requests(c, false))
        }
    }

    /// How long one run of the Pod lasts: `None` while it runs until deleted.
    /// A Pod runs for its longest container's `sleep`; without an obvious one, a
    /// Pod that restarts always (a server) runs until deleted, others run `default`.
    pub fn run_time(&self, default: u64) -> Option<u64> {
        let always = self.restart_policy == RestartPolicy::Always;
        self.containers.iter().try_fold(0, |acc, c| match c.sleep {
            Some(Sleep::Forever) => None,
            Some(Sleep::For(ms)) => Some(acc.max(ms)),
            None if always => None,
            None => Some(acc.max(default)),
        })
    }

    /// How long a run that is made to fail lasts before the container exits.
    pub fn failing_run_time(&self, default: u64) -> u64 {
        self.containers
            .iter()
            .map(|c| match c.sleep {
                Some(Sleep::For(ms)) => ms,
                _ => default,
            })
            .max()
            .unwrap_or(default)
    }

    /// The first container whose script exits non-zero, and its exit code.
    pub fn exit_code(&self) -> Option<(&str, i32)> {
        self.containers.iter().find_map(|c| Some((c.name.as_str(), c.exit_code?)))
    }

    pub fn first_container(&self) -> &str {
        self.containers.first().map_or("", |c| c.name.as_str())
    }
}

/// A Pod template (`spec.template` of a workload, or a bare Pod's own metadata and spec).
#[derive(Clone, Debug)]
pub struct Template {
    pub labels: Labels,
    pub annotations: Labels,
    pub spec: PodSpec,
    /// The template after API defaulting, as JSON: what hashes are computed over.
    pub defaulted: Json,
}

impl Template {
    pub fn from_node(template: Option<&Node>) -> Template {
        let metadata = template.and_then(|t| t.get("metadata"));
        let spec = template.and_then(|t| t.get("spec"));
        let mut defaulted = template.map_or(json!({}), Node::to_json);
        if let Some(spec) = defaulted.get_mut("spec") {
            default_pod_spec(spec);
        }
        Template {
            labels: string_map(metadata.and_then(|m| m.get("labels"))),
            annotations: string_map(metadata.and_then(|m| m.get("annotations"))),
            spec: PodSpec::from_node(spec),
            defaulted,
        }
    }
}

impl Probe {
    /// The kubelet's prober worker (`pkg/kubelet/prober/worker.go`, `run` and
    /// `doProbe`) starts when the kubelet takes the Pod and probes at once, then
    /// every `periodSeconds`; a probe while the container is not running, or fewer
    /// whole seconds than `initialDelaySeconds` after it started, is skipped, and so
    /// is any before `not_before`. The probe succeeds after `successThreshold`
    /// successes in a row. (The worker's random initial jitter applies only right
    /// after a kubelet restart.) A probe that errors never succeeds.
    pub fn ready_at(&self, bound: u64, started: u64, not_before: u64) -> Option<u64> {
        let first = self.first_tick(bound, started, not_before);
        let more = self.success_threshold.saturating_sub(1).saturating_mul(self.period.max(1));
        self.error.is_none().then(|| first.saturating_add(more))
    }

    /// The first tick at which the probe runs (see [`Probe::ready_at`]).
    pub fn first_tick(&self, bound: u64, started: u64, not_before: u64) -> u64 {
        let period = self.period.max(1);
        let earliest = started.saturating_add(self.initial_delay).max(not_before);
        let ticks = earliest.saturating_sub(bound).div_ceil(period);
        bound.saturating_add(ticks.saturating_mul(period))
    }
}

fn probe(node: &Node, ports: &[(String, i64, String)]) -> Probe {
    let seconds = |key: &str, default: i64| {
        let value = node.get(key).and_then(Node::as_i64).unwrap_or(default);
        u64::try_from(value).unwrap_or(0).saturating_mul(1000)
    };
    Probe {
        initial_delay: seconds("initialDelaySeconds", 0),
        period: seconds("periodSeconds", 10),
        success_threshold: (seconds("successThreshold", 1) / 1000).max(1),
        error: super::prober::port_error(node, ports),
    }
}

fn container(node: &Node) -> Container {
    let image = node.get("image").and_then(Node::as_str).unwrap_or("").to_string();
    let policy = node.get("imagePullPolicy").and_then(Node::as_str);
    let policy = policy.unwrap_or(if image_tag(&image) == "latest" { "Always" } else { "IfNotPresent" });
    let argv: Vec<String> = ["command", "args"]
        .iter()
        .flat_map(|k| node.get(k).map(Node::items).unwrap_or_default())
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let exit_code = exit_of(&argv);
    let pre_stop = node.at(&["lifecycle", "preStop"]);
    let hook: Vec<String> = pre_stop
        .and_then(|h| h.at(&["exec", "command"]))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let pre_stop = match sleep_of(&hook) {
        Some(Sleep::For(ms)) => ms,
        Some(Sleep::Forever) => u64::MAX,
        None => pre_stop
            .and_then(|h| h.at(&["sleep", "seconds"]))
            .and_then(Node::as_i64)
            .map_or(0, |s| u64::try_from(s).unwrap_or(0).saturating_mul(1000)),
    };
    let ignores_sigterm = sleep_of(&argv).is_some() && !argv.iter().any(|a| a.contains("trap"));
    // A script that only exits (`sh -c "echo oops; exit 3"`) ends at once.
    let sleep = sleep_of(&argv).or(exit_code.map(|_| Sleep::For(0)));
    let ports: Vec<(String, i64, String)> = node
        .get("ports")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| {
            let name = p.get("name").and_then(Node::as_str).unwrap_or("").to_string();
            let protocol = p.get("protocol").and_then(Node::as_str).unwrap_or("TCP").to_string();
            Some((name, p.get("containerPort").and_then(Node::as_i64)?, protocol))
        })
        .collect();
    let probe_of = |key: &str| node.get(key).map(|p| probe(p, &ports));
    Container {
        name: node.get("name").and_then(Node::as_str).unwrap_or("").to_string(),
        image,
        pull_always: policy == "Always",
        pull_never: policy == "Never",
        sleep,
        exit_code,
        readiness: probe_of("readinessProbe"),
        startup: probe_of("startupProbe"),
        liveness: probe_of("livenessProbe"),
        sidecar: node.get("restartPolicy").and_then(Node::as_str) == Some("Always"),
        pre_stop,
        ignores_sigterm,
        post_start: super::hooks::post_start(node, &ports),
        ports,
        requests: resource_list(node, &["limits", "requests"]),
        limits: resource_list(node, &["limits"]),
    }
}

/// The container's `resources` sections, later ones overriding earlier ones.
fn resource_list(node: &Node, sections: &[&str]) -> BTreeMap<String, Quantity> {
    let mut out = BTreeMap::new();
    for section in sections {
        for entry in node.at(&["resources", section]).map(Node::entries).unwrap_or_default() {
            let name = entry.key.name.as_str();
            let Some(q) = super::labels::scalar(&entry.value).and_then(|t| Quantity::new(name, &t)) else { continue };
            out.insert(name.to_string(), q);
        }
    }
    out
}

/// A Pod's requests as the scheduler counts them (`PodRequests` in
/// k8s.io/component-helpers/resource), per resource (cpu in millicores): the app
/// containers' sum, plus sidecars (init containers with `restartPolicy: Always`,
/// which keep running); at least, for each other init container, its requests plus
/// the sidecars started before it. With `nonzero`, a container without a cpu or
/// memory request counts 100m and 200Mi (`NonMissingContainerRequests`).
fn pod_requests(
    containers: &[Container],
    init_containers: &[Container],
    requests: impl Fn(&Container) -> BTreeMap<String, u64>,
) -> BTreeMap<String, u64> {
    let add = |a: &mut BTreeMap<String, u64>, b: &BTreeMap<String, u64>| {
        for (k, v) in b {
            *a.entry(k.clone()).or_default() += v;
        }
    };
    let mut total = BTreeMap::new();
    for c in containers {
        add(&mut total, &requests(c));
    }
    let mut sidecars = BTreeMap::new();
    let mut init: BTreeMap<String, u64> = BTreeMap::new();
    for c in init_containers {
        let own = requests(c);
        let during = if c.sidecar {
            add(&mut total, &own);
            add(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut during = own;
            add(&mut during, &sidecars);
            during
        };
        for (k, v) in during {
            let at = init.entry(k).or_default();
            *at = (*at).max(v);
        }
    }
    for (k, v) in init {
        let at = total.entry(k).or_default();
        *at = (*at).max(v);
    }
    total
}

/// A container's requests (limits standing in for missing ones); with `nonzero`,
/// 100m and 200Mi for a missing cpu or memory request.
fn container_requests(c: &Container, nonzero: bool) -> BTreeMap<String, u64> {
    let mut out: BTreeMap<String, u64> = c.requests.iter().map(|(k, q)| (k.clone(), q.value)).collect();
    if nonzero {
        out.entry("cpu".into()).or_insert(100);
        out.entry("memory".into()).or_insert(200 << 20);
    }
    out
}

/// The run time of an obvious `sleep`: `sleep 5`, `["sh", "-c", "sleep 5s; echo done"]`,
/// several sleeps in a row (added up), `sleep infinity` and `while true` loops.
/// Anything less obvious (other loops, variables) gives `None`.
pub fn sleep_of(argv: &[String]) -> Option<Sleep> {
    let is_shell = |s: &str| matches!(s.rsplit('/').next(), Some("sh" | "bash" | "ash" | "dash" | "zsh"));
    let words: Vec<String> = match argv {
        [shell, flag, script, ..] if is_shell(shell) && flag.starts_with('-') && flag.contains('c') => {
            shell_words(script)
        }
        _ => argv.to_vec(),
    };
    let mut total = 0;
    let mut found = false;
    let mut i = 0;
    while i < words.len() {
        match words[i].rsplit('/').next().unwrap_or("") {
            "while" if matches!(words.get(i + 1).map(String::as_str), Some("true" | ":")) => {
                return Some(Sleep::Forever);
            }
            "while" | "until" | "for" | "$(" => return None,
            "sleep" => {
                let mut j = i + 1;
                let mut any = false;
                while let Some(word) = words.get(j) {
                    if word == "infinity" {
                        return Some(Sleep::Forever);
                    }
                    let Some(ms) = sleep_duration(word) else { break };
                    total = ms.saturating_add(total);
                    any = true;
                    j += 1;
                }
                if !any {
                    return None;
                }
                found = true;
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found.then_some(Sleep::For(total))
}

/// The exit code of a `sh -c` script whose last command is `exit N` with N ≠ 0
/// (taken modulo 256, as the shell does); scripts with conditionals or loops, where
/// the `exit` may not be reached, give `None`.
pub fn exit_of(argv: &[String]) -> Option<i32> {
    let is_shell = |s: &str| matches!(s.rsplit('/').next(), Some("sh" | "bash" | "ash" | "dash" | "zsh"));
    let [shell, flag, script, ..] = argv else { return None };
    if !is_shell(shell) || !flag.starts_with('-') || !flag.contains('c') || script.contains("||") {
        return None;
    }
    let words = shell_words(script);
    if words.iter().any(|w| matches!(w.as_str(), "if" | "case" | "while" | "until" | "for")) {
        return None;
    }
    let last = script.split([';', '\n']).map(str::trim).rfind(|c| !c.is_empty())?;
    let code: i64 = last.strip_prefix("exit ")?.trim().parse().ok()?;
    let code = i32::try_from(code.rem_euclid(256)).ok()?;
    (code != 0).then_some(code)
}

/// Splits a shell script into words at blanks and the operators `;`, `&`, `|`, `(`, `)`.
fn shell_words(script: &str) -> Vec<String> {
    script
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// `sleep`'s operand: a number with an optional `s`, `m`, `h` or `d` suffix.
fn sleep_duration(word: &str) -> Option<u64> {
    let (number, unit) = match word.chars().last()? {
        c @ ('s' | 'm' | 'h' | 'd') => (word.strip_suffix(c).unwrap_or(word), c),
        _ => (word, 's'),
    };
    let value: f64 = number.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let factor = match unit {
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86400.0,
        _ => 1.0,
    };
    Some((value * factor * 1000.0).round() as u64)
}

/// The defaults the API server fills into a Pod spec (controllers.md §9.1), so that
/// a template that spells a default out hashes like one that leaves it out.
fn default_pod_spec(spec: &mut Json) {
    let Some(map) = spec.as_object_mut() else { return };
    let defaults = [
        ("dnsPolicy", json!("ClusterFirst")),
        ("restartPolicy", json!("Always")),
        ("securityContext", json!({})),
        ("terminationGracePeriodSeconds", json!(30)),
        ("schedulerName", json!("default-scheduler")),
    ];
    for (key, value) in defaults {
        map.entry(key).or_insert(value);
    }
    for list in ["containers", "initContainers"] {
        if let Some(Json::Array(containers)) = map.get_mut(list) {
            containers.iter_mut().for_each(default_container);
        }
    }
    if let Some(Json::Array(volumes)) = map.get_mut("volumes") {
        for volume in volumes.iter_mut().filter_map(Json::as_object_mut) {
            if volume.keys().all(|k| k == "name") {
                volume.insert("emptyDir".into(), json!({}));
            }
        }
    }
}

fn default_container(container: &mut Json) {
    let Some(map) = container.as_object_mut() else { return };
    let image = map.get("image").and_then(Json::as_str).unwrap_or("");
    let pull = if image_tag(image) == "latest" { "Always" } else { "IfNotPresent" };
    map.entry("imagePullPolicy").or_insert(json!(pull));
    map.entry("terminationMessagePath").or_insert(json!("/dev/termination-log"));
    map.entry("terminationMessagePolicy").or_insert(json!("File"));
    if let Some(Json::Array(ports)) = map.get_mut("ports") {
        for port in ports.iter_mut().filter_map(Json::as_object_mut) {
            port.entry("protocol").or_insert(json!("TCP"));
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = map.get_mut(probe).and_then(Json::as_object_mut) {
            for (key, value) in
                [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)]
            {
                p.entry(key).or_insert(json!(value));
            }
        }
    }
}

/// The tag `parsers.ParseImageName` finds: `latest` when there is neither a tag nor
/// a digest, empty for a digest alone.
fn image_tag(image: &str) -> &str {
    if image.contains('@') {
        return "";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map_or("latest", |(_, tag)| tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn obvious_sleeps() {
        assert_eq!(sleep_of(&argv(&["sleep", "5"])), Some(Sleep::For(5000)));
        assert_eq!(sleep_of(&argv(&["/bin/sleep", "1m"])), Some(Sleep::For(60_000)));
        assert_eq!(sleep_of(&argv(&["sh", "-c", "sleep 5s; echo \"done\""])), Some(Sleep::For(5000)));
        assert_eq!(sleep_of(&argv(&["/bin/sh", "-c", "sleep 2 && sleep 0.5"])), Some(Sleep::For(2500)));
        assert_eq!(sleep_of(&argv(&["sleep", "infinity"])), Some(Sleep::Forever));
        assert_eq!(sleep_of(&argv(&["sh", "-c", "while true; do echo hi; sleep 10; done"])), Some(Sleep::Forever));
        assert_eq!(sleep_of(&argv(&["sh", "-c", "for i in 1 2; do sleep 1; done"])), None);
        assert_eq!(sleep_of(&argv(&["sleep", "$T"])), None);
        assert_eq!(sleep_of(&argv(&["nginx", "-g", "daemon off;"])), None);
        // The scenario 3 mistake: the quoted script is one word, not a sleep.
        assert_eq!(sleep_of(&argv(&["sh", "-c", "\"sleep 5s;echo \\\"done\\\"\""])), None);
    }

    #[test]
    fn scripted_exit_codes() {
        assert_eq!(exit_of(&argv(&["sh", "-c", "sleep 5; exit 3"])), Some(3));
        assert_eq!(exit_of(&argv(&["/bin/bash", "-c", "echo oops\nexit 42\n"])), Some(42));
        assert_eq!(exit_of(&argv(&["sh", "-c", "exit 0"])), None);
        assert_eq!(exit_of(&argv(&["sh", "-c", "exit 256"])), None);
        assert_eq!(exit_of(&argv(&["sh", "-c", "test -f /x || exit 1"])), None);
        assert_eq!(exit_of(&argv(&["sh", "-c", "if true; then exit 1; fi"])), None);
        assert_eq!(exit_of(&argv(&["exit", "1"])), None);
    }

    #[test]
    fn readiness_at_probe_ticks() {
        let p = Probe { initial_delay: 5000, period: 10_000, success_threshold: 1, error: None };
        // Bound at 0, started at 18 s: ticks at 20 s (2 s after the start, skipped), 30 s.
        assert_eq!(p.ready_at(0, 18_000, 0), Some(30_000));
        // Started at once: the tick at 10 s is the first 5 s after the start.
        assert_eq!(p.ready_at(0, 0, 0), Some(10_000));
        let p = Probe { initial_delay: 0, period: 3000, success_threshold: 2, error: None };
        assert_eq!(p.ready_at(1000, 1000, 0), Some(4000));
        // Not before a startup probe succeeded at 10 s: ticks at 1 s, 4 s … 13 s, two successes: 16 s.
        assert_eq!(p.ready_at(1000, 1000, 10_001), Some(16_000));
        let p = Probe { error: Some("strconv.Atoi: parsing \"http\": invalid syntax".into()), ..p };
        assert_eq!(p.ready_at(1000, 1000, 0), None);
        assert_eq!(p.first_tick(1000, 1000, 0), 1000);
    }

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("nginx"), "latest");
        assert_eq!(image_tag("nginx:1.25"), "1.25");
        assert_eq!(image_tag("localhost:5000/nginx"), "latest");
        assert_eq!(image_tag("nginx@sha256:abc"), "");
    }
}
