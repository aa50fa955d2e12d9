//! The rules: one file per rule, each with its documentation.
//!
//! A rule's doc comment is its documentation (`kval rules <id>` prints it). Checks that
//! the loader and the schema validator perform are rules too (they have no `check`
//! function of their own), so every finding has an id that can be looked up,
//! configured and suppressed the same way.

mod context;
pub mod inventory;
mod overlap;
pub mod pod;
mod registry;
pub mod spill;

pub mod admission;
pub mod api_validation;
pub mod best_practice;
pub mod correctness;
pub mod deprecation;
pub mod schema;
pub mod security;
pub mod suppression;

pub use context::Context;
pub use inventory::{Inventory, RunContext};
pub use registry::{ALL, RuleSet, all, checking, find, register};

use crate::document::Document;
use crate::finding::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// What the API server rejects.
    ApiValidation,
    /// Legal but wrong.
    Correctness,
    BestPractice,
    Security,
    Deprecation,
    /// Defined in `.kval.yaml` (`customRules`).
    Custom,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::ApiValidation => "api-validation",
            Category::Correctness => "correctness",
            Category::BestPractice => "best-practice",
            Category::Security => "security",
            Category::Deprecation => "deprecation",
            Category::Custom => "custom",
        }
    }
}

/// What a rule runs on.
#[derive(Clone, Copy)]
pub enum Check {
    /// Emitted by the loader or the schema validator.
    Builtin,
    /// Runs on each document.
    Document(fn(&Document, &mut Context<'_>)),
    /// Runs once on all the objects of a run.
    Run(fn(&mut RunContext<'_>)),
}

pub struct Rule {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Whether the rule runs unless disabled.
    pub enabled: bool,
    /// One line, for `kval rules` and SARIF's short description.
    pub summary: &'static str,
    /// The rule's documentation (Markdown, from its doc comment).
    pub doc: &'static str,
    /// What the rule checks, as `<DefinitionShortName>.<field>` (`PodSpec.restartPolicy`),
    /// for `kval explain --rules`. Empty for the built-in schema checks.
    pub fields: &'static [&'static str],
    /// The kinds of fixes its findings may carry (`kval rules` shows them).
    pub fixes: &'static [crate::finding::Applicability],
    pub check: Check,
}

impl Rule {
    /// The documentation with the doc-comment indentation removed.
    pub fn documentation(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
    }
}

/// Declares a rule; its doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub static MY_RULE = { id: "my-rule", category: Correctness, severity: Warning,
///                            enabled: true, summary: "...", check: Document(check) };
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            category: $category:ident,
            severity: $severity:ident,
            enabled: $enabled:literal,
            summary: $summary:literal,
            $(fields: [$($field:literal),* $(,)?],)?
            $(fixes: [$($fix:ident),* $(,)?],)?
            check: $check:ident $(($f:path))? $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::rules::Rule = $crate::rules::Rule {
            id: $id,
            category: $crate::rules::Category::$category,
            severity: $crate::finding::Severity::$severity,
            enabled: $enabled,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            fields: &[$($($field),*)?],
            fixes: &[$($($crate::finding::Applicability::$fix),*)?],
            check: $crate::rules::Check::$check $(($f))?,
        };
    };
}

/// Records `key` and returns the node it was first seen with, if any. Lists in a
/// manifest are short, so a vector beats a hash map here.
pub fn first_seen<'n, K: PartialEq>(
    seen: &mut Vec<(K, &'n crate::yaml::Node)>,
    key: K,
    node: &'n crate::yaml::Node,
) -> Option<&'n crate::yaml::Node> {
    match seen.iter().find(|(k, _)| *k == key) {
        Some((_, first)) => Some(first),
        None => {
            seen.push((key, node));
            None
        }
    }
}

/// A finding message in the API server's `Invalid value` form: short reasons stay in
/// the message (`invalid value 70000 for `…`: must be between 1 and 65535, inclusive`);
/// long ones (the regex texts of name rules) go to the note, so the message stays
/// readable and the API server's exact words are still shown.
pub fn invalid_value(value: &str, field: &str, reason: &str) -> (String, Option<String>) {
    if reason.len() <= 60 {
        (format!("invalid value {value} for `{field}`: {reason}"), None)
    } else {
        (format!("invalid value {value} for `{field}`"), Some(reason.to_string()))
    }
}
