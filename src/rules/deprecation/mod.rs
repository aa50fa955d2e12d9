//! Rules for API versions on their way out.

mod deprecated_api;

pub use deprecated_api::{DEPRECATED_API, replace_api_version};
