//! `kval lint --output`: snapshots of every format, the SARIF schema, JUnit XML, several
//! outputs in one run, and the output flags.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{fixture, kval, root, settings};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

fn lint(args: &[&str]) -> std::process::Command {
    let mut cmd = kval();
    cmd.arg("lint").args(args);
    cmd
}

/// Snapshot settings that also hide the absolute working directory (in SARIF's
/// `originalUriBaseIds`).
fn output_settings() -> insta::Settings {
    let mut s = settings();
    s.add_filter(r#""uri": "file://[^"]*""#, r#""uri": "[WORKING DIRECTORY]""#);
    s
}

macro_rules! snapshot {
    ($name:ident, $($arg:expr),+ $(,)?) => {
        #[test]
        fn $name() {
            output_settings().bind(|| assert_cmd_snapshot!(lint(&[$($arg),+])));
        }
    };
}

const HELM: &str = "tests/fixtures/ci/helm-template.yaml";

snapshot!(examples_sarif, "examples/", "--output", "sarif");
snapshot!(examples_junit, "examples/", "--output", "junit");
snapshot!(examples_tap, "examples/", "--output", "tap");
snapshot!(examples_github, "examples/", "--output", "github");
snapshot!(examples_compact, "examples/", "--output", "compact");
snapshot!(helm_template_human, HELM);
snapshot!(helm_template_sarif, HELM, "-o", "sarif");
snapshot!(helm_template_tap, HELM, "-o", "tap");
// Findings outside every object (a syntax error, a path that does not exist) and
// skipped custom resources.
snapshot!(file_findings_junit, "does/not/exist.yaml", &fixture("lint/syntax-error.yaml"), "-o", "junit");
snapshot!(file_findings_tap, "does/not/exist.yaml", &fixture("lint/syntax-error.yaml"), "-o", "tap");
snapshot!(skipped_junit, &fixture("lint/type-meta.yaml"), "--ignore-missing-schemas", "-o", "junit");
// Warnings: JUnit system-out and TAP `ok` below `--fail-on`, failures at it.
snapshot!(warnings_junit, &fixture("lint/yaml11.yaml"), "-o", "junit");
snapshot!(warnings_fail_on_tap, &fixture("lint/yaml11.yaml"), "-o", "tap", "--fail-on", "warning");
snapshot!(related_locations_sarif, &fixture("lint/duplicate-key.yaml"), "-o", "sarif");
snapshot!(quiet, "--quiet", &fixture("lint/yaml11.yaml"));
snapshot!(no_summary, "--no-summary", "examples/");
snapshot!(summary_with_json, "--summary", "-o", "json", "examples/daemonset.yaml");
snapshot!(max_findings, "--max-findings", "1", "-o", "compact", "examples/");
snapshot!(two_outputs_on_stdout, "-o", "human", "-o", "json", "examples/");
snapshot!(same_file_twice, "-o", "json=x.json", "-o", "sarif=x.json", "examples/");
snapshot!(unknown_format, "-o", "xml=kval.xml", "examples/");
snapshot!(quiet_and_summary, "--quiet", "--summary", "examples/");
// --show-suppressed: suppressed findings are marked, never failures or errors.
const SUPPRESSED: &str = "tests/fixtures/rules/suppressions.yaml";
snapshot!(suppressed_compact, "--show-suppressed", SUPPRESSED, "-o", "compact");
snapshot!(suppressed_github, "--show-suppressed", SUPPRESSED, "-o", "github");
snapshot!(suppressed_tap, "--show-suppressed", SUPPRESSED, "-o", "tap", "--fail-on", "warning");
snapshot!(suppressed_junit, "--show-suppressed", SUPPRESSED, "-o", "junit", "--fail-on", "warning");
snapshot!(suppressed_sarif, "--show-suppressed", SUPPRESSED, "-o", "sarif");

#[test]
fn helm_template_from_stdin_json() {
    let text = std::fs::read_to_string(root().join(HELM)).unwrap();
    let mut cmd = lint(&["-", "-o", "json"]);
    output_settings().bind(|| assert_cmd_snapshot!(cmd.pass_stdin(text)));
}

#[test]
fn unwritable_output_is_an_io_error() {
    let out = lint(&["-o", "compact", "-o", "sarif=does/not/exist/kval.sarif", "examples/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: cannot write `does/not/exist/kval.sarif`: no such file or directory"), "{stderr}");
    // The other outputs are still written.
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[unknown-field]"));
}

#[test]
fn max_findings_keeps_the_exit_status() {
    for args in [&["examples/"][..], &["--max-findings", "0", "examples/"]] {
        let out = lint(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
    let out = lint(&["--max-findings", "0", "examples/"]).output().unwrap();
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("note: 20 more findings not shown"));
}

// ---------------------------------------------------------------------------
// SARIF: the official schema and GitHub code scanning's constraints.

/// Inputs with every kind of finding: related locations, findings outside objects,
/// a path that does not exist, warnings, helm templates, a UTF-8 BOM.
const VARIED: &[&str] = &["examples/", "tests/fixtures/lint/", "tests/fixtures/ci/", "does/not/exist.yaml"];

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    jsonschema::options().with_draft(jsonschema::Draft::Draft4).should_validate_formats(true).build(&schema).unwrap()
}

fn run_json(args: &[&str], stdin: Option<&str>) -> Value {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = lint(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = sarif_validator();
    let helm = std::fs::read_to_string(root().join(HELM)).unwrap();
    let mut args = VARIED.to_vec();
    args.extend(["-o", "sarif"]);
    let suppressed = run_json(&["--show-suppressed", "tests/fixtures/rules/suppressions.yaml", "-o", "sarif"], None);
    for (log, what) in [
        (run_json(&args, None), "files"),
        (run_json(&["-", "-o", "sarif"], Some(&helm)), "stdin"),
        (suppressed, "suppressed"),
    ] {
        let errors: Vec<String> =
            validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}");
        assert!(log["runs"][0]["results"].as_array().is_some_and(|r| !r.is_empty()), "{what}");
    }
}

#[test]
fn the_schema_check_rejects_invalid_sarif() {
    let validator = sarif_validator();
    let mut log = run_json(&["examples/", "-o", "sarif"], None);
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log));
    let mut log = run_json(&["examples/", "-o", "sarif"], None);
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!validator.is_valid(&log));
}

