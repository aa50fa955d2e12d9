//! Rules for what widens the attack surface: privileges, host access, secrets.

mod host_namespace;
mod host_path_mount;
mod net_raw_not_dropped;
mod privilege_escalation;
mod privileged_container;
mod run_as_root;
mod secret_in_env;
mod ssh_port;
mod unsafe_sysctl;
mod writable_root_filesystem;

pub use host_namespace::{HOST_IPC, HOST_NETWORK, HOST_PID};
pub use host_path_mount::{DOCKER_SOCK_MOUNT, SENSITIVE_HOST_MOUNT};
pub use net_raw_not_dropped::NET_RAW_NOT_DROPPED;
pub use privilege_escalation::PRIVILEGE_ESCALATION;
pub use privileged_container::PRIVILEGED_CONTAINER;
pub use run_as_root::RUN_AS_ROOT;
pub use secret_in_env::SECRET_IN_ENV;
pub use ssh_port::SSH_PORT;
pub use unsafe_sysctl::UNSAFE_SYSCTL;
pub use writable_root_filesystem::WRITABLE_ROOT_FILESYSTEM;
