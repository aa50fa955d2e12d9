//! `kval lsp`: a Language Server Protocol 3.17 server over standard input and output.
//!
//! It lints the editor's in-memory text with the same pipeline as `kval lint`
//! ([`crate::lint::lint_text_among`]): the same rules, severities, `.kval.yaml` and
//! suppressions. The protocol plumbing is `lsp-server` (rust-analyzer's: a plain
//! message loop on channels, no async runtime) with `lsp-types`.

mod actions;
mod completion;
mod diagnostics;
mod documents;
mod hover;
mod navigation;
pub mod position;
mod server;
pub mod settings;
pub mod uri;
mod workspace;

pub use server::serve;

/// Runs the server on standard input and output until the client says `exit`.
/// Returns whether the client asked to shut down first (the exit status is 1
/// otherwise, as the protocol asks).
pub fn run_stdio() -> Result<bool, String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let clean = serve(&connection)?;
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())?;
    Ok(clean)
}