/// What GitHub code scanning requires beyond the schema ("SARIF support for code
/// scanning"): required fields present and non-empty, description lengths, relative
/// URIs with a declared base, a region with start and end on every located result.
#[test]
fn sarif_meets_github_code_scanning_rules() {
    let mut args = VARIED.to_vec();
    args.extend(["-o", "sarif"]);
    let log = run_json(&args, None);
    assert_eq!(log["$schema"].as_str().map(|s| s.starts_with("https://")), Some(true));
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run per invocation");
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "kval");
    assert!(driver["version"].as_str().is_some_and(|v| !v.is_empty()));
    let non_empty = |v: &Value| v.as_str().is_some_and(|s| !s.trim().is_empty());
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        assert!(non_empty(&rule["id"]) && non_empty(&rule["help"]["text"]), "{rule}");
        assert!(rule["name"].as_str().is_some_and(|n| !n.is_empty() && n.len() <= 255), "{rule}");
        for field in ["shortDescription", "fullDescription"] {
            let text = &rule[field]["text"];
            assert!(non_empty(text) && text.as_str().unwrap().chars().count() <= 1024, "{field} of {rule}");
        }
        assert!(["note", "warning", "error"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let srcroot = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(srcroot.starts_with("file:///") && srcroot.ends_with('/'), "{srcroot}");
    let results = run["results"].as_array().unwrap();
    let mut fingerprints = BTreeSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex points at the rule");
        assert!(non_empty(&r["message"]["text"]));
        let fingerprint = r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap();
        assert!(fingerprints.insert(fingerprint.to_string()), "fingerprints are unique: {fingerprint}");
        let locations = r["locations"].as_array().unwrap();
        assert!((1..=10).contains(&locations.len()));
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.contains(['\\', ' ']) && !uri.starts_with('/'), "{uri}");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%", "{uri}");
        if uri == "does/not/exist.yaml" {
            assert!(physical.get("region").is_none(), "a file that cannot be read has no region");
            continue;
        }
        let region = &physical["region"];
        for field in ["startLine", "startColumn", "endLine", "endColumn", "byteOffset", "byteLength"] {
            assert!(region[field].is_u64(), "{field} in {r}");
        }
        let start = (region["startLine"].as_u64(), region["startColumn"].as_u64());
        assert!(start <= (region["endLine"].as_u64(), region["endColumn"].as_u64()), "{r}");
    }
    // Logical locations carry the JSON pointer; helm findings name their template.
    assert!(results.iter().any(|r| r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/spec/replica"));
    assert!(results.iter().any(|r| r["properties"]["template"] == "web/templates/deployment.yaml"));
    assert!(results.iter().any(|r| r["relatedLocations"].as_array().is_some_and(|l| !l.is_empty())));
}

#[test]
fn sarif_byte_offsets_match_the_file_with_a_bom() {
    let log = run_json(&[&fixture("lint/bom-crlf.yaml"), "-o", "sarif"], None);
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    let bytes = std::fs::read(root().join(fixture("lint/bom-crlf.yaml"))).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let offset = region["byteOffset"].as_u64().unwrap() as usize;
    let length = region["byteLength"].as_u64().unwrap() as usize;
    assert_eq!(&bytes[offset..offset + length], b"labelz");
}

// ---------------------------------------------------------------------------
// JUnit: well-formed XML with the expected counts.

/// An XML element: name, attributes, text.
type Element = (String, Vec<(String, String)>, String);

/// Every element with its attributes and text, checking that the XML is well formed
/// (quick-xml checks end tags; entities are resolved here).
fn parse_xml(text: &str) -> Vec<Element> {
    use quick_xml::events::{BytesStart, Event};
    fn element(e: &BytesStart<'_>) -> Element {
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let attributes = e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), a.unescape_value().unwrap().into_owned())
            })
            .collect();
        (name, attributes, String::new())
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"));
        if matches!(event, Event::Start(_) | Event::Empty(_)) && open.is_empty() {
            roots += 1;
        }
        match event {
            Event::Start(e) => {
                elements.push(element(&e));
                open.push(elements.len() - 1);
            }
            Event::Empty(e) => elements.push(element(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].2.push_str(&t.decode().unwrap());
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undefined entity `{other}`"),
                    },
                };
                if let Some(&i) = open.last() {
                    elements[i].2.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    assert_eq!(roots, 1, "one root element");
    elements
}

