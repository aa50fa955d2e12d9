//! kval's YAML loader against libyaml, the C library go-yaml v2 (Kubernetes' reader)
//! was ported from: `scripts/yaml-oracle.py` reads the same files with PyYAML's C
//! loader and go-yaml v2's scalar resolution. Every file one accepts the other must
//! accept, with the same values. Inputs: documents generated from a fixed seed, the
//! same documents mutated a byte at a time, and every manifest of `../shared/corpus`.
//!
//! Intended differences, where kval follows go-yaml and the API server rather than
//! libyaml:
//! - a duplicate mapping key: libyaml (and `kubectl apply -f`) keeps the last value,
//!   go-yaml's strict decoding (kustomize, Helm) and kval reject the document;
//! - what sigs.k8s.io/yaml cannot turn into JSON (a mapping or a float as a key,
//!   an unknown explicit tag) is skipped: the oracle reports it as unsupported;
//! - a redefined anchor: PyYAML's composer (not libyaml) rejects it, go-yaml v2 and
//!   kval let the later definition win; skipped;
//! - empty documents are left out on both sides (kubectl skips them).
//!
//! Longer runs: `KVAL_YAML_CASES=200000 KVAL_YAML_SEED=7 cargo test --release --test
//! yaml_differential` (see README).

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kval::limits::Limits;
use kval::yaml::{Node, Value, load};
use serde_json::{Value as J, json};

/// A small deterministic generator (xorshift64*), so that a seed names one run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Plain scalars whose YAML 1.1 / go-yaml reading is easy to get wrong.
#[rustfmt::skip]
const PLAIN: &[&str] = &[
    "yes", "No", "on", "OFF", "y", "n", "true", "False", "~", "null", "NULL", "0755", "0o17", "0x1F", "0x_1f", "-0b101",
    "0b11", "1_000", "+12", "-0", "007", "08", "0.5", ".5", "1.", "1e3", "1E-2", "-.inf", ".NaN", "1:20", "2001-12-14",
    "9223372036854775807", "9223372036854775808", "18446744073709551616", "-9223372036854775809", "3600", "nginx:1.25",
    "a b", "a#b", "http://x/y?z=1", "@", "=", "<<x", "-x", "?x", "x:y", "100m", "1Gi", "é", "日本", "'", "a'b", "a\"b",
];
const KEYS: &[&str] = &["a", "name", "on", "yes", "1", "key with space", "x-y", "0x1F", "y", "n", "~", "\"q\"", "'s'"];
const WORDS: &[&str] =
    &["hello", "world", "a: b", "#", "- x", "'", "''", "\\\"", "\\n", "\\t", "\\x41", "\\u00e9", " "];

fn scalar(rng: &mut Rng, indent: usize) -> String {
    match rng.below(10) {
        0..=4 => rng.pick(PLAIN).to_string(),
        5 | 6 => quoted(rng, indent),
        7 => format!("\"{}\"", rng.pick(PLAIN).replace('"', "\\\"")),
        8 => block(rng, indent),
        _ => format!("'{}'", rng.pick(PLAIN).replace('\'', "''")),
    }
}

/// A quoted scalar over several lines, the continuation lines indented at any depth
/// (libyaml accepts them even at or left of the key's column).
fn quoted(rng: &mut Rng, indent: usize) -> String {
    let double = rng.chance(50);
    let q = if double { '"' } else { '\'' };
    let mut s = String::from(q);
    for line in 0..1 + rng.below(3) {
        if line > 0 {
            if rng.chance(20) {
                s.push('\n');
            }
            s.push('\n');
            s.push_str(&" ".repeat(rng.below(indent + 3)));
        }
        for _ in 0..1 + rng.below(3) {
            let word = rng.pick(WORDS);
            let word = if double { word.to_string() } else { word.replace('\\', "").replace('\'', "''") };
            let word = if double { word.replace('"', "\\\"").replace("\\\\\"", "\\\"") } else { word };
            s.push_str(&word);
            s.push(' ');
        }
    }
    s.push(q);
    s
}

