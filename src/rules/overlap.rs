//! One finding per mistake: where a rule that mirrors the API server's validation and
//! a built-in schema check report the same text, only the rule's finding is kept.
//!
//! A wrong enum value (`protocol: tcp` in a NetworkPolicy) fails the schema's
//! `unsupported-value` check and the rule that goes through the kind's Go validation
//! (`invalid-network-policy`); data that is not base64 fails `invalid-format` and
//! `invalid-secret`. The rule's finding says it in the API server's words (field
//! path, `Unsupported value: "tcp": supported values: ...`), so it stays; what only
//! the schema's finding has (its "did you mean", its fix, the list of supported
//! values) moves to it. A finding never hides one of a higher severity.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Category, Check};
use crate::finding::Finding;

/// Removes the schema checks' findings that a rule's finding on the same span
/// repeats, after moving what they add to the rule's finding.
pub fn merge(findings: &mut Vec<Finding>) {
    if findings.len() < 2 {
        return;
    }
    let mut rules: HashMap<(usize, u32, u32), usize> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if kind(f.rule) == Some(Kind::Rule) {
            rules.entry(place(f)).or_insert(i);
        }
    }
    if rules.is_empty() {
        return;
    }
    let mut repeated = vec![false; findings.len()];
    for (i, is_repeated) in repeated.iter_mut().enumerate() {
        let Some(schema) = findings.get(i).filter(|f| kind(f.rule) == Some(Kind::Schema)) else { continue };
        let Some(&rule) = rules.get(&place(schema)) else { continue };
        if findings.get(rule).is_some_and(|r| r.severity >= schema.severity) {
            let schema = schema.clone();
            if let Some(kept) = findings.get_mut(rule) {
                absorb(kept, schema);
            }
            *is_repeated = true;
        }
    }
    let mut flags = repeated.into_iter();
    findings.retain(|_| !flags.next().unwrap_or(false));
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A built-in check of the loader or the schema validator.
    Schema,
    /// A rule that mirrors the API server's validation of a kind.
    Rule,
}

fn kind(id: &str) -> Option<Kind> {
    let rule = super::find(id)?;
    match (rule.check, rule.category) {
        (Check::Builtin, _) => Some(Kind::Schema),
        (_, Category::ApiValidation) => Some(Kind::Rule),
        _ => None,
    }
}

/// The file (by identity) and span of a finding.
fn place(f: &Finding) -> (usize, u32, u32) {
    (Arc::as_ptr(&f.location.source) as usize, f.location.span.start, f.location.span.end)
}

/// Moves into the rule's finding what only the schema's finding has.
fn absorb(kept: &mut Finding, schema: Finding) {
    if kept.fix.is_none() {
        kept.fix = schema.fix;
    }
    // The "did you mean" and the supported values, when the rule says no more than
    // the API server's message.
    if kept.help.is_none() {
        kept.help = schema.help;
        if kept.note.is_none() && !kept.message.contains("supported values") {
            kept.note = schema.note;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Severity};
    use crate::source::{SourceFile, Span};

    fn at(source: &Arc<SourceFile>, rule: &'static str, severity: Severity, start: usize) -> Finding {
        let location = Location { source: source.clone(), span: Span::new(start, start + 3) };
        Finding::new(rule, severity, location, rule)
    }

    #[test]
    fn the_rule_keeps_the_schema_findings_help() {
        let source = SourceFile::new("a.yaml", "protocol: tcp\n".to_string(), 0);
        let mut findings = vec![
            at(&source, "unsupported-value", Severity::Error, 10).help("did you mean `TCP`?"),
            at(&source, "invalid-network-policy", Severity::Error, 10),
            at(&source, "unsupported-value", Severity::Error, 0),
        ];
        merge(&mut findings);
        let left: Vec<_> = findings.iter().map(|f| (f.rule, f.location.span.start, f.help.clone())).collect();
        assert_eq!(
            left,
            [("invalid-network-policy", 10, Some("did you mean `TCP`?".to_string())), ("unsupported-value", 0, None)]
        );
    }

    #[test]
    fn a_warning_does_not_hide_an_error() {
        let source = SourceFile::new("a.yaml", "memory: 1.5\n".to_string(), 0);
        let mut findings = vec![
            at(&source, "invalid-quantity", Severity::Error, 8),
            at(&source, "api-server-warning", Severity::Warning, 8),
        ];
        merge(&mut findings);
        assert_eq!(findings.len(), 2);
    }

    #[test]
    fn two_rules_on_one_span_are_two_mistakes() {
        let source = SourceFile::new("a.yaml", "name: http_metrics\n".to_string(), 0);
        let mut findings =
            vec![at(&source, "invalid-port", Severity::Error, 6), at(&source, "duplicate-port", Severity::Error, 6)];
        merge(&mut findings);
        assert_eq!(findings.len(), 2);
    }
}
