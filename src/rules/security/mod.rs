//! Rules for what widens the attack surface: privileges, host access, secrets.

mod cluster_admin_binding;
mod host_namespace;
mod host_path_mount;
mod host_port;
mod net_raw_not_dropped;
mod privilege_escalation;
mod privileged_container;
mod privileged_port;
pub mod rbac;
mod rbac_access;
mod rbac_wildcard;
mod run_as_root;
mod secret_in_env;
mod service_account_token;
mod ssh_port;
mod unsafe_proc_mount;
mod unsafe_sysctl;
mod writable_host_mount;
mod writable_root_filesystem;

pub use cluster_admin_binding::CLUSTER_ADMIN_BINDING;
pub use host_namespace::{HOST_IPC, HOST_NETWORK, HOST_PID};
pub use host_path_mount::{DOCKER_SOCK_MOUNT, SENSITIVE_HOST_MOUNT};
pub use host_port::HOST_PORT;
pub use net_raw_not_dropped::NET_RAW_NOT_DROPPED;
pub use privilege_escalation::PRIVILEGE_ESCALATION;
pub use privileged_container::PRIVILEGED_CONTAINER;
pub use privileged_port::PRIVILEGED_PORT;
pub use rbac_access::{ACCESS_TO_CREATE_PODS, ACCESS_TO_SECRETS};
pub use rbac_wildcard::RBAC_WILDCARD;
pub use run_as_root::RUN_AS_ROOT;
pub use secret_in_env::SECRET_IN_ENV;
pub use service_account_token::{AUTOMOUNT_SERVICE_ACCOUNT_TOKEN, DEFAULT_SERVICE_ACCOUNT};
pub use ssh_port::SSH_PORT;
pub use unsafe_proc_mount::UNSAFE_PROC_MOUNT;
pub use unsafe_sysctl::UNSAFE_SYSCTL;
pub use writable_host_mount::WRITABLE_HOST_MOUNT;
pub use writable_root_filesystem::WRITABLE_ROOT_FILESYSTEM;

/// The `security-severity` SARIF gives a security rule (0.0 to 10.0, as CVSS scores
/// read: 9+ critical, 7+ high, 4+ medium), for GitHub code scanning's severity.
/// What gives the node away ranks highest; hardening advice lowest.
pub fn security_severity(rule: &crate::rules::Rule) -> Option<&'static str> {
    if rule.category != crate::rules::Category::Security {
        return None;
    }
    Some(match rule.id {
        "privileged-container" | "docker-sock-mount" | "cluster-admin-binding" => "9.0",
        "host-pid" | "sensitive-host-mount" | "pod-security" | "rbac-wildcard" => "8.0",
        "host-network" | "privilege-escalation" | "writable-host-mount" | "access-to-create-pods" => "7.5",
        "host-ipc" | "unsafe-sysctl" | "secret-in-env" | "access-to-secrets" | "unsafe-proc-mount" => "7.0",
        "run-as-root" | "pod-security-warning" | "host-port" => "6.0",
        "ssh-port" | "privileged-port" | "automount-token" | "default-service-account" => "5.0",
        "net-raw-not-dropped" | "writable-root-filesystem" | "privilege-escalation-not-disabled" => "4.0",
        "pod-security-audit" => "3.0",
        _ => "5.0",
    })
}
