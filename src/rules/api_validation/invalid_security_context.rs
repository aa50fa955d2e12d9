use crate::document::Document;
use crate::kube::{field, paths};
use crate::rules::Context;
use crate::rules::pod::PodTemplate;
use crate::source::Span;
use crate::yaml::Node;

use super::at::At;

crate::declare_rule! {
    /// ## What it does
    /// Checks the Pod's and each container's `securityContext` as the API server does:
    /// user and group IDs between 0 and 2147483647; `shareProcessNamespace` not with
    /// `hostPID`; sysctl names well formed and not repeated; `fsGroupChangePolicy`,
    /// seccomp and AppArmor profile types from their lists, a `localhostProfile` exactly
    /// when the type is `Localhost` (relative, without `..`, for seccomp);
    /// `allowPrivilegeEscalation: false` not with `privileged: true` or an added
    /// `CAP_SYS_ADMIN`.
    ///
    /// ## Why it matters
    /// The API server rejects the object, e.g.
    /// `spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value:
    /// must be set when seccomp type is Localhost`.
    ///
    /// ## API server
    /// Rejected on create: `validatePodSpecSecurityContext`, `validateSysctls`,
    /// `validateFSGroupChangePolicy`, `validateSeccompProfileField`,
    /// `ValidateAppArmorProfileField` and `ValidateSecurityContext` in
    /// `pkg/apis/core/validation/validation.go` (`IsValidUserID`, `IsValidGroupID`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       privileged: true
    ///       allowPrivilegeEscalation: false
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    /// ```
    pub static INVALID_SECURITY_CONTEXT = {
        id: "invalid-security-context",
        category: ApiValidation,
        severity: Error,
        enabled: true,
        summary: "a securityContext has an out-of-range ID, a bad profile or sysctl, or contradicting settings",
        fields: [
            "PodSpec.securityContext", "Container.securityContext", "PodSecurityContext.runAsUser",
            "PodSecurityContext.sysctls", "SecurityContext.seccompProfile", "SecurityContext.appArmorProfile",
            "SecurityContext.allowPrivilegeEscalation",
        ],
        fixes: [Safe],
        check: Document(check),
    };
}

const ID_RANGE: &str = "must be between 0 and 2147483647, inclusive";
const PROFILE_TYPES: &[&str] = &["Localhost", "RuntimeDefault", "Unconfined"];
const SYSCTL_MAX: usize = 253;
const SYSCTL_REGEX: &str = r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

fn report(cx: &mut Context<'_>, at: &At, span: Span, message: String, label: &str, help: &str) {
    at.report(cx, &INVALID_SECURITY_CONTEXT, span, message, label, help);
}

fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(pod) = PodTemplate::of(doc) else { return };
    let spec = At::new(pod.path(), pod.pointer(""));
    if let Some(sc) = pod.spec.get("securityContext").filter(|n| n.is_map()) {
        let at = spec.child("securityContext");
        ids(cx, &at, sc, &["runAsUser", "runAsGroup", "fsGroup"]);
        for (i, node) in sc.get("supplementalGroups").map(Node::items).unwrap_or_default().iter().enumerate() {
            id_in_range(cx, &at.index("supplementalGroups", i), node, "use a group ID between 0 and 2147483647");
        }
        sysctls(cx, &at, sc);
        if let Some(node) = sc.get("fsGroupChangePolicy")
            && let Some(p) = node.as_str()
            && !matches!(p, "Always" | "OnRootMismatch")
        {
            let at = at.child("fsGroupChangePolicy");
            let message = field::not_supported(&at.path, p, &["Always", "OnRootMismatch"]);
            report(cx, &at, node.span, message, "not a policy", "use `OnRootMismatch` or `Always`");
        }
        profiles(cx, &at, sc);
    }
    // `shareProcessNamespace` and `hostPID` are PodSpec fields, kept in the internal
    // security context: the API server names them there.
    if let Some(node) = pod.spec.get("shareProcessNamespace")
        && node.as_bool() == Some(true)
        && pod.spec.get("hostPID").and_then(Node::as_bool) == Some(true)
    {
        let at = spec.child("securityContext.shareProcessNamespace");
        let message = field::invalid(&at.path, "true", "ShareProcessNamespace and HostPID cannot both be enabled");
        let at = At::new(at.path, pod.pointer("/shareProcessNamespace"));
        report(cx, &at, node.span, message, "with `hostPID`", "keep one of `shareProcessNamespace` and `hostPID`");
    }
    for c in pod.every_container() {
        let Some(sc) = c.get("securityContext").filter(|n| n.is_map()) else { continue };
        let at = At::new(pod.container_path(&c, "securityContext"), pod.container_pointer(&c, "securityContext"));
        ids(cx, &at, sc, &["runAsUser", "runAsGroup"]);
        profiles(cx, &at, sc);
        if sc.get("allowPrivilegeEscalation").and_then(Node::as_bool) == Some(false) {
            let span = sc.get("allowPrivilegeEscalation").map_or(sc.span, |n| n.span);
            if sc.get("privileged").and_then(Node::as_bool) == Some(true) {
                let detail = "cannot set `allowPrivilegeEscalation` to false and `privileged` to true";
                let message = field::invalid(&at.path, "&core.SecurityContext{…}", detail);
                let help = "a privileged container can always escalate: remove one of the two";
                report(cx, &at, span, message, "with `privileged: true`", help);
            }
            let adds = sc.at(&["capabilities", "add"]).map(Node::items).unwrap_or_default();
            if adds.iter().any(|n| n.as_str() == Some("CAP_SYS_ADMIN")) {
                let detail = "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN";
                let message = field::invalid(&at.path, "&core.SecurityContext{…}", detail);
                report(
                    cx,
                    &at,
                    span,
                    message,
                    "with CAP_SYS_ADMIN",
                    "drop `CAP_SYS_ADMIN`, or allow privilege escalation",
                );
            }
        }
    }
}

