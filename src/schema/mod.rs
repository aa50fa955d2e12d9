//! The embedded Kubernetes schemas.

mod catalog;
mod enums;
pub mod history;
mod model;
pub mod removed;
mod version;

pub use catalog::{ApiResource, Catalog, api_version, split_api_version};
pub use model::{
    Bound, Constraints, DefId, ListType, Pattern, Property, Schema, SchemaRef, Type, list_type, ref_target,
};
pub use version::KubeVersion;
