//! `kval completions` and `kval man`: generated from the argument definitions.

// Test code: a panic here is a failing test (the panic lints are for kval itself).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use common::{kval, settings};
use insta_cmd::assert_cmd_snapshot;

fn run(args: &[&str]) -> (i32, String) {
    let out = kval().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn bash_completions() {
    settings().bind(|| assert_cmd_snapshot!(kval().args(["completions", "bash"])));
}

#[test]
fn every_shell_completes_the_subcommands_and_formats() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        // fish writes long flags as `-l output`.
        for word in ["lint", "explain", "output", "max-findings", "kubernetes-version"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let out = kval().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_header() {
    let (code, page) = run(&["man"]);
    assert_eq!(code, 0);
    let head: Vec<&str> = page.lines().take(8).collect();
    settings().bind(|| insta::assert_snapshot!(head.join("\n")));
    assert!(page.contains("kval\\-lint(1)"), "the page lists the subcommands");
}

#[test]
fn man_page_of_lint_documents_its_flags() {
    let (code, page) = run(&["man", "lint"]);
    assert_eq!(code, 0);
    assert!(page.starts_with(".ie") && page.contains(".TH kval-lint 1"), "{page}");
    for flag in ["\\-\\-output", "\\-\\-fail\\-on", "\\-\\-max\\-findings", "\\-\\-quiet"] {
        assert!(page.contains(flag), "{flag}");
    }
    let out = kval().args(["man", "lnit"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no subcommand `lnit`"));
}
