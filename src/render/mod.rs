//! Helm charts and Kustomize roots, rendered with the real tools into manifests
//! whose findings point back at the files a person edits.
//!
//! The rendered output is checked like any input (as `Input::Rendered`), in the same
//! run as the plain files, so cross-document rules see everything; [`map`] then moves
//! each finding to its template, values file, resource or patch.

pub mod helm;
pub mod kustomize;
pub mod map;
mod process;
pub mod settings;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::check::source_finding;
use crate::discover::{Root, RootKind};
use crate::finding::Finding;
use crate::rules::schema as checks;
use crate::source::{SourceFile, Span};

/// How charts and Kustomize roots are rendered (flags and `.kval.yaml` `render:`).
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// `--no-render`: skip charts and roots with a note.
    pub enabled: bool,
    pub timeout: Duration,
    /// `--helm`: the helm binary [default: `helm` on `PATH`].
    pub helm: Option<PathBuf>,
    /// `--kustomize`: a `kustomize` binary, or `kubectl` (run as `kubectl kustomize`)
    /// [default: `kustomize`, else `kubectl`, on `PATH`].
    pub kustomize: Option<PathBuf>,
    /// Values files for every chart, after its values.yaml.
    pub helm_values: Vec<PathBuf>,
    pub helm_set: Vec<String>,
    /// Values files and `--set` values of one chart, after those for every chart.
    pub charts: Vec<ChartValues>,
    pub release_name: String,
    pub namespace: Option<String>,
    /// Passed as `--kube-version`.
    pub kube_version: Option<String>,
    /// Also render each chart with each of its `ci/*-values.yaml`, as chart-testing does.
    pub ci_values: bool,
    pub load_restrictor: Option<String>,
    pub enable_helm: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            enabled: true,
            timeout: Duration::from_secs(60),
            helm: None,
            kustomize: None,
            helm_values: Vec::new(),
            helm_set: Vec::new(),
            charts: Vec::new(),
            release_name: "release-name".to_string(),
            namespace: None,
            kube_version: None,
            ci_values: true,
            load_restrictor: None,
            enable_helm: false,
        }
    }
}

/// The values of one chart (`--helm-values CHART=FILE`, `.kval.yaml` `render.charts`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartValues {
    /// The chart's directory.
    pub dir: PathBuf,
    pub values: Vec<PathBuf>,
    pub set: Vec<String>,
}

impl RenderOptions {
    /// The values files and `--set` values to render a chart with.
    pub fn chart_values(&self, chart: &std::path::Path) -> (Vec<PathBuf>, Vec<String>) {
        let same = |dir: &std::path::Path| {
            crate::discover::normalize(dir) == crate::discover::normalize(chart)
                || std::fs::canonicalize(dir).ok().is_some_and(|d| std::fs::canonicalize(chart).ok() == Some(d))
        };
        let mut values = self.helm_values.clone();
        let mut set = self.helm_set.clone();
        for own in self.charts.iter().filter(|c| same(&c.dir)) {
            values.extend(own.values.iter().cloned());
            set.extend(own.set.iter().cloned());
        }
        (values, set)
    }
}

/// One render of a root.
pub struct Render {
    pub root: Root,
    /// How findings name it: `chart charts/web`, `chart charts/web with ci/a-values.yaml`,
    /// `kustomize overlays/prod`.
    pub context: String,
    pub outcome: Outcome,
    /// A chart's values files in helm's order, its values.yaml first (for mapping a
    /// rendered value to its line).
    pub values: Vec<PathBuf>,
}

pub enum Outcome {
    /// The manifests, and for each YAML document of them the file it came from, when
    /// the tool says (Kustomize's origin annotations; Helm's `# Source:` comments are
    /// read from the text).
    Rendered { text: String, origins: Vec<Option<PathBuf>> },
    /// A finding at the root: `render-failed`, `invalid-values`, `render-unavailable`.
    Failed(Box<Finding>),
}

