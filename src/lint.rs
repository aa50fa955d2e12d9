//! A lint run: inputs → documents → checks → findings, in parallel over files.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{Checker, source_finding};
use crate::finding::{Finding, Severity};
use crate::input::{self, Input, Unreadable, WalkOptions};
use crate::limits::Limits;
use crate::rules::{RuleSet, schema as checks};
use crate::schema::{Catalog, KubeVersion};
use crate::source::SourceFile;

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
    pub elapsed: Duration,
}

impl LintResult {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

pub fn lint(paths: &[String], options: &LintOptions) -> LintResult {
    let start = Instant::now();
    let (inputs, input_errors) = input::collect(paths, &options.walk);
    let mut result = LintResult::default();
    for e in input_errors {
        if e.fatal {
            result.unreadable += 1;
            let source = SourceFile::new(e.name.clone(), String::new(), 0);
            result.findings.push(source_finding(&checks::IO_ERROR, &source, format!("cannot read `{}`: {}", e.name, e.message)));
        } else {
            result.notes.push(format!("{}: {}", e.name, e.message));
        }
    }
    let catalog = Catalog::get(options.version);
    let checker = Checker::new(catalog, &options.rules, &options.limits, options.ignore_missing_schemas);
    let reports: Vec<FileOutcome> = inputs.par_iter().map(|input| check_input(input, &checker, options)).collect();
    for outcome in reports {
        match outcome {
            FileOutcome::Checked(r) => {
                result.files += 1;
                result.resources += r.resources;
                result.skipped += r.skipped;
                result.findings.extend(r.findings);
            }
            FileOutcome::Failed(f) => {
                result.files += 1;
                result.unreadable += usize::from(f.rule == checks::IO_ERROR.id);
                result.findings.push(*f);
            }
            FileOutcome::Note(note) => result.notes.push(note),
        }
    }
    result.elapsed = start.elapsed();
    result
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
        Err(Unreadable::Encoding(message)) => return failed(&checks::INVALID_ENCODING, message),
        Err(Unreadable::TooLarge(size)) => {
            let message = format!(
                "`{name}` is {size} bytes, more than the limit of {} (set `--max-file-bytes` to raise it)",
                options.limits.max_file_bytes
            );
            return failed(&checks::LIMIT_EXCEEDED, message);
        }
        Err(Unreadable::Binary) => return FileOutcome::Note(format!("{name}: skipped, it looks like a binary file")),
    };
    FileOutcome::Checked(checker.check_source(&source))
}
