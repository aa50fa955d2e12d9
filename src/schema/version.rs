//! The Kubernetes versions whose schemas are embedded.

use std::fmt;

/// A Kubernetes minor version (`1.30`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub minor: u32,
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

/// The compressed data of one version: validation schemas, and full documentation.
pub(crate) struct Embedded {
    pub minor: u32,
    pub schemas: &'static [u8],
    pub docs: &'static [u8],
}

macro_rules! embedded {
    ($($minor:literal),* $(,)?) => {
        /// The schema data of each supported version, oldest first.
        pub(crate) static EMBEDDED: &[Embedded] = &[
            $(Embedded {
                minor: $minor,
                schemas: include_bytes!(concat!("../../schemas/data/v1.", stringify!($minor), ".json.zst")),
                docs: include_bytes!(concat!("../../schemas/data/v1.", stringify!($minor), ".docs.zst")),
            }),*
        ];
    };
}

embedded!(25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37);

impl KubeVersion {
    pub fn supported() -> impl Iterator<Item = KubeVersion> {
        EMBEDDED.iter().map(|e| KubeVersion { minor: e.minor })
    }

    pub fn newest() -> KubeVersion {
        KubeVersion { minor: EMBEDDED.last().map_or(0, |e| e.minor) }
    }

    /// Parses `1.30`, `1.30.0` or `v1.30`; the patch level is ignored.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let trimmed = text.trim();
        let bare = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
        let mut parts = bare.split('.');
        let parsed = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("1"), Some(minor), patch, None)
                if patch.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) =>
            {
                minor.parse::<u32>().ok().filter(|_| minor.bytes().all(|b| b.is_ascii_digit()))
            }
            _ => None,
        };
        let list = || KubeVersion::supported().map(|v| v.to_string()).collect::<Vec<_>>().join(", ");
        match parsed {
            Some(minor) if EMBEDDED.iter().any(|e| e.minor == minor) => Ok(KubeVersion { minor }),
            Some(_) => Err(format!("Kubernetes version `{trimmed}` is not supported; supported versions: {}", list())),
            None => Err(format!(
                "`{trimmed}` is not a Kubernetes version (expected e.g. `1.30`); supported versions: {}",
                list()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        for text in ["1.30", "1.30.0", "v1.30", "v1.30.7", " 1.30 "] {
            assert_eq!(KubeVersion::parse(text), Ok(KubeVersion { minor: 30 }), "{text}");
        }
    }

    #[test]
    fn rejected_forms_list_supported_versions() {
        for text in ["1.24", "1.99", "2.30", "1", "1.3x", "1.30.", "abc", "1.30.0.1"] {
            let err = KubeVersion::parse(text).unwrap_err();
            assert!(err.contains("1.25, 1.26"), "{err}");
        }
    }

    #[test]
    fn embedded_list_matches_generated_data() {
        let listed = include_str!("../../schemas/data/VERSIONS");
        let embedded: Vec<String> = KubeVersion::supported().map(|v| v.to_string()).collect();
        assert_eq!(listed.lines().collect::<Vec<_>>(), embedded);
    }
}