fn ids(cx: &mut Context<'_>, at: &At, sc: &Node, keys: &[&str]) {
    for key in keys {
        if let Some(node) = sc.get(key) {
            id_in_range(cx, &at.child(key), node, "use an ID between 0 and 2147483647");
        }
    }
}

/// A user or group ID must fit in an int32 and not be negative.
fn id_in_range(cx: &mut Context<'_>, at: &At, node: &Node, help: &str) {
    if let Some(n) = node.as_i64().filter(|n| !(0..=i64::from(i32::MAX)).contains(n)) {
        report(cx, at, node.span, field::invalid(&at.path, &n.to_string(), ID_RANGE), "out of range", help);
    }
}

/// `^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`
fn is_sysctl_name(name: &str) -> bool {
    let segment = |s: &str| {
        let b = s.as_bytes();
        let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty()
            && b.iter().all(|c| edge(c) || matches!(c, b'-' | b'_'))
            && b.first().is_some_and(edge)
            && b.last().is_some_and(edge)
    };
    name.len() <= SYSCTL_MAX && name.split(['.', '/']).all(segment)
}

fn sysctls(cx: &mut Context<'_>, at: &At, sc: &Node) {
    let mut seen: Vec<(&str, &Node)> = Vec::new();
    for (i, s) in sc.get("sysctls").map(Node::items).unwrap_or_default().iter().enumerate() {
        let Some(node) = s.get("name") else { continue };
        let Some(name) = node.as_str() else { continue };
        let at = at.index("sysctls", i).child("name");
        let message = if name.is_empty() {
            field::required(&at.path, "")
        } else if !is_sysctl_name(name) {
            let detail = format!("must have at most {SYSCTL_MAX} characters and match regex {SYSCTL_REGEX}");
            field::invalid(&at.path, &field::quote(name), &detail)
        } else if crate::rules::first_seen(&mut seen, name, node).is_some() {
            field::duplicate(&at.path, &field::quote(name))
        } else {
            continue;
        };
        report(
            cx,
            &at,
            node.span,
            message,
            "not a valid sysctl",
            "name a sysctl such as `net.ipv4.ip_local_port_range`, once",
        );
    }
}

/// `seccompProfile` and `appArmorProfile`: a type from the list, and a
/// `localhostProfile` exactly when it is `Localhost`.
fn profiles(cx: &mut Context<'_>, at: &At, sc: &Node) {
    for (key, what) in [("seccompProfile", "seccomp"), ("appArmorProfile", "AppArmor")] {
        let Some(profile) = sc.get(key).filter(|n| n.is_map()) else { continue };
        let at = at.child(key);
        let ty_node = profile.get("type");
        let ty = ty_node.and_then(Node::as_str).unwrap_or("");
        let local = profile.get("localhostProfile").filter(|n| !n.is_null());
        let tat = at.child("type");
        let type_span = ty_node.map_or(profile.span, |n| n.span);
        if ty.is_empty() {
            let message = field::required(&tat.path, &format!("type is required when {key} is set"));
            report(cx, &tat, type_span, message, "no type", "use `type: RuntimeDefault`");
            continue;
        }
        if !PROFILE_TYPES.contains(&ty) {
            let message = field::not_supported(&tat.path, ty, PROFILE_TYPES);
            report(
                cx,
                &tat,
                type_span,
                message,
                "not a profile type",
                "use `RuntimeDefault`, `Localhost` or `Unconfined`",
            );
            continue;
        }
        let lat = at.child("localhostProfile");
        match (ty, local) {
            ("Localhost", None) => {
                let detail = format!("must be set when {what} type is Localhost");
                let help = "add `localhostProfile:` with the profile's path on the node";
                report(cx, &lat, type_span, field::required(&lat.path, &detail), "no profile", help);
            }
            ("Localhost", Some(node)) => {
                let Some(text) = node.as_str() else { continue };
                let problem = if key == "seccompProfile" {
                    paths::local_descending(text).err()
                } else if text.trim() != text {
                    Some("must not be padded with whitespace")
                } else {
                    None
                };
                if let Some(reason) = problem {
                    report(
                        cx,
                        &lat,
                        node.span,
                        field::invalid(&lat.path, &field::quote(text), reason),
                        "not a valid profile path",
                        "give the profile's path relative to the node's profile directory",
                    );
                }
            }
            (_, Some(node)) => {
                let detail = format!("can only be set when {what} type is Localhost");
                let value = if key == "seccompProfile" {
                    "&core.SeccompProfile{…}".to_string()
                } else {
                    field::quote(node.as_str().unwrap_or(""))
                };
                let help = "remove `localhostProfile`, or use `type: Localhost`";
                report(
                    cx,
                    &lat,
                    node.span,
                    field::invalid(&lat.path, &value, &detail),
                    "not a Localhost profile",
                    help,
                );
            }
            _ => {}
        }
    }
}