fn attribute<'a>(e: &'a Element, name: &str) -> &'a str {
    e.1.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

fn count(elements: &[Element], name: &str) -> usize {
    elements.iter().filter(|e| e.0 == name).count()
}

#[test]
fn junit_is_well_formed_with_the_expected_counts() {
    let mut args = VARIED.to_vec();
    args.extend(["-o", "junit"]);
    let out = lint(&args).output().unwrap();
    let elements = parse_xml(&String::from_utf8(out.stdout).unwrap());
    let mut args = VARIED.to_vec();
    args.extend(["-o", "json"]);
    let json = run_json(&args, None);
    let summary = &json["summary"];
    let n = |v: &Value| v.as_u64().unwrap() as usize;
    let unreadable = 1; // does/not/exist.yaml: not a file read, but a suite with its error
    assert_eq!(count(&elements, "testsuite"), n(&summary["files"]) + unreadable);
    // One test case per object, plus a `(file)` one per file with findings outside
    // every object (the missing path, documents that are not objects: a list item
    // that is a scalar, a broken document, a list).
    let objects = n(&summary["resources"]) + n(&summary["skipped"]);
    let cases: Vec<&Element> = elements.iter().filter(|e| e.0 == "testcase").collect();
    let file_cases: Vec<&str> =
        cases.iter().filter(|e| attribute(e, "name") == "(file)").map(|e| attribute(e, "classname")).collect();
    assert_eq!(cases.len() - file_cases.len(), objects);
    assert_eq!(
        file_cases,
        [
            "does/not/exist.yaml",
            "tests/fixtures/lint/list.yaml",
            "tests/fixtures/lint/syntax-error.yaml",
            "tests/fixtures/lint/type-meta.yaml"
        ]
    );
    assert_eq!(count(&elements, "failure"), n(&summary["errors"]));
    assert!(count(&elements, "system-out") > 0, "warnings go to system-out");
    let root = &elements[0];
    assert_eq!(root.0, "testsuites");
    assert_eq!(attribute(root, "tests"), count(&elements, "testcase").to_string());
    assert_eq!(attribute(root, "failures"), n(&summary["errors"]).to_string());
    for suite in elements.iter().filter(|e| e.0 == "testsuite") {
        assert!(!attribute(suite, "name").is_empty());
    }
}

