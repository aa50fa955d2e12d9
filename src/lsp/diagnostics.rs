//! Findings as LSP diagnostics: the same findings `kval lint` reports, with the rule
//! id as the code.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString, Uri,
};

use super::position::LineIndex;
use crate::finding::{Finding, Severity};

/// Where the rules are documented (`kval rules ID` prints a rule's documentation,
/// and hovering a diagnostic shows it).
pub fn rules_url() -> Option<Uri> {
    Uri::from_str(concat!(env!("CARGO_PKG_REPOSITORY"), "#rules")).ok()
}

/// The diagnostics of one document's findings (`index`: its text).
pub fn diagnostics(findings: &[Finding], index: &LineIndex, uri: &Uri) -> Vec<Diagnostic> {
    findings.iter().map(|f| diagnostic(f, index, uri)).collect()
}

fn diagnostic(finding: &Finding, index: &LineIndex, uri: &Uri) -> Diagnostic {
    let mut message = finding.message.clone();
    for (what, text) in [("note", &finding.note), ("help", &finding.help)] {
        if let Some(text) = text {
            message += &format!("\n{what}: {text}");
        }
    }
    let related: Vec<DiagnosticRelatedInformation> = finding
        .secondary
        .iter()
        .filter_map(|label| {
            let source = &label.location.source;
            let (target, range) = if source.name == finding.location.source.name {
                (uri.clone(), index.range(label.location.span))
            } else {
                let target = super::uri::from_path(std::path::Path::new(&source.name))?;
                (target, LineIndex::new(&source.text).range(label.location.span))
            };
            Some(DiagnosticRelatedInformation {
                location: Location::new(target, range),
                message: label.message.clone(),
            })
        })
        .collect();
    let tags = match finding.rule {
        "unused-suppression" => Some(vec![DiagnosticTag::UNNECESSARY]),
        r if r.starts_with("deprecated") => Some(vec![DiagnosticTag::DEPRECATED]),
        _ => None,
    };
    Diagnostic {
        range: index.range(finding.location.span),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.to_string())),
        code_description: rules_url().map(|href| CodeDescription { href }),
        source: Some("kval".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags,
        data: None,
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}
