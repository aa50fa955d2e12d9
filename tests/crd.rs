//! Custom resources: CRDs in the input and from `--crd`, the CRD object checks, value
//! validations, list-map keys, CEL rules, and `--schema-location`.

#[macro_use]
mod common;

use common::{fixture, kval, lint, settings};
use insta_cmd::assert_cmd_snapshot;

lint_snapshot!(valid_custom_resources, &fixture("crd/defs"), &fixture("crd/widgets-valid.yaml"));
lint_snapshot!(invalid_custom_resources, &fixture("crd/defs/widgets.yaml"), &fixture("crd/widgets-invalid.yaml"));
lint_snapshot!(
    invalid_custom_resources_json,
    &fixture("crd/defs/widgets.yaml"),
    &fixture("crd/widgets-invalid.yaml"),
    "-o",
    "json"
);
lint_snapshot!(crd_flag_is_not_linted, "--crd", &fixture("crd/defs"), &fixture("crd/widgets-invalid.yaml"));
lint_snapshot!(crd_flag_missing_path, "--crd", "does/not/exist", &fixture("crd/widgets-valid.yaml"));
// The Pods a custom resource's operator creates may be the ones the selectors mean.
lint_snapshot!(
    operator_pods_with_crds,
    "-o",
    "compact",
    "--crd",
    &fixture("crd/defs"),
    &fixture("crd/operator-pods.yaml")
);
lint_snapshot!(invalid_crd, &fixture("crd/bad-crd.yaml"));
lint_snapshot!(
    duplicate_ports_of_a_pod,
    &fixture("crd/pod-duplicate-ports.yaml"),
    "--fail-on",
    "error",
    "--quiet",
    "--disable",
    "missing-cpu-request",
    "--disable",
    "missing-memory-limit",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "run-as-root",
    "--disable",
    "writable-root-filesystem"
);
lint_snapshot!(custom_resource_without_its_crd, &fixture("crd/widgets-valid.yaml"));

/// The CEL rule fails with its message, at its `fieldPath`.
#[test]
fn cel_rule_message_at_field_path() {
    let out = lint(&[&fixture("crd/defs"), &fixture("crd/widgets-invalid.yaml"), "-o", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rule = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "validation-rule" && f["pointer"] == "/spec/endpoint")
        .expect("the endpoint rule fails");
    assert_eq!(rule["message"], "`spec.endpoint` is invalid: endpoint http://example.com must use https");
    assert_eq!(rule["start"]["line"], 38);
    assert_eq!(json["summary"]["customResources"], serde_json::json!({"crds": 1, "validated": 4, "withoutCrd": 0}));
}

// A location that is not there, or a URL, is a usage error (exit 2), not silence.
lint_snapshot!(schema_location_missing, "--schema-location", "does/not/exist", &fixture("crd/gizmos.yaml"));
lint_snapshot!(
    schema_location_url,
    "--schema-location",
    "https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
    &fixture("crd/gizmos.yaml")
);
lint_snapshot!(
    schema_location_template_missing,
    "--schema-location",
    "nowhere/{{.Group}}/{{.ResourceKind}}.json",
    &fixture("crd/gizmos.yaml")
);
lint_snapshot!(schema_location_directory, "--schema-location", &fixture("crd/catalog"), &fixture("crd/gizmos.yaml"));
lint_snapshot!(
    schema_location_template,
    "--schema-location",
    "tests/fixtures/crd/catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json",
    &fixture("crd/gizmos.yaml"),
    "-o",
    "json"
);

fn explain(args: &[&str]) -> std::process::Command {
    let mut cmd = kval();
    cmd.arg("explain").args(args);
    cmd
}

#[test]
fn explain_custom_resource() {
    settings().bind(|| assert_cmd_snapshot!(explain(&["--crd", &fixture("crd/defs"), "widgets"])));
}

#[test]
fn explain_custom_resource_field() {
    settings().bind(|| assert_cmd_snapshot!(explain(&["--crd", &fixture("crd/defs"), "widget.spec.size"])));
}

/// `FILE:LINE` of a custom resource, with `--crd` (issue 12).
#[test]
fn explain_custom_resource_line() {
    settings().bind(|| {
        assert_cmd_snapshot!(explain(&["--crd", &fixture("crd/defs"), "tests/fixtures/crd/widgets-valid.yaml:6"]))
    });
}

/// A mistyped resource: kubectl's line, then "did you mean" and `--crd`.
#[test]
fn explain_mistyped_resource() {
    settings().bind(|| assert_cmd_snapshot!(explain(&["--crd", &fixture("crd/defs"), "widgts"])));
}

/// `-k` as in lint and simulate.
#[test]
fn explain_short_version_flag() {
    settings().bind(|| assert_cmd_snapshot!(explain(&["-k", "1.30", "cm.data"])));
}

#[test]
fn explain_custom_resource_unknown_field() {
    settings().bind(|| assert_cmd_snapshot!(explain(&["--crd", &fixture("crd/defs"), "widget.spec.nope"])));
}
