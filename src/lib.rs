//! kval: check Kubernetes manifests offline.

pub mod admission;
pub mod cel;
pub mod check;
pub mod cli;
pub mod config;
pub mod crd;
pub mod document;
pub mod explain;
pub mod finding;
pub mod fix;
pub mod input;
pub mod kube;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod memo;
pub mod report;
pub mod rules;
pub mod schema;
pub mod simulate;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod text;
pub mod yaml;
