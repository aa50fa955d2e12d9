//! `kval lint`: validate manifests and run the rules.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::ValueEnum;

use super::{exit, print_stdout, usage_error};
use crate::admission::pod_security::LevelVersion;
use crate::config::Config;
use crate::finding::Severity;
use crate::input::{WalkOptions, io_message};
use crate::limits::Limits;
use crate::lint::LintOptions;
use crate::report::{self, Output, ReportContext};
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

    /// CustomResourceDefinitions to validate custom resources against, without linting them:
    /// a file or a directory (repeatable)
    #[arg(long, value_name = "PATH")]
    pub crd: Vec<String>,

    /// JSON schemas for custom resources without a CRD, offline, in kubeconform's layouts: a directory
    /// (e.g. a checkout of the CRDs catalog) or a path template with `{{ .Group }}`, `{{ .ResourceKind }}`,
    /// ... (repeatable)
    #[arg(long, value_name = "DIR")]
    pub schema_location: Vec<String>,

    /// Output format, to standard output or to a file with `=PATH` (repeatable; at most one to standard
    /// output): human, json, sarif, junit, tap, github, compact [default: human]
    #[arg(long, short = 'o', value_name = "FORMAT[=PATH]", value_parser = Output::parse)]
    pub output: Vec<Output>,

    /// Print only the findings: no summary line and no notes
    #[arg(long, short = 'q', conflicts_with = "summary")]
    pub quiet: bool,

    /// Print the summary line (to standard error) [default: unless the standard output format is for programs]
    #[arg(long, conflicts_with = "no_summary")]
    pub summary: bool,

    /// Do not print the summary line
    #[arg(long)]
    pub no_summary: bool,

    /// Show at most N findings (the exit status still counts them all)
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,

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

    /// Pod Security level of namespaces the input does not label, as a cluster default:
    /// `privileged`, `baseline` or `restricted`, with an optional version (`restricted:v1.30`)
    #[arg(long, value_name = "LEVEL[:VERSION]", value_parser = LevelVersion::parse)]
    pub pod_security: Option<LevelVersion>,

    /// ValidatingAdmissionPolicies and bindings to apply to the input without linting them:
    /// a file or a directory (repeatable)
    #[arg(long, value_name = "PATH")]
    pub policy: Vec<String>,

    /// Also list the findings that suppressions cover
    #[arg(long)]
    pub show_suppressed: bool,

    #[command(flatten)]
    pub fixing: super::fix::FixArgs,

    #[command(flatten)]
    pub baselining: super::baseline::BaselineArgs,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub render: RenderArgs,
}

/// How Helm charts and Kustomize roots are rendered.
#[derive(clap::Args, Debug)]
#[command(next_help_heading = "Helm and Kustomize")]
pub struct RenderArgs {
    /// Do not render charts and Kustomize roots: skip them with a note (their files are never linted as plain YAML)
    #[arg(long)]
    pub no_render: bool,
    /// Longest a render may take, in seconds [default: 60]
    #[arg(long, value_name = "SECONDS")]
    pub render_timeout: Option<u64>,
    /// The helm binary [default: `helm` on PATH]
    #[arg(long, value_name = "PATH")]
    pub helm: Option<std::path::PathBuf>,
    /// A values file for every chart, after its values.yaml, or `CHART=FILE` for one chart (repeatable)
    #[arg(long, value_name = "[CHART=]FILE")]
    pub helm_values: Vec<String>,
    /// A value for every chart, as `helm template --set` (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub helm_set: Vec<String>,
    /// The release name charts are rendered with [default: release-name]
    #[arg(long, value_name = "NAME")]
    pub release_name: Option<String>,
    /// The namespace charts are rendered for
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,
    /// Do not also render each chart with each of its `ci/*-values.yaml`
    #[arg(long)]
    pub no_ci_values: bool,
    /// The kustomize binary, or kubectl (run as `kubectl kustomize`) [default: `kustomize`, else `kubectl`, on PATH]
    #[arg(long, value_name = "PATH")]
    pub kustomize: Option<std::path::PathBuf>,
    /// Kustomize's load restrictor: `LoadRestrictionsRootOnly` or `LoadRestrictionsNone`
    #[arg(long, value_name = "RESTRICTOR")]
    pub load_restrictor: Option<String>,
    /// Let Kustomize inflate `helmCharts` (`--enable-helm`)
    #[arg(long)]
    pub enable_helm: bool,
}