#[test]
fn junit_counts_on_examples() {
    let out = lint(&["examples/", "-o", "junit"]).output().unwrap();
    let elements = parse_xml(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(count(&elements, "testsuite"), 5, "one suite per file");
    assert_eq!(count(&elements, "testcase"), 11, "one test case per resource");
    assert_eq!(count(&elements, "failure"), 3, "one failure per error");
}

// ---------------------------------------------------------------------------
// Several outputs in one run report the same findings.

/// A finding as every format can state it.
type Key = (String, u64, u64, String, String, String);

fn key(file: &str, line: u64, col: u64, severity: &str, rule: &str, message: &str) -> Key {
    let severity = match severity {
        "note" | "notice" => "info",
        s => s,
    };
    (file.to_string(), line, col, severity.to_string(), rule.to_string(), message.to_string())
}

/// `file:line:col: severity[rule]: message`.
fn parse_compact(line: &str) -> Option<Key> {
    let (head, message) = line.split_once("]: ")?;
    let (position, label) = head.rsplit_once(": ")?;
    let (severity, rule) = label.split_once('[')?;
    let mut parts = position.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some(key(parts.next()?, line, col, severity, rule, message))
}

fn from_json(text: &str) -> Vec<Key> {
    let json: Value = serde_json::from_str(text).unwrap();
    let findings = json["findings"].as_array().unwrap();
    findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap();
            key(
                s("file"),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
                s("severity"),
                s("rule"),
                s("message"),
            )
        })
        .collect()
}

fn from_sarif(text: &str) -> Vec<Key> {
    let log: Value = serde_json::from_str(text).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    results
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            let region = &physical["region"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            let file = if uri == "stdin" { "<stdin>" } else { uri };
            let line = region["startLine"].as_u64().unwrap_or(1);
            let col = region["startColumn"].as_u64().unwrap_or(1);
            key(
                file,
                line,
                col,
                r["level"].as_str().unwrap(),
                r["ruleId"].as_str().unwrap(),
                r["message"]["text"].as_str().unwrap(),
            )
        })
        .collect()
}

