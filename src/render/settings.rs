//! `.kval.yaml`'s `render:` settings, and how the command line's flags override them.
//!
//! ```yaml
//! render:
//!   enabled: true                 # false: as --no-render
//!   timeout: 60                   # seconds
//!   helm: /usr/local/bin/helm
//!   kustomize: kubectl            # or a kustomize binary
//!   releaseName: web
//!   namespace: apps
//!   ciValues: true                # also render each chart's ci/*-values.yaml
//!   values: [values-ci.yaml]      # for every chart
//!   set: [image.tag=1.0]          # for every chart
//!   charts:                       # per chart directory
//!     charts/web:
//!       values: [deploy/web-prod.yaml]
//!       set: [replicaCount=3]
//!   loadRestrictor: LoadRestrictionsNone
//!   enableHelm: true
//! ```
//!
//! Paths are relative to the directory of the configuration file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{ChartValues, RenderOptions};
use crate::source::Span;
use crate::yaml::{Node, Value};

const KEYS: &[&str] = &[
    "enabled",
    "timeout",
    "helm",
    "kustomize",
    "releaseName",
    "namespace",
    "ciValues",
    "values",
    "set",
    "charts",
    "loadRestrictor",
    "enableHelm",
];
const CHART_KEYS: &[&str] = &["values", "set"];
const RESTRICTORS: &[&str] = &["LoadRestrictionsRootOnly", "LoadRestrictionsNone"];

/// The settings of `render:`, each `None` when not given.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderSettings {
    pub enabled: Option<bool>,
    pub timeout: Option<Duration>,
    pub helm: Option<PathBuf>,
    pub kustomize: Option<PathBuf>,
    pub release_name: Option<String>,
    pub namespace: Option<String>,
    pub ci_values: Option<bool>,
    pub values: Vec<PathBuf>,
    pub set: Vec<String>,
    pub charts: Vec<ChartValues>,
    pub load_restrictor: Option<String>,
    pub enable_helm: Option<bool>,
}

type Error<'a> = &'a dyn Fn(Span, String) -> String;

/// Reads `render:`; errors carry the location through `error`.
pub fn parse(node: &Node, error: Error) -> Result<RenderSettings, String> {
    if !node.is_map() {
        return Err(error(node.span, "`render` must be a mapping of settings".into()));
    }
    let mut s = RenderSettings::default();
    for entry in node.entries() {
        let value = &entry.value;
        match entry.key.name.as_str() {
            "enabled" => s.enabled = Some(boolean(value, error)?),
            "ciValues" => s.ci_values = Some(boolean(value, error)?),
            "enableHelm" => s.enable_helm = Some(boolean(value, error)?),
            "timeout" => match value.value {
                Value::Int(n) if n > 0 => s.timeout = Some(Duration::from_secs(n as u64)),
                _ => return Err(error(value.span, "`timeout` must be a whole number of seconds above 0".into())),
            },
            "helm" => s.helm = Some(PathBuf::from(string(value, error)?)),
            "kustomize" => s.kustomize = Some(PathBuf::from(string(value, error)?)),
            "releaseName" => s.release_name = Some(string(value, error)?),
            "namespace" => s.namespace = Some(string(value, error)?),
            "loadRestrictor" => {
                let text = string(value, error)?;
                if !RESTRICTORS.contains(&text.as_str()) {
                    let message = format!("unknown load restrictor `{text}`: expected {}", RESTRICTORS.join(" or "));
                    return Err(error(value.span, message));
                }
                s.load_restrictor = Some(text);
            }
            "values" => s.values = strings(value, error)?.into_iter().map(PathBuf::from).collect(),
            "set" => s.set = strings(value, error)?,
            "charts" => s.charts = charts(value, error)?,
            other => return Err(error(entry.key.span, crate::config::unknown(other, KEYS))),
        }
    }
    Ok(s)
}

fn charts(node: &Node, error: Error) -> Result<Vec<ChartValues>, String> {
    if !node.is_map() {
        return Err(error(node.span, "`charts` must map chart directories to their `values` and `set`".into()));
    }
    let mut charts = Vec::new();
    for entry in node.entries() {
        if !entry.value.is_map() {
            return Err(error(entry.value.span, "a chart's settings must be a mapping with `values` and `set`".into()));
        }
        let mut chart = ChartValues { dir: PathBuf::from(&entry.key.name), ..ChartValues::default() };
        for e in entry.value.entries() {
            match e.key.name.as_str() {
                "values" => chart.values = strings(&e.value, error)?.into_iter().map(PathBuf::from).collect(),
                "set" => chart.set = strings(&e.value, error)?,
                other => return Err(error(e.key.span, crate::config::unknown(other, CHART_KEYS))),
            }
        }
        charts.push(chart);
    }
    Ok(charts)
}

fn boolean(node: &Node, error: Error) -> Result<bool, String> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err(error(node.span, format!("expected `true` or `false`, found {}", node.display_scalar()))),
    }
}

fn string(node: &Node, error: Error) -> Result<String, String> {
    node.as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| error(node.span, format!("expected a string, found {}", node.display_scalar())))
}

