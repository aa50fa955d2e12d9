//! Reading YAML the way Kubernetes does, with a span on every node.

// Input-derived data must never make kval panic (see README, "Hostile and broken input").
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

mod loader;
mod node;
mod scalar;

pub use loader::{RawDocument, Stream, YamlError, YamlErrorKind, load};
pub use node::{Entry, Key, Node, Style, Value, format_float};
pub use scalar::{Resolved, resolve_plain};
