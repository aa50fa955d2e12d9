//! The `api-validation` rules against fixtures: for each rule, `invalid.yaml` must
//! give its findings (snapshotted) and `valid.yaml` none of them.
//!
//! The oracle is the API server's own text: each `# api-server: TEXT` comment in an
//! `invalid.yaml` quotes an error or warning from the Go validation code or its
//! tests (`pkg/apis/*/validation`, `pkg/api/pod/warnings.go`), and one of the
//! rule's findings must carry that text in its message or note.

#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::path::Path;

fn findings(path: &Path) -> Vec<serde_json::Value> {
    let out = common::kval().args(["lint", "--output", "json"]).arg(path).output().expect("run kval");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    json["findings"].as_array().cloned().unwrap_or_default()
}

fn render(f: &serde_json::Value) -> String {
    let note = f["note"].as_str().map(|n| format!("\n    note: {n}")).unwrap_or_default();
    format!(
        "{}:{} {} {}: {}{note}",
        f["start"]["line"],
        f["start"]["column"],
        f["severity"].as_str().unwrap_or(""),
        f["rule"].as_str().unwrap_or(""),
        f["message"].as_str().unwrap_or("")
    )
}

fn check_rule(rule: &str) {
    let dir = common::root().join("tests/fixtures/api-validation").join(rule);
    let invalid = dir.join("invalid.yaml");
    let found: Vec<_> = findings(&invalid).into_iter().filter(|f| f["rule"] == rule).collect();
    assert!(!found.is_empty(), "{rule}: invalid.yaml gives no finding");
    let text = std::fs::read_to_string(&invalid).expect("fixture");
    for quoted in text.lines().filter_map(|l| l.trim().strip_prefix("# api-server: ")) {
        assert!(
            found
                .iter()
                .any(|f| [&f["message"], &f["note"]].iter().any(|t| t.as_str().is_some_and(|t| t.contains(quoted)))),
            "{rule}: no finding quotes the API server's `{quoted}`:\n{}",
            found.iter().map(render).collect::<Vec<_>>().join("\n")
        );
    }
    let rendered: Vec<String> = found.iter().map(render).collect();
    common::settings().bind(|| insta::assert_snapshot!(format!("api_validation_{rule}"), rendered.join("\n")));
    let valid: Vec<String> =
        findings(&dir.join("valid.yaml")).iter().filter(|f| f["rule"] == rule).map(render).collect();
    assert!(valid.is_empty(), "{rule}: valid.yaml gives findings:\n{}", valid.join("\n"));
}

/// Rules whose fixtures are still the shared `tests/fixtures/rules/api-validation.yaml`.
const OLDER: &[&str] = &[
    "selector-mismatch",
    "invalid-restart-policy",
    "invalid-name",
    "invalid-label",
    "invalid-annotation",
    "duplicate-container-name",
    "invalid-port",
    "undefined-volume",
    "duplicate-volume-name",
    "requests-above-limits",
    "invalid-service",
    "invalid-job",
    "negative-value",
    "invalid-schedule",
    "invalid-hpa-replicas",
    "invalid-pdb",
    "invalid-update-strategy",
    "forbidden-active-deadline",
];