fn block(rng: &mut Rng, indent: usize) -> String {
    let header = rng.pick(&["|", ">", "|-", ">+", "|2", "|+"]);
    let pad = " ".repeat(indent + 2);
    let mut s = header.to_string();
    for _ in 0..1 + rng.below(3) {
        s.push('\n');
        if !rng.chance(15) {
            s.push_str(&pad);
            s.push_str(rng.pick(WORDS));
        }
    }
    s
}

fn flow(rng: &mut Rng, depth: usize) -> String {
    if depth > 2 || rng.chance(40) {
        return match rng.below(3) {
            0 => format!("\"{}\"", rng.pick(PLAIN).replace('"', "\\\"")),
            _ => rng.pick(PLAIN).replace([',', '[', ']', '{', '}', '#', '\''], "").replace(": ", ""),
        };
    }
    if rng.chance(50) {
        let items: Vec<String> = (0..rng.below(4)).map(|_| flow(rng, depth + 1)).collect();
        format!("[{}]", items.join(", "))
    } else {
        let items: Vec<String> = (0..rng.below(4)).map(|i| format!("k{i}: {}", flow(rng, depth + 1))).collect();
        format!("{{{}}}", items.join(", "))
    }
}

/// A block mapping at `indent`, with anchors, aliases and merge keys now and then.
fn mapping(rng: &mut Rng, indent: usize, depth: usize, anchors: &mut Vec<String>, out: &mut String) {
    let pad = " ".repeat(indent);
    for i in 0..1 + rng.below(4) {
        let key = if rng.chance(30) { rng.pick(KEYS).to_string() } else { format!("k{depth}_{i}") };
        out.push_str(&pad);
        if !anchors.is_empty() && rng.chance(5) {
            let anchor = anchors[rng.below(anchors.len())].clone();
            out.push_str(&format!("<<: *{anchor}\n"));
            continue;
        }
        out.push_str(&key);
        out.push(':');
        let anchor = if rng.chance(10) {
            anchors.push(format!("a{}", anchors.len()));
            format!(" &a{}", anchors.len() - 1)
        } else {
            String::new()
        };
        match rng.below(10) {
            0 | 1 if depth < 4 => {
                out.push_str(&anchor);
                out.push('\n');
                mapping(rng, indent + 2, depth + 1, anchors, out);
            }
            2 if depth < 4 => {
                out.push_str(&anchor);
                out.push('\n');
                let dash = if rng.chance(50) { indent } else { indent + 2 };
                for _ in 0..1 + rng.below(3) {
                    out.push_str(&" ".repeat(dash));
                    out.push_str("- ");
                    if rng.chance(40) && depth < 4 {
                        let mut inner = String::new();
                        mapping(rng, dash + 2, depth + 1, anchors, &mut inner);
                        out.push_str(inner.trim_start());
                    } else {
                        out.push_str(&scalar(rng, dash + 2));
                        out.push('\n');
                    }
                }
            }
            3 => {
                out.push_str(&anchor);
                out.push(' ');
                out.push_str(&flow(rng, 0));
                out.push('\n');
            }
            4 if !anchors.is_empty() => {
                out.push_str(&format!(" *{}\n", anchors[rng.below(anchors.len())]));
            }
            _ => {
                if anchor.is_empty() || !rng.chance(50) {
                    out.push(' ');
                    out.push_str(&scalar(rng, indent));
                } else {
                    out.push_str(&anchor);
                    out.push(' ');
                    out.push_str(rng.pick(PLAIN));
                }
                if rng.chance(10) {
                    out.push_str(" # comment");
                }
                out.push('\n');
            }
        }
    }
}

fn document(rng: &mut Rng) -> String {
    let mut out = String::new();
    for d in 0..1 + rng.below(2) {
        if d > 0 || rng.chance(30) {
            out.push_str("---\n");
        }
        mapping(rng, 0, 0, &mut Vec::new(), &mut out);
    }
    out
}

