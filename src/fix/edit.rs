//! Edits on YAML source text, built from the spans of the document tree.
//!
//! Each helper touches only the text it must: comments, key order, quoting,
//! indentation and line endings around it stay as written. A helper returns `None`
//! when it cannot make its edit safely in that layout (the finding then has no fix).

use crate::finding::Edit;
use crate::source::{SourceFile, Span};
use crate::yaml::{Entry, Key, Node, Style, Value};

/// Replaces `span` with `text`.
pub fn replace(span: Span, text: impl Into<String>) -> Edit {
    Edit { span, replacement: text.into() }
}

/// Renames a mapping key, keeping its quotes.
pub fn rename_key(source: &SourceFile, key: &Key, name: &str) -> Edit {
    let raw = source.slice(key.span);
    let text = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{name}{q}"),
        _ => name.to_string(),
    };
    replace(key.span, text)
}

/// Quotes a plain scalar, so that YAML 1.1 reads it as the string it shows (`yes`,
/// `0644`, `1.10`). Double quotes, or single ones when the text has a `"` or `\`.
pub fn quote(source: &SourceFile, node: &Node) -> Option<Edit> {
    if node.style != Style::Plain || !matches!(node.value, Value::Bool(_) | Value::Int(_) | Value::Float(_)) {
        return None;
    }
    let raw = source.slice(node.span);
    if raw.is_empty() || raw.contains(['\n', '\r', '#']) {
        return None;
    }
    let quoted =
        if raw.contains(['"', '\\']) { format!("'{}'", raw.replace('\'', "''")) } else { format!("\"{raw}\"") };
    Some(replace(node.span, quoted))
}

/// Writes a quoted integer (`"8080"`) as the number it holds (`8080`).
pub fn unquote_integer(source: &SourceFile, node: &Node) -> Option<Edit> {
    let text = node.as_str()?.trim();
    if node.style != Style::Quoted || source.slice(node.span).contains('\n') {
        return None;
    }
    // Written in the canonical form: `"0080"` unquoted would be YAML 1.1's octal.
    let number: i64 = text.parse().ok()?;
    Some(replace(node.span, number.to_string()))
}

/// Writes a one-line scalar (`"eighty"`, `http`) as the integer it stands for.
pub fn write_integer(source: &SourceFile, node: &Node, number: i64) -> Option<Edit> {
    if node.style == Style::Block || node.as_str().is_none() || source.slice(node.span).contains('\n') {
        return None;
    }
    Some(replace(node.span, number.to_string()))
}

/// Removes the entry `key` of `map`: its line and the lines of its value (with the
/// comments among them) in block style, or the entry and one comma in flow style.
pub fn remove_entry(source: &SourceFile, map: &Node, key: &str) -> Option<Edit> {
    let entries = map.entries();
    let i = entries.iter().position(|e| e.key.name == key)?;
    let entry = entries.get(i)?;
    let next = entries.get(i + 1);
    let end = entry_end(source, entry);
    let text = source.text.as_str();
    if text.as_bytes().get(map.span.start as usize) == Some(&b'{') {
        let span = match (next, i.checked_sub(1).and_then(|p| entries.get(p))) {
            (Some(next), _) => Span::new(entry.key.span.start as usize, next.key.span.start as usize),
            (None, Some(previous)) => Span::new(entry_end(source, previous), end),
            (None, None) => return Some(replace(map.span, "{}")),
        };
        if !comments_in(text, span, &[&entry.value], &[entry.key.span]).is_empty() {
            return None;
        }
        return Some(replace(span, ""));
    }
    let key_start = entry.key.span.start as usize;
    let line_start = line_start(text, key_start);
    let prefix = text.get(line_start..key_start)?;
    if prefix.trim().is_empty() {
        // The comments on the entry's lines stay, on lines of their own.
        let span = Span::new(line_start, line_end(text, end));
        let kept = comment_lines(text, span, prefix, &[&entry.value], &[entry.key.span]);
        return Some(replace(span, kept));
    }
    // The first key of a list item (`- replicas: 3`): the next key takes its place.
    if prefix.trim_end().ends_with('-') && prefix.trim_end().trim_start_matches([' ', '-']).is_empty() {
        if !comments_in(text, Span::new(key_start, end), &[&entry.value], &[entry.key.span]).is_empty() {
            return None;
        }
        return match next {
            Some(next) if single_line_gap(text, end, next.key.span.start as usize) => {
                Some(replace(Span::new(key_start, next.key.span.start as usize), ""))
            }
            Some(_) => None,
            None => Some(replace(Span::new(key_start, end), "{}")),
        };
    }
    None
}

