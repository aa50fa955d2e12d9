//! The downward API's field selectors (`fieldRef`, `resourceFieldRef`) as the API
//! server checks them: `validateObjectFieldSelector` and
//! `validateContainerResourceFieldSelector` in `pkg/apis/core/validation/validation.go`,
//! `ConvertDownwardAPIFieldLabel` in `pkg/apis/core/pods/helpers.go`.

use super::names;

/// The fields an environment variable may take (`validEnvDownwardAPIFieldPathExpressions`), sorted.
pub const ENV_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The fields a downward API volume file may take, sorted.
pub const VOLUME_FIELDS: &[&str] =
    &["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

/// The container resources a `resourceFieldRef` may name (besides `requests.hugepages-*`
/// and `limits.hugepages-*`), sorted.
pub const RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

/// The paths `ConvertDownwardAPIFieldLabel` knows for `v1` Pods.
const KNOWN: &[&str] = &[
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Why a `fieldRef` is refused, with the field the API server names.
#[derive(Debug, PartialEq)]
pub enum FieldRefError {
    /// `fieldPath: Invalid value: PATH: error converting fieldPath: …`
    Convert(String),
    /// `fieldRef: Invalid value: KEY: …` (the label or annotation key)
    Key(String, String),
    /// `fieldPath: Unsupported value: PATH`
    NotSupported(String),
}

/// Splits `metadata.labels['app']` into its path and subscript.
fn split_subscript(path: &str) -> Option<(&str, &str)> {
    let (head, key) = path.strip_suffix("']")?.split_once("['")?;
    (!head.is_empty()).then_some((head, key))
}

/// Checks a `fieldRef` of `api_version` (defaulted to `v1`) against the allowed paths.
pub fn field_ref(api_version: &str, path: &str, allowed: &[&str]) -> Result<(), FieldRefError> {
    if api_version != "v1" {
        return Err(FieldRefError::Convert(format!("unsupported pod version: {api_version}")));
    }
    if let Some((head, key)) = split_subscript(path) {
        return match head {
            "metadata.annotations" => names::qualified_name(&key.to_lowercase()),
            "metadata.labels" => names::qualified_name(key),
            _ => return Err(FieldRefError::Convert(format!("field label does not support subscript: {path}"))),
        }
        .map_err(|reason| FieldRefError::Key(key.to_string(), reason));
    }
    let path = if path == "spec.host" { "spec.nodeName" } else { path };
    if !KNOWN.contains(&path) {
        return Err(FieldRefError::Convert(format!("field label not supported: {path}")));
    }
    if allowed.contains(&path) { Ok(()) } else { Err(FieldRefError::NotSupported(path.to_string())) }
}

/// Whether a `resourceFieldRef.resource` names a container resource.
pub fn resource(name: &str) -> bool {
    RESOURCES.contains(&name) || name.starts_with("requests.hugepages-") || name.starts_with("limits.hugepages-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_refs() {
        assert!(field_ref("v1", "metadata.name", ENV_FIELDS).is_ok());
        assert!(field_ref("v1", "status.podIP", ENV_FIELDS).is_ok());
        assert!(field_ref("v1", "metadata.labels['app.kubernetes.io/name']", ENV_FIELDS).is_ok());
        assert_eq!(
            field_ref("v1", "metadata.labels", ENV_FIELDS),
            Err(FieldRefError::NotSupported("metadata.labels".into()))
        );
        assert!(field_ref("v1", "metadata.labels", VOLUME_FIELDS).is_ok());
        assert_eq!(
            field_ref("v1", "status.nodeName", ENV_FIELDS),
            Err(FieldRefError::Convert("field label not supported: status.nodeName".into()))
        );
        assert!(matches!(field_ref("v1", "metadata.labels['-x']", ENV_FIELDS), Err(FieldRefError::Key(..))));
        assert!(matches!(field_ref("v1", "metadata.name['x']", ENV_FIELDS), Err(FieldRefError::Convert(_))));
        assert!(matches!(field_ref("v2", "metadata.name", ENV_FIELDS), Err(FieldRefError::Convert(_))));
        assert!(resource("limits.memory") && resource("requests.hugepages-2Mi") && !resource("limits.gpu"));
    }
}
