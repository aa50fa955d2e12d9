//! The checks of the Pod Security Standards, as k8s.io/pod-security-admission's
//! `policy/check_*.go` define them: the same fields, the same versions, the same
//! words. Each check sees the Pod (or Pod template) after the API server's defaults.

use std::collections::BTreeSet;

use super::Level;
use crate::rules::pod::{Container, PodTemplate};
use crate::source::Span;
use crate::yaml::Node;

/// A check that failed: the plugin's `ForbiddenReason` and `ForbiddenDetail`, and
/// the first field it is about.
#[derive(Debug)]
pub struct Failed {
    /// The check's id (`allowPrivilegeEscalation`).
    pub check: &'static str,
    pub reason: String,
    pub detail: String,
    pub span: Span,
    pub pointer: String,
}

/// One check of a profile.
pub struct Check {
    pub id: &'static str,
    pub level: Level,
    /// The first policy minor version (`1.x`) that has the check.
    pub since: u32,
    /// The baseline check this restricted check replaces at the restricted level.
    pub overrides: Option<&'static str>,
    pub run: fn(&PodTemplate<'_>, u32) -> Option<Failed>,
}

/// Every check, baseline first, each level in the plugin's (byte) order of ids, which
/// is the order of its messages.
pub static CHECKS: &[Check] = &[
    check("appArmorProfile", Level::Baseline, 0, None, app_armor_profile),
    check("capabilities_baseline", Level::Baseline, 0, None, capabilities_baseline),
    check("hostNamespaces", Level::Baseline, 0, None, host_namespaces),
    check("hostPathVolumes", Level::Baseline, 0, None, host_path_volumes),
    check("hostPorts", Level::Baseline, 0, None, host_ports),
    check("hostProbesAndHostLifecycle", Level::Baseline, 34, None, host_probes_and_lifecycle),
    check("privileged", Level::Baseline, 0, None, privileged),
    check("procMount", Level::Baseline, 0, None, proc_mount_baseline),
    check("seLinuxOptions", Level::Baseline, 0, None, se_linux_options),
    check("seccompProfile_baseline", Level::Baseline, 0, None, seccomp_baseline),
    check("sysctls", Level::Baseline, 0, None, sysctls),
    check("windowsHostProcess", Level::Baseline, 0, None, windows_host_process),
    check("allowPrivilegeEscalation", Level::Restricted, 8, None, allow_privilege_escalation),
    check("capabilities_restricted", Level::Restricted, 22, Some("capabilities_baseline"), capabilities_restricted),
    check("procMount_restricted", Level::Restricted, 35, Some("procMount"), proc_mount_restricted),
    check("restrictedVolumes", Level::Restricted, 0, Some("hostPathVolumes"), restricted_volumes),
    check("runAsNonRoot", Level::Restricted, 0, None, run_as_non_root),
    check("runAsUser", Level::Restricted, 23, None, run_as_user),
    check("seccompProfile_restricted", Level::Restricted, 19, Some("seccompProfile_baseline"), seccomp_restricted),
];

const fn check(
    id: &'static str,
    level: Level,
    since: u32,
    overrides: Option<&'static str>,
    run: fn(&PodTemplate<'_>, u32) -> Option<Failed>,
) -> Check {
    Check { id, level, since, overrides, run }
}

/// The checks of `level` at policy version `1.minor`, in message order.
pub fn active(level: Level, minor: u32) -> impl Iterator<Item = &'static Check> {
    let overridden: Vec<&str> = match level {
        Level::Restricted => CHECKS.iter().filter(|c| c.since <= minor).filter_map(|c| c.overrides).collect(),
        _ => Vec::new(),
    };
    CHECKS
        .iter()
        .filter(move |c| c.since <= minor && c.level <= level && level > Level::Privileged)
        .filter(move |c| !overridden.contains(&c.id))
}

fn join_quote(items: &[String]) -> String {
    if items.is_empty() { String::new() } else { format!("\"{}\"", items.join("\", \"")) }
}

fn pluralize<'s>(singular: &'s str, plural: &'s str, count: usize) -> &'s str {
    if count == 1 { singular } else { plural }
}

/// `container "a"` or `containers "a", "b"`.
fn containers(names: &[String]) -> String {
    format!("{} {}", pluralize("container", "containers", names.len()), join_quote(names))
}

/// Go's `%q` for the ASCII texts of annotations.
fn go_quote(text: &str) -> String {
    format!("{text:?}")
}

/// Where a failed check points: the first offending field.
#[derive(Default)]
struct First(Option<(Span, String)>);

impl First {
    fn set(&mut self, span: Span, pointer: impl FnOnce() -> String) {
        if self.0.is_none() {
            self.0 = Some((span, pointer()));
        }
    }