/// Writes the value of a key that repeats itself (`ttl:\n  ttl: 0`) directly
/// (`ttl: 0`): everything from the end of the outer key to the end of its value.
/// Comments in that text move to lines of their own above the key.
pub fn collapse_repeated_key(source: &SourceFile, outer: &Key, value: &Node, inner: &Entry) -> Option<Vec<Edit>> {
    let text = source.slice(inner.value.span);
    if text.is_empty() || text.contains(['\n', '\r']) || matches!(inner.value.value, Value::Map(_) | Value::Seq(_)) {
        return None;
    }
    let end = value.span.end.max(inner.value.span.end) as usize;
    // The colon of the outer key and what follows it, down to the inner value.
    let span = Span::new(outer.span.end as usize, end);
    let mut edits = vec![replace(span, format!(": {text}"))];
    let all = source.text.as_str();
    let key_start = outer.span.start as usize;
    let line_start = line_start(all, key_start);
    let kept = comment_lines(all, span, all.get(line_start..key_start)?, &[value], &[]);
    if !kept.is_empty() {
        // Above a key that starts its line only (not `- ttl:` or `{ttl: ...}`).
        if !all.get(line_start..key_start)?.trim().is_empty() {
            return None;
        }
        edits.push(replace(Span::point(line_start), kept));
    }
    Some(edits)
}

/// The comments in `span` of `text`, each from its `#` to the end of its line: a `#`
/// at the start of a line or after a blank, outside the keys and scalars of `nodes`
/// and outside `keys` (in a quoted or block scalar, `#` is text).
fn comments_in<'t>(text: &'t str, span: Span, nodes: &[&Node], keys: &[Span]) -> Vec<&'t str> {
    let mut scalars: Vec<Span> = keys.to_vec();
    nodes.iter().for_each(|n| scalar_spans(n, &mut scalars));
    let inside = |i: usize| scalars.iter().any(|s| (s.start as usize) <= i && i < s.end as usize);
    let mut found = Vec::new();
    let mut at = span.start as usize;
    let end = span.end as usize;
    while let Some(i) = text.get(at..end).and_then(|t| t.find('#')).map(|i| at + i) {
        let blank_before = i == 0 || matches!(text.as_bytes().get(i - 1), Some(b' ' | b'\t' | b'\n' | b'\r'));
        if blank_before && !inside(i) {
            let stop = text.get(i..end).and_then(|t| t.find(['\n', '\r'])).map_or(end, |j| i + j);
            found.push(text.get(i..stop).unwrap_or_default().trim_end());
            at = stop;
        } else {
            at = i + 1;
        }
    }
    found
}

/// The comments of [`comments_in`] as lines of their own, each after `indent`.
fn comment_lines(text: &str, span: Span, indent: &str, nodes: &[&Node], keys: &[Span]) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    comments_in(text, span, nodes, keys).iter().map(|c| format!("{indent}{c}{newline}")).collect()
}

/// The spans of the keys and scalars of a tree.
fn scalar_spans(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        Value::Map(_) => node.entries().iter().for_each(|e| {
            out.push(e.key.span);
            scalar_spans(&e.value, out);
        }),
        Value::Seq(_) => node.items().iter().for_each(|n| scalar_spans(n, out)),
        _ => out.push(node.span),
    }
}

