//! Code actions: the fixes findings carry (`kval lint --fix`'s, safe ones preferred)
//! and, for every finding, "suppress this rule here" with a `# kval-ignore` comment.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit};

use super::position::LineIndex;
use crate::finding::{Applicability, Finding};

pub fn actions(findings: &[Finding], text: &str, range: Range, uri: &Uri) -> Vec<CodeActionOrCommand> {
    let index = LineIndex::new(text);
    let wanted = index.span(range);
    let touches = |f: &&Finding| {
        let s = f.location.span;
        s.start <= wanted.end && wanted.start <= s.end && f.suppressed.is_none()
    };
    let diagnostics = |f: &Finding| super::diagnostics::diagnostics(std::slice::from_ref(f), &index, uri);
    let edit = |edits: Vec<TextEdit>| WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    };
    let mut actions = Vec::new();
    for f in findings.iter().filter(touches) {
        if let Some(fix) = &f.fix {
            let edits = fix.edits.iter().map(|e| TextEdit::new(index.range(e.span), e.replacement.clone())).collect();
            let safe = fix.applicability == Applicability::Safe;
            actions.push(CodeAction {
                title: if safe { fix.title.clone() } else { format!("{} (changes behaviour)", fix.title) },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(diagnostics(f)),
                edit: Some(edit(edits)),
                is_preferred: Some(safe),
                ..CodeAction::default()
            });
        }
    }
    for f in findings.iter().filter(touches) {
        // A comment line of its own covers the line below it (README, "Suppressions").
        let line = index.position(f.location.span.start as usize).line;
        let text_line = index.line(line as usize);
        let indent = text_line.get(..text_line.len() - text_line.trim_start().len()).unwrap_or_default();
        let start = lsp_types::Position::new(line, 0);
        let comment = format!("{indent}# kval-ignore {}\n", f.rule);
        actions.push(CodeAction {
            title: format!("Suppress `{}` on this line", f.rule),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(diagnostics(f)),
            edit: Some(edit(vec![TextEdit::new(Range::new(start, start), comment)])),
            ..CodeAction::default()
        });
    }
    actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()
}
