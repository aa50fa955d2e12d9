//! `.kval.yaml`: project settings, found from the current directory upward.
//!
//! ```yaml
//! kubernetesVersion: "1.30"
//! failOn: warning
//! rules:
//!   enable: [missing-probe]
//!   disable: [run-as-root]
//!   severity: {latest-tag: error}
//! ignorePaths: ["vendor/**", "**/testdata/**"]
//! podSecurity: restricted   # or baseline:v1.30
//! render: {releaseName: web}  # see `crate::render::settings`
//! customRules:               # see `crate::admission::custom`
//! - id: team-label
//!   expression: "'team' in object.metadata.?labels.orValue({})"
//! ```
//!
//! It is read with kval's own YAML loader, so every error has a line and column.
//! Command-line flags override it.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::finding::Severity;
use crate::limits::Limits;
use crate::rules::RuleSet;
use crate::schema::KubeVersion;
use crate::source::{SourceFile, Span};
use crate::yaml::Node;

pub const FILE_NAMES: &[&str] = &[".kval.yaml", ".kval.yml"];
const KEYS: &[&str] =
    &["kubernetesVersion", "failOn", "rules", "ignorePaths", "podSecurity", "customRules", "baseline", "render"];
const RULE_KEYS: &[&str] = &["enable", "disable", "severity"];

#[derive(Debug, Default)]
pub struct Config {
    pub kubernetes_version: Option<KubeVersion>,
    pub fail_on: Option<Severity>,
    pub enable: Vec<&'static str>,
    pub disable: Vec<&'static str>,
    pub severity: Vec<(&'static str, Severity)>,
    pub ignore_paths: Option<IgnorePaths>,
    /// `podSecurity`: the Pod Security level of namespaces without labels.
    pub pod_security: Option<crate::admission::pod_security::LevelVersion>,
    /// `customRules`: the project's own CEL rules.
    pub custom_rules: Vec<std::sync::Arc<crate::admission::custom::CustomRule>>,
    /// `baseline`: the baseline file (relative to the configuration file).
    pub baseline: Option<PathBuf>,
    /// `render`: how Helm charts and Kustomize roots are rendered.
    pub render: crate::render::settings::RenderSettings,
}

/// `ignorePaths`: globs matched against a path as displayed and as relative to the
/// directory of the configuration file.
#[derive(Clone, Debug)]
pub struct IgnorePaths {
    globs: GlobSet,
    base: Option<PathBuf>,
}

impl IgnorePaths {
    pub fn matches(&self, displayed: &str) -> bool {
        let trimmed = displayed.trim_start_matches("./");
        if self.globs.is_match(displayed) || self.globs.is_match(trimmed) {
            return true;
        }
        let relative = self.base.as_ref().and_then(|base| {
            let full = std::fs::canonicalize(displayed).ok()?;
            Some(full.strip_prefix(base).ok()?.to_path_buf())
        });
        relative.is_some_and(|r| self.globs.is_match(r))
    }
}

/// The nearest `.kval.yaml` (or `.kval.yml`) in `start` or a parent directory.
pub fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().flat_map(|dir| FILE_NAMES.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

impl Config {
    /// Reads a config file; the error is `file:line:col: message`.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mut config = Config::parse(&path.display().to_string(), text)?;
        if let Some(ignore) = &mut config.ignore_paths {
            ignore.base = path.parent().and_then(|dir| {
                std::fs::canonicalize(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }).ok()
            });
        }
        if let Some(baseline) = &mut config.baseline
            && baseline.is_relative()
            && let Some(dir) = path.parent()
        {
            *baseline = dir.join(&*baseline);
        }
        if let Some(dir) = path.parent() {
            config.render.relative_to(dir);
        }
        Ok(config)
    }