/// Replaces a scalar's text, keeping its quotes (`"batch/v1beta1"` → `"batch/v1"`).
/// The new text must need no escaping in either quoting style.
pub fn replace_scalar(source: &SourceFile, node: &Node, text: &str) -> Option<Edit> {
    if node.style == Style::Block || matches!(node.value, Value::Map(_) | Value::Seq(_)) {
        return None;
    }
    let raw = source.slice(node.span);
    Some(match raw.chars().next() {
        Some(q @ ('"' | '\'')) => replace(node.span, format!("{q}{text}{q}")),
        _ => replace(node.span, text),
    })
}

/// Adds the entry `key: value` to a mapping that lacks it: after its last entry at
/// the indentation of its first in block style, before the `}` in flow style.
/// `value` must be one line in flow style (`{drop: ["ALL"]}`).
pub fn insert_entry(source: &SourceFile, map: &Node, key: &str, value: &str) -> Option<Edit> {
    let entries = map.entries();
    if map.entry(key).is_some() || value.contains(['\n', '\r']) {
        return None;
    }
    let text = source.text.as_str();
    if text.as_bytes().get(map.span.start as usize) == Some(&b'{') {
        let close = (map.span.end as usize).checked_sub(1).filter(|&i| text.as_bytes().get(i) == Some(&b'}'))?;
        let separator = if entries.is_empty() { "" } else { ", " };
        return Some(replace(Span::point(close), format!("{separator}{key}: {value}")));
    }
    let first = entries.first()?;
    let last = entries.last()?;
    let first_start = first.key.span.start as usize;
    let indent = text.get(line_start(text, first_start)..first_start)?.chars().count();
    let at = line_end(text, entry_end(source, last));
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let before = if at == text.len() && !text.ends_with(['\n', '\r']) { newline } else { "" };
    Some(replace(Span::point(at), format!("{before}{}{key}: {value}{newline}", " ".repeat(indent))))
}

/// Sets `path` (keys from `map`) to `value` where it is missing: the first missing
/// key is inserted with the rest of the path as flow mappings
/// (`securityContext: {capabilities: {drop: ["ALL"]}}`). `None` when the whole path
/// exists or a key on it holds something other than a mapping.
pub fn set_path(source: &SourceFile, map: &Node, path: &[&str], value: &str) -> Option<Edit> {
    let (first, rest) = path.split_first()?;
    match map.get(first) {
        Some(child) if child.is_map() && !rest.is_empty() => set_path(source, child, rest, value),
        Some(_) => None,
        None => {
            let nested = rest.iter().rev().fold(value.to_string(), |inner, key| format!("{{{key}: {inner}}}"));
            insert_entry(source, map, first, &nested)
        }
    }
}

/// Where an entry's text ends: after its value, or after its key when the value is
/// empty (an empty value's span may lie ahead, at the next token).
pub(super) fn entry_end(source: &SourceFile, entry: &Entry) -> usize {
    let key_end = entry.key.span.end as usize;
    let value = entry.value.span;
    if entry.value.is_null() && source.slice(value).is_empty() || (value.end as usize) < key_end {
        // `key:` — past the colon.
        let rest = source.text.get(key_end..).unwrap_or_default();
        return key_end + rest.find(':').map_or(0, |i| i + 1).min(rest.find('\n').unwrap_or(rest.len()));
    }
    value.end as usize
}

pub(super) fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind(['\n', '\r'])).map_or(0, |i| i + 1)
}

