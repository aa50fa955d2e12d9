//! What the rules that look across documents need to know about each object.
//!
//! Documents are checked file by file and dropped; each leaves a small [`Resource`]
//! behind, so that a run over thousands of files keeps only these summaries.

use crate::document::Document;
use crate::finding::{Finding, Location, ObjectRef};
use crate::rules::{Rule, RuleSet};

/// One object of the run.
#[derive(Debug)]
pub struct Resource {
    pub object: ObjectRef,
    /// Where the object is (its `kind`), for findings and secondary labels.
    pub location: Location,
    pub document: usize,
    pub template: Option<String>,
}

impl Resource {
    pub fn extract(doc: &Document) -> Resource {
        Resource {
            object: doc.object.clone(),
            location: doc.location(doc.head_span()),
            document: doc.index,
            template: doc.template.clone(),
        }
    }

    /// A finding on this object, with the rule's default severity.
    pub fn finding(&self, rule: &'static Rule, location: Location, message: impl Into<String>) -> Finding {
        let mut finding = Finding::new(rule.id, rule.severity, location, message);
        finding.object = Some(self.object.clone());
        finding.document = Some(self.document);
        finding.template.clone_from(&self.template);
        finding
    }
}

/// Every object of a run, in input order.
#[derive(Debug, Default)]
pub struct Inventory {
    pub resources: Vec<Resource>,
}

/// Where cross-document rules report.
pub struct RunContext<'a> {
    pub inventory: &'a Inventory,
    rules: &'a RuleSet,
    findings: Vec<Finding>,
}

impl<'a> RunContext<'a> {
    pub fn new(inventory: &'a Inventory, rules: &'a RuleSet) -> Self {
        RunContext { inventory, rules, findings: Vec::new() }
    }

    /// Records a finding at its rule's configured severity; drops it when the rule is
    /// disabled.
    pub fn report(&mut self, mut finding: Finding) {
        if let Some(severity) = self.rules.severity(finding.rule) {
            finding.severity = severity;
            self.findings.push(finding);
        }
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
