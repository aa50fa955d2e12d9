//! Reading YAML the way Kubernetes does, with a span on every node.

mod loader;
mod node;
mod scalar;

pub use loader::{RawDocument, Stream, YamlError, YamlErrorKind, load};
pub use node::{Entry, Key, Node, Style, Value, format_float};
pub use scalar::{Resolved, resolve_plain};
