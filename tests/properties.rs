//! Property tests: generated manifests (random fields and values in every quoting
//! style, unicode, CRLF line ends) and random mutations of them.
//!
//! - Every finding lies inside its file: its span is a range of the text on
//!   character boundaries, and its line and column exist.
//! - The span of an `unknown-field` finding is the key it names (the last step of its
//!   JSON pointer); the span of an `invalid-type` finding is the value found at its
//!   pointer.
//! - Reading a document and printing its JSON form round-trips: the JSON, read again
//!   as YAML, gives the same JSON.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

use kval::finding::Finding;
use kval::limits::Limits;
use kval::lint::{LintOptions, lint_text};
use kval::yaml;
use proptest::prelude::*;
use serde_json::Value as Json;

/// A generated YAML node, before it is written out.
#[derive(Clone, Debug)]
enum Gen {
    Scalar(Scalar),
    Map(Vec<(Scalar, Gen)>),
    Seq(Vec<Gen>),
}

/// A scalar and how it is written.
#[derive(Clone, Debug)]
struct Scalar {
    text: String,
    style: Quote,
}

#[derive(Clone, Copy, Debug)]
enum Quote {
    Plain,
    Single,
    Double,
    /// `|` block scalar (values only).
    Literal,
}

/// Words that make interesting keys and values: real field names, YAML 1.1 booleans
/// and numbers, unicode.
const WORDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "labels",
    "spec",
    "replicas",
    "containers",
    "image",
    "ports",
    "containerPort",
    "resources",
    "limits",
    "cpu",
    "restartPolicy",
    "template",
    "selector",
    "matchLabels",
    "data",
    "env",
    "value",
    "yes",
    "on",
    "No",
    "~",
    "null",
    "0644",
    "0x1F",
    "1e3",
    ".inf",
    "12",
    "-7",
    "3.5",
    "500m",
    "1Gi",
    "v1",
    "ünïcödé",
    "名前",
    "😀",
    "a b",
    "key: colon",
    "#hash",
    "- dash",
    "",
    "tab\there",
    "line\nbreak",
    "quote's",
    "\"double\"",
    "back\\slash",
    "\u{7F}del",
    "\u{85}nel",
    "\u{FEFF}bom",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "[a-zA-Z][a-zA-Z0-9_.-]{0,12}",
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => "\\PC{0,8}",
    ]
}

/// A scalar written in a style that can hold its text.
fn scalar(value: bool) -> impl Strategy<Value = Scalar> {
    let styles = if value { 4 } else { 3 };
    (word(), 0..styles).prop_map(|(text, style)| {
        let plain_ok = !text.is_empty()
            && text.chars().all(|c| c.is_alphanumeric() || "_.-/~".contains(c))
            && !text.starts_with(['-', '.', '~'])
            || matches!(text.as_str(), "~" | ".inf" | "-7");
        let style = match style {
            0 if plain_ok => Quote::Plain,
            1 if !text.contains(['\n', '\r', '\t']) && text.chars().all(printable) => Quote::Single,
            3 if text.contains('\n')
                && text.chars().all(|c| printable(c) && c != '\r')
                && !text.starts_with([' ', '\n']) =>
            {
                Quote::Literal
            }
            _ => Quote::Double,
        };
        Scalar { text, style }
    })
}

/// What YAML allows unescaped.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..) && c != '\u{FEFF}'
}

fn node() -> impl Strategy<Value = Gen> {
    let leaf = scalar(true).prop_map(Gen::Scalar);
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec((scalar(false), inner.clone()), 0..6).prop_map(dedup).prop_map(Gen::Map),
            proptest::collection::vec(inner, 0..4).prop_map(Gen::Seq),
        ]
    })
}

/// Mapping keys must be unique (a duplicate is a finding of its own, tested elsewhere).
fn dedup(entries: Vec<(Scalar, Gen)>) -> Vec<(Scalar, Gen)> {
    let mut seen = std::collections::HashSet::new();
    entries.into_iter().filter(|(k, _)| seen.insert(key_name(k))).collect()
}