    fn container(&mut self, pod: &PodTemplate<'_>, c: &Container<'_>, field: Option<(&Node, &str)>) {
        match field {
            Some((node, rest)) => self.set(node.span, || pod.container_pointer(c, rest)),
            None => self.set(c.span(), || pod.container_pointer(c, "")),
        }
    }

    fn pod(&mut self, pod: &PodTemplate<'_>, node: &Node, rest: &str) {
        self.set(node.span, || pod.pointer(rest));
    }

    fn failed(self, pod: &PodTemplate<'_>, reason: impl Into<String>, detail: String) -> Option<Failed> {
        let (span, pointer) = self.0.unwrap_or_else(|| (pod.spec.span, pod.pointer("")));
        Some(Failed { check: "", reason: reason.into(), detail, span, pointer })
    }
}

fn present(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| !n.is_null())
}

fn text(node: Option<&Node>) -> &str {
    node.and_then(Node::as_str).unwrap_or("")
}

fn is_windows(pod: &PodTemplate<'_>) -> bool {
    pod.spec.at(&["os", "name"]).and_then(Node::as_str) == Some("windows")
}

/// `hostUsers: false`: the Pod runs in a user namespace (relaxed checks from 1.35).
fn user_namespace(pod: &PodTemplate<'_>, minor: u32) -> bool {
    minor >= 35 && pod.spec.get("hostUsers").and_then(Node::as_bool) == Some(false)
}

fn pod_security<'a>(pod: &PodTemplate<'a>, key: &str) -> Option<&'a Node> {
    present(pod.spec.at(&["securityContext", key]))
}

fn container_security<'a>(c: &Container<'a>, key: &str) -> Option<&'a Node> {
    present(c.security(key))
}

fn annotations<'a>(pod: &PodTemplate<'a>) -> &'a [crate::yaml::Entry] {
    pod.template.at(&["metadata", "annotations"]).map(Node::entries).unwrap_or_default()
}

/// Names of the containers for which `bad` holds, and the first field.
fn bad_containers<'a>(
    pod: &PodTemplate<'a>,
    first: &mut First,
    mut bad: impl FnMut(&Container<'a>) -> Option<Option<(&'a Node, &'static str)>>,
) -> Vec<String> {
    let mut names = Vec::new();
    for c in pod.every_container() {
        if let Some(field) = bad(&c) {
            first.container(pod, &c, field);
            names.push(c.name().to_string());
        }
    }
    names
}

fn allow_privilege_escalation(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if minor >= 25 && is_windows(pod) {
        return None;
    }
    let mut first = First::default();
    let bad = bad_containers(pod, &mut first, |c| {
        let node = container_security(c, "allowPrivilegeEscalation");
        match node.and_then(Node::as_bool) {
            Some(false) => None,
            _ => Some(node.map(|n| (n, "securityContext/allowPrivilegeEscalation"))),
        }
    });
    if bad.is_empty() {
        return None;
    }
    let detail = format!("{} must set securityContext.allowPrivilegeEscalation=false", containers(&bad));
    first.failed(pod, "allowPrivilegeEscalation != false", detail)
}

