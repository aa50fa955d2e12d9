//! `kval completions SHELL`: a shell completion script, generated from the argument
//! definitions.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, exit, print_stdout};

#[derive(clap::Args, Debug)]
#[command(after_help = "Example: `kval completions bash > ~/.local/share/bash-completion/completions/kval`")]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: CompletionsArgs) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "kval", &mut script);
    match print_stdout(&String::from_utf8_lossy(&script)) {
        Ok(()) => exit::code(exit::CLEAN),
        Err(_) => exit::code(exit::ERROR),
    }
}