/// The name a key is read as (a plain `yes` is `true`): in a block mapping, or in a
/// flow one for a key that spans lines.
fn key_name(key: &Scalar) -> String {
    let written = write_scalar(key, 0, "\n");
    // A multi-line plain key reads back only as a flow entry without a value
    // (`{name:0\n x}`); a text that does not read cleanly names nothing.
    [format!("{written}: 0\n"), format!("{{{written}: 0}}"), format!("{{{written}}}")]
        .iter()
        .find_map(|text| {
            let stream = yaml::load(text, &Limits::default());
            if !stream.errors.is_empty() {
                return None;
            }
            stream.documents.first().and_then(|d| d.root.entries().first()).map(|e| e.key.name.clone())
        })
        .unwrap_or_default()
}

/// A Kubernetes object: a real skeleton with generated fields added at chosen places.
fn object() -> impl Strategy<Value = Gen> {
    let kinds = proptest::sample::select(
        &[("apps/v1", "Deployment"), ("v1", "Pod"), ("v1", "ConfigMap"), ("v1", "Service"), ("batch/v1", "Job")][..],
    );
    (kinds, proptest::collection::vec((0..4usize, scalar(false), node()), 0..6)).prop_map(|((api, kind), extra)| {
        let s = |t: &str| Scalar { text: t.to_string(), style: Quote::Plain };
        let leaf = |t: &str| Gen::Scalar(s(t));
        let container = Gen::Map(vec![(s("name"), leaf("web")), (s("image"), leaf("nginx"))]);
        let pod_spec = Gen::Map(vec![(s("containers"), Gen::Seq(vec![container]))]);
        let mut root = vec![
            (s("apiVersion"), leaf(api)),
            (s("kind"), leaf(kind)),
            (s("metadata"), Gen::Map(vec![(s("name"), leaf("x"))])),
            (s("spec"), pod_spec),
        ];
        for (place, key, value) in extra {
            // 0: the object, 1: metadata, 2: spec, 3: the container
            let target = match place {
                0 => &mut root,
                1 => map_at(&mut root, &["metadata"]),
                2 => map_at(&mut root, &["spec"]),
                _ => container_at(&mut root),
            };
            let name = key_name(&key);
            target.retain(|(k, _)| key_name(k) != name);
            target.push((key, value));
        }
        Gen::Map(root)
    })
}

fn map_at<'a>(entries: &'a mut Vec<(Scalar, Gen)>, path: &[&str]) -> &'a mut Vec<(Scalar, Gen)> {
    let Some((first, rest)) = path.split_first() else { return entries };
    let index = entries.iter().position(|(k, v)| k.text == *first && matches!(v, Gen::Map(_)));
    match index {
        Some(i) => match &mut entries[i].1 {
            Gen::Map(inner) => map_at(inner, rest),
            _ => unreachable!(),
        },
        None => entries,
    }
}

fn container_at(root: &mut Vec<(Scalar, Gen)>) -> &mut Vec<(Scalar, Gen)> {
    let spec = map_at(root, &["spec"]);
    let index = spec.iter().position(|(k, v)| {
        k.text == "containers" && matches!(v, Gen::Seq(items) if matches!(items.first(), Some(Gen::Map(_))))
    });
    match index {
        Some(i) => match &mut spec[i].1 {
            Gen::Seq(items) => match &mut items[0] {
                Gen::Map(container) => container,
                _ => unreachable!(),
            },
            _ => unreachable!(),
        },
        None => spec,
    }
}

fn write_scalar(s: &Scalar, indent: usize, nl: &str) -> String {
    match s.style {
        Quote::Plain => s.text.clone(),
        Quote::Single => format!("'{}'", s.text.replace('\'', "''")),
        Quote::Double => {
            let mut out = String::from("\"");
            for c in s.text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    c if !printable(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
                    c => out.push(c),
                }
            }
            out + "\""
        }
        Quote::Literal => {
            let pad = " ".repeat(indent + 2);
            let body: Vec<String> =
                s.text.split('\n').map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") }).collect();
            format!("|-{nl}{}", body.join(nl))
        }
    }
}

