//! What the files of a repository are: plain manifests, Helm charts and Kustomize
//! roots.
//!
//! A directory with `Chart.yaml` is a chart: its files (templates, values, the charts
//! it vendors) are not manifests and are never linted one by one. A directory with a
//! kustomization file is a Kustomize root: the files it pulls in (resources, patches,
//! components, generator inputs), transitively, are parts of what it builds, not
//! manifests of their own. Only roots that no other root of the run pulls in are
//! built, so that a base shared by overlays is checked through each overlay.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::input::{Input, Inputs};
use crate::yaml::Node;

/// The names Kustomize accepts for a kustomization file, in the order it tries them.
pub const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// What renders a root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RootKind {
    Chart,
    Kustomize,
}

impl RootKind {
    pub fn tool(self) -> &'static str {
        match self {
            RootKind::Chart => "helm",
            RootKind::Kustomize => "kustomize",
        }
    }
}

/// A chart or Kustomize root to render.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Root {
    pub kind: RootKind,
    /// The directory, as found (`charts/web`).
    pub dir: PathBuf,
    /// `Chart.yaml` or the kustomization file: where errors of the root are reported.
    pub file: PathBuf,
}

impl Root {
    /// How findings name the root: its directory.
    pub fn name(&self) -> String {
        let text = self.dir.to_string_lossy();
        let text = text.strip_prefix("./").unwrap_or(&text);
        if text.is_empty() { ".".to_string() } else { text.to_string() }
    }
}

/// The inputs sorted into files to lint as they are and roots to render.
#[derive(Debug, Default)]
pub struct Discovered {
    pub plain: Inputs,
    pub roots: Vec<Root>,
}

/// Sorts the inputs. A file inside a chart (found or named) stands for its chart; a
/// kustomization file stands for its root; a file a kustomization pulls in is covered
/// by the root. Order is kept: roots sorted by directory, plain files as given.
pub fn discover(mut inputs: Inputs) -> Discovered {
    // The chart of each input; a found file is a file (the walk saw it), so only a
    // named path is asked what it is. A large run holds a flag per file, not a path.
    let mut charts = BTreeSet::new();
    let mut above = Above::default();
    let in_chart: Vec<bool> = (0..inputs.len())
        .map(|i| {
            let Some(path) = inputs.path(i).map(|path| normalize(&path)) else { return false };
            let chart = above.chart_of(&path, inputs.found(i) || path.is_file());
            chart.map(|chart| charts.insert(chart)).is_some()
        })
        .collect();
    drop(above);
    let mut kustomizations: BTreeSet<PathBuf> = (0..inputs.len())
        .filter_map(|i| inputs.path(i).filter(|p| is_kustomization(p)))
        .filter_map(|p| normalize(&p).parent().map(Path::to_path_buf))
        .collect();
    // A file named on the command line (a pre-commit hook names the changed files)
    // that a kustomization above it pulls in (a patch, a resource of a base) stands
    // for that root: a patch is not a whole object to lint on its own.
    for i in (0..inputs.len()).filter(|&i| !inputs.found(i)) {
        if let Input::File(path) = inputs.get(i).as_ref()
            && let Some(dir) = kustomization_pulling_in(&normalize(path))
        {
            kustomizations.insert(dir);
        }
    }

    // Everything the kustomizations pull in, and the roots that another one pulls in.
    let mut covered: HashSet<PathBuf> = HashSet::new();
    let mut inner: HashSet<PathBuf> = HashSet::new();
    for dir in &kustomizations {
        let mut seen = HashSet::new();
        pulled_in(dir, &mut covered, &mut seen);
        inner.extend(seen.into_iter().filter(|d| d != dir));
    }
    let mut roots: Vec<Root> = charts
        .iter()
        .filter(|dir| !charts.iter().any(|outer| outer != *dir && dir.starts_with(outer)))
        .map(|dir| Root { kind: RootKind::Chart, file: dir.join("Chart.yaml"), dir: dir.clone() })
        .collect();
    roots.extend(
        kustomizations.iter().filter(|dir| !inner.contains(*dir) && chart_of(dir).is_none()).filter_map(|dir| {
            Some(Root { kind: RootKind::Kustomize, file: kustomization_file(dir)?, dir: dir.clone() })
        }),
    );
    roots.sort();

    inputs.retain(|inputs, i| {
        let Some(path) = inputs.path(i) else { return true };
        if in_chart.get(i).copied().unwrap_or(false) || is_kustomization(&path) {
            return false;
        }
        // The plain fleet, without kustomizations: no path to normalize.
        if covered.is_empty() && kustomizations.is_empty() {
            return true;
        }
        let path = normalize(&path);
        !covered.contains(&path) && !path.parent().is_some_and(|dir| kustomizations.contains(dir))
    });
    Discovered { plain: inputs, roots }
}

/// Whether the directories above the last path looked at have `Chart.yaml`,
/// outermost first. Inputs come sorted, so that the next path shares most of them:
/// each directory is looked at about once, and only the chain of one path is held.
#[derive(Default)]
struct Above(Vec<(PathBuf, bool)>);

impl Above {
    /// [`chart_of`] of a path known to be a file or not.
    fn chart_of(&mut self, path: &Path, is_file: bool) -> Option<PathBuf> {
        let dir = if is_file { path.parent() } else { Some(path) };
        if dir.is_none_or(|dir| self.0.last().is_none_or(|(last, _)| last != dir)) {
            let mut dirs: Vec<&Path> = dir.into_iter().flat_map(Path::ancestors).collect();
            dirs.reverse();
            let shared = self.0.iter().zip(&dirs).take_while(|((known, _), dir)| known == *dir).count();
            self.0.truncate(shared);
            for dir in dirs.get(shared..).unwrap_or_default() {
                self.0.push((dir.to_path_buf(), has_chart(dir)));
            }
        }
        let (dir, _) = self.0.iter().find(|(_, chart)| *chart)?;
        Some(if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.clone() })
    }
}

