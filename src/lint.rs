//! A lint run: inputs → documents → checks → findings, in parallel over files.

// Input-derived data must never make kval panic (see README, "Hostile and broken input").
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{CheckedObject, Checker, source_finding};
use crate::finding::{Finding, Location, Severity};
use crate::input::{self, Input, Unreadable, WalkOptions};
use crate::limits::Limits;
use crate::rules::{Inventory, RuleSet, RunContext, schema as checks};
use crate::schema::{Catalog, KubeVersion};
use crate::source::{SourceFile, Span};

#[derive(Clone, Debug)]
pub struct LintOptions {
    pub version: KubeVersion,
    pub ignore_missing_schemas: bool,
    pub rules: RuleSet,
    pub limits: Limits,
    pub walk: WalkOptions,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            version: KubeVersion::newest(),
            ignore_missing_schemas: false,
            rules: RuleSet::default(),
            limits: Limits::default(),
            walk: WalkOptions::default(),
        }
    }
}

/// Everything a run found, in report order.
#[derive(Debug, Default)]
pub struct LintResult {
    pub findings: Vec<Finding>,
    /// Files (and standard input) read.
    pub files: usize,
    pub resources: usize,
    pub skipped: usize,
    /// Paths that could not be read (exit status 2).
    pub unreadable: usize,
    /// Remarks that are not findings (a binary file skipped, a symlink loop).
    pub notes: Vec<String>,
    /// The names of the files (and standard input) read, in report order.
    pub inputs: Vec<String>,
    /// Every object checked or skipped, in report order.
    pub objects: Vec<CheckedObject>,
    pub elapsed: Duration,
}

impl LintResult {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Lints files, directories and standard input (`-`).
pub fn lint(paths: &[String], options: &LintOptions) -> LintResult {
    let start = Instant::now();
    let (inputs, input_errors) = input::collect(paths, &options.walk);
    let mut result = LintResult::default();
    for e in input_errors {
        if e.fatal {
            result.unreadable += 1;
            let source = SourceFile::new(e.name.clone(), String::new(), 0);
            let message = format!("cannot read `{}`: {}", e.name, e.message);
            result.findings.push(source_finding(&checks::IO_ERROR, &source, message));
        } else {
            result.notes.push(format!("{}: {}", e.name, e.message));
        }
    }
    let checker = checker(options);
    let outcomes: Vec<FileOutcome> = inputs
        .par_iter()
        .map(|input| guarded(&input.display_name(), || check_input(input, &checker, options)))
        .collect();
    let order: Vec<String> = inputs.iter().map(Input::display_name).collect();
    finish(result, outcomes, options, &order, start)
}

/// Lints one text, as if it were a file of that name.
pub fn lint_text(name: &str, text: &str, options: &LintOptions) -> LintResult {
    let start = Instant::now();
    let source = SourceFile::new(name, text.to_string(), 0);
    let outcome = guarded(name, || {
        let checker = checker(options);
        let mut report = checker.check_source(&source);
        checker.expect_objects(&source, &mut report);
        FileOutcome::Checked(report)
    });
    finish(LintResult::default(), vec![outcome], options, &[name.to_string()], start)
}

fn checker(options: &LintOptions) -> Checker<'_> {
    Checker::new(Catalog::get(options.version), &options.rules, &options.limits, options.ignore_missing_schemas)
}

/// Merges the files' results, runs the cross-document rules and sorts.
fn finish(
    mut result: LintResult,
    outcomes: Vec<FileOutcome>,
    options: &LintOptions,
    order: &[String],
    start: Instant,
) -> LintResult {
    let mut inventory = Inventory::default();
    for (outcome, name) in outcomes.into_iter().zip(order) {
        if !matches!(outcome, FileOutcome::Note(_)) {
            result.inputs.push(name.clone());
        }
        match outcome {
            FileOutcome::Checked(r) => {
                result.files += 1;
                result.objects.extend(r.objects);
                result.resources += r.resources;
                result.skipped += r.skipped;
                result.findings.extend(r.findings);
                inventory.resources.extend(r.inventory);
            }
            FileOutcome::Failed(f) => {
                result.files += 1;
                result.unreadable += usize::from(f.rule == checks::IO_ERROR.id || f.rule == checks::INTERNAL_ERROR.id);
                result.findings.push(*f);
            }
            FileOutcome::Note(note) => result.notes.push(note),
        }
    }
    for check in options.rules.run_checks() {
        let mut cx = RunContext::new(&inventory, &options.rules);
        check(&mut cx);
        result.findings.extend(cx.into_findings());
    }
    sort_findings(&mut result.findings, order);
    result.elapsed = start.elapsed();
    result
}

