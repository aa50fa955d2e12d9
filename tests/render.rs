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
    let out = lint(&["--output", "compact", "--no-summary", "--no-render", "--disable", "not-kubernetes", REPO])
        .output()
        .expect("kval runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for part in ["charts/", "kustomize/", "docker-compose", "package.json", "mkdocs"] {
        assert!(!stdout.contains(part), "{part}:\n{stdout}");
    }
    assert!(stdout.contains("plain/daemonset.yaml"), "{stdout}");
}

/// `kval lint` of a whole repository with the real helm and kubectl (kustomize):
/// every mistake injected into a template, values file, base or patch is reported at
/// the file a person edits, in human and JSON output.
#[test]
fn repository_rendered_with_the_real_tools() {
    let (Some(helm), Some(kubectl)) = (common::tool("helm", "KVAL_HELM"), common::tool("kubectl", "KVAL_KUBECTL"))
    else {
        return;
    };
    let run = |format: &str| {
        let mut cmd =
            lint(&["--helm", &helm.to_string_lossy(), "--kustomize", &kubectl.to_string_lossy(), "-o", format, REPO]);
        cmd.env("PATH", "/nonexistent");
        cmd
    };
    let mut settings = common::settings();
    settings.add_filter(&regex_escape(&helm.to_string_lossy()), "[HELM]");
    settings.add_filter(&regex_escape(&kubectl.to_string_lossy()), "[KUBECTL]");
    settings.bind(|| {
        insta_cmd::assert_cmd_snapshot!("repository_human", run("human"));
        insta_cmd::assert_cmd_snapshot!("repository_json", run("json"));
        insta_cmd::assert_cmd_snapshot!("repository_sarif", run("sarif"));
    });
    let out = run("compact").output().expect("kval runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for expected in [
        "charts/broken/templates/configmap.yaml:6:3: error[render-failed]",
        "charts/strict/ci/bad-values.yaml:1:1: error[invalid-values]",
        "charts/web/templates/deployment.yaml:19:11: warning[latest-tag]",
        "charts/web/templates/deployment.yaml:11:7: error[selector-mismatch]",
        "kustomize/base/deployment.yaml:15:22: error[invalid-restart-policy]",
        "kustomize/overlays/prod/replicas.yaml:6:13: error[invalid-type]",
    ] {
        assert!(stdout.contains(expected), "{expected}:\n{stdout}");
    }
    // A base seen through two overlays: one finding naming both.
    assert_eq!(stdout.matches("error[invalid-restart-policy]").count(), 1, "{stdout}");
}

/// `.kval.yaml`'s `render:` settings (release name, namespace, values for one chart)
/// and the flags over them (`--release-name`, `--helm-values CHART=FILE`).
#[test]
fn render_settings_from_the_config_and_flags() {
    let Some(helm) = common::tool("helm", "KVAL_HELM") else { return };
    let helm = helm.to_string_lossy().into_owned();
    let config = fixture("render-config/.kval.yaml");
    let chart = fixture("repo/charts/web");
    let mut from_config = lint(&["--config", &config, "--helm", &helm, "-o", "json", &chart]);
    let values = format!("{chart}={}", fixture("render-config/web-prod.yaml"));
    let mut from_flags =
        lint(&["--helm", &helm, "--release-name", "flagged", "--helm-values", &values, "-o", "json", &chart]);
    let mut settings = common::settings();
    settings.add_filter(&regex_escape(&helm), "[HELM]");
    settings.bind(|| {
        insta_cmd::assert_cmd_snapshot!("render_settings_config", from_config);
        insta_cmd::assert_cmd_snapshot!("render_settings_flags", from_flags);
    });
}

lint_snapshot!(render_settings_error, "--config", &fixture("render-config/bad.kval.yaml"), REPO);

/// Without the tools: one error per chart and root naming the tool, exit status 2.
#[test]
fn tools_missing() {
    let mut cmd = lint(&["-o", "compact", &fixture("repo/charts/web"), &fixture("repo/kustomize/overlays/staging")]);
    cmd.env("PATH", "/nonexistent");
    common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(cmd));
}

fn regex_escape(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '/' { c.to_string() } else { format!("\\{c}") }).collect()
}
