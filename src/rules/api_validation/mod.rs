//! Rules that mirror the API server's validation: what `kubectl apply` would refuse.

mod duplicate_container_name;
mod duplicate_port;
mod duplicate_volume_name;
mod invalid_annotation;
mod invalid_hpa_replicas;
mod invalid_job;
mod invalid_label;
mod invalid_name;
mod invalid_pdb;
mod invalid_port;
mod invalid_restart_policy;
mod invalid_schedule;
mod invalid_service;
mod negative_value;
mod requests_above_limits;
mod selector_mismatch;
mod undefined_volume;

pub use duplicate_container_name::DUPLICATE_CONTAINER_NAME;
pub use duplicate_port::DUPLICATE_PORT;
pub use duplicate_volume_name::DUPLICATE_VOLUME_NAME;
pub use invalid_annotation::INVALID_ANNOTATION;
pub use invalid_hpa_replicas::INVALID_HPA_REPLICAS;
pub use invalid_job::INVALID_JOB;
pub use invalid_label::INVALID_LABEL;
pub use invalid_name::INVALID_NAME;
pub use invalid_pdb::INVALID_PDB;
pub use invalid_port::INVALID_PORT;
pub use invalid_restart_policy::INVALID_RESTART_POLICY;
pub use invalid_schedule::INVALID_SCHEDULE;
pub use invalid_service::INVALID_SERVICE;
pub use negative_value::NEGATIVE_VALUE;
pub use requests_above_limits::REQUESTS_ABOVE_LIMITS;
pub use selector_mismatch::SELECTOR_MISMATCH;
pub use undefined_volume::UNDEFINED_VOLUME;
