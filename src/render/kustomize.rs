//! Building a Kustomize root, with the file each object came from.
//!
//! The root is built through a generated wrapper kustomization in a temporary
//! directory (`resources: [the root]`, `buildMetadata: [originAnnotations]`), so that
//! Kustomize records each object's origin without any user file being edited. The
//! origin annotations are then taken out of the text that is checked.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::process::{self, RunError};
use super::{Outcome, Render, RenderOptions, error_text, finding_at, unavailable};
use crate::discover::{Root, normalize};
use crate::rules::schema as checks;

const ORIGIN: &str = "config.kubernetes.io/origin: |";

pub fn render(root: Root, options: &RenderOptions) -> Render {
    let context = format!("kustomize {}", root.name());
    let tool =
        options.kustomize.clone().or_else(|| process::on_path("kustomize")).or_else(|| process::on_path("kubectl"));
    let Some(tool) = tool else {
        let outcome = Outcome::Failed(unavailable(
            &root,
            "kustomize",
            "is not installed (neither `kustomize` nor `kubectl` is on `PATH`)",
        ));
        return Render { root, context, outcome, values: Vec::new() };
    };
    let outcome = match build(&root, &tool, options) {
        Ok(outcome) => outcome,
        Err(message) => Outcome::Failed(Box::new(finding_at(&checks::RENDER_FAILED, &root.file, None, message))),
    };
    Render { root, context, outcome, values: Vec::new() }
}

fn build(root: &Root, tool: &Path, options: &RenderOptions) -> Result<Outcome, String> {
    let absolute = std::fs::canonicalize(&root.dir).map_err(|e| format!("cannot read `{}`: {e}", root.name()))?;
    let wrapper = tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let wrapper_dir = std::fs::canonicalize(wrapper.path()).map_err(|e| e.to_string())?;
    // Kustomize refuses an absolute resource path: climb from the wrapper to `/`.
    let up = "../".repeat(wrapper_dir.components().count().saturating_sub(1));
    let target = format!("{up}{}", absolute.to_string_lossy().trim_start_matches('/'));
    let kustomization = format!("resources:\n- {target:?}\nbuildMetadata: [originAnnotations]\n");
    std::fs::write(wrapper_dir.join("kustomization.yaml"), kustomization).map_err(|e| e.to_string())?;

    let is_kubectl = tool.file_stem().is_some_and(|n| n == "kubectl");
    let mut command = Command::new(tool);
    command.arg(if is_kubectl { "kustomize" } else { "build" }).arg(&wrapper_dir);
    if let Some(restrictor) = &options.load_restrictor {
        command.arg(format!("--load-restrictor={restrictor}"));
    }
    if options.enable_helm {
        command.arg("--enable-helm");
    }
    let shown = if is_kubectl { "kubectl kustomize" } else { "kustomize build" };
    match process::run(command, options.timeout) {
        Ok(ran) if ran.success => {
            let (text, origins) = strip_origins(&ran.stdout, &wrapper_dir);
            Ok(Outcome::Rendered { text, origins })
        }
        Ok(ran) => {
            let text = error_text(&ran.stderr).replace(&format!("{}/", wrapper_dir.display()), "");
            Err(format!("`{shown} {}` failed: {text}", root.name()))
        }
        Err(RunError::Missing(why)) => {
            Ok(Outcome::Failed(unavailable(root, &format!("`{}`", tool.display()), &format!("cannot be run: {why}"))))
        }
        Err(RunError::TimedOut(after)) => {
            Err(format!("`{shown} {}` did not finish in {}s (`--render-timeout`)", root.name(), after.as_secs()))
        }
    }
}

/// Takes the origin annotations out of Kustomize's output, returning the text and
/// each document's origin (a path relative to `wrapper`, made absolute). An
/// `annotations:` left empty goes too.
fn strip_origins(output: &str, wrapper: &Path) -> (String, Vec<Option<PathBuf>>) {
    let mut text = String::with_capacity(output.len());
    let mut origins = vec![None];
    let lines: Vec<&str> = output.lines().collect();
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        if line == "---" {
            origins.push(None);
        }
        let indent = line.len() - line.trim_start().len();
        if line.trim_start() == ORIGIN {
            let mut j = i + 1;
            while let Some(next) = lines.get(j).filter(|l| l.len() - l.trim_start().len() > indent) {
                if let Some(path) = next.trim().strip_prefix("path: ")
                    && let Some(last) = origins.last_mut()
                {
                    *last = Some(normalize(&wrapper.join(path)));
                }
                j += 1;
            }
            i = j;
            continue;
        }
        if line.trim_start() == "annotations:" {
            // Empty once the origin is gone: the next line is not deeper.
            let next_deeper = |k: usize| lines.get(k).is_some_and(|l| l.len() - l.trim_start().len() > indent);
            let only_origin = lines.get(i + 1).is_some_and(|l| l.trim_start() == ORIGIN) && {
                let mut k = i + 2;
                let origin_indent = lines.get(i + 1).map_or(0, |l| l.len() - l.trim_start().len());
                while lines.get(k).is_some_and(|l| l.len() - l.trim_start().len() > origin_indent) {
                    k += 1;
                }
                !next_deeper(k)
            };
            if only_origin {
                i += 1;
                continue;
            }
        }
        text.push_str(line);
        text.push('\n');
        i += 1;
    }
    (text, origins)
}

/// The patch files of a root and of the kustomizations it reaches, for mapping a
/// field a patch set.
pub fn patch_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    patches_of(dir, &mut found, &mut seen);
    found
}

fn patches_of(dir: &Path, found: &mut Vec<PathBuf>, seen: &mut std::collections::HashSet<PathBuf>) {
    if !seen.insert(dir.to_path_buf()) {
        return;
    }
    let Some(root) = crate::discover::kustomization_root(dir) else { return };
    for item in ["patches", "patchesJson6902"]
        .iter()
        .flat_map(|k| root.get(k).map(crate::yaml::Node::items).unwrap_or_default())
    {
        if let Some(path) = item.get("path").and_then(crate::yaml::Node::as_str) {
            found.push(normalize(&dir.join(path)));
        }
    }
    for item in root.get("patchesStrategicMerge").map(crate::yaml::Node::items).unwrap_or_default() {
        if let Some(path) = item.as_str().filter(|s| !s.contains('\n')) {
            found.push(normalize(&dir.join(path)));
        }
    }
    for key in ["resources", "bases", "components"] {
        for item in root.get(key).map(crate::yaml::Node::items).unwrap_or_default() {
            if let Some(path) = item.as_str() {
                let path = normalize(&dir.join(path));
                if path.is_dir() {
                    patches_of(&path, found, seen);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_read_and_removed() {
        let output = "apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: ../base/s.yaml\n  name: a\n---\nkind: Deployment\nmetadata:\n  annotations:\n    a: b\n    config.kubernetes.io/origin: |\n      path: d.yaml\n  name: d\n";
        let (text, origins) = strip_origins(output, Path::new("/w/x"));
        assert_eq!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\nkind: Deployment\nmetadata:\n  annotations:\n    a: b\n  name: d\n"
        );
        assert_eq!(origins, [Some(PathBuf::from("/w/base/s.yaml")), Some(PathBuf::from("/w/x/d.yaml"))]);
    }
}
