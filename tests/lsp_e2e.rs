//! `kval lsp` driven end to end by a real LSP client: the pytest-lsp suite of
//! tests/lsp_e2e/ (pygls, with Neovim's client capabilities) run against the built
//! binary. Needs a Python with pytest-lsp (`KVAL_PYTHON`, installed from
//! scripts/ci-requirements.txt by scripts/ci-tools.sh).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

#[test]
fn a_real_lsp_client_drives_kval_lsp() {
    let Some(python) = common::tool("python3", "KVAL_PYTHON") else { return };
    let probe = Command::new(&python).args(["-c", "import pytest_lsp"]).output().unwrap();
    if !probe.status.success() {
        assert!(
            std::env::var_os("KVAL_CI").is_none(),
            "{} cannot import pytest_lsp; run `source scripts/ci-tools.sh` again (it installs scripts/ci-requirements.txt)",
            python.display()
        );
        eprintln!("notice: pytest-lsp is not installed for {}; skipping this test", python.display());
        return;
    }
    let out = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function"])
        .arg("tests/lsp_e2e")
        .current_dir(common::root())
        .env("KVAL_BIN", env!("CARGO_BIN_EXE_kval"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the pytest-lsp suite failed:\n{report}");
    // Every case ran: none was skipped or deselected.
    assert!(report.contains("7 passed") && !report.contains("skipped"), "{report}");
}
