//! Every rule, and which of them a run uses at which severity.

use std::collections::HashMap;

use super::{Check, Context, Rule, RunContext, schema};
use crate::document::Document;
use crate::finding::Severity;

/// Every rule kval has, in the order `kval rules` lists them.
pub static ALL: &[&Rule] = &[
    &schema::YAML_SYNTAX,
    &schema::DUPLICATE_KEY,
    &schema::YAML_KEY_CONVERTED,
    &schema::LIMIT_EXCEEDED,
    &schema::IO_ERROR,
    &schema::INVALID_ENCODING,
    &schema::INVALID_DOCUMENT,
    &schema::NO_OBJECTS,
    &schema::INTERNAL_ERROR,
    &schema::MISSING_API_VERSION,
    &schema::MISSING_KIND,
    &schema::UNKNOWN_KIND,
    &schema::REMOVED_API,
    &schema::UNKNOWN_FIELD,
    &schema::INVALID_TYPE,
    &schema::REQUIRED_FIELD,
    &schema::UNSUPPORTED_VALUE,
    &schema::INVALID_FORMAT,
    &schema::INVALID_QUANTITY,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// The rules a run uses, each with its severity.
#[derive(Clone, Debug)]
pub struct RuleSet {
    active: HashMap<&'static str, Severity>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet { active: ALL.iter().filter(|r| r.enabled).map(|r| (r.id, r.severity)).collect() }
    }
}

impl RuleSet {
    /// The severity a rule reports at, or `None` when it is disabled.
    pub fn severity(&self, id: &str) -> Option<Severity> {
        self.active.get(id).copied()
    }

    pub fn enable(&mut self, id: &str) -> Result<(), String> {
        let rule = lookup(id)?;
        self.active.entry(rule.id).or_insert(rule.severity);
        Ok(())
    }

    pub fn disable(&mut self, id: &str) -> Result<(), String> {
        self.active.remove(lookup(id)?.id);
        Ok(())
    }

    /// Sets a rule's severity (and enables it).
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> Result<(), String> {
        self.active.insert(lookup(id)?.id, severity);
        Ok(())
    }

    /// The enabled rules that run on each document.
    pub fn document_checks(&self) -> Vec<fn(&Document, &mut Context<'_>)> {
        ALL.iter()
            .filter(|r| self.active.contains_key(r.id))
            .filter_map(|r| match r.check {
                Check::Document(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    /// The enabled rules that run once on all the objects of a run.
    pub fn run_checks(&self) -> Vec<fn(&mut RunContext<'_>)> {
        ALL.iter()
            .filter(|r| self.active.contains_key(r.id))
            .filter_map(|r| match r.check {
                Check::Run(f) => Some(f),
                _ => None,
            })
            .collect()
    }
}

/// Finds a rule by id, or explains that there is none (with the closest id).
fn lookup(id: &str) -> Result<&'static Rule, String> {
    find(id).ok_or_else(|| {
        let mut message = format!("unknown rule `{id}`");
        if let Some(close) = crate::suggest::closest(id, ALL.iter().map(|r| r.id)) {
            message += &format!("; did you mean `{close}`?");
        }
        message + " (`kval rules` lists them)"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
            assert!(
                rule.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                rule.id
            );
        }
    }

    #[test]
    fn unknown_ids_are_explained() {
        let err = RuleSet::default().disable("unknown-feild").unwrap_err();
        assert!(err.contains("did you mean `unknown-field`?"), "{err}");
    }
}
