//! Which embedded Kubernetes versions serve each API resource.

use std::sync::OnceLock;

/// An API resource and the range of embedded minor versions that serve it.
#[derive(Debug, serde::Deserialize)]
#[serde(from = "(String, String, String, u32, u32)")]
pub struct Served {
    pub group: String,
    pub version: String,
    pub kind: String,
    pub first: u32,
    pub last: u32,
}

impl From<(String, String, String, u32, u32)> for Served {
    fn from((group, version, kind, first, last): (String, String, String, u32, u32)) -> Self {
        Served { group, version, kind, first, last }
    }
}

/// Every built-in API resource of every embedded version.
pub fn all() -> &'static [Served] {
    static HISTORY: OnceLock<Vec<Served>> = OnceLock::new();
    HISTORY.get_or_init(|| {
        // Generated with the schema data and checked by a test.
        serde_json::from_str(include_str!("../../schemas/data/history.json")).unwrap_or_default()
    })
}

/// The serving range of one group/version/kind.
pub fn find(group: &str, version: &str, kind: &str) -> Option<&'static Served> {
    all().iter().find(|s| s.group == group && s.version == version && s.kind == kind)
}

/// Whether any embedded version serves this API group.
pub fn is_builtin_group(group: &str) -> bool {
    all().iter().any(|s| s.group == group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_loads() {
        assert!(all().len() > 100);
        let hpa = find("autoscaling", "v2beta2", "HorizontalPodAutoscaler").unwrap();
        assert_eq!((hpa.first, hpa.last), (25, 25));
        assert!(is_builtin_group("apps"));
        assert!(!is_builtin_group("monitoring.coreos.com"));
    }
}
