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
    // One run writes every format (each run renders every chart and root again).
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (human, json, sarif) = (file("kval.txt"), file("kval.json"), file("kval.sarif"));
    let (helm, kubectl) = (helm.to_string_lossy(), kubectl.to_string_lossy());
    let outputs = [format!("human={human}"), format!("json={json}"), format!("sarif={sarif}")];
    let mut cmd = lint(&["--helm", &helm, "--kustomize", &kubectl, "-o", "compact", REPO]);
    for output in &outputs {
        cmd.args(["-o", output]);
    }
    cmd.env("PATH", "/nonexistent");
    let out = cmd.output().expect("kval runs");
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_else(|e| format!("{path}: {e}"));
    let mut settings = common::settings();
    settings.add_filter(&regex_escape(&helm), "[HELM]");
    settings.add_filter(&regex_escape(&kubectl), "[KUBECTL]");
    settings.bind(|| {
        insta::assert_snapshot!("repository_human", read(&human));
        insta::assert_snapshot!("repository_json", read(&json));
        insta::assert_snapshot!("repository_sarif", read(&sarif));
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for expected in [
        "charts/broken/templates/configmap.yaml:6:3: error[render-failed]",
        "charts/strict/ci/bad-values.yaml:1:1: error[invalid-values]",
        "charts/web/templates/deployment.yaml:19:11: warning[latest-tag]",
        "charts/web/templates/deployment.yaml:11:7: error[selector-mismatch]",
        // A value rendered verbatim: at its line in values.yaml.
        "charts/web/values.yaml:5:15: error[unsupported-value]",
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

/// A patch named on the command line (as a pre-commit hook names changed files) is
/// not linted as a whole object: the root that pulls it in is built, and its mistake
/// is reported at the patch.
#[test]
fn a_named_patch_stands_for_its_root() {
    let Some(kubectl) = common::tool("kubectl", "KVAL_KUBECTL") else { return };
    let patch = fixture("repo/kustomize/overlays/prod/replicas.yaml");
    let out = lint(&["--kustomize", &kubectl.to_string_lossy(), "-o", "compact", "--no-summary", &patch])
        .output()
        .expect("kval runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("kustomize/overlays/prod/replicas.yaml:6:13: error[invalid-type]"), "{stdout}");
    assert!(!stdout.contains("missing-required"), "{stdout}");
}

/// `helm template … | kval lint -` keeps working: the findings are at standard
/// input, naming the template.
#[test]
fn helm_template_on_standard_input() {
    let Some(helm) = common::tool("helm", "KVAL_HELM") else { return };
    let rendered = std::process::Command::new(helm)
        .args(["template", "web", &fixture("repo/charts/web")])
        .current_dir(common::root())
        .output()
        .expect("helm runs");
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    let mut child = lint(&["-o", "compact", "--no-summary", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("kval runs");
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, &rendered.stdout).expect("kval reads standard input");
    }
    let out = child.wait_with_output().expect("kval runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("<stdin>:") && stdout.contains("error[selector-mismatch]"), "{stdout}");
    assert!(stdout.contains("error[unsupported-value]"), "{stdout}");
}

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