/// Orders findings by input (in the order the inputs were given or found), then by
/// position and rule. Paths that could not be read at all come first.
fn sort_findings(findings: &mut [Finding], names: &[String]) {
    let order: std::collections::HashMap<&str, usize> =
        names.iter().enumerate().map(|(i, name)| (name.as_str(), i)).collect();
    findings.sort_by(|a, b| {
        let rank = |f: &Finding| order.get(f.location.source.name.as_str()).map_or(0, |i| i + 1);
        (rank(a), a.sort_key()).cmp(&(rank(b), b.sort_key()))
    });
}

enum FileOutcome {
    Checked(crate::check::SourceReport),
    Failed(Box<Finding>),
    Note(String),
}

fn check_input(input: &Input, checker: &Checker<'_>, options: &LintOptions) -> FileOutcome {
    let name = input.display_name();
    let failed = |rule, message: String| {
        let source = SourceFile::new(name.clone(), String::new(), 0);
        FileOutcome::Failed(Box::new(source_finding(rule, &source, message)))
    };
    let source: Arc<SourceFile> = match input::read(input, options.limits.max_file_bytes) {
        Ok(source) => source,
        Err(Unreadable::Io(message)) => return failed(&checks::IO_ERROR, format!("cannot read `{name}`: {message}")),
        Err(Unreadable::Encoding(e)) => {
            let rule = &checks::INVALID_ENCODING;
            let location = Location { source: SourceFile::new(name, e.text, e.offset_base), span: Span::point(e.at) };
            let finding = Finding::new(rule.id, rule.severity, location, e.message).label("invalid here");
            return FileOutcome::Failed(Box::new(finding));
        }
        Err(Unreadable::TooLarge(size)) => {
            let message = format!(
                "`{name}` is {size} bytes, more than the limit of {} (set `--max-file-bytes` to raise it)",
                options.limits.max_file_bytes
            );
            return failed(&checks::LIMIT_EXCEEDED, message);
        }
        Err(Unreadable::Binary) => return FileOutcome::Note(format!("{name}: skipped, it looks like a binary file")),
    };
    let mut report = checker.check_source(&source);
    if !matches!(input, Input::Found(_)) {
        checker.expect_objects(&source, &mut report);
    }
    FileOutcome::Checked(report)
}

/// Runs the check of one input, turning a panic (a bug) into a finding on that input
/// so that the other inputs are still checked: the last line of defence, since no
/// input should make kval panic.
fn guarded(name: &str, check: impl FnOnce() -> FileOutcome) -> FileOutcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let message = format!("internal error while checking `{name}`: {what}");
        let source = SourceFile::new(name, String::new(), 0);
        let finding = source_finding(&checks::INTERNAL_ERROR, &source, message)
            .help("this is a bug in kval: please report it with the file that caused it");
        FileOutcome::Failed(Box::new(finding))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last line of defence: a panic while checking one input becomes an
    /// `internal-error` finding on it (exit status 2), and the run goes on.
    #[test]
    fn a_panic_becomes_an_internal_error() {
        let outcome = guarded("x.yaml", || panic!("index out of bounds"));
        let FileOutcome::Failed(f) = outcome else { panic!("not a failure") };
        assert_eq!(f.rule, "internal-error");
        assert_eq!(f.message, "internal error while checking `x.yaml`: index out of bounds");
        let order = ["x.yaml".to_string()];
        let outcomes = vec![FileOutcome::Failed(f)];
        let result = finish(LintResult::default(), outcomes, &LintOptions::default(), &order, Instant::now());
        assert_eq!(result.unreadable, 1);
    }
}
