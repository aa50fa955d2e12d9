//! The Pod Security admission, offline: which level and version apply to an object
//! (its namespace's `pod-security.kubernetes.io/*` labels, else the default of
//! `--pod-security`), and what the profile's checks say about its Pods.

pub mod checks;

use std::fmt;

use crate::rules::pod::PodTemplate;

pub use checks::Failed;

/// A Pod Security Standards profile, from the most to the least permissive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// A policy version: `latest` (the checks of the cluster's own version) or `v1.x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    Latest,
    Minor(u32),
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        if text == "latest" {
            return Some(Version::Latest);
        }
        let minor = text.strip_prefix("v1.")?;
        let valid =
            !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()) && (minor == "0" || !minor.starts_with('0'));
        valid.then(|| minor.parse().ok()).flatten().map(Version::Minor)
    }

    /// The checks' version on a cluster of version `1.cluster`: `latest` is the
    /// cluster's, and a newer version than the cluster knows is the cluster's too.
    pub fn effective(self, cluster: u32) -> u32 {
        match self {
            Version::Latest => cluster,
            Version::Minor(minor) => minor.min(cluster),
        }
    }
}

/// A level at a version, written as the plugin writes it (`restricted:latest`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    pub level: Level,
    pub version: Version,
}

impl LevelVersion {
    pub const PRIVILEGED: LevelVersion = LevelVersion { level: Level::Privileged, version: Version::Latest };

    /// `LEVEL[:VERSION]`, as `--pod-security` and `podSecurity:` take it.
    pub fn parse(text: &str) -> Result<LevelVersion, String> {
        let (level, version) = text.split_once(':').unwrap_or((text, "latest"));
        let level = Level::parse(level).ok_or_else(|| {
            format!("invalid Pod Security level `{level}`: expected privileged, baseline or restricted")
        })?;
        let version = Version::parse(version)
            .ok_or_else(|| format!("invalid Pod Security version `{version}`: expected `latest` or `v1.x`"))?;
        Ok(LevelVersion { level, version })
    }

    /// The failed checks of a Pod (template) at this level, on a cluster of version
    /// `1.cluster`, in the order of the plugin's messages.
    pub fn evaluate(self, pod: &PodTemplate<'_>, cluster: u32) -> Vec<Failed> {
        let minor = self.version.effective(cluster);
        checks::active(self.level, minor)
            .filter_map(|c| (c.run)(pod, minor).map(|failed| Failed { check: c.id, ..failed }))
            .collect()
    }
}

impl fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.version {
            Version::Latest => write!(f, "{}:latest", self.level.as_str()),
            Version::Minor(minor) => write!(f, "{}:v1.{minor}", self.level.as_str()),
        }
    }
}

/// The levels of a namespace: what is enforced, warned about and audited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub enforce: LevelVersion,
    pub warn: LevelVersion,
    pub audit: LevelVersion,
}

impl Policy {
    /// The cluster's default for namespaces without labels: `enforce` as given, and
    /// the same for `warn` and `audit`, as an `AdmissionConfiguration` would set it.
    pub fn uniform(level: LevelVersion) -> Policy {
        Policy { enforce: level, warn: level, audit: level }
    }

    /// The policy of a namespace with these labels, over the cluster's defaults, as
    /// the plugin's `PolicyToEvaluate` reads them: an invalid enforce level is
    /// `restricted` (failing closed), invalid warn and audit levels are `privileged`,
    /// and `warn` follows a stricter `enforce` unless set.
    pub fn from_labels<'l>(labels: impl IntoIterator<Item = (&'l str, &'l str)>, defaults: Policy) -> Policy {
        let mut p = defaults;
        let (mut has_enforce, mut has_warn, mut has_warn_version) = (false, false, false);
        for (key, value) in labels {
            let Some(mode) = key.strip_prefix("pod-security.kubernetes.io/") else { continue };
            let version = || Version::parse(value).unwrap_or(Version::Latest);
            match mode {
                "enforce" => {
                    p.enforce.level = Level::parse(value).unwrap_or(Level::Restricted);
                    has_enforce = Level::parse(value).is_some();
                }
                "enforce-version" => p.enforce.version = version(),
                "warn" => {
                    has_warn = true;
                    p.warn.level = Level::parse(value).unwrap_or(Level::Privileged);
                }
                "warn-version" => {
                    has_warn_version = true;
                    p.warn.version = version();
                }
                "audit" => p.audit.level = Level::parse(value).unwrap_or(Level::Privileged),
                "audit-version" => p.audit.version = version(),
                _ => {}
            }
        }
        if !has_warn && has_enforce && p.enforce.level > p.warn.level {
            p.warn.level = p.enforce.level;
            if !has_warn_version {
                p.warn.version = p.enforce.version;
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_versions() {
        assert_eq!(LevelVersion::parse("restricted").unwrap().to_string(), "restricted:latest");
        assert_eq!(LevelVersion::parse("baseline:v1.30").unwrap().to_string(), "baseline:v1.30");
        assert!(LevelVersion::parse("strict").is_err());
        assert!(LevelVersion::parse("baseline:1.30").is_err());
        assert!(LevelVersion::parse("baseline:v1.030").is_err());
    }

    #[test]
    fn warn_follows_a_stricter_enforce() {
        let defaults = Policy::uniform(LevelVersion::PRIVILEGED);
        let p = Policy::from_labels(
            [
                ("pod-security.kubernetes.io/enforce", "baseline"),
                ("pod-security.kubernetes.io/enforce-version", "v1.29"),
            ],
            defaults,
        );
        assert_eq!(p.warn.to_string(), "baseline:v1.29");
        assert_eq!(p.audit.to_string(), "privileged:latest");
        let p = Policy::from_labels([("pod-security.kubernetes.io/enforce", "strict")], defaults);
        assert_eq!(p.enforce.level, Level::Restricted);
        assert_eq!(p.warn.level, Level::Privileged);
    }
}
