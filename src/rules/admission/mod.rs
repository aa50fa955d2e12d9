//! Rules for what admission plugins reject or warn about (see `crate::admission`).

mod pod_security;

pub use pod_security::{POD_SECURITY, POD_SECURITY_AUDIT, POD_SECURITY_WARNING};