impl RenderArgs {
    /// The options of a run: `.kval.yaml`'s `render:` settings, then the flags over them.
    pub fn options(&self, settings: &crate::render::settings::RenderSettings) -> crate::render::RenderOptions {
        let mut options = crate::render::RenderOptions::default();
        settings.apply(&mut options);
        options.enabled &= !self.no_render;
        options.ci_values &= !self.no_ci_values;
        options.enable_helm |= self.enable_helm;
        if let Some(seconds) = self.render_timeout {
            options.timeout = std::time::Duration::from_secs(seconds);
        }
        fn given<T: Clone>(flag: &Option<T>, setting: &mut Option<T>) {
            if flag.is_some() {
                setting.clone_from(flag);
            }
        }
        given(&self.helm, &mut options.helm);
        given(&self.kustomize, &mut options.kustomize);
        given(&self.namespace, &mut options.namespace);
        given(&self.load_restrictor, &mut options.load_restrictor);
        if let Some(name) = &self.release_name {
            options.release_name.clone_from(name);
        }
        for values in &self.helm_values {
            crate::render::settings::values_flag(values, &mut options);
        }
        options.helm_set.extend(self.helm_set.iter().cloned());
        options
    }
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
    /// Most findings reported for one file (more are counted in one finding)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_file_findings)]
    pub max_file_findings: usize,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_bytes,
            max_depth: self.max_depth,
            max_alias_nodes: self.max_alias_nodes,
            max_documents: self.max_documents,
            max_scalar_bytes: self.max_scalar_bytes,
            max_file_findings: self.max_file_findings,
        }
    }
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

