//! Why an explanation failed, worded exactly as kubectl words it.

use std::fmt;

use super::resolve::Gvr;

#[derive(Clone, Debug, PartialEq)]
pub enum ExplainError {
    /// No argument.
    MissingArgument,
    /// More than one argument.
    TooManyArguments,
    /// The argument is not a chain of field names (client-go's JSONPath parser says why).
    Syntax(String),
    /// The argument starts with `.`, so it names no resource.
    ResourceRequired,
    /// No resource has this name, plural, singular or short name.
    NoResourceType(String),
    /// `--api-version` is not `GROUP/VERSION` or `VERSION`.
    BadGroupVersion(String),
    /// The group-version has no OpenAPI document (e.g. `--api-version apps/v9`).
    NoOpenApiDocument(Gvr),
    /// The group-version exists but does not serve this resource.
    GvrNotFound(Gvr),
    /// No definition declares the resource's group/version/kind.
    GvkNotFound { group: String, version: String, kind: String },
    /// The field path leads nowhere; kubectl names its last element.
    FieldNotFound(String),
    /// `--output` is neither `plaintext` nor `plaintext-openapiv2`.
    UnrecognizedFormat(String),
    /// Legacy format: no definition declares the group/version/kind (`Group/v1, Kind=K`).
    LegacyNoResource(String),
    /// Legacy format: the first field of the path that does not exist.
    LegacyFieldNotFound(String),
    /// kval's `FILE:LINE`: the line names no field of a known resource.
    Location(String),
}

impl fmt::Display for ExplainError {
    /// The line kubectl prints to stderr. Only the unknown resource type has no
    /// `error: ` prefix, as in kubectl.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::MissingArgument => write!(
                f,
                "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" \
                 for a complete list of supported resources."
            ),
            ExplainError::TooManyArguments => write!(f, "error: We accept only this format: explain RESOURCE"),
            ExplainError::Syntax(message) => write!(f, "error: {message}"),
            ExplainError::ResourceRequired => write!(f, "error: a resource must be present, got: /, Resource="),
            ExplainError::NoResourceType(name) => {
                write!(f, "the server doesn't have a resource type {}", go_quote(name))
            }
            ExplainError::BadGroupVersion(text) => write!(f, "error: unexpected GroupVersion string: {text}"),
            ExplainError::NoOpenApiDocument(gvr) => write!(f, "error: couldn't find resource for \"{gvr}\""),
            ExplainError::GvrNotFound(gvr) => write!(f, "error: GVR ({gvr}) not found in OpenAPI schema"),
            ExplainError::GvkNotFound { group, version, kind } => {
                write!(f, "error: GVK map[group:{group} kind:{kind} version:{version}] not found in OpenAPI schema")
            }
            ExplainError::FieldNotFound(name) => write!(f, "error: field \"{name}\" does not exist"),
            ExplainError::UnrecognizedFormat(name) => write!(f, "error: unrecognized format: {name}"),
            ExplainError::LegacyNoResource(gvk) => write!(f, "error: couldn't find resource for {}", go_quote(gvk)),
            ExplainError::LegacyFieldNotFound(name) => write!(f, "error: field {} does not exist", go_quote(name)),
            ExplainError::Location(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for ExplainError {}

/// A string as Go's `%q` quotes it.
pub fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x80 && c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quoting() {
        assert_eq!(go_quote("ds"), "\"ds\"");
        assert_eq!(go_quote("a\"b\\c\td\u{1b}"), "\"a\\\"b\\\\c\\td\\x1b\"");
    }
}
