//! Where checks report what they find about a document.

use crate::document::Document;
use crate::finding::Finding;
use crate::schema::Catalog;
use crate::source::Span;

use super::{Rule, RuleSet};

pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub doc: &'a Document,
    rules: &'a RuleSet,
    findings: Vec<Finding>,
    /// Findings kept at most; the rest are only counted (`Limits::max_file_findings`).
    budget: usize,
    dropped: usize,
}

impl<'a> Context<'a> {
    pub fn new(catalog: &'a Catalog, doc: &'a Document, rules: &'a RuleSet) -> Self {
        Context { catalog, doc, rules, findings: Vec::new(), budget: usize::MAX, dropped: 0 }
    }

    /// A finding of `rule` on the current document.
    pub fn finding(&self, rule: &'static Rule, span: Span, message: impl Into<String>) -> Finding {
        self.doc.finding(rule, span, message)
    }

    pub fn enabled(&self, rule: &Rule) -> bool {
        self.rules.severity(rule.id).is_some()
    }

    /// Records a finding at its rule's configured severity; drops it when the rule is
    /// disabled.
    pub fn report(&mut self, mut finding: Finding) {
        if let Some(severity) = self.rules.severity(finding.rule) {
            if self.findings.len() >= self.budget {
                self.dropped += 1;
                return;
            }
            finding.severity = severity;
            self.findings.push(finding);
        }
    }

    /// How many findings have been recorded so far.
    pub fn count(&self) -> usize {
        self.findings.len()
    }

    /// Keeps only the findings `keep` accepts (admission drops what it covers).
    pub fn retain(&mut self, keep: impl FnMut(&Finding) -> bool) {
        self.findings.retain(keep);
    }

    /// Drops the findings recorded after the first `len` (a trial validation).
    pub fn truncate(&mut self, len: usize) {
        self.findings.truncate(len);
    }

    /// Keeps at most `budget` findings; the others are only counted.
    pub fn limit_findings(&mut self, budget: usize) {
        self.budget = budget;
    }

    /// Findings reported beyond the budget.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The findings, one per mistake (see [`super::overlap`]).
    pub fn into_findings(mut self) -> Vec<Finding> {
        super::overlap::merge(&mut self.findings);
        self.findings
    }
}
