//! `kval lint`: validate manifests and run the rules.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::ValueEnum;

use super::{exit, print_stdout, usage_error};
use crate::config::Config;
use crate::finding::Severity;
use crate::input::WalkOptions;
use crate::limits::Limits;
use crate::lint::{LintOptions, lint};
use crate::report::{self, Format, ReportContext};
use crate::rules::RuleSet;
use crate::schema::KubeVersion;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 on a usage or read error."
)]
pub struct LintArgs {
    /// Files or directories to check (`.yaml`, `.yml`, `.json`); `-` reads standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,

    /// Kubernetes version whose schemas to use (`1.30`, `v1.30`, `1.30.2`) [default: newest embedded]
    #[arg(long, short = 'k', value_name = "VERSION")]
    pub kubernetes_version: Option<String>,

    /// Count custom resources without a schema as skipped instead of reporting them
    #[arg(long)]
    pub ignore_missing_schemas: bool,

    /// Output format
    #[arg(long, short = 'o', value_name = "FORMAT", default_value = "human", value_parser = format_names())]
    pub output: String,

    /// When to use colours in human output
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,

    /// Also check hidden files and directories and what .gitignore excludes
    #[arg(long)]
    pub all_files: bool,

    /// Lowest severity that makes the exit status 1 [default: error, or `failOn` of the config]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Enable a rule that is off by default (repeatable)
    #[arg(long, value_name = "RULE")]
    pub enable: Vec<String>,

    /// Disable a rule (repeatable)
    #[arg(long, value_name = "RULE")]
    pub disable: Vec<String>,

    /// Set a rule's severity, e.g. `--severity latest-tag=error` (repeatable)
    #[arg(long, value_name = "RULE=LEVEL")]
    pub severity: Vec<String>,

    /// Read settings from this file instead of the nearest `.kval.yaml`
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// Also list the findings that suppressions cover
    #[arg(long)]
    pub show_suppressed: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Limits on what one input file may cost.
#[derive(clap::Args, Debug)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Largest file to read, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes)]
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and lists
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    pub max_depth: usize,
    /// Most nodes that YAML aliases may add to one document
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_alias_nodes)]
    pub max_alias_nodes: usize,
    /// Most documents in one file
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_documents)]
    pub max_documents: usize,
    /// Longest single scalar, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_scalar_bytes)]
    pub max_scalar_bytes: usize,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

fn format_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Format::ALL.iter().map(|(name, _)| *name))
}

fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal(),
    }
}

fn rule_set(args: &LintArgs, config: &Config) -> Result<RuleSet, String> {
    let mut rules = RuleSet::default();
    config.apply(&mut rules);
    for id in &args.enable {
        rules.enable(id)?;
    }
    for id in &args.disable {
        rules.disable(id)?;
    }
    for setting in &args.severity {
        let (id, level) = setting
            .split_once('=')
            .ok_or_else(|| format!("`--severity {setting}`: expected RULE=LEVEL, e.g. `latest-tag=error`"))?;
        let level = Severity::parse(level)
            .ok_or_else(|| format!("`--severity {setting}`: the level must be `error`, `warning` or `info`"))?;
        rules.set_severity(id, level)?;
    }
    Ok(rules)
}

/// The configuration file given, or the nearest one.
fn config(args: &LintArgs) -> Result<Config, String> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => std::env::current_dir().ok().and_then(|dir| crate::config::find(&dir)),
    };
    path.map_or_else(|| Ok(Config::default()), |p| Config::load(&p))
}

pub fn run(args: LintArgs) -> ExitCode {
    let config = match config(&args) {
        Ok(config) => config,
        Err(e) => return usage_error(&e),
    };
    let version = match args.kubernetes_version.as_deref().map(KubeVersion::parse) {
        None => config.kubernetes_version.unwrap_or_else(KubeVersion::newest),
        Some(Ok(v)) => v,
        Some(Err(e)) => return usage_error(&e),
    };
    let rules = match rule_set(&args, &config) {
        Ok(rules) => rules,
        Err(e) => return usage_error(&e),
    };
    let limits = Limits {
        max_file_bytes: args.limits.max_file_bytes,
        max_depth: args.limits.max_depth,
        max_alias_nodes: args.limits.max_alias_nodes,
        max_documents: args.limits.max_documents,
        max_scalar_bytes: args.limits.max_scalar_bytes,
    };
    let options = LintOptions {
        version,
        ignore_missing_schemas: args.ignore_missing_schemas,
        rules,
        limits,
        walk: WalkOptions { all_files: args.all_files },
        show_suppressed: args.show_suppressed,
        ignore_paths: config.ignore_paths.clone(),
    };
    let result = lint(&args.paths, &options);
    let format = Format::parse(&args.output).unwrap_or(Format::Human);
    let cx = ReportContext { result: &result, version, color: use_color(args.color) };
    if print_stdout(&format.render(&cx)).is_err() {
        return exit::code(exit::ERROR);
    }
    for note in &result.notes {
        eprintln!("note: {note}");
    }
    if format == Format::Human {
        eprintln!("{}", report::summary_line(&result));
    }
    let fail_on = args.fail_on.map(FailOn::severity).or(config.fail_on).unwrap_or(Severity::Error);
    exit::code(if result.unreadable > 0 {
        exit::ERROR
    } else if result.findings.iter().any(|f| f.severity >= fail_on && f.suppressed.is_none()) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}
