//! Suppressions: the `kval.dev/ignore` annotation on an object and the
//! `# kval-ignore` comment on a line.
//!
//! Both become a [`Suppression`]: rule ids and the byte range or lines of a file they
//! cover. They are collected per file and applied once to all findings of a run, so
//! per-document and cross-document findings are suppressed the same way (a finding
//! is covered by where its primary location is).

use std::sync::Arc;

use crate::document::Document;
use crate::finding::Finding;
use crate::rules::{self, RuleSet, suppression as checks};
use crate::source::{SourceFile, Span};

/// The annotation that suppresses rules on an object: `"rule-a,rule-b # reason"`.
pub const ANNOTATION: &str = "kval.dev/ignore";
/// The comment that suppresses rules on its line and the next: `# kval-ignore rule-a`.
pub const COMMENT: &str = "kval-ignore";

#[derive(Debug)]
pub struct Suppression {
    source: Arc<SourceFile>,
    scope: Scope,
    /// The ids named, with where each is written.
    ids: Vec<(String, Span)>,
    reason: Option<String>,
    used: Vec<bool>,
}

#[derive(Debug)]
enum Scope {
    /// Byte range of the annotated object, in the file's offsets (see
    /// [`SourceFile::offset`]): the same whatever part of the file `source` holds.
    Object(usize, usize),
    /// 1-based lines a comment covers.
    Lines(usize, usize),
}

impl Suppression {
    /// Lets the file's text go but for the lines of the ids (see `crate::excerpt`),
    /// where findings on the suppression itself are reported.
    pub fn keep_excerpt(&mut self) {
        let lines = self.ids.iter().map(|(_, span)| self.source.lines_around(*span));
        let lines = lines.reduce(|a, b| a.start.min(b.start)..a.end.max(b.end)).unwrap_or_default();
        for (_, span) in &mut self.ids {
            *span = crate::excerpt::moved(*span, lines.start);
        }
        self.source = self.source.excerpt(lines);
    }

    fn covers(&self, finding: &Finding) -> bool {
        let location = &finding.location;
        if !Arc::ptr_eq(&location.source, &self.source) && location.source.name != self.source.name {
            return false;
        }
        match self.scope {
            // In the file's offsets: the two may be parts of a file read a part at a time.
            Scope::Object(start, end) => (start..=end).contains(&location.source.offset(location.span.start)),
            Scope::Lines(first, last) => (first..=last).contains(&location.start().line),
        }
    }

    fn describe(&self) -> String {
        let how = match self.scope {
            Scope::Object(..) => format!("the `{ANNOTATION}` annotation"),
            Scope::Lines(first, _) => format!("the `# {COMMENT}` comment on line {first}"),
        };
        match &self.reason {
            Some(reason) => format!("suppressed by {how}: {reason}"),
            None => format!("suppressed by {how}"),
        }
    }
}

/// Splits `rule-a, rule-b # reason` into ids (with their offsets in `text`) and a reason.
fn parse_list(text: &str) -> (Vec<(String, usize)>, Option<String>) {
    let (list, reason) = match text.split_once('#') {
        Some((list, reason)) => (list, Some(reason.trim().to_string()).filter(|r| !r.is_empty())),
        None => (text, None),
    };
    let mut ids = Vec::new();
    let mut offset = 0;
    for part in list.split(|c: char| c == ',' || c.is_whitespace()) {
        if !part.is_empty() {
            ids.push((part.to_string(), offset));
        }
        offset += part.len() + 1;
    }
    (ids, reason)
}

/// The suppressions of one file: annotations of its documents and comments of its text.
pub fn collect(source: &Arc<SourceFile>, documents: &[Document]) -> Vec<Suppression> {
    let mut found = Vec::new();
    for doc in documents {
        let Some(value) = doc.root.at(&["metadata", "annotations", ANNOTATION]) else { continue };
        let Some(text) = value.as_str() else { continue };
        let (ids, reason) = parse_list(text);
        // A quoted value's characters do not map one to one to the file: point at the value.
        let ids = ids.into_iter().map(|(id, _)| (id, value.span)).collect::<Vec<_>>();
        let used = vec![false; ids.len()];
        let scope = Scope::Object(source.offset(doc.root.span.start), source.offset(doc.root.span.end));
        found.push(Suppression { source: source.clone(), scope, ids, reason, used });
    }
    if memchr::memmem::find(source.text.as_bytes(), COMMENT.as_bytes()).is_some() {
        comments(source, &mut found);
    }
    found
}

