//! Hover: on a field, what `kval explain --rules` prints for it (the same text:
//! `explain::explain_line` is `kval explain FILE:LINE`); on a finding, its rule's
//! documentation.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::position::LineIndex;
use crate::explain::{Request, explain_line};
use crate::finding::Finding;
use crate::schema::{Catalog, KubeVersion};

pub fn hover(text: &str, position: Position, version: KubeVersion, findings: &[Finding]) -> Option<Hover> {
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let mut sections = Vec::new();
    let line = index.line(position.line as usize);
    // The key written on the line, when the cursor is on it or on its value.
    if !line.trim_start().starts_with('#') && !line.trim().is_empty() {
        let request =
            Request { argument: "", api_version: "", recursive: false, output: "plaintext", rules: true, custom: None };
        let explained = explain_line(Catalog::get(version), text, position.line as usize + 1, &request);
        if explained.error.is_none() && !explained.text.is_empty() {
            sections.push(format!("```text\n{}\n```", explained.text.trim_end()));
        }
    }
    for f in findings
        .iter()
        .filter(|f| f.location.span.range().contains(&offset) || f.location.span.start as usize == offset)
    {
        if let Some(rule) = crate::rules::find(f.rule) {
            sections.push(format!("**{}** ({})\n\n{}", rule.id, rule.summary, rule.documentation().trim()));
        }
    }
    sections.dedup();
    (!sections.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: None,
    })
}