/// Writes a node in block style (flow style for empty collections and, when `flow`
/// says so, for small ones).
fn write(node: &Gen, indent: usize, nl: &str, flow: bool, out: &mut String) {
    match node {
        Gen::Scalar(s) => out.push_str(&write_scalar(s, indent, nl)),
        Gen::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Gen::Seq(items) if items.is_empty() => out.push_str("[]"),
        _ if flow && !contains_literal(node) => write_flow(node, out),
        Gen::Map(entries) => {
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(&" ".repeat(indent));
                }
                out.push_str(&write_scalar(key, indent, nl));
                out.push(':');
                match value {
                    Gen::Map(e) if !e.is_empty() && !flow => {
                        out.push_str(nl);
                        out.push_str(&" ".repeat(indent + 2));
                        write(value, indent + 2, nl, flow, out);
                    }
                    Gen::Seq(items) if !items.is_empty() && !flow => {
                        out.push_str(nl);
                        out.push_str(&" ".repeat(indent));
                        write(value, indent, nl, flow, out);
                    }
                    _ => {
                        out.push(' ');
                        write(value, indent, nl, flow, out);
                    }
                }
                if !out.ends_with(nl) {
                    out.push_str(nl);
                }
            }
        }
        Gen::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&" ".repeat(indent));
                }
                out.push_str("- ");
                write(item, indent + 2, nl, flow, out);
                if !out.ends_with(nl) {
                    out.push_str(nl);
                }
            }
        }
    }
}

fn contains_literal(node: &Gen) -> bool {
    match node {
        Gen::Scalar(s) => matches!(s.style, Quote::Literal),
        Gen::Map(entries) => entries.iter().any(|(k, v)| matches!(k.style, Quote::Literal) || contains_literal(v)),
        Gen::Seq(items) => items.iter().any(contains_literal),
    }
}

fn write_flow(node: &Gen, out: &mut String) {
    match node {
        Gen::Scalar(s) => out.push_str(&write_scalar(s, 0, "\n")),
        Gen::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&write_scalar(k, 0, "\n"));
                out.push_str(": ");
                write_flow(v, out);
            }
            out.push('}');
        }
        Gen::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(item, out);
            }
            out.push(']');
        }
    }
}

/// A stream of objects, with a line ending of `\n`, `\r\n` or a mix.
fn manifest() -> impl Strategy<Value = String> {
    (proptest::collection::vec((object(), any::<bool>()), 1..3), 0..3).prop_map(|(objects, endings)| {
        let mut text = String::new();
        for (i, (object, flow)) in objects.iter().enumerate() {
            let nl = if endings == 1 || (endings == 2 && i % 2 == 1) { "\r\n" } else { "\n" };
            if i > 0 {
                text.push_str("---");
                text.push_str(nl);
            }
            // Flow style only below the top level, so the object stays a block mapping.
            if let Gen::Map(entries) = object {
                for (key, value) in entries {
                    if *flow && matches!(value, Gen::Map(_) | Gen::Seq(_)) && !contains_literal(value) {
                        text.push_str(&write_scalar(key, 0, nl));
                        text.push_str(": ");
                        write_flow(value, &mut text);
                        text.push_str(nl);
                    } else {
                        write(&Gen::Map(vec![(key.clone(), value.clone())]), 0, nl, false, &mut text);
                    }
                }
            }
        }
        text
    })
}

/// A random edit of a manifest: bytes cut, duplicated or inserted, as in a file being
/// written or merged badly.
fn mutated() -> impl Strategy<Value = String> {
    (
        manifest(),
        proptest::collection::vec(
            (any::<prop::sample::Index>(), 0..4u8, "[ \t\r\n:#\\-\\[\\]{}'\"a-z0-9é]{0,3}"),
            0..4,
        ),
    )
        .prop_map(|(mut text, edits)| {
            for (at, op, insert) in edits {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                match op {
                    0 => text.insert_str(i, &insert),
                    1 => {
                        let mut end = (i + insert.len() + 1).min(text.len());
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.replace_range(i..end, "");
                    }
                    2 => {
                        let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
                        let line_end = text[i..].find('\n').map_or(text.len(), |p| i + p + 1);
                        let line = text[line_start..line_end].to_string();
                        text.insert_str(line_end, &line);
                    }
                    _ => text.insert(i, '\t'),
                }
            }
            text
        })
}

