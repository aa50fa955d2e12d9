//! Moving findings on rendered output to the file and line a person edits.
//!
//! Helm: the template named by `# Source:`, at the line whose text is the rendered
//! line (exact), else the line of the same key (line), else the template's start
//! (file). Kustomize: the resource file of the object's origin annotation, at the
//! same field there or in a patch that sets it (exact), else at the deepest field of
//! its path found (line), else the start of the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Outcome, Render};
use crate::discover::RootKind;
use crate::finding::{Finding, Location, Precision, Rendered};
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Value};

/// What is needed to map the findings of one rendered source.
pub struct Mapper {
    context: String,
    kind: RootKind,
    dir: PathBuf,
    origins: Vec<Option<PathBuf>>,
    patches: Vec<PathBuf>,
    /// A chart's values files, in the order helm reads them (the last one wins).
    values: Vec<PathBuf>,
    /// The rendered documents, read again (cheap next to rendering).
    docs: Vec<Node>,
    source: Arc<SourceFile>,
}

impl Mapper {
    pub fn new(render: &Render) -> Option<Mapper> {
        let Outcome::Rendered { text, origins } = &render.outcome else { return None };
        let stream = crate::yaml::load(text, &crate::limits::Limits::default());
        let patches = match render.root.kind {
            RootKind::Kustomize => super::kustomize::patch_files(&render.root.dir),
            RootKind::Chart => Vec::new(),
        };
        Some(Mapper {
            context: render.context.clone(),
            kind: render.root.kind,
            dir: render.root.dir.clone(),
            origins: origins.clone(),
            patches,
            values: render.values.clone(),
            docs: stream.documents.into_iter().map(|d| d.root).collect(),
            source: SourceFile::new(render.source_name(), text.clone(), 0),
        })
    }
}

/// Files read for mapping, by path.
#[derive(Default)]
struct Files(HashMap<PathBuf, Option<FileRead>>);

/// A file and its YAML documents (none for a template that is not YAML).
type FileRead = (Arc<SourceFile>, Vec<Node>);

impl Files {
    fn get(&mut self, path: &Path) -> Option<&FileRead> {
        self.0
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                let source = SourceFile::new(super::display(path), text, 0);
                // A template is not YAML: its documents are only needed for Kustomize.
                let docs = crate::yaml::load(&source.text, &crate::limits::Limits::default())
                    .documents
                    .into_iter()
                    .map(|d| d.root)
                    .collect();
                Some((source, docs))
            })
            .as_ref()
    }
}

