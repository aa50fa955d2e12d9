//! Rules for what admission plugins reject or warn about (see `crate::admission`).

mod admission_policy;
mod pod_security;

pub use admission_policy::{
    ADMISSION_POLICY, ADMISSION_POLICY_AUDIT, ADMISSION_POLICY_WARNING, INVALID_ADMISSION_POLICY,
};
pub use pod_security::{POD_SECURITY, POD_SECURITY_AUDIT, POD_SECURITY_WARNING};