/// One byte-level edit: the documents libyaml and kval must both reject (or both
/// read alike) once broken.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(2) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => {
                bytes.remove(at);
            }
            1 => bytes.insert(
                at,
                *rng.pick(&[" ", "\n", ":", "'", "\"", "-", "#", "&", "*", "[", "{", ",", "?", "|", "\\"])
                    .as_bytes()
                    .first()
                    .unwrap_or(&b' '),
            ),
            2 => {
                let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| at + p + 1);
                let start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                let line = bytes[start..end].to_vec();
                bytes.splice(end..end, line);
            }
            _ => bytes.insert(at, b' '),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What kval reads, in the oracle's form: floats tagged, empty documents left out.
fn kval_reading(text: &str) -> J {
    let stream = load(text, &Limits::default());
    if let Some(e) = stream.errors.first() {
        return json!({ "error": e.message });
    }
    let docs: Vec<J> = stream.documents.iter().filter(|d| !d.root.is_null()).map(|d| tagged(&d.root)).collect();
    json!({ "docs": docs })
}

fn tagged(node: &Node) -> J {
    match &node.value {
        Value::Float(f) => json!({ "float": python_repr(*f) }),
        Value::Seq(items) => J::Array(items.iter().map(tagged).collect()),
        Value::Map(entries) => J::Object(entries.iter().map(|e| (e.key.name.clone(), tagged(&e.value))).collect()),
        _ => node.to_json(),
    }
}

/// Python's `repr` of a float, for the common forms the inputs hold.
fn python_repr(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.into()
    } else if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else if f.abs() >= 1e16 {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        format!("{mantissa}e{}{exp:02}", if exp < 0 { "-" } else { "+" }).replace("e+-", "e-")
    } else {
        format!("{f:?}")
    }
}

fn oracle_readings(python: &Path, files: &[PathBuf]) -> Vec<J> {
    let mut child = Command::new(python)
        .arg(common::root().join("scripts/yaml-oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the YAML oracle");
    let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    child.stdin.take().expect("stdin").write_all(list.as_bytes()).expect("write file names");
    let out = child.wait_with_output().expect("oracle output");
    assert!(out.status.success(), "the oracle failed (is PyYAML with libyaml installed? scripts/ci-requirements.txt)");
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("oracle JSON")).collect()
}

