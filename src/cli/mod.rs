//! The command line: argument definitions and one file per subcommand.

mod baseline;
mod completions;
mod explain;
mod fix;
mod lint;
mod lsp;
mod man;
mod rules;
mod simulate;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Check Kubernetes manifests offline: embedded schemas, rules, explain and simulate.
#[derive(Parser, Debug)]
#[command(name = "kval", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate manifests against the Kubernetes schemas and run the rules
    Lint(Box<lint::LintArgs>),
    /// Print the documentation of a resource or field, as `kubectl explain` does
    Explain(explain::ExplainArgs),
    /// Dry-run the workload controllers and show the Pods the manifests produce
    Simulate(Box<simulate::SimulateArgs>),
    /// List the rules, or print one rule's documentation
    Rules(rules::RulesArgs),
    /// Start the language server for editors (LSP over standard input and output)
    Lsp(lsp::LspArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff)
    Man(man::ManArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lint(args) => lint::run(*args),
        Command::Explain(args) => explain::run(args),
        Command::Simulate(args) => simulate::run(*args),
        Command::Rules(args) => rules::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Exit statuses shared by every subcommand.
pub mod exit {
    use std::process::ExitCode;
    /// Nothing at or above the failing severity.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the failing severity.
    pub const FINDINGS: u8 = 1;
    /// A usage, input/output or internal error.
    pub const ERROR: u8 = 2;

    pub fn code(status: u8) -> ExitCode {
        ExitCode::from(status)
    }
}

/// Writes to stdout; a closed pipe (`kval ... | head`) is not an error.
pub fn print_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints a usage error in clap's style and returns exit status 2.
pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    exit::code(exit::ERROR)
}