fn app_armor_profile(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let allowed = |t: &str| matches!(t, "RuntimeDefault" | "Localhost");
    let mut first = First::default();
    let mut setters = Vec::new();
    let mut values = BTreeSet::new();
    if let Some(profile) = pod_security(pod, "appArmorProfile") {
        let kind = text(profile.get("type"));
        if !allowed(kind) {
            setters.push("pod".to_string());
            values.insert(kind.to_string());
            first.pod(pod, profile, "/securityContext/appArmorProfile");
        }
    }
    let bad = bad_containers(pod, &mut first, |c| {
        let profile = container_security(c, "appArmorProfile")?;
        let kind = text(profile.get("type"));
        (!allowed(kind)).then(|| {
            values.insert(kind.to_string());
            Some((profile, "securityContext/appArmorProfile"))
        })
    });
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    let mut values: Vec<String> = values.into_iter().collect();
    let mut forbidden = Vec::new();
    for e in annotations(pod) {
        let value = text(Some(&e.value));
        let ok = value.is_empty() || value == "runtime/default" || value.starts_with("localhost/");
        if e.key.name.starts_with("container.apparmor.security.beta.kubernetes.io/") && !ok {
            forbidden.push(format!("{}={}", e.key.name, go_quote(value)));
            first.set(e.value.span, String::new);
        }
    }
    if !forbidden.is_empty() {
        forbidden.sort();
        setters.push(pluralize("annotation", "annotations", forbidden.len()).to_string());
        values.extend(forbidden);
    }
    if setters.is_empty() {
        return None;
    }
    let reason = pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", values.len());
    let detail = format!("{} must not set AppArmor profile type to {}", setters.join(" and "), join_quote(&values));
    first.failed(pod, reason, detail)
}

const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added(capabilities: &Node) -> impl Iterator<Item = (&Node, &str)> {
    capabilities.get("add").map(Node::items).unwrap_or_default().iter().map(|n| (n, text(Some(n))))
}

fn capabilities_baseline(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut caps = BTreeSet::new();
    let bad = bad_containers(pod, &mut first, |c| {
        let capabilities = container_security(c, "capabilities")?;
        let mut at = None;
        for (node, cap) in added(capabilities) {
            if !DEFAULT_CAPABILITIES.contains(&cap) {
                caps.insert(cap.to_string());
                at.get_or_insert((node, "securityContext/capabilities/add"));
            }
        }
        at.map(Some)
    });
    if bad.is_empty() {
        return None;
    }
    let caps: Vec<String> = caps.into_iter().collect();
    let detail =
        format!("{} must not include {} in securityContext.capabilities.add", containers(&bad), join_quote(&caps));
    first.failed(pod, "non-default capabilities", detail)
}

fn capabilities_restricted(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if minor >= 25 && is_windows(pod) {
        return None;
    }
    let mut first = First::default();
    let (mut missing_drop, mut adding) = (Vec::new(), Vec::new());
    let mut caps = BTreeSet::new();
    for c in pod.every_container() {
        let Some(capabilities) = container_security(&c, "capabilities") else {
            first.container(pod, &c, None);
            missing_drop.push(c.name().to_string());
            continue;
        };
        let dropped = capabilities.get("drop").map(Node::items).unwrap_or_default();
        if !dropped.iter().any(|n| n.as_str() == Some("ALL")) {
            first.container(pod, &c, Some((capabilities, "securityContext/capabilities")));
            missing_drop.push(c.name().to_string());
        }
        let mut forbidden = false;
        for (node, cap) in added(capabilities) {
            if cap != "NET_BIND_SERVICE" {
                forbidden = true;
                caps.insert(cap.to_string());
                first.container(pod, &c, Some((node, "securityContext/capabilities/add")));
            }
        }
        if forbidden {
            adding.push(c.name().to_string());
        }
    }
    let mut details = Vec::new();
    if !missing_drop.is_empty() {
        details.push(format!(r#"{} must set securityContext.capabilities.drop=["ALL"]"#, containers(&missing_drop)));
    }
    if !adding.is_empty() {
        let caps: Vec<String> = caps.into_iter().collect();
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&adding),
            join_quote(&caps)
        ));
    }
    if details.is_empty() {
        return None;
    }
    first.failed(pod, "unrestricted capabilities", details.join("; "))
}

