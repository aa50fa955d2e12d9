//! The move fix: a field written at the wrong level (`imagePullSecrets` in a
//! container, `replicas` under `metadata`, `fsGroup` in a container's
//! `securityContext`) moved, with its value and the comments among its lines, to the
//! object where the schema has it ([`crate::finding::Belongs`]).
//!
//! The fix is unsafe: a client that drops unknown fields (`kubectl apply
//! --validate=false`, Helm) applied the object without the field, and in its place it
//! takes effect, sometimes more widely (a Pod's `fsGroup` covers every container).

use crate::finding::Edit;
use crate::source::{SourceFile, Span};
use crate::yaml::{Entry, Node, Value};

use super::edit::{entry_end, line_end, line_start, replace};

/// Indentation of each level a move creates (`securityContext:` for `fsGroup`).
const STEP: usize = 2;

/// Moves `entry` of `map` into the object at `target` (dotted keys from `root`, list
/// indices left out). `pointer` (the field's JSON pointer from `root`) picks the items
/// of the lists the path goes through: the field's own, else a list's only item.
/// Objects missing on the path are created where `is_object` (given the keys from
/// `root`) says the schema has an object. `None` when the field is there already, when
/// a list is ambiguous, or when either side is written in flow style or after `- `.
pub fn move_entry(
    source: &SourceFile,
    root: &Node,
    pointer: &str,
    (map, entry): (&Node, &Entry),
    target: &str,
    is_object: &dyn Fn(&[&str]) -> bool,
) -> Option<Vec<Edit>> {
    let text = source.text.as_str();
    let (lines, removed) = entry_lines(source, map, entry)?;
    let keys: Vec<&str> = target.split('.').filter(|k| !k.is_empty()).collect();
    let (at, missing) = resolve(root, pointer, &keys)?;
    let existing = keys.len() - missing.len();
    if at.get(&entry.key.name).is_some()
        || is_flow(text, at)
        || (1..=missing.len()).any(|n| keys.get(..existing + n).is_none_or(|k| !is_object(k)))
    {
        return None;
    }
    let first = at.entries().first()?;
    let last = at.entries().last()?;
    let first_start = first.key.span.start as usize;
    let prefix = text.get(line_start(text, first_start)..first_start)?;
    if !prefix.trim_start_matches([' ', '-']).is_empty() {
        return None;
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut indent = prefix.chars().count();
    let point = line_end(text, entry_end(source, last));
    let mut moved = String::new();
    if point == text.len() && !text.ends_with(['\n', '\r']) {
        moved.push_str(newline);
    }
    for key in &missing {
        moved.push_str(&format!("{}{key}:{newline}", " ".repeat(indent)));
        indent += STEP;
    }
    for line in &lines {
        if !line.trim().is_empty() {
            moved.push_str(&" ".repeat(indent));
        }
        moved.push_str(line);
    }
    if !moved.ends_with('\n') {
        moved.push_str(newline);
    }
    Some(vec![replace(removed, ""), replace(Span::point(point), moved)])
}

/// The lines of an entry whose key starts its line, its key's column taken off each
/// (each with its line break), and the span of those lines.
fn entry_lines(source: &SourceFile, map: &Node, entry: &Entry) -> Option<(Vec<String>, Span)> {
    let text = source.text.as_str();
    let key_start = entry.key.span.start as usize;
    let start = line_start(text, key_start);
    if is_flow(text, map) || !text.get(start..key_start)?.trim().is_empty() {
        return None;
    }
    let column = key_start - start;
    let end = line_end(text, entry_end(source, entry));
    let mut lines = Vec::new();
    for (i, line) in text.get(key_start..end)?.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let kept = if i == 0 {
            line
        } else if body.trim().is_empty() {
            line.get(body.len()..)?
        } else if body.get(..column)?.trim().is_empty() {
            line.get(column..)?
        } else {
            // Indented less than its key: not a line of the entry after all.
            return None;
        };
        lines.push(kept.to_string());
    }
    Some((lines, Span::new(start, end)))
}