/// Maps every finding on a rendered source, then merges those that several renders
/// gave at the same place (a base seen through two overlays), naming every render.
pub fn apply(findings: Vec<Finding>, mappers: &HashMap<String, Mapper>) -> Vec<Finding> {
    let mut files = Files::default();
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut seen: HashMap<(String, u32, u32, &'static str, String), usize> = HashMap::new();
    for mut f in findings {
        let Some(mapper) = mappers.get(&f.location.source.name) else {
            out.push(f);
            continue;
        };
        map_one(&mut f, mapper, &mut files);
        let key =
            (f.location.source.name.clone(), f.location.span.start, f.location.span.end, f.rule, f.message.clone());
        match seen.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(first) => {
                if let (Some(a), Some(b)) = (first.rendered.as_mut(), f.rendered) {
                    a.contexts.extend(b.contexts);
                    a.contexts.sort();
                    a.contexts.dedup();
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out
}

fn map_one(f: &mut Finding, mapper: &Mapper, files: &mut Files) {
    let rendered_at = f.location.clone();
    let offset = rendered_at.span.start;
    let index = mapper.docs.iter().rposition(|d| d.span.start <= offset).unwrap_or(0);
    let target = match mapper.kind {
        RootKind::Chart => {
            crate::document::helm_template(&mapper.source, mapper.docs.get(index).map_or(0, |d| d.span.start as usize))
                .and_then(|t| super::helm::template_file(&mapper.dir, &t))
        }
        RootKind::Kustomize => mapper.origins.get(index).cloned().flatten(),
    };
    let mapped = target.and_then(|path| match mapper.kind {
        RootKind::Chart => by_line(mapper, rendered_at.span, mapper.docs.get(index), &path, files),
        RootKind::Kustomize => by_path(mapper, mapper.docs.get(index)?, offset, &path, files),
    });
    let precision = match mapped {
        Some((location, precision)) => {
            f.location = location;
            precision
        }
        None => Precision::File,
    };
    if precision != Precision::Exact {
        let line = rendered_at.source.line_text(rendered_at.start().line).trim().to_string();
        f.secondary
            .push(crate::finding::Label { location: rendered_at.clone(), message: format!("rendered as `{line}`") });
    }
    // The edits of a fix are in the rendered text, not in the file shown.
    f.fix = None;
    f.template = None;
    f.rendered = Some(Box::new(Rendered { contexts: vec![mapper.context.clone()], location: rendered_at, precision }));
}

/// Helm: the template line with the rendered line's text, else the values file line
/// of the value rendered there, else the template line with its key.
fn by_line(
    mapper: &Mapper,
    span: Span,
    doc: Option<&Node>,
    path: &Path,
    files: &mut Files,
) -> Option<(Location, Precision)> {
    let rendered = &mapper.source;
    let (template, _) = files.get(path)?;
    let template = template.clone();
    let at = rendered.line_col(span.start as usize);
    let line = rendered.line_text(at.line);
    let trimmed = line.trim();
    let lines: Vec<&str> = template.text.lines().collect();
    let same: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.trim() == trimmed).map(|(i, _)| i).collect();
    if let [only] = same.as_slice() {
        let start = template.line_start(only + 1)?;
        let column = lines.get(*only)?.find(trimmed)?
            + (at.col.saturating_sub(1)).saturating_sub(line.len() - line.trim_start().len());
        let length = (span.end - span.start) as usize;
        let end = (start + column + length).min(start + lines.get(*only)?.len());
        return Some((Location { source: template, span: Span::new(start + column, end) }, Precision::Exact));
    }
    // The key of the rendered line (`replicas:`, `- name:`), matched by its rank
    // among the lines of the same key in the document and in the template.
    let key = trimmed.split_once(':').map(|(k, _)| format!("{k}:"))?;
    let with_key: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.trim().starts_with(&key)).map(|(i, _)| i).collect();
    let doc_start = doc.map_or(1, |d| rendered.line_col(d.span.start as usize).line);
    let rank = (doc_start..at.line).filter(|&l| rendered.line_text(l).trim().starts_with(&key)).count();
    let chosen = *with_key.get(rank).or(with_key.last())?;
    let text = lines.get(chosen)?;
    // The finding's columns within the rendered value.
    let value_start = line.find(':')? + 1;
    let value_start = value_start + line.get(value_start..)?.len() - line.get(value_start..)?.trim_start().len();
    let from = (at.col - 1).saturating_sub(value_start);
    let to = from + (span.end - span.start) as usize;
    let value_text = line.get(value_start..)?.trim_end();
    if let Some(found) =
        text.split_once(':').and_then(|(_, t)| value_of(t.trim(), value_text, (from, to), mapper, files))
    {
        return Some((found, Precision::Exact));
    }
    let start = template.line_start(chosen + 1)?;
    let indent = text.len() - text.trim_start().len();
    let span = Span::new(start + indent, start + text.trim_end().len());
    Some((Location { source: template, span }, Precision::Line))
}

/// The values-file key behind the part `range` of a rendered value, when the
/// template's value is literal text and `{{ .Values.a.b }}` references (with `quote`
/// at most), their values put in give the rendered text, and the range overlaps one
/// reference only. Anything else (functions, `--set` values, two references under the
/// range) is not decidable.
fn value_of(
    template: &str,
    rendered: &str,
    range: (usize, usize),
    mapper: &Mapper,
    files: &mut Files,
) -> Option<Location> {
    let mut out = String::new();
    let mut refs = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open)?);
        let after = rest.get(open + 2..)?;
        let close = after.find("}}")?;
        let action = after.get(..close)?.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let (reference, quoted) = match action.split_once('|') {
            Some((r, f)) if f.trim() == "quote" => (r.trim(), true),
            Some(_) => return None,
            None => (action, false),
        };
        let keys: Vec<&str> = reference.strip_prefix(".Values.")?.split('.').collect();
        let (file, node) = mapper.values.iter().rev().find_map(|f| {
            let (_, docs) = files.get(f)?;
            let node = docs.first()?.at(&keys)?.clone();
            Some((f.clone(), node))
        })?;
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        let text = if quoted { format!("{text:?}") } else { text };
        refs.push((out.len(), out.len() + text.len(), file, node.span));
        out.push_str(&text);
        rest = after.get(close + 2..)?;
    }
    out.push_str(rest);
    if out != rendered {
        return None;
    }
    let mut under = refs.into_iter().filter(|(start, end, ..)| *start < range.1.max(range.0 + 1) && range.0 < *end);
    let (_, _, file, span) = under.next()?;
    if under.next().is_some() {
        return None;
    }
    let (source, _) = files.get(&file)?;
    Some(Location { source: source.clone(), span })
}

