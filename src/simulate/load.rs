//! The simulation's input, read and checked as `kval lint` reads and checks it:
//! documents with error-level findings are set aside with their findings, the
//! others become [`Object`]s.

use std::sync::Arc;

use rayon::prelude::*;

use super::object::Object;
use crate::check::{Checker, source_finding};
use crate::finding::{Finding, Severity};
use crate::input::{self, WalkOptions};
use crate::limits::Limits;
use crate::lint::{Unread, read_source};
use crate::rules::{RuleSet, schema as checks};
use crate::schema::{Catalog, KubeVersion};
use crate::source::SourceFile;

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub version: KubeVersion,
    pub limits: Limits,
    pub walk: WalkOptions,
}

/// A document left out of the simulation, and why.
#[derive(Clone, Debug)]
pub struct Excluded {
    /// `Job default/job-01`, or the document's place when it has no kind or name.
    pub object: String,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub objects: Vec<Object>,
    pub excluded: Vec<Excluded>,
    /// Errors outside any document (a path that cannot be read, a broken stream).
    pub problems: Vec<Finding>,
    /// Paths that could not be read.
    pub unreadable: usize,
    pub notes: Vec<String>,
}

pub fn load(paths: &[String], options: &LoadOptions) -> Loaded {
    let (inputs, errors) = input::collect(paths, &options.walk);
    let mut loaded = Loaded::default();
    for e in errors {
        if e.fatal {
            loaded.unreadable += 1;
            let source = SourceFile::new(e.name.clone(), String::new(), 0);
            let message = format!("cannot read `{}`: {}", e.name, e.message);
            loaded.problems.push(source_finding(&checks::IO_ERROR, &source, message));
        } else {
            loaded.notes.push(format!("{}: {}", e.name, e.message));
        }
    }
    let rules = RuleSet::default();
    // Custom resources play no part in a simulation: skip them quietly.
    let checker = Checker::new(Catalog::get(options.version), &rules, &options.limits, true);
    let files: Vec<Loaded> =
        (0..inputs.len()).into_par_iter().map(|i| load_input(&inputs.get(i), &checker, &options.limits)).collect();
    for file in files {
        loaded.objects.extend(file.objects);
        loaded.excluded.extend(file.excluded);
        loaded.problems.extend(file.problems);
        loaded.unreadable += file.unreadable;
        loaded.notes.extend(file.notes);
    }
    loaded
}

fn load_input(input: &input::Input, checker: &Checker<'_>, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let source = match read_source(input, limits) {
        Ok(source) => source,
        Err(Unread::Failed(finding)) => {
            loaded.unreadable += usize::from(finding.rule == checks::IO_ERROR.id);
            loaded.problems.push(*finding);
            return loaded;
        }
        Err(Unread::Note(note)) => {
            loaded.notes.push(note);
            return loaded;
        }
    };
    load_source(&source, checker)
}

/// Reads and checks one source already in memory (the fuzz target's entry point too).
pub fn load_source(source: &Arc<SourceFile>, checker: &Checker<'_>) -> Loaded {
    let mut loaded = Loaded::default();
    let mut read_findings = Vec::new();
    let documents = checker.read(source, &mut read_findings);
    read_findings.retain(|f| f.severity == Severity::Error);
    for doc in &documents {
        let span = doc.root.span;
        let inside =
            |f: &Finding| span.start <= f.location.span.start && f.location.span.start < span.end.max(span.start + 1);
        let mut errors: Vec<Finding> = read_findings.iter().filter(|f| inside(f)).cloned().collect();
        read_findings.retain(|f| !inside(f));
        errors.extend(checker.check_document(doc).findings.into_iter().filter(|f| f.severity == Severity::Error));
        if !errors.is_empty() {
            errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let line = doc.source.line_col(doc.head_span().start as usize).line;
            let object = match (&doc.object.kind, &doc.object.name) {
                (Some(kind), Some(name)) => {
                    let namespace = doc.object.namespace.as_deref().unwrap_or("default");
                    format!("{kind} {namespace}/{name} ({}:{line})", doc.source.name)
                }
                _ => format!("the document at {}:{line}", doc.source.name),
            };
            loaded.excluded.push(Excluded { object, findings: errors });
        } else if let Some(object) = Object::from_document(doc) {
            loaded.objects.push(object);
        }
    }
    loaded.problems.extend(read_findings);
    loaded
}