macro_rules! rules {
    ($($name:ident => $id:literal),* $(,)?) => {
        $(#[test] fn $name() { check_rule($id); })*

        /// Every api-validation rule with a check of its own has fixtures here, but
        /// the older ones that `tests/fixtures/rules/api-validation.yaml` covers.
        #[test]
        fn every_rule_has_fixtures() {
            let tested = [$($id),*];
            let out = common::kval().args(["rules", "--output", "json"]).output().expect("run kval");
            let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            for rule in rules.as_array().expect("rules").iter() {
                let id = rule["id"].as_str().unwrap_or("");
                if rule["category"] == "api-validation" && rule["check"] != "builtin" && !OLDER.contains(&id) {
                    assert!(tested.contains(&id), "{id}: no fixtures in tests/fixtures/api-validation");
                }
            }
        }
    };
}

rules! {
    api_server_warning => "api-server-warning",
    invalid_container => "invalid-container",
    duplicate_port => "duplicate-port",
    duplicate_value => "duplicate-value",
    invalid_configmap => "invalid-configmap",
    invalid_secret => "invalid-secret",
    invalid_service => "invalid-service",
    invalid_pvc => "invalid-pvc",
    invalid_update_strategy => "invalid-update-strategy",
    invalid_ingress => "invalid-ingress",
    invalid_network_policy => "invalid-network-policy",
    invalid_rbac => "invalid-rbac",
    invalid_hpa_metrics => "invalid-hpa-metrics",
    invalid_label => "invalid-label",
    invalid_env => "invalid-env",
    invalid_volume => "invalid-volume",
    invalid_dns => "invalid-dns",
    invalid_scheduling => "invalid-scheduling",
    invalid_security_context => "invalid-security-context",
}

/// Before Kubernetes 1.32 the API server took only C-like variable names
/// (`IsEnvVarName`); `valid.yaml`'s `1ST_RELAXED` is refused there.
#[test]
fn env_names_before_1_32() {
    let valid = common::root().join("tests/fixtures/api-validation/invalid-env/valid.yaml");
    let out = common::kval()
        .args(["lint", "--output", "json", "--kubernetes-version", "1.31"])
        .arg(&valid)
        .output()
        .expect("run kval");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let found: Vec<String> = json["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|f| f["rule"] == "invalid-env")
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        found,
        [
            "spec.template.spec.containers[0].env[0].name: Invalid value: \"1ST_RELAXED\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name', or 'MY_ENV.NAME', or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
        ]
    );
}

/// Data over 1 MiB (`core.MaxSecretSize`), generated: the API server's
/// `ValidateConfigMap` says `[]: Too long: may not be more than 1048576 bytes` and
/// `ValidateSecret` says `data: Too long: ...`, counting a Secret's decoded bytes.
#[test]
fn data_over_one_mebibyte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = "x".repeat(1024 * 1024 + 1);
    let just = "x".repeat(1024 * 1024);
    // 1 MiB of bytes in base64 is 1398104 characters: only the decoded size counts.
    let encoded_mib = "eHh4".repeat(1024 * 1024 / 3) + "eA==";
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n  a: {big}\n---\n\
         apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: just}}\ndata:\n  a: {just}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: big}}\nstringData:\n  a: {big}\n---\n\
         apiVersion: v1\nkind: Secret\nmetadata: {{name: encoded}}\ndata:\n  a: {encoded_mib}\n"
    );
    let path = dir.path().join("big.yaml");
    std::fs::write(&path, text).expect("write");
    let found: Vec<String> = findings(&path)
        .iter()
        .filter(|f| f["message"].as_str().is_some_and(|m| m.contains("Too long")))
        .map(|f| render(f).lines().next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        found,
        [
            "4:1 error invalid-configmap: []: Too long: may not be more than 1048576 bytes",
            "16:1 error invalid-secret: data: Too long: may not be more than 1048576 bytes",
        ],
        "only the ConfigMap and the Secret over 1 MiB"
    );
}

/// One finding per mistake: a built-in schema check (`unsupported-value`,
/// `invalid-format`) never reports a span that an api-validation rule reports too
/// (`src/rules/overlap.rs` keeps the rule's finding, in the API server's words).
/// Checked on every fixture of these rules; `enums.yaml` has a wrong value in each
/// enum field the API server checks and snapshots who reports it.
#[test]
fn one_finding_per_mistake() {
    let out = common::kval().args(["rules", "--output", "json"]).output().expect("run kval");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let of = |id: &str| rules.as_array().and_then(|r| r.iter().find(|r| r["id"] == id)).cloned().unwrap_or_default();
    let dir = common::root().join("tests/fixtures/api-validation");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .flat_map(|e| [e.path().join("invalid.yaml"), e.path().join("valid.yaml"), e.path()])
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && p.is_file())
        .collect();
    paths.push(common::root().join("tests/fixtures/rules/api-validation.yaml"));
    paths.sort();
    for path in &paths {
        let found = findings(path);
        let span = |f: &serde_json::Value| (f["start"]["offset"].clone(), f["end"]["offset"].clone());
        for f in found.iter().filter(|f| of(f["rule"].as_str().unwrap_or(""))["check"] == "builtin") {
            let twins: Vec<String> = found
                .iter()
                .filter(|g| span(g) == span(f) && g["rule"] != f["rule"])
                .filter(|g| of(g["rule"].as_str().unwrap_or(""))["category"] == "api-validation")
                .map(render)
                .collect();
            assert!(twins.is_empty(), "{}: {} repeats\n{}", path.display(), render(f), twins.join("\n"));
        }
    }
    let enums = findings(&dir.join("enums.yaml"));
    let rendered: Vec<String> = enums
        .iter()
        .filter(|f| of(f["rule"].as_str().unwrap_or(""))["category"] == "api-validation")
        .map(render)
        .collect();
    common::settings().bind(|| insta::assert_snapshot!("one_finding_per_mistake", rendered.join("\n")));
}