/// A list of strings; a single string is a list of one.
fn strings(node: &Node, error: Error) -> Result<Vec<String>, String> {
    if let Some(one) = node.as_str() {
        return Ok(vec![one.to_string()]);
    }
    let items = crate::config::list(node).map_err(|e| error(node.span, e))?;
    items.iter().map(|item| string(item, error)).collect()
}

impl RenderSettings {
    /// Makes the paths relative to `dir` (the configuration file's directory).
    pub fn relative_to(&mut self, dir: &Path) {
        let join = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = crate::discover::normalize(&dir.join(&*p));
            }
        };
        // A bare binary name (`helm`, `kubectl`) is looked up on PATH.
        for binary in [&mut self.helm, &mut self.kustomize].into_iter().flatten() {
            if binary.components().count() > 1 {
                join(binary);
            }
        }
        self.values.iter_mut().for_each(join);
        for chart in &mut self.charts {
            join(&mut chart.dir);
            chart.values.iter_mut().for_each(join);
        }
    }

    /// Sets what the settings give over `options` (the defaults); the command line's
    /// flags are applied after, over both.
    pub fn apply(&self, options: &mut RenderOptions) {
        let s = self.clone();
        options.enabled = s.enabled.unwrap_or(options.enabled);
        options.timeout = s.timeout.unwrap_or(options.timeout);
        options.helm = s.helm.or(options.helm.take());
        options.kustomize = s.kustomize.or(options.kustomize.take());
        options.release_name = s.release_name.unwrap_or(std::mem::take(&mut options.release_name));
        options.namespace = s.namespace.or(options.namespace.take());
        options.ci_values = s.ci_values.unwrap_or(options.ci_values);
        options.load_restrictor = s.load_restrictor.or(options.load_restrictor.take());
        options.enable_helm = s.enable_helm.unwrap_or(options.enable_helm);
        options.helm_values.extend(s.values);
        options.helm_set.extend(s.set);
        options.charts.extend(s.charts);
    }
}

/// A `--helm-values` flag: `CHART=FILE` when what precedes `=` is a chart
/// directory, else a file for every chart.
pub fn values_flag(text: &str, options: &mut RenderOptions) {
    match text.split_once('=') {
        Some((chart, file)) if Path::new(chart).join("Chart.yaml").is_file() => {
            options.charts.push(ChartValues {
                dir: PathBuf::from(chart),
                values: vec![PathBuf::from(file)],
                set: Vec::new(),
            });
        }
        _ => options.helm_values.push(PathBuf::from(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<RenderSettings, String> {
        let stream = crate::yaml::load(text, &crate::limits::Limits::default());
        let source = crate::source::SourceFile::new(".kval.yaml", text.to_string(), 0);
        let error = |span: Span, message: String| {
            let at = source.line_col(span.start as usize);
            format!("{}:{}: {message}", at.line, at.col)
        };
        parse(stream.documents[0].root.get("render").unwrap(), &error)
    }

    #[test]
    fn reads_every_setting() {
        let s = read(
            "render:\n  enabled: false\n  timeout: 5\n  helm: bin/helm\n  kustomize: kubectl\n  releaseName: r\n  namespace: apps\n  ciValues: false\n  values: a.yaml\n  set: [x=1]\n  charts:\n    charts/web: {values: [w.yaml], set: y=2}\n  loadRestrictor: LoadRestrictionsNone\n  enableHelm: true\n",
        )
        .unwrap();
        assert_eq!(s.timeout, Some(Duration::from_secs(5)));
        assert_eq!(s.values, [PathBuf::from("a.yaml")]);
        assert_eq!(
            s.charts,
            [ChartValues { dir: "charts/web".into(), values: vec!["w.yaml".into()], set: vec!["y=2".into()] }]
        );
        let mut options = RenderOptions::default();
        let mut s = s;
        s.relative_to(Path::new("repo"));
        s.apply(&mut options);
        assert!(!options.enabled && !options.ci_values && options.enable_helm);
        assert_eq!(options.helm, Some(PathBuf::from("repo/bin/helm")));
        assert_eq!(options.kustomize, Some(PathBuf::from("kubectl")));
        assert_eq!(options.helm_set, ["x=1"]);
        assert_eq!(options.charts[0].values, [PathBuf::from("repo/w.yaml")]);
        assert_eq!(options.release_name, "r");
    }

    #[test]
    fn errors_have_locations() {
        assert_eq!(
            read("render:\n  timout: 5\n").unwrap_err(),
            "2:3: unknown setting `timout`; did you mean `timeout`? (settings: enabled, timeout, helm, kustomize, releaseName, namespace, ciValues, values, set, charts, loadRestrictor, enableHelm)"
        );
        assert_eq!(
            read("render:\n  timeout: soon\n").unwrap_err(),
            "2:12: `timeout` must be a whole number of seconds above 0"
        );
        assert_eq!(
            read("render:\n  enabled: maybe\n").unwrap_err(),
            "2:12: expected `true` or `false`, found \"maybe\""
        );
        assert!(read("render:\n  loadRestrictor: none\n").unwrap_err().starts_with("2:19: unknown load restrictor"));
        assert!(
            read("render:\n  charts:\n    web: {valeus: [a]}\n")
                .unwrap_err()
                .starts_with("3:11: unknown setting `valeus`")
        );
    }
}
