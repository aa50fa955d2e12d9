//! Baselines: accept the findings of today and fail only on new ones.
//!
//! `kval lint --write-baseline FILE` records each finding as its rule, file, object
//! and field, and a fingerprint of the offending text; `--baseline FILE` (or
//! `baseline:` in `.kval.yaml`) then leaves out the findings it records. Line
//! numbers are not part of an entry, so moving code around keeps the baseline.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

/// How a baselined finding is marked as suppressed (`--show-suppressed`).
pub const SUPPRESSED: &str = "in the baseline";

/// Bumped on an incompatible change of the file.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One recorded finding (the same finding twice is recorded twice).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    /// `namespace/Kind/name`, as far as known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object: String,
    /// The JSON pointer of the field.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    /// FNV-1a of the offending text (whitespace collapsed), so that an unrelated
    /// edit keeps the entry and a change of that text does not.
    pub fingerprint: String,
}

impl Entry {
    pub fn of(finding: &Finding) -> Entry {
        let object = finding.object.as_ref().map_or_else(String::new, |o| {
            [o.namespace.as_deref(), o.kind.as_deref(), o.name.as_deref()]
                .iter()
                .flatten()
                .copied()
                .collect::<Vec<_>>()
                .join("/")
        });
        let text =
            finding.location.source.slice(finding.location.span).split_whitespace().collect::<Vec<_>>().join(" ");
        // Findings on a file as a whole (an unreadable file) have no text: the message stands in.
        let text = if text.is_empty() { finding.message.clone() } else { text };
        Entry {
            rule: finding.rule.to_string(),
            file: finding.location.source.name.clone(),
            object,
            pointer: finding.pointer.clone().unwrap_or_default(),
            fingerprint: format!("{:016x}", fnv1a(&text)),
        }
    }
}

/// 64-bit FNV-1a: stable across Rust versions and platforms, unlike `std`'s hasher.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Writes the findings that are not suppressed to `path`; returns how many.
pub fn write(path: &Path, findings: &[Finding]) -> Result<usize, String> {
    let mut entries: Vec<Entry> = findings.iter().filter(|f| f.suppressed.is_none()).map(Entry::of).collect();
    entries.sort();
    let count = entries.len();
    let text = serde_json::to_string_pretty(&BaselineFile { version: VERSION, findings: entries })
        .map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n")
        .map_err(|e| format!("cannot write `{}`: {}", path.display(), crate::input::io_message(&e)))?;
    Ok(count)
}

pub fn read(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the baseline `{}`: {}", path.display(), crate::input::io_message(&e)))?;
    let file: BaselineFile =
        serde_json::from_str(&text).map_err(|e| format!("`{}` is not a kval baseline: {e}", path.display()))?;
    if file.version != VERSION {
        return Err(format!(
            "`{}` is a baseline of format {}, this kval reads {VERSION}",
            path.display(),
            file.version
        ));
    }
    Ok(file.findings)
}

/// What applying a baseline did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings the baseline records (left out, or marked with `keep`).
    pub baselined: usize,
    /// Entries that match no finding any more: the baseline can shrink.
    pub stale: Vec<Entry>,
    /// Whether the baselined findings stay in the report, marked suppressed.
    pub shown: bool,
}

/// Leaves out the findings `baseline` records (or marks them suppressed, with
/// `keep`), each entry matching one finding.
pub fn apply(findings: &mut Vec<Finding>, baseline: &[Entry], keep: bool) -> Applied {
    let mut left: HashMap<&Entry, usize> = HashMap::new();
    for entry in baseline {
        *left.entry(entry).or_default() += 1;
    }
    let mut applied = Applied { shown: keep, ..Applied::default() };
    findings.retain_mut(|f| {
        if f.suppressed.is_some() {
            return true;
        }
        let entry = Entry::of(f);
        match left.get_mut(&entry) {
            Some(n) if *n > 0 => {
                *n -= 1;
                applied.baselined += 1;
                f.suppressed = Some(SUPPRESSED.to_string());
                keep
            }
            _ => true,
        }
    });
    let mut stale: Vec<Entry> = left.into_iter().flat_map(|(entry, n)| std::iter::repeat_n(entry.clone(), n)).collect();
    stale.sort();
    applied.stale = stale;
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{LintOptions, lint_text};

    const TEXT: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: nginx:latest\n    imagePulPolicy: Always\n";

    #[test]
    fn entries_survive_lines_added_above_and_match_once() {
        let options = LintOptions::default();
        let before = lint_text("a.yaml", TEXT, &options).findings;
        let baseline: Vec<Entry> = before.iter().map(Entry::of).collect();
        let shifted = format!("# a comment\n\n{TEXT}");
        let mut after = lint_text("a.yaml", &shifted, &options).findings;
        let applied = apply(&mut after, &baseline, false);
        assert_eq!((after.len(), applied.baselined, applied.stale.len()), (0, before.len(), 0));
        // A new mistake is reported alone; the fixed one's entry is stale.
        let changed = shifted.replace("nginx:latest", "nginx:1.27").replace("kind: Pod\n", "kind: Pod\nfoo: 1\n");
        let mut after = lint_text("a.yaml", &changed, &options).findings;
        let applied = apply(&mut after, &baseline, false);
        let rules: Vec<&str> = after.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["unknown-field"]);
        assert_eq!(applied.stale.iter().map(|e| e.rule.as_str()).collect::<Vec<_>>(), ["latest-tag"]);
    }
}
