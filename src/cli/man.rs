//! `kval man [SUBCOMMAND]`: the manual page in roff, generated from the argument
//! definitions (`kval man | man -l -`).

use std::process::ExitCode;

use clap::CommandFactory;

use super::{Cli, exit, print_stdout, usage_error};

#[derive(clap::Args, Debug)]
#[command(after_help = "Example: `kval man lint | man -l -`")]
pub struct ManArgs {
    /// The subcommand whose page to print, e.g. `lint` [default: the page of kval itself]
    pub subcommand: Option<String>,
}

pub fn run(args: ManArgs) -> ExitCode {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match &args.subcommand {
        None => cmd,
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<String> = cmd
                    .get_subcommands()
                    .filter(|s| s.get_name() != "help")
                    .map(|s| format!("`{}`", s.get_name()))
                    .collect();
                return usage_error(&format!("no subcommand `{name}`; expected one of {}", names.join(", ")));
            }
        },
    };
    let mut roff = Vec::new();
    let source = format!("kval {}", env!("CARGO_PKG_VERSION"));
    if clap_mangen::Man::new(page).source(source).manual("kval manual").render(&mut roff).is_err() {
        return exit::code(exit::ERROR);
    }
    match print_stdout(&String::from_utf8_lossy(&roff)) {
        Ok(()) => exit::code(exit::CLEAN),
        Err(_) => exit::code(exit::ERROR),
    }
}