/// Whether a file is a kustomization file (by name).
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| KUSTOMIZATION_FILES.contains(&n))
}

/// The kustomization file of a directory, if it has one.
pub fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_FILES.iter().map(|name| dir.join(name)).find(|p| p.is_file())
}

/// The kustomization of a directory, read.
pub fn kustomization_root(dir: &Path) -> Option<Node> {
    let text = std::fs::read_to_string(kustomization_file(dir)?).ok()?;
    let stream = crate::yaml::load(&text, &crate::limits::Limits::default());
    stream.documents.into_iter().next().map(|d| d.root)
}

/// The outermost chart a path is in (a directory with `Chart.yaml`), if any.
fn chart_of(path: &Path) -> Option<PathBuf> {
    Above::default().chart_of(path, path.is_file())
}

fn has_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file()
}

/// The nearest directory above `file` whose kustomization pulls it in, if any.
fn kustomization_pulling_in(file: &Path) -> Option<PathBuf> {
    if is_kustomization(file) || chart_of(file).is_some() {
        return None;
    }
    file.ancestors().skip(1).take(MAX_PULLING_DEPTH).find_map(|dir| {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        kustomization_file(dir)?;
        let (mut covered, mut seen) = (HashSet::new(), HashSet::new());
        pulled_in(dir, &mut covered, &mut seen);
        covered.contains(file).then(|| dir.to_path_buf())
    })
}

/// How many directories up a named file's kustomization is looked for.
const MAX_PULLING_DEPTH: usize = 4;

/// Records the files the kustomization in `dir` pulls in, and every directory of
/// a kustomization it reaches (in `seen`, which also stops cycles).
fn pulled_in(dir: &Path, covered: &mut HashSet<PathBuf>, seen: &mut HashSet<PathBuf>) {
    if !seen.insert(dir.to_path_buf()) {
        return;
    }
    let Some(file) = kustomization_file(dir) else { return };
    covered.insert(file);
    let Some(root) = kustomization_root(dir) else { return };
    for reference in references(&root) {
        if reference.contains("://") || reference.starts_with("github.com/") || reference.starts_with("git@") {
            continue; // remote: nothing of the run
        }
        let path = normalize(&dir.join(reference));
        if path.is_dir() {
            pulled_in(&path, covered, seen);
        } else {
            covered.insert(path);
        }
    }
}

/// The local paths a kustomization names: resources, bases, components, patches,
/// generator inputs, replacements, CRDs, configurations, transformers, generators.
fn references(root: &Node) -> Vec<String> {
    let mut found = Vec::new();
    let strings = |node: Option<&Node>, found: &mut Vec<String>| {
        for item in node.map(Node::items).unwrap_or_default() {
            if let Some(s) = item.as_str() {
                found.push(s.to_string());
            }
        }
    };
    for key in
        ["resources", "bases", "components", "crds", "configurations", "transformers", "generators", "validators"]
    {
        strings(root.get(key), &mut found);
    }
    // `patchesStrategicMerge` entries are paths or inline patches (a path has no newline).
    for item in root.get("patchesStrategicMerge").map(Node::items).unwrap_or_default() {
        if let Some(s) = item.as_str().filter(|s| !s.contains('\n')) {
            found.push(s.to_string());
        }
    }
    for key in ["patches", "patchesJson6902", "replacements"] {
        for item in root.get(key).map(Node::items).unwrap_or_default() {
            if let Some(path) = item.get("path").and_then(Node::as_str) {
                found.push(path.to_string());
            }
        }
    }
    for key in ["configMapGenerator", "secretGenerator"] {
        for item in root.get(key).map(Node::items).unwrap_or_default() {
            for field in ["files", "envs"] {
                for file in item.get(field).map(Node::items).unwrap_or_default() {
                    // `files` entries may be `key=path`.
                    if let Some(s) = file.as_str() {
                        found.push(s.split_once('=').map_or(s, |(_, p)| p).to_string());
                    }
                }
            }
            if let Some(env) = item.get("env").and_then(Node::as_str) {
                found.push(env.to_string());
            }
        }
    }
    if let Some(path) = root.at(&["openapi", "path"]).and_then(Node::as_str) {
        found.push(path.to_string());
    }
    found
}

/// A path without `.` components and with `..` applied where it can be, so that a
/// file reached through `../base` and the same file found while walking compare equal.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize(Path::new("./a/b/../c/./d.yaml")), PathBuf::from("a/c/d.yaml"));
        assert_eq!(normalize(Path::new("../x/../../y")), PathBuf::from("../../y"));
        assert_eq!(normalize(Path::new("/a/../b")), PathBuf::from("/b"));
    }

    #[test]
    fn reads_the_references_of_a_kustomization() {
        let text = "resources: [deploy.yaml, ../base, https://example.com/x.yaml]\n\
                    patches:\n- path: patch.yaml\n- patch: |-\n    inline\n\
                    patchesStrategicMerge:\n- sm.yaml\n- |-\n  kind: X\n  b: 1\n\
                    configMapGenerator:\n- name: c\n  files: [a.txt, key=b.txt]\n  envs: [c.env]\n";
        let stream = crate::yaml::load(text, &crate::limits::Limits::default());
        let refs = references(&stream.documents[0].root);
        assert_eq!(
            refs,
            [
                "deploy.yaml",
                "../base",
                "https://example.com/x.yaml",
                "sm.yaml",
                "patch.yaml",
                "a.txt",
                "b.txt",
                "c.env"
            ]
        );
    }
}
