//! Rules for what is valid but does not do what was meant, within one document or
//! across the documents of a run.

mod duplicate_env_var;
mod quoted_shell_script;

pub use duplicate_env_var::DUPLICATE_ENV_VAR;
pub use quoted_shell_script::QUOTED_SHELL_SCRIPT;