impl Render {
    /// The name the rendered text is checked under.
    pub fn source_name(&self) -> String {
        format!("{} (rendered)", self.context)
    }
}

/// Renders every root, in parallel (each is a process), in the roots' order.
pub fn render_all(roots: &[Root], options: &RenderOptions) -> Vec<Render> {
    let jobs: Vec<(Root, Option<PathBuf>)> = roots
        .iter()
        .flat_map(|root| {
            let mut jobs = vec![(root.clone(), None)];
            if root.kind == RootKind::Chart && options.ci_values {
                jobs.extend(helm::ci_values(&root.dir).into_iter().map(|v| (root.clone(), Some(v))));
            }
            jobs
        })
        .collect();
    jobs.into_par_iter()
        .map(|(root, ci)| match root.kind {
            RootKind::Chart => helm::render(root, ci, options),
            RootKind::Kustomize => kustomize::render(root, options),
        })
        .collect()
}

/// The note for a root that is not rendered: its files are not linted as plain YAML.
pub fn not_rendered(root: &Root) -> String {
    let what = match root.kind {
        RootKind::Chart => "a Helm chart",
        RootKind::Kustomize => "a Kustomize root",
    };
    format!(
        "{}: skipped, {what} that is not rendered (`--no-render`); its files are not linted one by one",
        root.name()
    )
}

/// A finding at a file of a root (its `Chart.yaml` or kustomization, a template the
/// tool names), at a line when known. The file is read for the excerpt.
pub fn finding_at(
    rule: &'static crate::rules::Rule,
    path: &std::path::Path,
    line: Option<usize>,
    message: String,
) -> Finding {
    let name = display(path);
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let source = SourceFile::new(name, text, 0);
    let span = line
        .and_then(|l| {
            let start = source.line_start(l)?;
            let text = source.line_text(l);
            let indent = text.len() - text.trim_start().len();
            Some(Span::new(start + indent, start + text.trim_end().len()))
        })
        .unwrap_or(Span::point(0));
    let mut f = source_finding(rule, &source, message);
    f.location.span = span;
    f
}

/// A path as findings show it: relative to the working directory when inside it.
pub fn display(path: &std::path::Path) -> String {
    let path = crate::discover::normalize(path);
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(crate::discover::normalize(&cwd)).ok().map(|p| p.to_path_buf()));
    relative.unwrap_or(path).to_string_lossy().into_owned()
}

/// The finding for a tool that is not installed: how to get it, or `--no-render`.
fn unavailable(root: &Root, tool: &str, why: &str) -> Box<Finding> {
    let message = format!("cannot render `{}`: {tool} {why}", root.name());
    let install = match root.kind {
        RootKind::Chart => "install helm (https://helm.sh/docs/intro/install/) or name it with `--helm PATH`",
        RootKind::Kustomize => {
            "install kubectl (its `kubectl kustomize`) or kustomize, or name one with `--kustomize PATH`"
        }
    };
    Box::new(
        finding_at(&checks::RENDER_UNAVAILABLE, &root.file, None, message)
            .help(format!("{install}; `--no-render` skips charts and Kustomize roots")),
    )
}

/// The text of a tool's error, without its `Error: ` prefix and trailing hints.
fn error_text(stderr: &str) -> String {
    let text: Vec<&str> = stderr
        .lines()
        .map(|l| l.strip_prefix("Error: ").or_else(|| l.strip_prefix("error: ")).unwrap_or(l))
        .filter(|l| !l.trim().is_empty() && !l.starts_with("Use --debug flag"))
        .collect();
    let text = text.join("\n");
    if text.is_empty() { "it failed without a message".to_string() } else { text }
}

/// The shared text of a rendered source, for `Input::Rendered`.
pub fn text_of(render: &Render) -> Option<Arc<str>> {
    match &render.outcome {
        Outcome::Rendered { text, .. } => Some(Arc::from(text.as_str())),
        Outcome::Failed(_) => None,
    }
}
