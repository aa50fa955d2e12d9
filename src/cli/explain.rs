//! `kval explain`: field documentation, as `kubectl explain` prints it.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// TYPE[.FIELD...], e.g. `ds.spec`
    pub args: Vec<String>,
}

pub fn run(_args: ExplainArgs) -> ExitCode {
    super::usage_error("explain is not implemented yet")
}
