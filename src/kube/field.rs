//! The API server's validation errors as it prints them
//! (`k8s.io/apimachinery/pkg/util/validation/field.Error.Error()`), so findings can
//! quote them word for word: `spec.containers[0].image: Required value`.

/// `field: Required value[: detail]`
pub fn required(field: &str, detail: &str) -> String {
    with_detail(format!("{field}: Required value"), detail)
}

/// `field: Forbidden[: detail]`
pub fn forbidden(field: &str, detail: &str) -> String {
    with_detail(format!("{field}: Forbidden"), detail)
}

/// `field: Invalid value: "value": detail`; `value` as Go's `%#v` prints it (quoted
/// strings, bare numbers): give it already rendered, e.g. with [`quote`].
pub fn invalid(field: &str, value: &str, detail: &str) -> String {
    with_detail(format!("{field}: Invalid value: {value}"), detail)
}

/// `field: Duplicate value: "value"`
pub fn duplicate(field: &str, value: &str) -> String {
    format!("{field}: Duplicate value: {value}")
}

/// `field: Unsupported value: "value": supported values: "a", "b"`
pub fn not_supported(field: &str, value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
    format!("{field}: Unsupported value: {}: supported values: {}", quote(value), list.join(", "))
}

/// `field: Too long: may not be more than N bytes`
pub fn too_long(field: &str, max: usize) -> String {
    format!("{field}: Too long: may not be more than {max} bytes")
}

/// A list of strings as Go's `%#v` prints a `[]string`: `[]string{"a", "b"}`.
pub fn string_slice(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// A string as Go's `%q` prints it.
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

fn with_detail(head: String, detail: &str) -> String {
    if detail.is_empty() { head } else { format!("{head}: {detail}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts from the API server (`kubectl apply` output and validation tests).
    #[test]
    fn as_the_api_server_prints_them() {
        assert_eq!(required("spec.containers[0].image", ""), "spec.containers[0].image: Required value");
        assert_eq!(
            forbidden("spec.containers[0].livenessProbe.exec", "may not specify more than 1 handler type"),
            "spec.containers[0].livenessProbe.exec: Forbidden: may not specify more than 1 handler type"
        );
        assert_eq!(
            invalid("spec.clusterIP", &quote("1.2.3"), "must be a valid IP address"),
            "spec.clusterIP: Invalid value: \"1.2.3\": must be a valid IP address"
        );
        assert_eq!(string_slice(&["10.0.0.1", "fd00::1"]), "[]string{\"10.0.0.1\", \"fd00::1\"}");
        assert_eq!(duplicate("spec.ports[1].name", &quote("http")), "spec.ports[1].name: Duplicate value: \"http\"");
        assert_eq!(
            not_supported("spec.type", "Foo", &["ClusterIP", "NodePort"]),
            "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"NodePort\""
        );
    }
}
