//! `kval lsp`: the language server, for editors.

use std::process::ExitCode;

use super::exit;

/// Start the language server on standard input and output (see README, "Editors")
#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Accepted for clients that pass it (VS Code's language client): standard
    /// input and output are the only transport
    #[arg(long, hide = true)]
    pub stdio: bool,
}

pub fn run(_args: LspArgs) -> ExitCode {
    match crate::lsp::run_stdio() {
        Ok(true) => exit::code(exit::CLEAN),
        Ok(false) => exit::code(1),
        Err(e) => {
            eprintln!("error: {e}");
            exit::code(exit::ERROR)
        }
    }
}
