//! Syntax of names, label keys and values, and port names, with the API server's
//! messages (`k8s.io/apimachinery/pkg/util/validation`).

const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;
const LABEL_VALUE_MAX: usize = 63;
const PORT_NAME_MAX: usize = 15;

fn alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|&c| alnum_lower(c) || c == b'-')
        && b.first().is_some_and(|&c| alnum_lower(c))
        && b.last().is_some_and(|&c| alnum_lower(c))
}

fn too_long(max: usize) -> String {
    format!("must be no more than {max} characters")
}

/// A lowercase RFC 1123 label (`my-name`), at most 63 characters: names of
/// namespaces, StatefulSets, containers, ports of Services.
pub fn dns1123_label(s: &str) -> Result<(), String> {
    if s.len() > DNS1123_LABEL_MAX {
        return Err(too_long(DNS1123_LABEL_MAX));
    }
    if !is_dns1123_label(s) {
        return Err("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".into());
    }
    Ok(())
}

/// A lowercase RFC 1123 subdomain (`example.com`), at most 253 characters: the
/// names of most objects.
pub fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        return Err(too_long(DNS1123_SUBDOMAIN_MAX));
    }
    if s.is_empty() || !s.split('.').all(is_dns1123_label) {
        return Err("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into());
    }
    Ok(())
}

/// A DNS subdomain whose labels may hold `_` (and start with one): DNS search
/// domains from Kubernetes 1.33 (`IsDNS1123SubdomainWithUnderscore`).
pub fn dns1123_subdomain_with_underscore(s: &str) -> Result<(), String> {
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        return Err(too_long(DNS1123_SUBDOMAIN_MAX));
    }
    let label = |l: &str| {
        let l = l.strip_prefix('_').unwrap_or(l);
        let b = l.as_bytes();
        !b.is_empty()
            && b.iter().all(|&c| alnum_lower(c) || c == b'-' || c == b'_')
            && b.first().is_some_and(|&c| alnum_lower(c))
            && b.last().is_some_and(|&c| alnum_lower(c))
    };
    if s.is_empty() || !s.split('.').all(label) {
        return Err("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')".into());
    }
    Ok(())
}

/// An RFC 1035 label (`my-name`, starting with a letter), at most 63 characters:
/// the names of Services.
pub fn dns1035_label(s: &str) -> Result<(), String> {
    if s.len() > DNS1123_LABEL_MAX {
        return Err(too_long(DNS1123_LABEL_MAX));
    }
    if !is_dns1123_label(s) || !s.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        return Err("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".into());
    }
    Ok(())
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// A qualified name (`app.kubernetes.io/name`): an optional DNS subdomain prefix
/// and `/`, then a name of at most 63 characters. Label and annotation keys.
pub fn qualified_name(s: &str) -> Result<(), String> {
    let (prefix, name) = match s.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, s),
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            return Err("prefix part must be non-empty".into());
        }
        if let Err(e) = dns1123_subdomain(prefix) {
            return Err(format!("prefix part {e}"));
        }
    }
    if name.is_empty() {
        return Err("name part must be non-empty".into());
    }
    if name.len() > DNS1123_LABEL_MAX {
        return Err(format!("name part {}", too_long(DNS1123_LABEL_MAX)));
    }
    if !is_name_part(name) {
        return Err("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".into());
    }
    Ok(())
}

/// A label value: empty, or at most 63 alphanumerics, `-`, `_`, `.` starting and
/// ending with an alphanumeric.
pub fn label_value(s: &str) -> Result<(), String> {
    if s.len() > LABEL_VALUE_MAX {
        return Err(too_long(LABEL_VALUE_MAX));
    }
    if !s.is_empty() && !is_name_part(s) {
        return Err("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".into());
    }
    Ok(())
}

/// An IANA service name (`http`, `metrics-tls`): what a container port name and a
/// named `targetPort` must be.
pub fn port_name(s: &str) -> Result<(), String> {
    if s.len() > PORT_NAME_MAX {
        return Err(too_long(PORT_NAME_MAX));
    }
    let b = s.as_bytes();
    if !b.iter().all(|&c| alnum_lower(c) || c == b'-') {
        return Err("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if s.contains("--") {
        return Err("must not contain consecutive hyphens".into());
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        return Err("must contain at least one letter (a-z)".into());
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("must not begin or end with a hyphen".into());
    }
    Ok(())
}

/// A wildcard DNS-1123 subdomain (`*.example.com`): Ingress hosts.
pub fn wildcard_dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        return Err(too_long(DNS1123_SUBDOMAIN_MAX));
    }
    match s.strip_prefix("*.") {
        Some(rest) if !rest.is_empty() && rest.split('.').all(is_dns1123_label) => Ok(()),
        _ => Err("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into()),
    }
}

/// A key of a ConfigMap's or Secret's data (`IsConfigMapKey`): at most 253
/// alphanumerics, `-`, `_` and `.`, and not `.`, `..` or starting with `..`.
pub fn config_map_key(s: &str) -> Result<(), String> {
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        return Err(too_long(DNS1123_SUBDOMAIN_MAX));
    }
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')) {
        return Err("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".into());
    }
    match s {
        "." => Err("must not be '.'".into()),
        ".." => Err("must not be '..'".into()),
        _ if s.starts_with("..") => Err("must not start with '..'".into()),
        _ => Ok(()),
    }
}

