//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root; tests run kval from there so paths in outputs are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `kval` with colours off, run from the repository root.
pub fn kval() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kval"));
    cmd.current_dir(root()).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}

/// insta settings: snapshots in `snapshots/`, timings redacted.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("snapshots"));
    s.set_prepend_module_to_snapshot(true);
    s.add_filter(r"in \d+ms", "in [ELAPSED]");
    // SARIF's %SRCROOT%: the directory kval ran in, the checkout's own path.
    s.add_filter(r#""uri": "file://[^"]*/""#, r#""uri": "file:///[ROOT]/""#);
    s
}

/// `../shared`, where the corpus, fleet generator and oracles live, if this clone
/// has it. Tests that need it print a notice and pass when it is absent.
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: {} is absent; skipping this test", dir.display());
        None
    }
}

pub fn fixture(path: &str) -> String {
    Path::new("tests/fixtures").join(path).to_string_lossy().into_owned()
}

/// `kval lint ARGS...`.
pub fn lint(args: &[&str]) -> Command {
    let mut cmd = kval();
    cmd.arg("lint").args(args);
    cmd
}

/// A test named `$name` that snapshots `kval lint` with the given arguments.
#[allow(unused_macros)]
macro_rules! lint_snapshot {
    ($name:ident, $($arg:expr),+ $(,)?) => {
        #[test]
        fn $name() {
            common::settings().bind(|| insta_cmd::assert_cmd_snapshot!(common::lint(&[$($arg),+])));
        }
    };
}

/// An outside program a test compares kval with (helm, kubectl, a Python with
/// PyYAML...): `$ENV_VAR` if set, else `name` on `PATH`. When it is absent the test
/// prints a notice and is skipped, except under `KVAL_CI=1` (set by `.ci/run`,
/// after `scripts/ci-tools.sh` installed everything), where it fails.
pub fn tool(name: &str, env_var: &str) -> Option<PathBuf> {
    let found = std::env::var_os(env_var).map(PathBuf::from).or_else(|| {
        std::env::var_os("PATH")
            .and_then(|path| std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file()))
    });
    if found.is_none() {
        assert!(
            std::env::var_os("KVAL_CI").is_none(),
            "{name} is required in CI (KVAL_CI is set) but was not found: set {env_var} or put it on PATH"
        );
        eprintln!("notice: {name} is not installed (set {env_var} or put it on PATH); skipping this test");
    }
    found
}