/// The assertions every finding of a text must pass.
fn check_findings(text: &str, findings: &[Finding]) -> Result<(), TestCaseError> {
    for f in findings {
        let file = &f.location.source;
        let span = f.location.span;
        prop_assert!(file.text.get(span.range()).is_some(), "{} span {span:?} outside the text", f.rule);
        let start = f.location.start();
        prop_assert!(start.line >= 1 && start.line <= file.line_count(), "{}: line {}", f.rule, start.line);
        let line_chars = file.line_text(start.line).chars().count();
        prop_assert!(start.col >= 1 && start.col <= line_chars + 1, "{}: col {} of {line_chars}", f.rule, start.col);
        if file.text != text {
            continue; // a finding about the file as a whole
        }
        let written = file.slice(span);
        let doc_json = || -> Option<Json> {
            let stream = yaml::load(text, &Limits::default());
            let doc = stream.documents.into_iter().find(|d| Some(d.index) == f.document)?;
            Some(doc.root.to_json())
        };
        match f.rule {
            "unknown-field" => {
                let pointer = f.pointer.as_deref().unwrap_or("");
                let last = pointer.rsplit('/').next().unwrap_or("").replace("~1", "/").replace("~0", "~");
                let key = Scalar { text: written.to_string(), style: Quote::Plain };
                prop_assert_eq!(key_name(&key), last, "unknown-field span `{}` is not the key of {}", written, pointer);
            }
            "invalid-type" => {
                let pointer = f.pointer.as_deref().unwrap_or("");
                let Some(expected) = doc_json().and_then(|j| j.pointer(pointer).cloned()) else {
                    return Err(TestCaseError::fail(format!("invalid-type: {pointer} not in the document")));
                };
                // A scalar or flow value reads back alone as the value at the pointer (the
                // span of a block collection starts at its first item).
                let item = file.text.get(..span.start as usize).is_some_and(|t| t.trim_end().ends_with('-'));
                let flow = !item
                    && matches!(
                        (&expected, written.chars().next()),
                        (Json::Object(_), Some('{')) | (Json::Array(_), Some('['))
                    );
                if !matches!(expected, Json::Object(_) | Json::Array(_)) || flow {
                    let stream = yaml::load(&format!("- {written}\n"), &Limits::default());
                    let read = stream.documents.first().and_then(|d| d.root.items().first()).map(|n| n.to_json());
                    if !written.starts_with(['|', '>']) {
                        prop_assert_eq!(
                            read,
                            Some(expected),
                            "invalid-type span `{}` is not the value at {}",
                            written,
                            pointer
                        );
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Loads `text` and checks that each document's JSON reads back as the same JSON.
fn check_round_trip(text: &str) -> Result<(), TestCaseError> {
    let limits = Limits::default();
    for doc in yaml::load(text, &limits).documents {
        let json = doc.root.to_json();
        let printed = serde_json::to_string(&json).expect("JSON prints");
        let again = yaml::load(&printed, &limits);
        prop_assert!(again.errors.is_empty(), "{printed} does not read back: {:?}", again.errors);
        let read = again.documents.first().map(|d| d.root.to_json());
        prop_assert_eq!(read.as_ref(), Some(&json), "{}", printed);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn findings_point_at_what_they_name(text in manifest()) {
        let result = lint_text("generated.yaml", &text, &LintOptions::default());
        check_findings(&text, &result.findings)?;
    }

    #[test]
    fn findings_lie_inside_mutated_files(text in mutated()) {
        let result = lint_text("mutated.yaml", &text, &LintOptions::default());
        check_findings(&text, &result.findings)?;
    }

    #[test]
    fn json_form_round_trips(text in manifest()) {
        check_round_trip(&text)?;
    }

    #[test]
    fn json_form_of_any_node_round_trips(node in node(), flow in any::<bool>()) {
        let mut text = String::new();
        // In a mapping, so that the JSON starts with `{` and is read as JSON is.
        let key = Scalar { text: "k".into(), style: Quote::Plain };
        write(&Gen::Map(vec![(key, node)]), 0, "\n", flow, &mut text);
        check_round_trip(&text)?;
    }
}

/// A multi-line plain key in a flow mapping (found by `findings_lie_inside_mutated_files`):
/// its `unknown-field` finding names the key as written.
#[test]
fn unknown_multi_line_flow_key() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name:0\n x}\n";
    let result = lint_text("mutated.yaml", text, &LintOptions::default());
    assert!(result.findings.iter().any(|f| f.rule == "unknown-field"), "{:?}", result.findings);
    check_findings(text, &result.findings).expect("findings point at what they name");
}

/// The generator writes what it means: a sample manifest reads without error.
#[test]
fn generated_manifests_are_valid_yaml() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..200 {
        let text = manifest().new_tree(&mut runner).expect("a value").current();
        let stream = yaml::load(&text, &Limits::default());
        let syntax: Vec<_> = stream.errors.iter().filter(|e| e.kind != yaml::YamlErrorKind::DuplicateKey).collect();
        assert!(syntax.is_empty(), "{text}\n{syntax:?}");
    }
}