/// An environment variable name. Since Kubernetes 1.32 (`RelaxedEnvironmentVariableValidation`,
/// on by default) any printable ASCII character but `=`; before, a C-identifier-like
/// name that may also hold `-` and `.`.
pub fn env_var_name(s: &str, relaxed: bool) -> Result<(), String> {
    if relaxed {
        if s.bytes().all(|c| (b' '..=b'~').contains(&c) && c != b'=') {
            return Ok(());
        }
        return Err(
            "a valid environment variable name must consist only of printable ASCII characters other than '='".into()
        );
    }
    let b = s.as_bytes();
    let ok = b.first().is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'.' | b'_'))
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if ok {
        Ok(())
    } else {
        Err("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name', or 'MY_ENV.NAME', or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')".into())
    }
}

/// A name that is safe as one segment of a URL path (`IsPathSegmentName`): RBAC
/// object names, an Ingress resource backend's kind and name.
pub fn path_segment_name(s: &str) -> Result<(), String> {
    if s == "." || s == ".." {
        return Err(format!("may not be '{s}'"));
    }
    match ['/', '%'].into_iter().find(|c| s.contains(*c)) {
        Some(c) => Err(format!("may not contain '{c}'")),
        None => Ok(()),
    }
}

/// A port number.
pub fn port_number(n: i64) -> Result<(), String> {
    if (1..=65535).contains(&n) { Ok(()) } else { Err("must be between 1 and 65535, inclusive".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_subdomains() {
        assert!(dns1123_label("my-name").is_ok());
        assert!(dns1123_label("123-abc").is_ok());
        for bad in ["", "My-name", "-a", "a-", "a.b", "a_b"] {
            assert!(dns1123_label(bad).is_err(), "{bad}");
        }
        assert_eq!(dns1123_label(&"a".repeat(64)).unwrap_err(), "must be no more than 63 characters");
        assert!(dns1123_subdomain("example.com").is_ok());
        assert!(dns1123_subdomain("a..b").is_err());
        assert!(dns1123_subdomain("web_app").unwrap_err().starts_with("a lowercase RFC 1123 subdomain"));
        assert!(dns1035_label("web").is_ok());
        assert!(dns1035_label("1web").is_err());
        assert!(dns1123_subdomain_with_underscore("_sip._tcp.example.com").is_ok());
        assert!(dns1123_subdomain_with_underscore("a__b").is_ok() && dns1123_subdomain_with_underscore("a_").is_err());
    }

    #[test]
    fn qualified_names_and_values() {
        for ok in ["app", "app.kubernetes.io/name", "example.com/My_Key.1", "a"] {
            assert!(qualified_name(ok).is_ok(), "{ok}");
        }
        assert_eq!(qualified_name("/name").unwrap_err(), "prefix part must be non-empty");
        assert!(qualified_name("Example.com/name").unwrap_err().starts_with("prefix part a lowercase"));
        assert!(qualified_name("app/").unwrap_err().starts_with("name part must be non-empty"));
        assert!(qualified_name("-app").unwrap_err().starts_with("name part must consist"));
        assert!(qualified_name("a/b/c").is_err());
        assert!(label_value("").is_ok());
        assert!(label_value("v1.2_3-x").is_ok());
        assert!(label_value("has space").is_err());
        assert!(label_value(&"x".repeat(64)).is_err());
    }

    #[test]
    fn port_names() {
        for ok in ["http", "metrics-tls", "h2c", "a1"] {
            assert!(port_name(ok).is_ok(), "{ok}");
        }
        assert_eq!(port_name("http-metrics-port").unwrap_err(), "must be no more than 15 characters");
        assert_eq!(
            port_name("HTTP").unwrap_err(),
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
        );
        assert_eq!(port_name("8080").unwrap_err(), "must contain at least one letter (a-z)");
        assert_eq!(port_name("a--b").unwrap_err(), "must not contain consecutive hyphens");
        assert_eq!(port_name("-ab").unwrap_err(), "must not begin or end with a hyphen");
        assert!(port_number(0).is_err() && port_number(65536).is_err() && port_number(80).is_ok());
    }

    #[test]
    fn hosts_keys_and_env_names() {
        assert!(wildcard_dns1123_subdomain("*.example.com").is_ok());
        for bad in ["*", "*.", "a.*.com", "*.Example.com", "**.a"] {
            assert!(wildcard_dns1123_subdomain(bad).is_err(), "{bad}");
        }
        for ok in ["key.name", "KEY_NAME", "key-name", ".env", "a..b"] {
            assert!(config_map_key(ok).is_ok(), "{ok}");
        }
        assert_eq!(config_map_key("..data").unwrap_err(), "must not start with '..'");
        assert_eq!(config_map_key(".").unwrap_err(), "must not be '.'");
        assert!(config_map_key("a/b").unwrap_err().starts_with("a valid config key"));
        assert!(config_map_key("").is_err());
        assert!(env_var_name("1FOO", true).is_ok() && env_var_name("1FOO", false).is_err());
        assert!(env_var_name("A=B", true).is_err() && env_var_name("t\u{e9}", true).is_err());
        assert!(env_var_name("MY_ENV.NAME-1", false).is_ok());
    }
}