/// Files where the two readings differ beyond the intended differences, each with
/// both readings.
fn differences<'a>(files: &'a [PathBuf], oracle: &[J]) -> Vec<(&'a Path, String)> {
    assert_eq!(files.len(), oracle.len(), "one oracle line per file");
    let mut found = Vec::new();
    for (file, theirs) in files.iter().zip(oracle) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let ours = kval_reading(&text);
        let same = if theirs.get("unsupported").is_some() {
            true
        } else if theirs.get("error").is_some() {
            ours.get("error").is_some()
        } else {
            theirs == &ours
        };
        if !same {
            found.push((file.as_path(), format!("{}\n  libyaml: {theirs}\n  kval:    {ours}", file.display())));
        }
    }
    found
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn generated_and_mutated_documents_read_as_libyaml_reads_them() {
    let Some(python) = common::tool("python3", "KVAL_PYTHON") else { return };
    let cases = env_number("KVAL_YAML_CASES", 1500) as usize;
    let mut rng = Rng(env_number("KVAL_YAML_SEED", 12).max(1));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for i in 0..cases {
        let doc = document(&mut rng);
        let text = if i % 2 == 1 { mutate(&mut rng, &doc) } else { doc };
        let path = dir.path().join(format!("{i:06}.yaml"));
        std::fs::write(&path, text).expect("write case");
        files.push(path);
    }
    let oracle = oracle_readings(&python, &files);
    let accepted = oracle.iter().filter(|o| o.get("docs").is_some()).count();
    assert!(accepted * 3 > cases, "the generator should mostly write valid YAML: {accepted} of {cases}");
    let found = differences(&files, &oracle);
    // The temporary directory goes away: keep the differing cases for a look.
    let keep = std::env::temp_dir().join("kval-yaml-differences");
    for (file, _) in &found {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::copy(file, keep.join(file.file_name().unwrap_or_default()));
    }
    assert!(
        found.is_empty(),
        "{} differences (the cases are copied to {}):\n{}",
        found.len(),
        keep.display(),
        found.iter().take(8).map(|(_, f)| kval::source::truncate(f, 600)).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn corpus_reads_as_libyaml_reads_it() {
    let Some(shared) = common::shared() else { return };
    let Some(python) = common::tool("python3", "KVAL_PYTHON") else { return };
    let mut files = Vec::new();
    let mut dirs = vec![shared.join("corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read corpus").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 300, "corpus files: {}", files.len());
    let oracle = oracle_readings(&python, &files);
    let found = differences(&files, &oracle);
    assert!(
        found.is_empty(),
        "{} differences:\n{}",
        found.len(),
        found.iter().map(|(_, f)| kval::source::truncate(f, 600)).collect::<Vec<_>>().join("\n")
    );
}

/// The leniency that made kval reject a real manifest (issue 12).
#[test]
fn quoted_scalars_continued_left_of_their_key() {
    let text = "data:\n  a: 'hello\n  world'\n  b: \"foo\n bar\"\n  c: x\n";
    assert_eq!(kval_reading(text), json!({"docs": [{"data": {"a": "hello world", "b": "foo bar", "c": "x"}}]}));
}

/// The other differences from libyaml the differential test found.
#[test]
fn libyaml_leniencies_and_strictness() {
    // A literal block at the end of a file without a final newline (a corpus file).
    assert_eq!(kval_reading("a: |\n  x\n  y"), json!({"docs": [{"a": "x\ny"}]}));
    // A kept block scalar whose last line holds only spaces and ends the file without a
    // line break: that line adds nothing (`KVAL_YAML_SEED=7` with 30,000 cases found it).
    assert_eq!(kval_reading("a: >+\n   "), json!({"docs": [{"a": ""}]}));
    assert_eq!(kval_reading("a: |+\n   \n"), json!({"docs": [{"a": "\n"}]}));
    // A line indented less than the leading blank lines ends the scalar.
    assert_eq!(kval_reading("a: >\n   \n # note\nb: 1\n"), json!({"docs": [{"a": "", "b": 1}]}));
    // In a flow collection `?` starts a key.
    assert_eq!(kval_reading("a: [?x]\n"), json!({"docs": [{"a": [{"x": null}]}]}));
    // A comment may follow a token without a space; a flow collection may go on left of
    // the block indentation; `:` after a quoted key needs no space.
    assert_eq!(kval_reading("a: 'x'#c\nb: |#c\n  x\n"), json!({"docs": [{"a": "x", "b": "x\n"}]}));
    assert_eq!(kval_reading("a:\n  b: {k: 1,\nx: 2}\n"), json!({"docs": [{"a": {"b": {"k": 1, "x": 2}}}]}));
    assert_eq!(kval_reading("a: ['x':1]\n"), json!({"docs": [{"a": [{"x": 1}]}]}));
    assert_eq!(kval_reading("a: [-, {-}]\n"), json!({"docs": [{"a": ["-", {"-": null}]}]}));
    assert_eq!(kval_reading("a:\n>\n  x\n"), json!({"docs": [{"a": "x\n"}]}));
    for rejected in [
        "a: &\"x\" 1\n",
        "n: x\n: y\n",
        "a: {k: ?x}\n",
        // `|` and `>` start no token in a flow collection.
        "a: [|x]\n",
        // An anchor name ends at a blank or a flow indicator.
        "a: &x# c\nb: 1\n",
        // A plain scalar in a flow collection may not hold `:` before `,?[]{}`.
        "a: [a:[]]\n",
        "a: {k:{}}\n",
        "a: [a:?]\n",
        // A value without a key in a flow collection.
        "a: [ :x]\n",
        "a: {: x}\n",
    ] {
        assert!(kval_reading(rejected).get("error").is_some(), "{rejected:?} is accepted");
    }
}
