//! The embedded Kubernetes schemas.

// Indices here are the embedded data's own (versions, definition ids), and a corrupt
// embedding is a build defect that a test loads every version to catch; no input
// reaches them.
#![allow(clippy::indexing_slicing, clippy::panic)]

mod catalog;
mod enums;
pub mod history;
mod model;
pub mod removed;
pub mod required;
mod version;

pub use catalog::{ApiResource, Catalog, api_version, split_api_version};
pub use model::{
    Bound, Constraints, DefId, ListType, Pattern, Property, Schema, SchemaRef, Type, list_type, ref_target,
};
pub use version::KubeVersion;
