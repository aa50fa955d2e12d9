//! `kval rules`, the rules in `kval lint`, their configuration and suppressions.

mod common;

use common::{fixture, kval, root, settings};
use insta_cmd::assert_cmd_snapshot;

fn cmd(args: &[&str]) -> std::process::Command {
    let mut cmd = kval();
    cmd.args(args);
    cmd
}

macro_rules! snapshot {
    ($name:ident, $($arg:expr),+ $(,)?) => {
        #[test]
        fn $name() {
            settings().bind(|| assert_cmd_snapshot!(cmd(&[$($arg),+])));
        }
    };
}

snapshot!(rules_table, "rules");
snapshot!(rule_documentation, "rules", "selector-mismatch");
snapshot!(rule_documentation_json, "rules", "quoted-shell-script", "--output", "json");
snapshot!(unknown_rule, "rules", "latest-tags");
snapshot!(api_validation, "lint", &fixture("rules/api-validation.yaml"));
snapshot!(
    cross_document,
    "lint",
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "run-as-root",
    "--disable",
    "writable-root-filesystem",
    &fixture("rules/cross-document.yaml")
);
snapshot!(false_positives, "lint", "-o", "compact", &fixture("rules/false-positives.yaml"));
// The same object in two files of one run (issue 12).
snapshot!(duplicate_object_across_files, "lint", "-o", "compact", "tests/fixtures/rules/duplicate-across");
snapshot!(suppressions, "lint", &fixture("rules/suppressions.yaml"));
snapshot!(suppressions_shown, "lint", "--show-suppressed", &fixture("rules/suppressions.yaml"));
snapshot!(suppressions_json, "lint", "--output", "json", &fixture("rules/suppressions.yaml"));
snapshot!(
    flags_enable_disable_severity,
    "lint",
    "--enable",
    "missing-probe",
    "--disable",
    "net-raw-not-dropped",
    "--severity",
    "latest-tag=info",
    &fixture("rules/rules-flags.yaml")
);
snapshot!(flags_fail_on_warning, "lint", "--fail-on", "warning", &fixture("rules/rules-flags.yaml"));
snapshot!(flags_fail_on_default, "lint", &fixture("rules/rules-flags.yaml"));
snapshot!(
    config_file_given,
    "lint",
    "--config",
    &fixture("rules/config/.kval.yaml"),
    &fixture("rules/rules-flags.yaml")
);
snapshot!(config_file_malformed, "lint", "--config", &fixture("rules/bad-config.yaml"), "examples/");
// `kubernetesVersion: 1.30` is the number 1.3: a usage error that says to quote it (issue 12).
snapshot!(config_version_unquoted, "lint", "--config", &fixture("rules/version-float.yaml"), "examples/");
snapshot!(
    config_flags_override,
    "lint",
    "--config",
    &fixture("rules/config/.kval.yaml"),
    "--fail-on",
    "error",
    "--severity",
    "latest-tag=warning",
    &fixture("rules/rules-flags.yaml")
);

/// The nearest `.kval.yaml` is found from the current directory upward, and its
/// `ignorePaths` skip the vendored file.
#[test]
fn config_file_found_upward() {
    let mut cmd = kval();
    cmd.current_dir(root().join("tests/fixtures/rules/config/nested")).args(["lint", "..", "--output", "json"]);
    settings().bind(|| assert_cmd_snapshot!(cmd));
}

#[test]
fn rules_json_lists_every_rule() {
    let out = cmd(&["rules", "--output", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = rules.as_array().unwrap();
    assert_eq!(list.len(), kval::rules::ALL.len());
    assert!(list.iter().any(|r| r["id"] == "selector-mismatch" && r["fields"][0] == "DeploymentSpec.selector"));
}

/// Acceptance 3: scenario 3's Job and scenario 1's DaemonSet.
#[test]
fn examples_show_the_scenario_mistakes() {
    let out = cmd(&["lint", "--output", "json", "examples/"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let at = |rule: &str, file: &str, line: u64| {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == rule && f["file"] == file && f["start"]["line"] == line)
    };
    assert!(at("invalid-type", "examples/job.yaml", 33), "nested ttlSecondsAfterFinished");
    assert!(at("quoted-shell-script", "examples/job.yaml", 26), "quoted sh -c script");
    assert!(at("invalid-restart-policy", "examples/daemonset.yaml", 24), "DaemonSet restartPolicy");
}

/// Issue 12: every `api-validation` rule says in `kval rules ID` what the API server
/// does with what it reports (rejects on create, warns, or never sees it).
#[test]
fn api_validation_rules_document_the_api_server() {
    let out = cmd(&["rules", "--output", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let undocumented: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["category"] == "api-validation")
        .filter(|r| !r["documentation"].as_str().is_some_and(|d| d.contains("\n## API server\n")))
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(undocumented.is_empty(), "no `## API server` section: {undocumented:?}");
}