/// The start of the line after the one that holds `at - 1` (a block scalar's value
/// ends with its line break already).
pub(super) fn line_end(text: &str, at: usize) -> usize {
    if at > 0 && matches!(text.as_bytes().get(at - 1), Some(b'\n')) {
        return at;
    }
    // A block scalar's span may end at the next key, past that line's indentation.
    let start = line_start(text, at);
    if start < at && text.get(start..at).is_some_and(|t| t.trim().is_empty()) {
        return start;
    }
    let rest = text.get(at..).unwrap_or_default();
    match rest.find(['\n', '\r']) {
        Some(i) if rest.get(i..).is_some_and(|r| r.starts_with("\r\n")) => at + i + 2,
        Some(i) => at + i + 1,
        None => text.len(),
    }
}

/// Only a line break and indentation between `from` and `to` (no comment lost).
fn single_line_gap(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| gap.trim().is_empty() && gap.matches('\n').count() <= 1)
}

/// Applies edits to a text (the edits must not overlap).
pub fn apply(text: &str, edits: &[&Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        out.push_str(text.get(at..edit.span.start as usize)?);
        out.push_str(&edit.replacement);
        at = edit.span.end as usize;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use std::sync::Arc;

    fn with_root<T>(text: &str, f: impl FnOnce(&Arc<SourceFile>, &Node) -> T) -> T {
        let source = SourceFile::new("t.yaml", text.to_string(), 0);
        let stream = crate::yaml::load(text, &Limits::default());
        let root = &stream.documents.first().expect("a document").root;
        f(&source, root)
    }

    fn removed(text: &str, path: &[&str], key: &str) -> Option<String> {
        with_root(text, |source, root| {
            let map = root.at(path)?;
            let edit = remove_entry(source, map, key)?;
            apply(text, &[&edit])
        })
    }

    #[test]
    fn removes_block_entries_with_their_children() {
        let text = "spec:\n  # keep\n  replicas: 3 # why\n  template:\n    a: 1\n  x: 2\n";
        assert_eq!(
            removed(text, &["spec"], "replicas").unwrap(),
            "spec:\n  # keep\n  # why\n  template:\n    a: 1\n  x: 2\n"
        );
        assert_eq!(removed(text, &["spec"], "template").unwrap(), "spec:\n  # keep\n  replicas: 3 # why\n  x: 2\n");
        let crlf = "a: 1\r\nb: 2\r\nc: 3\r\n";
        assert_eq!(removed(crlf, &[], "b").unwrap(), "a: 1\r\nc: 3\r\n");
        assert_eq!(removed("a:\nb: 1\n", &[], "a").unwrap(), "b: 1\n");
        assert_eq!(removed("a: |\n  x\n\nb: 1\n", &[], "a").unwrap(), "b: 1\n");
        assert_eq!(removed("a: 1\nb: 2", &[], "b").unwrap(), "a: 1\n");
        // Comments on the removed lines stay, on lines of their own; `#` in scalars is text.
        let text = "s:\n  r: 3 # why\n  t: # a\n    u: \"#x\" # b\n    v: |\n      #y\n  x: 1\n";
        assert_eq!(
            removed(text, &["s"], "r").unwrap(),
            "s:\n  # why\n  t: # a\n    u: \"#x\" # b\n    v: |\n      #y\n  x: 1\n"
        );
        assert_eq!(removed(text, &["s"], "t").unwrap(), "s:\n  r: 3 # why\n  # a\n  # b\n  x: 1\n");
    }

    #[test]
    fn removes_first_keys_of_list_items_and_flow_entries() {
        let text = "l:\n- replicas: 3\n  name: x\n";
        assert_eq!(removed(text, &[], "l").unwrap(), "");
        with_root(text, |source, root| {
            let item = &root.get("l").unwrap().items()[0];
            let edit = remove_entry(source, item, "replicas").unwrap();
            assert_eq!(apply(text, &[&edit]).unwrap(), "l:\n- name: x\n");
        });
        let flow = "s: {replicas: 3, b: 2}  # c\nt: {a: 1, replicas: 3}\nu: {replicas: 1}\n";
        assert_eq!(
            removed(flow, &["s"], "replicas").unwrap(),
            "s: {b: 2}  # c\nt: {a: 1, replicas: 3}\nu: {replicas: 1}\n"
        );
        assert_eq!(
            removed(flow, &["t"], "replicas").unwrap(),
            "s: {replicas: 3, b: 2}  # c\nt: {a: 1}\nu: {replicas: 1}\n"
        );
        assert_eq!(
            removed(flow, &["u"], "replicas").unwrap(),
            "s: {replicas: 3, b: 2}  # c\nt: {a: 1, replicas: 3}\nu: {}\n"
        );
    }

    #[test]
    fn quotes_and_unquotes_keeping_the_rest() {
        let text = "a: yes # c\nb: 0644\nc: \"8080\"\nd: '0080'\n";
        with_root(text, |source, root| {
            let edits = [
                quote(source, root.get("a").unwrap()).unwrap(),
                quote(source, root.get("b").unwrap()).unwrap(),
                unquote_integer(source, root.get("c").unwrap()).unwrap(),
                unquote_integer(source, root.get("d").unwrap()).unwrap(),
            ];
            let edits: Vec<&Edit> = edits.iter().collect();
            assert_eq!(apply(text, &edits).unwrap(), "a: \"yes\" # c\nb: \"0644\"\nc: 8080\nd: 80\n");
        });
    }

    #[test]
    fn collapses_repeated_keys_in_both_styles() {
        for (text, fixed) in [
            ("ttl:\n  ttl: 0\nx: 1\n", "ttl: 0\nx: 1\n"),
            ("ttl: {ttl: 30} # c\n", "ttl: 30 # c\n"),
            ("'ttl':\n  ttl: \"5\"\n", "'ttl': \"5\"\n"),
            ("a:\n  ttl: # one\n    # two\n    ttl: 0 # three\n", "a:\n  # one\n  # two\n  ttl: 0 # three\n"),
        ] {
            with_root(text, |source, root| {
                let outer = root.get("a").map_or(&root.entries()[0], |a| &a.entries()[0]);
                let inner = &outer.value.entries()[0];
                let edits = collapse_repeated_key(source, &outer.key, &outer.value, inner).unwrap();
                assert_eq!(apply(text, &edits.iter().collect::<Vec<_>>()).unwrap(), fixed);
            });
        }
    }

    #[test]
    fn inserts_entries_at_the_mappings_indentation_or_in_flow() {
        let text = "c:\n- name: a\n  image: x # c\n- {name: b}\n";
        with_root(text, |source, root| {
            let items = root.get("c").unwrap().items();
            let a = set_path(source, &items[0], &["securityContext", "capabilities", "drop"], "[\"ALL\"]").unwrap();
            let b = set_path(source, &items[1], &["securityContext", "privileged"], "false").unwrap();
            assert_eq!(
                apply(text, &[&a, &b]).unwrap(),
                "c:\n- name: a\n  image: x # c\n  securityContext: {capabilities: {drop: [\"ALL\"]}}\n\
                 - {name: b, securityContext: {privileged: false}}\n"
            );
            assert!(set_path(source, &items[0], &["name"], "y").is_none());
        });
        let crlf = "a:\r\n  b: 1";
        with_root(crlf, |source, root| {
            let edit = insert_entry(source, root.get("a").unwrap(), "c", "2").unwrap();
            assert_eq!(apply(crlf, &[&edit]).unwrap(), "a:\r\n  b: 1\r\n  c: 2\r\n");
        });
    }

    #[test]
    fn renames_keys_keeping_quotes() {
        let text = "serviceAccount: a\n\"imagePullPolic\": b\n";
        with_root(text, |source, root| {
            let a = rename_key(source, &root.entries()[0].key, "serviceAccountName");
            let b = rename_key(source, &root.entries()[1].key, "imagePullPolicy");
            assert_eq!(apply(text, &[&a, &b]).unwrap(), "serviceAccountName: a\n\"imagePullPolicy\": b\n");
        });
    }
}