    pub fn parse(name: &str, text: String) -> Result<Config, String> {
        let source = SourceFile::new(name, text, 0);
        let error = |span: Span, message: String| {
            let at = source.line_col(span.start as usize);
            format!("{}:{}:{}: {message}", source.name, at.line, at.col)
        };
        let mut stream = crate::yaml::load(&source.text, &Limits::default());
        if let Some(e) = stream.errors.first() {
            return Err(error(e.span, e.message.clone()));
        }
        let mut config = Config::default();
        let Some(doc) = stream.documents.drain(..).next() else { return Ok(config) };
        let root = doc.root;
        if root.is_null() {
            return Ok(config);
        }
        if !root.is_map() {
            return Err(error(root.span, "the configuration must be a mapping of settings".into()));
        }
        // Custom rules first: `rules:` may name them.
        if let Some(custom) = root.get("customRules") {
            config.custom_rules = crate::admission::custom::parse(custom, &error)?;
        }
        for entry in root.entries() {
            let value = &entry.value;
            match entry.key.name.as_str() {
                "customRules" => {}
                "kubernetesVersion" => {
                    // YAML reads `1.30` as the number 1.3: the version meant is lost.
                    if let crate::yaml::Value::Float(_) = value.value {
                        let raw = source.slice(value.span);
                        let message = format!(
                            "`{raw}` is a number in YAML ({}), not a version; quote it: `kubernetesVersion: \"{raw}\"`",
                            value.display_scalar()
                        );
                        return Err(error(value.span, message));
                    }
                    let text = crate::kube::selector::scalar_text(value).unwrap_or_default();
                    config.kubernetes_version = Some(KubeVersion::parse(&text).map_err(|e| error(value.span, e))?);
                }
                "podSecurity" => {
                    let text = value.as_str().unwrap_or_default();
                    let level = crate::admission::pod_security::LevelVersion::parse(text);
                    config.pod_security = Some(level.map_err(|e| error(value.span, e))?);
                }
                "baseline" => {
                    let text = value.as_str().filter(|t| !t.is_empty());
                    let text = text.ok_or_else(|| error(value.span, "`baseline` must be a file path".into()))?;
                    config.baseline = Some(PathBuf::from(text));
                }
                "render" => config.render = crate::render::settings::parse(value, &error)?,
                "failOn" => config.fail_on = Some(severity(value).map_err(|e| error(value.span, e))?),
                "rules" => config.rules(value, &error)?,
                "ignorePaths" => {
                    let mut set = GlobSetBuilder::new();
                    for item in list(value).map_err(|e| error(value.span, e))? {
                        let text = item.as_str().ok_or_else(|| error(item.span, "a glob must be a string".into()))?;
                        set.add(Glob::new(text).map_err(|e| error(item.span, format!("invalid glob: {}", e.kind())))?);
                    }
                    let globs = set.build().map_err(|e| error(value.span, e.to_string()))?;
                    config.ignore_paths = Some(IgnorePaths { globs, base: None });
                }
                other => return Err(error(entry.key.span, unknown(other, KEYS))),
            }
        }
        Ok(config)
    }

    fn rules(&mut self, node: &Node, error: &dyn Fn(Span, String) -> String) -> Result<(), String> {
        if !node.is_map() {
            return Err(error(node.span, "`rules` must be a mapping with `enable`, `disable` and `severity`".into()));
        }
        let rule = |n: &Node| -> Result<&'static str, String> {
            let id = n.as_str().ok_or_else(|| error(n.span, "a rule id must be a string".into()))?;
            crate::rules::find(id).map(|r| r.id).ok_or_else(|| error(n.span, unknown_rule(id)))
        };
        for entry in node.entries() {
            match entry.key.name.as_str() {
                "enable" | "disable" => {
                    let ids = list(&entry.value).map_err(|e| error(entry.value.span, e))?;
                    let target = if entry.key.name == "enable" { &mut self.enable } else { &mut self.disable };
                    for id in ids {
                        target.push(rule(id)?);
                    }
                }
                "severity" => {
                    if !entry.value.is_map() {
                        return Err(error(entry.value.span, "`severity` must map rule ids to levels".into()));
                    }
                    for e in entry.value.entries() {
                        let id = crate::rules::find(&e.key.name)
                            .ok_or_else(|| error(e.key.span, unknown_rule(&e.key.name)))?;
                        self.severity.push((id.id, severity(&e.value).map_err(|m| error(e.value.span, m))?));
                    }
                }
                other => return Err(error(entry.key.span, unknown(other, RULE_KEYS))),
            }
        }
        Ok(())
    }

    /// Applies the rule settings (before the command line's).
    pub fn apply(&self, rules: &mut RuleSet) {
        for custom in self.custom_rules.iter().filter(|c| c.rule.enabled) {
            let _ = rules.enable(custom.rule.id);
        }
        for id in &self.enable {
            let _ = rules.enable(id);
        }
        for id in &self.disable {
            let _ = rules.disable(id);
        }
        for (id, level) in &self.severity {
            let _ = rules.set_severity(id, *level);
        }
    }
}

