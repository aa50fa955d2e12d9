//! Starts `kval lsp` (found on the worktree's PATH) for YAML files; the `kval` entry
//! of Zed's `lsp` settings is passed on as the server's settings.

use zed_extension_api::{self as zed, settings::LspSettings};

struct Kval;

impl zed::Extension for Kval {
    fn new() -> Self {
        Kval
    }

    fn language_server_command(
        &mut self,
        _id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let command = worktree.which("kval").ok_or("kval is not on PATH: install it with `cargo install`")?;
        Ok(zed::Command { command, args: vec!["lsp".into()], env: Vec::new() })
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<Option<zed::serde_json::Value>> {
        let settings = LspSettings::for_worktree("kval", worktree).ok().and_then(|s| s.settings);
        Ok(Some(zed::serde_json::json!({ "kval": settings })))
    }
}

zed::register_extension!(Kval);
