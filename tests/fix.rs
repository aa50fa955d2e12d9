//! `kval lint --fix`, `--diff`, `--fix-only`: each fix before and after (as the
//! diff `--diff` prints), and what `--fix` writes.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice, clippy::panic)]

#[macro_use]
mod common;

use std::path::Path;

/// A test that snapshots `kval lint --diff` (and the given flags) of a fixture of
/// `tests/fixtures/fix/`: the diff shows the text before and after the fix.
macro_rules! diff_snapshot {
    ($name:ident, $file:literal $(, $arg:literal)*) => {
        #[test]
        fn $name() {
            let path = common::fixture(concat!("fix/", $file));
            common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(common::lint(&["--diff", $($arg,)* &path])));
        }
    };
}

diff_snapshot!(nested_ttl_seconds_after_finished, "nested_ttl.yaml");
diff_snapshot!(replicas_in_a_daemonset, "daemonset_replicas.yaml");
diff_snapshot!(yaml_1_1_booleans_and_numbers_in_string_fields, "yaml11_strings.yaml");
diff_snapshot!(numeric_strings_in_integer_fields, "numeric_strings.yaml");
diff_snapshot!(words_numbers_and_units_in_the_wrong_case, "words_and_units.yaml");
diff_snapshot!(
    unsafe_fixes_guess_the_port_of_a_service_name_and_a_byte_unit,
    "words_and_units.yaml",
    "--unsafe-fixes",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "writable-root-filesystem"
);
diff_snapshot!(deprecated_service_account, "service_account.yaml");
diff_snapshot!(did_you_mean_is_safe_when_one_field_is_close, "did_you_mean.yaml");
diff_snapshot!(unsafe_fixes_rename_to_a_common_alias, "did_you_mean.yaml", "--unsafe-fixes");
diff_snapshot!(restart_policy_of_a_deployment_is_removed, "unsafe.yaml");
diff_snapshot!(
    unsafe_fixes_unquote_scripts_add_a_selector_and_harden_security_contexts,
    "unsafe.yaml",
    "--unsafe-fixes"
);
diff_snapshot!(deprecated_api_versions_whose_fields_carry_over, "deprecated_api.yaml");
diff_snapshot!(fields_at_the_wrong_level_are_not_moved_by_safe_fixes, "wrong_level.yaml");
diff_snapshot!(
    unsafe_fixes_move_fields_at_the_wrong_level_where_the_place_is_free,
    "wrong_level.yaml",
    "--unsafe-fixes",
    "--disable",
    "net-raw-not-dropped",
    "--disable",
    "writable-root-filesystem",
    "--disable",
    "run-as-root"
);

/// A copy of a fixture in a temporary directory.
fn copy(dir: &Path, file: &str) -> std::path::PathBuf {
    let to = dir.join(file);
    std::fs::copy(common::root().join(common::fixture(&format!("fix/{file}"))), &to).unwrap();
    to
}

#[test]
fn fix_writes_the_files_and_reports_what_remains_and_a_second_fix_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy(dir.path(), "yaml11_strings.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let out = common::lint(&["--fix", "--disable", "missing-cpu-request", path.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixed 8 findings in 1 file"), "{stderr}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert_ne!(before, after);
    // Every comment survives.
    for comment in before.lines().filter_map(|l| l.find('#').map(|i| &l[i..])) {
        assert!(after.contains(comment), "lost {comment}");
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains("invalid-type"));
    let again = common::lint(&["--fix", path.to_str().unwrap()]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing to fix"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
}

#[test]
fn fix_only_reports_nothing_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy(dir.path(), "nested_ttl.yaml");
    let out = common::lint(&["--fix-only", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "fixed 2 findings in 1 file\n");
}

#[cfg(unix)]
#[test]
fn read_only_files_are_reported_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = copy(dir.path(), "nested_ttl.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let out = common::lint(&["--fix", path.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not fixed: it is read-only"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "the findings remain");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
}

#[test]
fn fix_of_standard_input_prints_the_fixed_stream() {
    let text = std::fs::read(common::root().join(common::fixture("fix/nested_ttl.yaml"))).unwrap();
    let mut cmd = common::lint(&["--fix", "--quiet", "-o", "compact", "-"]);
    common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(cmd.pass_stdin(text)));
}

#[test]
fn diff_of_a_clean_file_is_empty_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy(dir.path(), "nested_ttl.yaml");
    common::lint(&["--fix-only", path.to_str().unwrap()]).output().unwrap();
    let out = common::lint(&["--diff", path.to_str().unwrap()]).output().unwrap();
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(0), true));
}