pub(crate) fn list(node: &Node) -> Result<&[Node], String> {
    match &node.value {
        crate::yaml::Value::Seq(items) => Ok(items),
        crate::yaml::Value::Null => Ok(&[]),
        _ => Err("expected a list".into()),
    }
}

fn severity(node: &Node) -> Result<Severity, String> {
    node.as_str()
        .and_then(Severity::parse)
        .ok_or_else(|| format!("invalid level {}: expected `error`, `warning` or `info`", node.display_scalar()))
}

pub(crate) fn unknown(key: &str, known: &[&str]) -> String {
    let mut message = format!("unknown setting `{key}`");
    if let Some(close) = crate::suggest::closest(key, known.iter().copied()) {
        message += &format!("; did you mean `{close}`?");
    }
    message + &format!(" (settings: {})", known.join(", "))
}

fn unknown_rule(id: &str) -> String {
    let mut message = format!("unknown rule `{id}`");
    if let Some(close) = crate::suggest::closest(id, crate::rules::ALL.iter().map(|r| r.id)) {
        message += &format!("; did you mean `{close}`?");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(".kval.yaml", text.to_string())
    }

    #[test]
    fn reads_every_setting() {
        let c = parse(
            "kubernetesVersion: \"1.30\"\nfailOn: warning\nrules:\n  enable: [missing-probe]\n  disable: [run-as-root]\n  severity: {latest-tag: error}\nignorePaths: [\"vendor/**\"]\n",
        )
        .unwrap();
        assert_eq!(c.kubernetes_version, Some(KubeVersion { minor: 30 }));
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!((c.enable, c.disable), (vec!["missing-probe"], vec!["run-as-root"]));
        assert_eq!(c.severity, vec![("latest-tag", Severity::Error)]);
        assert!(c.ignore_paths.unwrap().matches("./vendor/a/b.yaml"));
        assert!(parse("").is_ok());
    }

    #[test]
    fn errors_have_locations() {
        assert_eq!(
            parse("kubernetesVersoin: 1.30\n").unwrap_err(),
            ".kval.yaml:1:1: unknown setting `kubernetesVersoin`; did you mean `kubernetesVersion`? (settings: kubernetesVersion, failOn, rules, ignorePaths, podSecurity, customRules, baseline, render)"
        );
        assert_eq!(
            parse("rules:\n  disable: [latest-tags]\n").unwrap_err(),
            ".kval.yaml:2:13: unknown rule `latest-tags`; did you mean `latest-tag`?"
        );
        assert!(parse("failOn: fatal\n").unwrap_err().starts_with(".kval.yaml:1:9: invalid level"));
        // Issue 12: an unquoted version is a float, 1.3.
        assert_eq!(
            parse("kubernetesVersion: 1.30\n").unwrap_err(),
            ".kval.yaml:1:20: `1.30` is a number in YAML (1.3), not a version; quote it: `kubernetesVersion: \"1.30\"`"
        );
        assert!(parse("rules: [a\n").unwrap_err().starts_with(".kval.yaml:"));
    }
}