fn host_namespaces(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut set = Vec::new();
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if let Some(node) = pod.spec.get(key).filter(|n| n.as_bool() == Some(true)) {
            set.push(format!("{key}=true"));
            first.pod(pod, node, &format!("/{key}"));
        }
    }
    if set.is_empty() {
        return None;
    }
    first.failed(pod, "host namespaces", set.join(", "))
}

fn volumes<'a>(pod: &PodTemplate<'a>) -> impl Iterator<Item = (usize, &'a Node)> {
    pod.spec.get("volumes").map(Node::items).unwrap_or_default().iter().enumerate().filter(|(_, v)| v.is_map())
}

fn host_path_volumes(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut names = Vec::new();
    for (i, volume) in volumes(pod) {
        if let Some(node) = present(volume.get("hostPath")) {
            names.push(text(volume.get("name")).to_string());
            first.pod(pod, node, &format!("/volumes/{i}/hostPath"));
        }
    }
    if names.is_empty() {
        return None;
    }
    first.failed(
        pod,
        "hostPath volumes",
        format!("{} {}", pluralize("volume", "volumes", names.len()), join_quote(&names)),
    )
}

/// The sources the restricted profile allows (a volume without one is defaulted to
/// `emptyDir` by the API server).
const ALLOWED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// The other sources, in the order the plugin names them.
const RESTRICTED_VOLUMES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

fn restricted_volumes(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut names = Vec::new();
    let mut kinds = BTreeSet::new();
    for (i, volume) in volumes(pod) {
        let has = |k: &str| present(volume.get(k)).is_some();
        if ALLOWED_VOLUMES.iter().any(|k| has(k)) {
            continue;
        }
        let source = RESTRICTED_VOLUMES.iter().find(|k| has(k));
        if source.is_none() && !volume.entries().iter().any(|e| e.key.name != "name" && !e.value.is_null()) {
            continue; // defaulted to emptyDir
        }
        names.push(text(volume.get("name")).to_string());
        kinds.insert(source.copied().unwrap_or("unknown").to_string());
        first.pod(pod, volume, &format!("/volumes/{i}"));
    }
    if names.is_empty() {
        return None;
    }
    let kinds: Vec<String> = kinds.into_iter().collect();
    let detail = format!(
        "{} {} {} {} {}",
        pluralize("volume", "volumes", names.len()),
        join_quote(&names),
        pluralize("uses", "use", names.len()),
        pluralize("restricted volume type", "restricted volume types", kinds.len()),
        join_quote(&kinds),
    );
    first.failed(pod, "restricted volume types", detail)
}

fn host_ports(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    // With `hostNetwork`, the API server defaults each `hostPort` to the `containerPort`.
    let host_network = pod.spec.get("hostNetwork").and_then(Node::as_bool) == Some(true);
    let mut first = First::default();
    let mut ports = BTreeSet::new();
    let bad = bad_containers(pod, &mut first, |c| {
        let mut at = None;
        for port in c.get("ports").map(Node::items).unwrap_or_default() {
            let host = port.get("hostPort").and_then(Node::as_i64).filter(|p| *p != 0);
            let host = host.or_else(|| port.get("containerPort").and_then(Node::as_i64).filter(|_| host_network));
            if let Some(number) = host {
                ports.insert(number.to_string());
                at.get_or_insert((port.get("hostPort").unwrap_or(port), "ports"));
            }
        }
        at.map(Some)
    });
    if bad.is_empty() {
        return None;
    }
    let ports: Vec<String> = ports.into_iter().collect();
    let detail = format!(
        "{} {} {} {}",
        containers(&bad),
        pluralize("uses", "use", bad.len()),
        pluralize("hostPort", "hostPorts", ports.len()),
        ports.join(", ")
    );
    first.failed(pod, "hostPort", detail)
}

