//! Checks done while reading and schema-validating documents. Their findings are
//! emitted by `crate::yaml`, `crate::document` and `crate::check::schema`; these files
//! hold their ids and documentation.

mod duplicate_key;
mod duplicate_value;
mod internal_error;
mod invalid_crd;
mod invalid_document;
mod invalid_encoding;
mod invalid_format;
mod invalid_quantity;
mod invalid_type;
mod invalid_value;
mod invalid_values;
mod io_error;
mod limit_exceeded;
mod missing_api_version;
mod missing_kind;
mod no_objects;
mod not_kubernetes;
mod removed_api;
mod render_failed;
mod render_unavailable;
mod required_field;
mod unknown_field;
mod unknown_kind;
mod unsupported_value;
mod validation_rule;
mod yaml_key_converted;
mod yaml_syntax;

pub use duplicate_key::DUPLICATE_KEY;
pub use duplicate_value::DUPLICATE_VALUE;
pub use internal_error::INTERNAL_ERROR;
pub use invalid_crd::INVALID_CRD;
pub use invalid_document::INVALID_DOCUMENT;
pub use invalid_encoding::INVALID_ENCODING;
pub use invalid_format::INVALID_FORMAT;
pub use invalid_quantity::INVALID_QUANTITY;
pub use invalid_type::INVALID_TYPE;
pub use invalid_value::INVALID_VALUE;
pub use invalid_values::INVALID_VALUES;
pub use io_error::IO_ERROR;
pub use limit_exceeded::LIMIT_EXCEEDED;
pub use missing_api_version::MISSING_API_VERSION;
pub use missing_kind::MISSING_KIND;
pub use no_objects::NO_OBJECTS;
pub use not_kubernetes::NOT_KUBERNETES;
pub use removed_api::REMOVED_API;
pub use render_failed::RENDER_FAILED;
pub use render_unavailable::RENDER_UNAVAILABLE;
pub use required_field::REQUIRED_FIELD;
pub use unknown_field::UNKNOWN_FIELD;
pub use unknown_kind::UNKNOWN_KIND;
pub use unsupported_value::UNSUPPORTED_VALUE;
pub use validation_rule::VALIDATION_RULE;
pub use yaml_key_converted::YAML_KEY_CONVERTED;
pub use yaml_syntax::YAML_SYNTAX;
