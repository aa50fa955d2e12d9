//! Admission, offline: Pod Security levels from namespaces and `--pod-security`.

#[macro_use]
mod common;

use common::fixture;

lint_snapshot!(
    pod_security_from_namespace_labels,
    &fixture("admission/pod-security.yaml"),
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "latest-tag"
);
lint_snapshot!(pod_security_default_level, &fixture("admission/no-namespace.yaml"), "--pod-security", "baseline", "-q");
lint_snapshot!(pod_security_without_a_level, &fixture("admission/no-namespace.yaml"), "-q");
lint_snapshot!(pod_security_invalid_level, &fixture("admission/no-namespace.yaml"), "--pod-security", "strict:v1.30");
lint_snapshot!(pod_security_audit, &fixture("admission/audit.yaml"), "--enable", "pod-security-audit", "-q");
lint_snapshot!(
    admission_policies_from_the_documentation,
    "--policy",
    &fixture("admission/policy/replicas.yaml"),
    &fixture("admission/policy/apps.yaml"),
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "run-as-root",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "no-anti-affinity",
    "-q"
);
lint_snapshot!(admission_policy_that_does_not_compile, &fixture("admission/policy/invalid.yaml"));
lint_snapshot!(
    admission_policy_json,
    &fixture("admission/policy/"),
    "-o",
    "json",
    "--enable",
    "admission-policy-audit",
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "run-as-root",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "no-anti-affinity"
);

const CUSTOM: &str = "tests/fixtures/admission/custom/kval.yaml";

lint_snapshot!(
    custom_rules,
    "--config",
    CUSTOM,
    &fixture("admission/custom/apps.yaml"),
    "--enable",
    "min-replicas",
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "run-as-root",
    "--disable",
    "net-raw-not-dropped",
    "--show-suppressed"
);
lint_snapshot!(custom_rule_that_does_not_compile, "--config", &fixture("admission/custom/bad.yaml"), "examples/");

#[test]
fn custom_rules_are_listed() {
    common::settings().bind(|| {
        insta_cmd::assert_cmd_snapshot!(common::kval().args(["rules", "--config", CUSTOM, "trusted-registry"]));
    });
    let out = common::kval().args(["rules", "--config", CUSTOM]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.lines().any(|l| l.starts_with("min-replicas") && l.contains("custom") && l.contains("off")));
}

/// The acceptance test of custom rules: one finds its target in the corpus (the
/// only kube-prometheus image from Docker Hub, Grafana's).
#[test]
fn custom_rule_finds_its_target_in_the_corpus() {
    let Some(shared) = common::shared() else { return };
    let manifests = shared.join("corpus/kube-prometheus/manifests");
    let out = common::kval().args(["lint", "-o", "json", "--config", CUSTOM]).arg(&manifests).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "trusted-registry")
        .map(|f| (f["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string(), f["message"].to_string()))
        .collect();
    assert_eq!(
        found,
        [(
            "grafana-deployment.yaml".to_string(),
            "\"images must come from a trusted registry: grafana/grafana:13.1.3\"".to_string()
        )]
    );
}