/// A step of the path to a node.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path to the node at `offset`, and whether the offset is on a key.
fn path_at(node: &Node, offset: u32, path: &mut Vec<Step>) -> bool {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if e.key.span.start <= offset && offset < e.key.span.end.max(e.key.span.start + 1) {
                    path.push(Step::Key(e.key.name.clone()));
                    return true;
                }
                if e.value.span.start <= offset && offset <= e.value.span.end {
                    path.push(Step::Key(e.key.name.clone()));
                    return path_at(&e.value, offset, path);
                }
            }
            false
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if item.span.start <= offset && offset <= item.span.end {
                    path.push(Step::Index(i));
                    return path_at(item, offset, path);
                }
            }
            false
        }
        _ => false,
    }
}

/// The span at `path` in `node`: the whole path (exact), or the deepest key found.
fn span_at(node: &Node, path: &[Step], on_key: bool) -> (Option<Span>, usize) {
    let mut current = node;
    let mut best = None;
    for (depth, step) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        match step {
            Step::Key(k) => {
                let Some(entry) = current.entry(k) else { return (best, depth) };
                best = Some(if last && !on_key { entry.value.span } else { entry.key.span });
                current = &entry.value;
            }
            Step::Index(i) => {
                let Some(item) = current.items().get(*i) else { return (best, depth) };
                best = Some(crate::document::head(item));
                current = item;
            }
        }
    }
    (best, path.len())
}

fn kind_and_name(node: &Node) -> (Option<&str>, Option<&str>) {
    (node.get("kind").and_then(Node::as_str), node.at(&["metadata", "name"]).and_then(Node::as_str))
}

/// Kustomize: the same field in a patch of the object or in its resource file.
fn by_path(mapper: &Mapper, doc: &Node, offset: u32, path: &Path, files: &mut Files) -> Option<(Location, Precision)> {
    let mut steps = Vec::new();
    let on_key = path_at(doc, offset, &mut steps);
    let (kind, rendered_name) = kind_and_name(doc);
    let matches = |node: &Node| {
        let (k, n) = kind_and_name(node);
        k == kind && n.zip(rendered_name).is_some_and(|(n, r)| r.contains(n))
    };
    // A patch that sets the field wins (the last one, as Kustomize applies them in order).
    for patch in mapper.patches.iter().rev() {
        let Some((source, docs)) = files.get(patch) else { continue };
        for node in docs.iter().filter(|n| matches(n)) {
            if let (Some(span), depth) = span_at(node, &steps, on_key)
                && depth == steps.len()
                && !steps.is_empty()
            {
                return Some((Location { source: source.clone(), span }, Precision::Exact));
            }
        }
    }
    let (source, docs) = files.get(path)?;
    let node = docs.iter().find(|n| matches(n)).or_else(|| docs.iter().find(|n| kind_and_name(n).0 == kind))?;
    match span_at(node, &steps, on_key) {
        (Some(span), depth) if depth == steps.len() => {
            Some((Location { source: source.clone(), span }, Precision::Exact))
        }
        (Some(span), _) => Some((Location { source: source.clone(), span }, Precision::Line)),
        (None, _) => Some((Location { source: source.clone(), span: crate::document::head(node) }, Precision::File)),
    }
}
