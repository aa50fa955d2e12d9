//! Rules for what is legal but unwise: unpinned images, missing resources and
//! probes, replicas on one node.

mod deprecated_service_account;
mod latest_tag;
mod missing_cpu_request;
mod missing_memory_limit;
mod missing_probe;
mod no_anti_affinity;
mod probe_port_not_exposed;

pub use deprecated_service_account::DEPRECATED_SERVICE_ACCOUNT;
pub use latest_tag::LATEST_TAG;
pub use missing_cpu_request::MISSING_CPU_REQUEST;
pub use missing_memory_limit::MISSING_MEMORY_LIMIT;
pub use missing_probe::MISSING_PROBE;
pub use no_anti_affinity::NO_ANTI_AFFINITY;
pub use probe_port_not_exposed::PROBE_PORT_NOT_EXPOSED;