fn host_probes_and_lifecycle(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut bad = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    for c in pod.every_container() {
        let handlers = ["livenessProbe", "readinessProbe", "startupProbe"]
            .iter()
            .filter_map(|p| c.get(p))
            .chain(["postStart", "preStop"].iter().filter_map(|h| c.node.at(&["lifecycle", h])));
        for handler in handlers {
            for action in ["httpGet", "tcpSocket"] {
                if let Some(host) = handler.at(&[action, "host"]).filter(|h| !text(Some(h)).is_empty()) {
                    bad.insert(c.name().to_string());
                    hosts.insert(text(Some(host)).to_string());
                    first.container(pod, &c, Some((host, "")));
                }
            }
        }
    }
    if bad.is_empty() {
        return None;
    }
    let (bad, hosts): (Vec<String>, Vec<String>) = (bad.into_iter().collect(), hosts.into_iter().collect());
    let detail = format!(
        "{} {} {} {}",
        containers(&bad),
        pluralize("uses", "use", bad.len()),
        pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.len()),
        join_quote(&hosts)
    );
    first.failed(pod, "probe or lifecycle host", detail)
}

fn privileged(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let bad = bad_containers(pod, &mut first, |c| {
        let node = container_security(c, "privileged").filter(|n| n.as_bool() == Some(true))?;
        Some(Some((node, "securityContext/privileged")))
    });
    if bad.is_empty() {
        return None;
    }
    first.failed(pod, "privileged", format!("{} must not set securityContext.privileged=true", containers(&bad)))
}

fn proc_mount(pod: &PodTemplate<'_>) -> Option<Failed> {
    let mut first = First::default();
    let mut kinds = BTreeSet::new();
    let bad = bad_containers(pod, &mut first, |c| {
        let node = container_security(c, "procMount")?;
        let kind = text(Some(node));
        (kind != "Default").then(|| {
            kinds.insert(kind.to_string());
            Some((node, "securityContext/procMount"))
        })
    });
    if bad.is_empty() {
        return None;
    }
    let kinds: Vec<String> = kinds.into_iter().collect();
    let detail = format!("{} must not set securityContext.procMount to {}", containers(&bad), join_quote(&kinds));
    first.failed(pod, "procMount", detail)
}

fn proc_mount_baseline(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if user_namespace(pod, minor) { None } else { proc_mount(pod) }
}

fn proc_mount_restricted(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    proc_mount(pod)
}

fn run_as_non_root(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if user_namespace(pod, minor) {
        return None;
    }
    let mut first = First::default();
    let mut setters = Vec::new();
    let mut pod_non_root = false;
    if let Some(node) = pod_security(pod, "runAsNonRoot") {
        if node.as_bool() == Some(false) {
            setters.push("pod".to_string());
            first.pod(pod, node, "/securityContext/runAsNonRoot");
        } else {
            pod_non_root = true;
        }
    }
    let mut implicit = Vec::new();
    let mut implicit_first = First::default();
    let explicit = bad_containers(pod, &mut first, |c| match container_security(c, "runAsNonRoot") {
        Some(node) => (node.as_bool() == Some(false)).then_some(Some((node, "securityContext/runAsNonRoot"))),
        None => {
            if !pod_non_root {
                implicit_first.container(pod, c, None);
                implicit.push(c.name().to_string());
            }
            None
        }
    });
    if !explicit.is_empty() {
        setters.push(containers(&explicit));
    }
    if !setters.is_empty() {
        let detail = format!("{} must not set securityContext.runAsNonRoot=false", setters.join(" and "));
        return first.failed(pod, "runAsNonRoot != true", detail);
    }
    if implicit.is_empty() {
        return None;
    }
    let detail = format!("pod or {} must set securityContext.runAsNonRoot=true", containers(&implicit));
    implicit_first.failed(pod, "runAsNonRoot != true", detail)
}