/// The outputs asked for (human on standard output by default): at most one may go
/// to standard output, and no two to the same file.
fn outputs(args: &LintArgs) -> Result<Vec<Output>, String> {
    if args.output.is_empty() {
        return Ok(vec![Output { format: report::Format::Human, path: None }]);
    }
    if args.output.iter().filter(|o| o.path.is_none()).count() > 1 {
        return Err("only one `--output` can go to standard output; send the others to files, e.g. \
                    `--output sarif=kval.sarif`"
            .into());
    }
    let mut paths = std::collections::HashSet::new();
    for path in args.output.iter().filter_map(|o| o.path.as_ref()) {
        if !paths.insert(path) {
            return Err(format!("two `--output`s write to `{}`", path.display()));
        }
    }
    Ok(args.output.clone())
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
    if let Some(Err(e)) = args
        .schema_location
        .iter()
        .map(|l| crate::check::external::SchemaLocations::check_location(l))
        .find(Result::is_err)
    {
        return usage_error(&e);
    }
    let limits = args.limits.limits();
    let options = LintOptions {
        version,
        ignore_missing_schemas: args.ignore_missing_schemas,
        rules,
        limits,
        walk: WalkOptions { all_files: args.all_files },
        show_suppressed: args.show_suppressed,
        ignore_paths: config.ignore_paths.clone(),
        crds: args.crd.clone(),
        schema_locations: args.schema_location.clone(),
        pod_security: args.pod_security.or(config.pod_security),
        policies: args.policy.clone(),
        render: args.render.options(&config.render),
        custom_rules: config.custom_rules.clone(),
        ..LintOptions::default()
    };
    let outputs = match outputs(&args) {
        Ok(outputs) => outputs,
        Err(e) => return usage_error(&e),
    };
    let memory = crate::lint::Memory { objects: outputs.iter().any(|o| o.format.lists_objects()), ..options.memory };
    let options = LintOptions { memory, ..options };
    let (mut result, fixed) = match super::fix::lint_fixing(&args.paths, &args.fixing, &options) {
        Ok(done) => done,
        Err(e) => return usage_error(&e),
    };
    if let Some(diff) = &fixed.diff {
        if let Err(e) = print_stdout(diff) {
            eprintln!("error: cannot write to standard output: {e}");
            return exit::code(exit::ERROR);
        }
        return exit::code(if diff.is_empty() { exit::CLEAN } else { exit::FINDINGS });
    }
    if let Some(text) = &fixed.stdout
        && let Err(e) = print_stdout(text)
    {
        eprintln!("error: cannot write to standard output: {e}");
        return exit::code(exit::ERROR);
    }
    for warning in &fixed.warnings {
        eprintln!("warning: {warning}");
    }
    if args.fixing.fix_only {
        if !args.quiet
            && let Some(summary) = fixed.summary(&args.fixing)
        {
            eprintln!("{summary}");
        }
        return exit::code(if result.unreadable > 0 { exit::ERROR } else { exit::CLEAN });
    }
    let baselined = match super::baseline::apply(&args.baselining, &config, &mut result, args.show_suppressed) {
        Ok(baselined) => baselined,
        Err(e) => return usage_error(&e),
    };
    if let super::baseline::Baselined::Written(..) = baselined {
        baselined.notes().iter().for_each(|n| eprintln!("{n}"));
        return exit::code(exit::CLEAN);
    }
    let outputs: Vec<Output> = if args.baselining.statistics {
        if let Err(e) = print_stdout(&super::baseline::statistics(&result)) {
            eprintln!("error: cannot write to standard output: {e}");
            return exit::code(exit::ERROR);
        }
        outputs.into_iter().filter(|o| o.path.is_some()).collect()
    } else {
        outputs
    };
    let fail_on = args.fail_on.map(FailOn::severity).or(config.fail_on).unwrap_or(Severity::Error);
    let mut write_failed = false;
    for output in &outputs {
        // With the fixed standard input on standard output, the report goes to standard error.
        let to_stderr = output.path.is_none() && fixed.stdout.is_some();
        let color = output.path.is_none() && !to_stderr && use_color(args.color);
        let cx = ReportContext { result: &result, version, color, fail_on, max_findings: args.max_findings };
        let text = output.format.render(&cx);
        let written = match &output.path {
            None if to_stderr => {
                eprint!("{text}");
                Ok(())
            }
            None => print_stdout(&text).map_err(|e| format!("cannot write to standard output: {e}")),
            Some(path) => {
                std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {}", path.display(), io_message(&e)))
            }
        };
        if let Err(e) = written {
            eprintln!("error: {e}");
            write_failed = true;
        }
    }
    if !args.quiet {
        for note in &result.notes {
            eprintln!("note: {note}");
        }
        for note in baselined.notes() {
            eprintln!("note: {note}");
        }
        if let Some(max) = args.max_findings
            && result.findings.len() > max
        {
            let more = result.findings.len() - max;
            eprintln!("note: {} not shown (`--max-findings {max}`)", crate::text::plural(more, "more finding"));
        }
    }
    let stdout_for_programs = outputs.iter().any(|o| o.path.is_none() && o.format.for_programs());
    if !args.quiet && !args.no_summary && (args.summary || !stdout_for_programs) {
        if let Some(summary) = fixed.summary(&args.fixing) {
            eprintln!("{summary}");
        }
        eprintln!("{}", report::summary_line(&result));
        if let Some(note) = crate::fix::fixable_note(&result.findings) {
            eprintln!("note: {note}");
        }
    }
    let code = exit::code(if result.unreadable > 0 || write_failed {
        exit::ERROR
    } else if result.findings.iter().any(|f| f.fails(fail_on)) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    });
    // The process ends here: freeing tens of thousands of objects one by one would
    // only delay the exit (the system reclaims the memory at once).
    std::mem::forget(result);
    code
}
