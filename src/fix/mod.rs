//! `kval lint --fix` and `--diff`: applying the fixes findings carry.
//!
//! Rules attach fixes ([`crate::finding::Fix`]) built with the helpers of [`edit`];
//! this module applies them to each file in rounds ([`apply`]), shows them as a
//! unified diff, and writes the files ([`write`]).

pub mod apply;
pub mod edit;
pub mod moves;
pub mod write;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::finding::{Applicability, Finding};
use crate::input;
use crate::lint::LintOptions;
use crate::source::SourceFile;

/// One file with fixes applied.
pub struct FixedFile {
    pub name: String,
    pub original: Arc<SourceFile>,
    pub fixed: String,
    /// Fixes applied, over all rounds.
    pub applied: usize,
}

/// Applies the fixes of `findings` (from a lint of `paths`) to each file, in rounds.
/// Files that end unchanged are left out; the order is the findings' order.
pub fn fix_all(findings: &[Finding], options: &LintOptions, unsafe_fixes: bool) -> Vec<FixedFile> {
    let mut files: Vec<(Arc<SourceFile>, Vec<&crate::finding::Fix>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for finding in findings {
        let Some(fix) = apply::applicable(finding, unsafe_fixes) else { continue };
        let source = &finding.location.source;
        if source.partial {
            // A file read a part at a time (see `lint::Memory`) is not fixed: the fix
            // would need its whole text.
            continue;
        }
        let i = *index.entry(source.name.as_str()).or_insert_with(|| {
            files.push((source.clone(), Vec::new()));
            files.len() - 1
        });
        if let Some((_, fixes)) = files.get_mut(i) {
            fixes.push(fix);
        }
    }
    files
        .into_par_iter()
        .filter_map(|(source, fixes)| {
            let (fixed, applied) = apply::fix_text(&source.name, &source.text, &fixes, options, unsafe_fixes);
            (fixed != source.text).then(|| FixedFile { name: source.name.clone(), original: source, fixed, applied })
        })
        .collect()
}

/// A unified diff of the fixed files (`--diff`), as `git diff` shows one.
pub fn diff(files: &[FixedFile]) -> String {
    let mut out = String::new();
    for file in files {
        let diff = similar::TextDiff::from_lines(file.original.text.as_str(), file.fixed.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", file.name), &format!("b/{}", file.name))
            .to_string();
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Writes the fixed files found under `paths`: for each, whether it was written or
/// why not (a file that must not or could not be written).
pub fn write_all(paths: &[String], files: &[FixedFile], walk: &input::WalkOptions) -> Vec<Result<(), String>> {
    let roots = write::roots(paths);
    let (inputs, _) = input::collect(paths, walk);
    let by_name: HashMap<String, PathBuf> =
        inputs.iter().filter_map(|i| Some((i.display_name(), i.path()?.to_path_buf()))).collect();
    files
        .iter()
        .map(|file| match by_name.get(&file.name) {
            Some(path) => write::write(path, &file.original.text, &file.fixed, &roots),
            None => Err("standard input is not written".to_string()),
        })
        .collect()
}

/// How many findings `--fix` would fix, and how many more `--unsafe-fixes` would.
pub fn fixable(findings: &[Finding]) -> (usize, usize) {
    let count = |a| {
        findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.fix.as_ref().is_some_and(|x| x.applicability == a))
            .count()
    };
    (count(Applicability::Safe), count(Applicability::Unsafe))
}

/// The note a run prints when some findings have fixes.
pub fn fixable_note(findings: &[Finding]) -> Option<String> {
    let (safe, unsafe_) = fixable(findings);
    let plural = crate::text::plural;
    match (safe, unsafe_) {
        (0, 0) => None,
        (0, u) => Some(format!("{} can be fixed with `--fix --unsafe-fixes`", plural(u, "finding"))),
        (s, 0) => Some(format!("{} can be fixed with `--fix`", plural(s, "finding"))),
        (s, u) => {
            Some(format!("{} can be fixed with `--fix` ({} more with `--unsafe-fixes`)", plural(s, "finding"), u))
        }
    }
}