fn comments(source: &Arc<SourceFile>, found: &mut Vec<Suppression>) {
    let marker = format!("# {COMMENT}");
    let mut offset = 0;
    for (i, line) in source.text.split('\n').enumerate() {
        let line_start = offset;
        offset += line.len() + 1;
        let Some((before, after)) = line.split_once(&marker) else { continue };
        let at = before.len();
        // A `#` starts a comment at the start of a line or after a space, outside quotes.
        let in_quotes = before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1;
        if in_quotes || !(before.is_empty() || before.ends_with(char::is_whitespace)) {
            continue;
        }
        let rest_at = at + marker.len();
        let rest = after;
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let (ids, reason) = parse_list(rest.trim_end_matches('\r'));
        let ids: Vec<(String, Span)> = ids
            .into_iter()
            .map(|(id, o)| {
                let start = line_start + rest_at + o;
                (id.clone(), Span::new(start, start + id.len()))
            })
            .collect();
        let number = i + 1 + source.lines_before;
        // A comment alone on its line covers the next line; after code, its own line.
        let scope =
            if before.trim().is_empty() { Scope::Lines(number, number + 1) } else { Scope::Lines(number, number) };
        let used = vec![false; ids.len()];
        found.push(Suppression { source: source.clone(), scope, ids, reason, used });
    }
}

/// Applies suppressions to the findings of a run: returns the findings kept, the ones
/// suppressed (marked with how), and adds findings for unknown ids and unused
/// suppressions of enabled rules.
pub fn apply(
    findings: Vec<Finding>,
    mut suppressions: Vec<Suppression>,
    rules: &RuleSet,
) -> (Vec<Finding>, Vec<Finding>) {
    if suppressions.is_empty() {
        return (findings, Vec::new());
    }
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for mut finding in findings {
        let mut how = None;
        for s in suppressions.iter_mut().filter(|s| s.covers(&finding)) {
            if let Some(i) = s.ids.iter().position(|(id, _)| id == finding.rule) {
                if let Some(used) = s.used.get_mut(i) {
                    *used = true;
                }
                how.get_or_insert_with(|| s.describe());
            }
        }
        match how {
            Some(how) => {
                finding.suppressed = Some(how);
                suppressed.push(finding);
            }
            None => kept.push(finding),
        }
    }
    for s in &suppressions {
        for ((id, span), used) in s.ids.iter().zip(&s.used) {
            let location = crate::finding::Location { source: s.source.clone(), span: *span };
            let finding = match rules::find(id) {
                None => {
                    let mut f = Finding::new(
                        checks::INVALID_SUPPRESSION.id,
                        checks::INVALID_SUPPRESSION.severity,
                        location,
                        format!("unknown rule `{id}` in a suppression"),
                    )
                    .label("no rule has this id");
                    f.help = Some(
                        crate::suggest::did_you_mean(id, rules::ALL.iter().map(|r| r.id))
                            .unwrap_or_else(|| "`kval rules` lists the rule ids".to_string()),
                    );
                    f
                }
                Some(rule) if !used && rules.severity(rule.id).is_some() => Finding::new(
                    checks::UNUSED_SUPPRESSION.id,
                    checks::UNUSED_SUPPRESSION.severity,
                    location,
                    format!("suppression of `{id}` matches no finding"),
                )
                .label("nothing to suppress")
                .help("remove it"),
                Some(_) => continue,
            };
            if let Some(severity) = rules.severity(finding.rule) {
                kept.push(Finding { severity, ..finding });
            }
        }
    }
    (kept, suppressed)
}

#[cfg(test)]
mod tests {
    use super::parse_list;

    #[test]
    fn lists_and_reasons() {
        let (ids, reason) = parse_list("latest-tag, run-as-root # pinned by digest in CI");
        assert_eq!(ids, vec![("latest-tag".to_string(), 0), ("run-as-root".to_string(), 12)]);
        assert_eq!(reason.as_deref(), Some("pinned by digest in CI"));
        assert_eq!(parse_list(" a b").0, vec![("a".to_string(), 1), ("b".to_string(), 3)]);
    }
}