fn run_as_user(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if user_namespace(pod, minor) {
        return None;
    }
    let mut first = First::default();
    let mut setters = Vec::new();
    if let Some(node) = pod_security(pod, "runAsUser").filter(|n| n.as_i64() == Some(0)) {
        setters.push("pod".to_string());
        first.pod(pod, node, "/securityContext/runAsUser");
    }
    let bad = bad_containers(pod, &mut first, |c| {
        let node = container_security(c, "runAsUser").filter(|n| n.as_i64() == Some(0))?;
        Some(Some((node, "securityContext/runAsUser")))
    });
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    first.failed(pod, "runAsUser=0", format!("{} must not set runAsUser=0", setters.join(" and ")))
}

fn se_linux_options(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    let mut allowed = vec!["", "container_t", "container_init_t", "container_kvm_t"];
    if minor >= 31 {
        allowed.push("container_engine_t");
    }
    let mut types = BTreeSet::new();
    let (mut user, mut role) = (false, false);
    let mut valid = |options: &Node| {
        let kind = text(options.get("type"));
        let bad_type = !allowed.contains(&kind);
        if bad_type {
            types.insert(kind.to_string());
        }
        let set = |k: &str| !text(options.get(k)).is_empty();
        user |= set("user");
        role |= set("role");
        !(bad_type || set("user") || set("role"))
    };
    let mut first = First::default();
    let mut setters = Vec::new();
    if let Some(options) = pod_security(pod, "seLinuxOptions")
        && !valid(options)
    {
        setters.push("pod".to_string());
        first.pod(pod, options, "/securityContext/seLinuxOptions");
    }
    let bad = bad_containers(pod, &mut first, |c| {
        let options = container_security(c, "seLinuxOptions")?;
        (!valid(options)).then_some(Some((options, "securityContext/seLinuxOptions")))
    });
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    let mut data = Vec::new();
    if !types.is_empty() {
        let types: Vec<String> = types.into_iter().collect();
        data.push(format!("{} {}", pluralize("type", "types", types.len()), join_quote(&types)));
    }
    if user {
        data.push("user may not be set".to_string());
    }
    if role {
        data.push("role may not be set".to_string());
    }
    let detail = format!("{} set forbidden securityContext.seLinuxOptions: {}", setters.join(" and "), data.join("; "));
    first.failed(pod, "seLinuxOptions", detail)
}

fn valid_seccomp(profile: &Node) -> bool {
    matches!(text(profile.get("type")), "Localhost" | "RuntimeDefault")
}

fn seccomp_baseline(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if minor < 19 {
        return seccomp_annotations(pod);
    }
    seccomp_fields(pod, false)
}

