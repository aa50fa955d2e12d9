//! `kval lint`: snapshots of human and JSON output, and exit codes.

#[macro_use]
mod common;

use common::{fixture, lint, settings};
use insta_cmd::assert_cmd_snapshot;

lint_snapshot!(examples_human, "examples/");
lint_snapshot!(examples_json, "examples/", "--output", "json");
lint_snapshot!(syntax_error_then_next_documents, &fixture("lint/syntax-error.yaml"));
lint_snapshot!(duplicate_key, &fixture("lint/duplicate-key.yaml"));
lint_snapshot!(api_version_and_kind, &fixture("lint/type-meta.yaml"));
lint_snapshot!(custom_resources_skipped, &fixture("lint/type-meta.yaml"), "--ignore-missing-schemas");
lint_snapshot!(removed_apis, &fixture("lint/removed-api.yaml"));
lint_snapshot!(removed_apis_before_removal, &fixture("lint/removed-api.yaml"), "--kubernetes-version", "v1.25");
lint_snapshot!(unknown_fields, &fixture("lint/unknown-fields.yaml"));
lint_snapshot!(unknown_fields_json, &fixture("lint/unknown-fields.yaml"), "-o", "json");
lint_snapshot!(wrong_types, &fixture("lint/types.yaml"));
lint_snapshot!(wrong_types_json, &fixture("lint/types.yaml"), "-o", "json");
lint_snapshot!(nested_repeated_key, &fixture("lint/nested-key.yaml"));
lint_snapshot!(daemonset_replicas, &fixture("lint/daemonset-replicas.yaml"));
lint_snapshot!(values_and_formats, &fixture("lint/values.yaml"));
lint_snapshot!(yaml_1_1_reading, &fixture("lint/yaml11.yaml"));
lint_snapshot!(list_items, &fixture("lint/list.yaml"));
lint_snapshot!(bom_and_crlf, &fixture("lint/bom-crlf.yaml"));
lint_snapshot!(json_file, &fixture("lint/pod.json"));
lint_snapshot!(empty_and_comment_documents, &fixture("lint/empty-and-comments.yaml"));
lint_snapshot!(missing_path_is_reported_and_others_checked, "does/not/exist.yaml", &fixture("lint/pod.json"));
lint_snapshot!(unsupported_kubernetes_version, "--kubernetes-version", "1.24", "examples/");
lint_snapshot!(unknown_rule_in_flag, "--disable", "unknown-feild", "examples/");
lint_snapshot!(disabled_rule, "--disable", "unknown-field", &fixture("lint/daemonset-replicas.yaml"));
lint_snapshot!(severity_override, "--severity", "yaml-key-converted=error", &fixture("lint/yaml11.yaml"));
lint_snapshot!(fail_on_warning, "--fail-on", "warning", &fixture("lint/yaml11.yaml"));
lint_snapshot!(no_paths, "--output", "json");

#[test]
fn reads_standard_input() {
    let mut cmd = lint(&["-"]);
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: 42\n";
    settings().bind(|| assert_cmd_snapshot!(cmd.pass_stdin(manifest)));
}

/// `-` twice reads standard input once (issue 12).
#[test]
fn standard_input_named_twice_is_read_once() {
    let mut cmd = lint(&["-", "-", "-o", "compact"]);
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: 42\n";
    settings().bind(|| assert_cmd_snapshot!(cmd.pass_stdin(manifest)));
}

// Wrong-level fields: where the schema has them (issue 12).
lint_snapshot!(wrong_level_fields, &fixture("lint/wrong-level.yaml"));
lint_snapshot!(summary_flags_conflict, "--summary", "--no-summary", "examples/");
// Required in the schema, accepted absent by the API server (issue 12); a sleep of 0
// seconds only from 1.33.
lint_snapshot!(required_fields_accepted_absent, "-o", "compact", &fixture("lint/required-absent.yaml"));
lint_snapshot!(
    required_fields_accepted_absent_1_32,
    "-o",
    "compact",
    "-k",
    "1.32",
    &fixture("lint/required-absent.yaml")
);

#[test]
fn colour_only_when_asked() {
    let out = lint(&["--color", "always", &fixture("lint/duplicate-key.yaml")]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    let out = lint(&[&fixture("lint/duplicate-key.yaml")]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\x1b["));
}

#[test]
fn clean_input_exits_zero() {
    let out = lint(&["examples/web.yaml", "examples/cronjob.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}
