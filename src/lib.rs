//! kval: check Kubernetes manifests offline.

pub mod cli;
pub mod limits;
pub mod schema;
pub mod source;
pub mod yaml;
