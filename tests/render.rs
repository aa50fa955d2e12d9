//! Repositories: Helm charts and Kustomize roots found while walking, YAML that is
//! not Kubernetes, and files without objects.

#[macro_use]
mod common;

use common::{fixture, lint};

const REPO: &str = "tests/fixtures/repo";

lint_snapshot!(not_kubernetes_named_explicitly, &fixture("repo/docker-compose.yml"));
lint_snapshot!(files_without_objects, &fixture("repo/plain/empty.yaml"), &fixture("repo/plain/empty-list.yaml"));
lint_snapshot!(plain_files_of_a_repository, &fixture("repo/plain"), &fixture("repo/package.json"));

/// YAML that is not Kubernetes, found while walking, is counted and never a finding
/// (a CI workflow's `on:` is not a converted key to report).
#[test]
fn other_yaml_found_while_walking_is_counted() {
    let out = lint(&["--all-files", "-o", "json", &fixture("repo/.github"), &fixture("repo/mkdocs.yml")])
        .output()
        .expect("kval runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    // mkdocs.yml was named: one warning; the workflow was found: only counted.
    assert!(stdout.contains("\"not-kubernetes\""), "{stdout}");
    assert!(!stdout.contains("ci.yml"), "{stdout}");
}

/// The files of charts and Kustomize roots are never linted one by one: no finding
/// names a template, values file, kustomization or patch.
#[test]
fn chart_and_kustomize_files_are_not_linted_raw() {
    let out = lint(&["--output", "compact", "--no-summary", "--disable", "not-kubernetes", REPO])
        .output()
        .expect("kval runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for part in ["charts/", "kustomize/", "docker-compose", "package.json", "mkdocs"] {
        assert!(!stdout.contains(part), "{part}:\n{stdout}");
    }
    assert!(stdout.contains("plain/daemonset.yaml"), "{stdout}");
}