#[test]
fn fixes_in_json() {
    let path = common::fixture("fix/numeric_strings.yaml");
    common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(common::lint(&["-o", "json", &path])));
}

#[test]
fn a_baseline_survives_lines_added_above_and_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy(dir.path(), "yaml11_strings.yaml");
    let file = path.to_str().unwrap();
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().unwrap();
    let out = common::lint(&["--write-baseline", baseline, file]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("wrote 13 findings to the baseline"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("# moved down\n\n{text}")).unwrap();
    let out = common::lint(&["--baseline", baseline, file]).output().unwrap();
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(0), true));
    assert!(String::from_utf8_lossy(&out.stderr).contains("13 findings in the baseline"));
    // One new mistake: exit 1 with just that finding.
    std::fs::write(&path, format!("# moved down\n\n{text}").replace("  name: web\n", "  name: web\n  nmae: x\n"))
        .unwrap();
    let out = common::lint(&["--baseline", baseline, "-o", "compact", file]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("unknown-field"), "{stdout}");
}

/// SARIF marks each result of a run with a baseline: `unchanged` (in the baseline,
/// shown with `--show-suppressed`) or `new`; the stale entry is listed on stderr.
#[test]
fn sarif_baseline_state_and_stale_entries() {
    let path = common::fixture("fix/nested_ttl.yaml");
    let baseline = common::fixture("fix/nested_ttl.baseline.json");
    let mut args = vec!["--baseline", &baseline, "--show-suppressed", "-o", "sarif", &path];
    for rule in ["net-raw-not-dropped", "run-as-root", "writable-root-filesystem", "missing-memory-limit"] {
        args.extend(["--disable", rule]);
    }
    common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(common::lint(&args)));
}

/// `--output github`: an annotation names its fix and the command that applies it.
#[test]
fn github_annotations_name_the_fix() {
    let path = common::fixture("fix/unsafe.yaml");
    common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(common::lint(&["-o", "github", &path])));
}

#[test]
fn statistics_count_findings_per_rule() {
    let path = common::fixture("fix/unsafe.yaml");
    common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(common::lint(&["--statistics", &path])));
}

/// The acceptance of the baseline on real manifests (`../shared/corpus`, copied): with
/// a baseline written there, `kval lint` exits 0; lines and a whole document added
/// above the recorded findings keep every entry; one new mistake fails the run with
/// just that finding.
#[test]
fn a_baseline_of_the_corpus_accepts_it_survives_moved_code_and_reports_one_new_mistake() {
    let Some(shared) = common::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_tree(&shared.join("corpus"), &corpus);
    let baseline = dir.path().join("baseline.json");
    let (corpus_arg, baseline_arg) = (corpus.to_str().unwrap(), baseline.to_str().unwrap());
    let out = common::lint(&["--write-baseline", baseline_arg, corpus_arg]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let recorded = std::fs::read_to_string(&baseline).unwrap().matches("\"rule\"").count();
    assert!(recorded > 500, "the corpus has many findings to baseline: {recorded}");
    let out = common::lint(&["--baseline", baseline_arg, corpus_arg]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains(&format!("{recorded} findings in the baseline")), "{stderr}");

    // Move code: two lines above everything in every file, and a new clean document
    // at the top of the file with the most findings.
    for file in yaml_files(&corpus) {
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("# moved down\n\n{text}")).unwrap();
    }
    let install = corpus.join("argo-cd/manifests/ha/install.yaml");
    let text = std::fs::read_to_string(&install).unwrap();
    let added =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: added-above\n  namespace: argocd\ndata:\n  a: b\n---\n";
    std::fs::write(&install, format!("{added}{text}")).unwrap();
    // One new mistake.
    let frontend = corpus.join("kubernetes-examples/web/guestbook/frontend-deployment.yaml");
    let text = std::fs::read_to_string(&frontend).unwrap();
    assert!(text.contains("\n  replicas: 3\n"));
    std::fs::write(&frontend, text.replacen("\n  replicas: 3\n", "\n  replicas: 3\n  minReadySecond: 5\n", 1)).unwrap();

    let out = common::lint(&["--baseline", baseline_arg, "-o", "compact", corpus_arg]).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("frontend-deployment.yaml:13:3") && stdout.contains("unknown-field"), "{stdout}");
    // No entry went stale: moving code kept them all.
    assert!(stderr.contains(&format!("{recorded} findings in the baseline")), "{stderr}");
    assert!(!stderr.contains("no longer match"), "{stderr}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(yaml_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
    files
}