fn from_human(text: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut header: Option<(String, String, String)> = None;
    for line in text.lines() {
        if let Some((severity, rest)) = line.split_once('[')
            && ["error", "warning", "info"].contains(&severity)
            && let Some((rule, message)) = rest.split_once("]: ")
        {
            header = Some((severity.into(), rule.into(), message.into()));
        } else if let Some(location) = line.trim_start().strip_prefix("--> ")
            && let Some((severity, rule, message)) = header.take()
        {
            let mut parts = location.rsplitn(3, ':');
            let (col, line, file) = match (parts.next(), parts.next(), parts.next()) {
                (Some(c), Some(l), Some(f)) if c.parse::<u64>().is_ok() => (c.parse().unwrap(), l.parse().unwrap(), f),
                _ => (1, 1, location),
            };
            keys.push(key(file, line, col, &severity, &rule, &message));
        }
    }
    keys
}

fn from_github(text: &str) -> Vec<Key> {
    let unescape = |s: &str| {
        s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    };
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("::")?;
            let (command, data) = rest.split_once("::")?;
            let (level, properties) = command.split_once(' ')?;
            let property = |name: &str| {
                properties
                    .split(',')
                    .find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
                    .map(unescape)
                    .unwrap_or_default()
            };
            let rule = property("title").strip_prefix("kval ")?.to_string();
            let message = unescape(data).lines().next()?.to_string();
            Some(key(
                &property("file"),
                property("line").parse().ok()?,
                property("col").parse().ok()?,
                level,
                &rule,
                &message,
            ))
        })
        .collect()
}

fn from_tap(text: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    let (mut rule, mut severity, mut message) = (String::new(), String::new(), String::new());
    let unquote = |s: &str| serde_json::from_str::<String>(s).unwrap();
    for line in text.lines() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("- rule: ") {
            rule = v.into();
        } else if let Some(v) = line.strip_prefix("severity: ") {
            severity = v.into();
        } else if let Some(v) = line.strip_prefix("message: ") {
            message = unquote(v);
        } else if let Some(v) = line.strip_prefix("at: ") {
            let at = unquote(v);
            let mut parts = at.rsplitn(3, ':');
            let (col, line, file) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
            keys.push(key(file, line.parse().unwrap(), col.parse().unwrap(), &severity, &rule, &message));
        }
    }
    keys
}

fn from_junit(text: &str) -> Vec<Key> {
    parse_xml(text)
        .iter()
        .filter(|e| e.0 == "failure" || e.0 == "system-out")
        .flat_map(|e| e.2.lines().filter_map(parse_compact).collect::<Vec<_>>())
        .collect()
}

#[test]
fn several_outputs_report_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let outputs = ["json", "sarif", "junit", "tap", "github", "compact"].map(|f| format!("{f}={}", path(f)));
    let mut args: Vec<&str> = VARIED.iter().copied().filter(|p| !p.starts_with("does/")).collect();
    args.extend(["--output", "human", "--color", "never"]);
    for o in &outputs {
        args.extend(["--output", o]);
    }
    let out = lint(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(path(name)).unwrap();
    let mut expected = from_json(&read("json"));
    expected.sort();
    assert!(expected.len() > 30, "{}", expected.len());
    assert!(expected.iter().any(|k| k.3 == "warning"));
    let human = String::from_utf8(out.stdout).unwrap();
    let compact: Vec<Key> = read("compact").lines().map(|l| parse_compact(l).unwrap()).collect();
    for (format, mut keys) in [
        ("human", from_human(&human)),
        ("sarif", from_sarif(&read("sarif"))),
        ("junit", from_junit(&read("junit"))),
        ("tap", from_tap(&read("tap"))),
        ("github", from_github(&read("github"))),
        ("compact", compact),
    ] {
        keys.sort();
        assert_eq!(keys, expected, "{format} reports other findings than json");
    }
}

#[test]
fn outputs_to_files_match_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kval.sarif");
    let to_file = format!("sarif={}", file.display());
    let out = lint(&["examples/", "-o", &to_file, "-o", "compact"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout_sarif = lint(&["examples/", "-o", "sarif"]).output().unwrap().stdout;
    assert_eq!(std::fs::read(&file).unwrap(), stdout_sarif);
    assert!(Path::new(&file).is_file());
}