/// The deepest object on the path `keys` from `root` that exists, and the keys
/// missing below it. Lists on the way are entered at the item the JSON pointer goes
/// through, else at their only item.
fn resolve<'n, 'k>(root: &'n Node, pointer: &str, keys: &[&'k str]) -> Option<(&'n Node, Vec<&'k str>)> {
    let own: Vec<String> = pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let mut node = root;
    let mut path: Vec<String> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        if !node.is_map() {
            return None;
        }
        let Some(child) = node.get(key) else { return Some((node, keys.get(i..)?.to_vec())) };
        path.push((*key).to_string());
        node = child;
        if let Value::Seq(items) = &node.value {
            let index = if own.get(..path.len()) == Some(&path[..]) {
                own.get(path.len())?.parse().ok()?
            } else if items.len() == 1 {
                0
            } else {
                return None;
            };
            path.push(index.to_string());
            node = items.get(index)?;
        }
    }
    node.is_map().then_some((node, Vec::new()))
}

fn is_flow(text: &str, node: &Node) -> bool {
    text.as_bytes().get(node.span.start as usize) == Some(&b'{')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn moved(text: &str, from: &[&str], field: &str, target: &str, pointer: &str) -> Option<String> {
        let source = SourceFile::new("t.yaml", text.to_string(), 0);
        let stream = crate::yaml::load(text, &Limits::default());
        let root = &stream.documents.first()?.root;
        let mut map = root;
        for step in from {
            map = match step.parse::<usize>() {
                Ok(i) => map.items().get(i)?,
                Err(_) => map.get(step)?,
            };
        }
        let entry = map.entry(field)?;
        let edits = move_entry(&source, root, pointer, (map, entry), target, &|keys| keys.last() != Some(&"list"))?;
        super::super::edit::apply(text, &edits.iter().collect::<Vec<_>>())
    }

    #[test]
    fn moves_entries_with_their_lines_and_comments_up_and_down() {
        let text = "metadata:\n  name: a\n  replicas: 3 # three\nspec:\n  selector: {}\n";
        assert_eq!(
            moved(text, &["metadata"], "replicas", "spec", "/metadata/replicas").unwrap(),
            "metadata:\n  name: a\nspec:\n  selector: {}\n  replicas: 3 # three\n"
        );
        let pod = "spec:\n  containers:\n  - name: a\n    imagePullSecrets:\n    # the registry\n    - name: r\n    \
                   securityContext:\n      fsGroup: 2000\n  - name: b\n";
        assert_eq!(
            moved(pod, &["spec", "containers", "0"], "imagePullSecrets", "spec", "/spec/containers/0/imagePullSecrets")
                .unwrap(),
            "spec:\n  containers:\n  - name: a\n    securityContext:\n      fsGroup: 2000\n  - name: b\n  \
             imagePullSecrets:\n  # the registry\n  - name: r\n"
        );
        // A missing object on the way is created.
        assert_eq!(
            moved(
                pod,
                &["spec", "containers", "0", "securityContext"],
                "fsGroup",
                "spec.securityContext",
                "/spec/containers/0/securityContext/fsGroup"
            )
            .unwrap(),
            "spec:\n  containers:\n  - name: a\n    imagePullSecrets:\n    # the registry\n    - name: r\n    \
             securityContext:\n  - name: b\n  securityContext:\n    fsGroup: 2000\n"
        );
        // Into the list item the field is in; not into an ambiguous list.
        let top = "volumes: []\nspec:\n  template:\n    spec:\n      containers: []\n";
        assert_eq!(
            moved(top, &[], "volumes", "spec.template.spec", "/volumes").unwrap(),
            "spec:\n  template:\n    spec:\n      containers: []\n      volumes: []\n"
        );
        assert!(moved(pod, &["spec"], "containers", "spec.containers", "/spec/x").is_none());
    }

    #[test]
    fn no_move_onto_an_existing_field_into_flow_style_or_a_list() {
        let text = "a:\n  x: 1\nb:\n  x: 2\nc: {y: 1}\n";
        assert!(moved(text, &["a"], "x", "b", "/a/x").is_none());
        assert!(moved(text, &["a"], "x", "c", "/a/x").is_none());
        assert!(moved(text, &["a"], "x", "d.list", "/a/x").is_none());
        assert_eq!(moved(text, &["a"], "x", "d", "/a/x").unwrap(), "a:\nb:\n  x: 2\nc: {y: 1}\nd:\n  x: 1\n");
    }
}
