//! `helm template` for a chart; its errors as findings at the template or values line.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::process::{self, RunError};
use super::{Outcome, Render, RenderOptions, error_text, finding_at, unavailable};
use crate::discover::Root;
use crate::finding::Finding;
use crate::rules::schema as checks;

/// The chart's `ci/*-values.yaml` files, sorted: each is rendered on its own.
pub fn ci_values(chart: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(chart.join("ci"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("-values.yaml")))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Renders a chart with its values, the values asked for, and `ci` (a file of
/// `ci/`) when given.
pub fn render(root: Root, ci: Option<PathBuf>, options: &RenderOptions) -> Render {
    let mut context = format!("chart {}", root.name());
    if let Some(ci) = &ci {
        context += &format!(" with {}", super::display(ci.strip_prefix(&root.dir).unwrap_or(ci)));
    }
    let helm = options.helm.clone().or_else(|| process::on_path("helm"));
    let Some(helm) = helm else {
        let outcome = Outcome::Failed(unavailable(&root, "helm", "is not installed (not found on `PATH`)"));
        return Render { root, context, outcome, values: Vec::new() };
    };
    let (mut values, set) = options.chart_values(&root.dir);
    values.extend(ci);
    let mut command = Command::new(&helm);
    command.arg("template").arg(&options.release_name).arg(&root.dir);
    for file in &values {
        command.arg("--values").arg(file);
    }
    for set in &set {
        command.arg("--set").arg(set);
    }
    if let Some(namespace) = &options.namespace {
        command.arg("--namespace").arg(namespace);
    }
    if let Some(version) = &options.kube_version {
        command.arg("--kube-version").arg(version);
    }
    let outcome = match process::run(command, options.timeout) {
        Ok(ran) if ran.success => Outcome::Rendered { text: ran.stdout, origins: Vec::new() },
        Ok(ran) => Outcome::Failed(Box::new(failure(&root, &values, &ran.stderr))),
        Err(RunError::Missing(why)) => {
            Outcome::Failed(unavailable(&root, &format!("`{}`", helm.display()), &format!("cannot be run: {why}")))
        }
        Err(RunError::TimedOut(after)) => Outcome::Failed(Box::new(finding_at(
            &checks::RENDER_FAILED,
            &root.file,
            None,
            format!("`helm template {}` did not finish in {}s (`--render-timeout`)", root.name(), after.as_secs()),
        ))),
    };
    let values = [root.dir.join("values.yaml")].into_iter().chain(values).collect();
    Render { root, context, outcome, values }
}

/// The finding for a failed `helm template`: at the template line it names, at the
/// values line `values.schema.json` rejects, or at `Chart.yaml`.
fn failure(root: &Root, values: &[PathBuf], stderr: &str) -> Finding {
    let text = error_text(stderr);
    if text.contains("values don't meet the specifications of the schema") {
        let pointer = text.lines().find_map(|l| l.trim().strip_prefix("- at '")?.split_once('\'')).map(|(p, _)| p);
        let files: Vec<PathBuf> = values.iter().rev().cloned().chain([root.dir.join("values.yaml")]).collect();
        let found = pointer.and_then(|p| files.iter().find_map(|f| Some((f.clone(), line_of(f, p)?))));
        let (file, line) = found.map_or((root.dir.join("values.yaml"), None), |(f, l)| (f, Some(l)));
        let message =
            format!("the values of `{}` do not match its `values.schema.json`: {}", root.name(), schema_errors(&text));
        return finding_at(&checks::INVALID_VALUES, &file, line, message);
    }
    let message = format!("`helm template {}` failed: {text}", root.name());
    let mut finding = match template_position(root, &text) {
        Some((path, line)) => finding_at(&checks::RENDER_FAILED, &path, Some(line), message),
        None => finding_at(&checks::RENDER_FAILED, &root.file, None, message),
    };
    if text.contains("missing in charts/ directory") {
        finding =
            finding.help(format!("run `helm dependency build {}` to fetch the chart's dependencies", root.name()));
    }
    finding
}

/// The schema violations of helm's message, on one line.
fn schema_errors(text: &str) -> String {
    let errors: Vec<&str> = text.lines().filter_map(|l| l.trim().strip_prefix("- ")).collect();
    if errors.is_empty() { text.to_string() } else { errors.join("; ") }
}

/// The line of the key at a JSON pointer (`/image/tag`) in a values file.
fn line_of(file: &Path, pointer: &str) -> Option<usize> {
    let text = std::fs::read_to_string(file).ok()?;
    let stream = crate::yaml::load(&text, &crate::limits::Limits::default());
    let mut node = &stream.documents.first()?.root;
    let mut span = node.span;
    for key in pointer.split('/').filter(|k| !k.is_empty()) {
        let entry = node.entry(key)?;
        span = entry.key.span;
        node = &entry.value;
    }
    let source = crate::source::SourceFile::new("", text, 0);
    Some(source.line_col(span.start as usize).line)
}

/// The template file and line helm's error names: `(web/templates/a.yaml:6)` or
/// `template: web/templates/a.yaml:6:32: ...`. The path starts with the chart's name.
fn template_position(root: &Root, text: &str) -> Option<(PathBuf, usize)> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')').find_map(|token| {
        let (path, rest) = token.split_once(':')?;
        let line: usize = rest.split(':').next()?.parse().ok()?;
        let inside = path.split_once('/')?.1;
        let file = root.dir.join(inside);
        file.is_file().then_some((file, line))
    })
}

/// The file a template path of `# Source:` names (`web/templates/a.yaml`, or a
/// subchart's `web/charts/db/templates/b.yaml`).
pub fn template_file(chart: &Path, template: &str) -> Option<PathBuf> {
    let inside = template.split_once('/')?.1;
    Some(chart.join(inside))
}