/// Before 1.19, seccomp profiles were annotations.
fn seccomp_annotations(pod: &PodTemplate<'_>) -> Option<Failed> {
    const POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
    const CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
    let valid = |v: &str| v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
    let names: Vec<String> = pod.every_container().map(|c| format!("{CONTAINER}{}", c.name())).collect();
    let mut first = First::default();
    let mut forbidden = BTreeSet::new();
    for e in annotations(pod) {
        let value = text(Some(&e.value));
        if (e.key.name == POD || names.contains(&e.key.name)) && !valid(value) {
            forbidden.insert(format!("{}={}", e.key.name, go_quote(value)));
            first.set(e.value.span, String::new);
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    let forbidden: Vec<String> = forbidden.into_iter().collect();
    let detail =
        format!("forbidden {} {}", pluralize("annotation", "annotations", forbidden.len()), forbidden.join(", "));
    first.failed(pod, "seccompProfile", detail)
}

fn seccomp_fields(pod: &PodTemplate<'_>, restricted: bool) -> Option<Failed> {
    let mut first = First::default();
    let mut setters = Vec::new();
    let mut values = BTreeSet::new();
    let mut pod_set = false;
    if let Some(profile) = pod_security(pod, "seccompProfile") {
        if valid_seccomp(profile) {
            pod_set = true;
        } else {
            setters.push("pod".to_string());
            values.insert(text(profile.get("type")).to_string());
            first.pod(pod, profile, "/securityContext/seccompProfile");
        }
    }
    let mut implicit = Vec::new();
    let mut implicit_first = First::default();
    let explicit = bad_containers(pod, &mut first, |c| match container_security(c, "seccompProfile") {
        Some(profile) => (!valid_seccomp(profile)).then(|| {
            values.insert(text(profile.get("type")).to_string());
            Some((profile, "securityContext/seccompProfile"))
        }),
        None => {
            if restricted && !pod_set {
                implicit_first.container(pod, c, None);
                implicit.push(c.name().to_string());
            }
            None
        }
    });
    if !explicit.is_empty() {
        setters.push(containers(&explicit));
    }
    if !setters.is_empty() {
        let values: Vec<String> = values.into_iter().collect();
        let detail = format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            setters.join(" and "),
            join_quote(&values)
        );
        return first.failed(pod, "seccompProfile", detail);
    }
    if implicit.is_empty() {
        return None;
    }
    let detail = format!(
        r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
        containers(&implicit)
    );
    implicit_first.failed(pod, "seccompProfile", detail)
}

fn seccomp_restricted(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    if minor >= 25 && is_windows(pod) {
        return None;
    }
    seccomp_fields(pod, true)
}

/// The sysctls the baseline profile allows, each with the version that allowed it.
const SAFE_SYSCTLS: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// Whether the baseline profile allows a sysctl at policy version `1.minor`.
pub fn safe_sysctl(name: &str, minor: u32) -> bool {
    SAFE_SYSCTLS.iter().any(|(safe, since)| *safe == name && *since <= minor)
}

fn sysctls(pod: &PodTemplate<'_>, minor: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut forbidden = Vec::new();
    let items = pod_security(pod, "sysctls").map(Node::items).unwrap_or_default();
    for (i, sysctl) in items.iter().enumerate() {
        let name = text(sysctl.get("name"));
        if !safe_sysctl(name, minor) {
            forbidden.push(name.to_string());
            first.pod(pod, sysctl.get("name").unwrap_or(sysctl), &format!("/securityContext/sysctls/{i}/name"));
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    first.failed(pod, "forbidden sysctls", forbidden.join(", "))
}

fn host_process(options: Option<&Node>) -> Option<&Node> {
    options.and_then(|o| o.get("hostProcess")).filter(|n| n.as_bool() == Some(true))
}

fn windows_host_process(pod: &PodTemplate<'_>, _: u32) -> Option<Failed> {
    let mut first = First::default();
    let mut setters = Vec::new();
    let bad = bad_containers(pod, &mut first, |c| {
        let node = host_process(container_security(c, "windowsOptions"))?;
        Some(Some((node, "securityContext/windowsOptions/hostProcess")))
    });
    let mut pod_first = First::default();
    if let Some(node) = host_process(pod_security(pod, "windowsOptions")) {
        setters.push("pod".to_string());
        pod_first.pod(pod, node, "/securityContext/windowsOptions/hostProcess");
    }
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    let first = if pod_first.0.is_some() { pod_first } else { first };
    let detail = format!("{} must not set securityContext.windowsOptions.hostProcess=true", setters.join(" and "));
    first.failed(pod, "hostProcess", detail)
}
