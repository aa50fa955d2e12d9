//! What the client configures (`initializationOptions`, `workspace/configuration`
//! section `kval`) and the lint options of a file: those settings over the
//! `.kval.yaml` found from the file's directory, as `kval lint` run there reads it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Config;
use crate::lint::LintOptions;
use crate::rules::RuleSet;
use crate::schema::KubeVersion;

/// The client's settings; every field is optional and falls back to `.kval.yaml`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `1.30`, `v1.30`: the Kubernetes version whose schemas to use.
    pub kubernetes_version: Option<String>,
    /// Files and directories of CustomResourceDefinitions (as `--crd`), relative to
    /// the workspace root.
    pub crds: Vec<String>,
    /// As `--schema-location`.
    pub schema_locations: Vec<String>,
}

impl Settings {
    /// Reads settings from a JSON value (a bad value is ignored as a whole, and said).
    pub fn parse(value: Option<serde_json::Value>) -> Result<Settings, String> {
        match value {
            None | Some(serde_json::Value::Null) => Ok(Settings::default()),
            Some(v) => serde_json::from_value(v).map_err(|e| format!("invalid kval settings: {e}")),
        }
    }
}

/// Lint options per directory, read once per directory until the settings or a
/// configuration file change.
#[derive(Default)]
pub struct OptionsCache {
    settings: Settings,
    root: Option<PathBuf>,
    by_dir: HashMap<PathBuf, Result<LintOptions, String>>,
}

impl OptionsCache {
    pub fn new(settings: Settings, root: Option<PathBuf>) -> OptionsCache {
        OptionsCache { settings, root, by_dir: HashMap::new() }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Forgets what was read (a `.kval.yaml` changed, or the settings did).
    pub fn reset(&mut self, settings: Option<Settings>) {
        if let Some(settings) = settings {
            self.settings = settings;
        }
        self.by_dir.clear();
    }

    /// The options for a file in `dir` (the workspace root for a document that is
    /// not a file); an error names the configuration file and the place in it.
    pub fn options(&mut self, dir: Option<&Path>) -> Result<&LintOptions, &str> {
        let dir = dir.or(self.root.as_deref()).map_or_else(PathBuf::new, Path::to_path_buf);
        let (settings, root) = (&self.settings, self.root.as_deref());
        let entry = self.by_dir.entry(dir).or_insert_with_key(|dir| options_for(settings, root, dir));
        entry.as_ref().map_err(String::as_str)
    }
}

fn options_for(settings: &Settings, root: Option<&Path>, dir: &Path) -> Result<LintOptions, String> {
    let config = match crate::config::find(dir) {
        Some(path) => Config::load(&path)?,
        None => Config::default(),
    };
    let version = match &settings.kubernetes_version {
        Some(text) => KubeVersion::parse(text).map_err(|e| format!("kubernetesVersion: {e}"))?,
        None => config.kubernetes_version.unwrap_or_else(KubeVersion::newest),
    };
    let mut rules = RuleSet::default();
    config.apply(&mut rules);
    let relative = |p: &String| match root {
        Some(root) if Path::new(p).is_relative() => root.join(p).to_string_lossy().into_owned(),
        _ => p.clone(),
    };
    Ok(LintOptions {
        version,
        rules,
        ignore_paths: config.ignore_paths.clone(),
        crds: settings.crds.iter().map(relative).collect(),
        schema_locations: settings.schema_locations.iter().map(relative).collect(),
        pod_security: config.pod_security,
        custom_rules: config.custom_rules.clone(),
        ..LintOptions::default()
    })
}
