//! `kval lint`: validate manifests and run the rules.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files or directories to check; `-` reads standard input
    pub paths: Vec<String>,
}

pub fn run(_args: LintArgs) -> ExitCode {
    super::usage_error("lint is not implemented yet")
}
