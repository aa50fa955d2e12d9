//! rustc-style output: the message, `file:line:col`, the source lines with the span
//! underlined, and notes and help.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::ReportContext;
use crate::finding::{Finding, Location, Severity};
use crate::source::{SourceFile, Span};

/// Secondary labels further than this many lines from the primary span get a
/// snippet of their own.
const NEARBY_LINES: usize = 8;

pub fn render(cx: &ReportContext<'_>) -> String {
    let renderer = if cx.color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for finding in cx.findings() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&render_one(&renderer, finding));
        out.push('\n');
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// A window of whole lines of a file around some spans, and the spans made relative
/// to it.
struct Window<'s> {
    text: &'s str,
    first_line: usize,
    start: usize,
}

impl<'s> Window<'s> {
    fn around(source: &'s SourceFile, spans: &[Span]) -> Window<'s> {
        let first = spans.iter().map(|s| source.line_col(s.start as usize).line).min().unwrap_or(1);
        let last = spans.iter().map(|s| source.line_col(first_line_end(source, *s)).line).max().unwrap_or(first);
        let start = source.line_start(first).unwrap_or(0);
        let end = source.line_start(last + 1).unwrap_or(source.text.len());
        Window { text: source.text.get(start..end).unwrap_or(""), first_line: first, start }
    }

    fn relative(&self, source: &SourceFile, span: Span) -> std::ops::Range<usize> {
        let start = (span.start as usize).saturating_sub(self.start).min(self.text.len());
        let end = first_line_end(source, span).saturating_sub(self.start).clamp(start, self.text.len());
        start..end
    }
}

/// The end of a span, cut at the end of its first line (multi-line values such as
/// block scalars are underlined on their first line only).
fn first_line_end(source: &SourceFile, span: Span) -> usize {
    let text = source.slice(span);
    match text.find(['\n', '\r']) {
        Some(i) => span.start as usize + i,
        None => span.end as usize,
    }
}

fn render_one(renderer: &Renderer, f: &Finding) -> String {
    let primary = &f.location;
    if primary.source.text.is_empty() {
        // Nothing to show (the file could not be read): the path alone.
        let mut title = level(f.severity)
            .primary_title(f.message.as_str())
            .id(f.rule)
            .element(Origin::path(primary.source.name.as_str()));
        if let Some(help) = &f.help {
            title = title.element(Level::HELP.message(help.as_str()));
        }
        return renderer.render(&[title]);
    }
    let (near, far): (Vec<_>, Vec<_>) = f.secondary.iter().partition(|l| is_near(primary, &l.location));
    let mut spans = vec![primary.span];
    spans.extend(near.iter().map(|l| l.location.span));
    let window = Window::around(&primary.source, &spans);
    let mut snippet =
        Snippet::source(window.text).line_start(window.first_line).path(primary.source.name.as_str()).annotation(
            AnnotationKind::Primary
                .span(window.relative(&primary.source, primary.span))
                .label(f.label.as_deref().unwrap_or("")),
        );
    for label in &near {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(window.relative(&label.location.source, label.location.span))
                .label(label.message.as_str()),
        );
    }
    let mut title = level(f.severity).primary_title(f.message.as_str()).id(f.rule).element(snippet);
    let far_windows: Vec<(Window<'_>, &crate::finding::Label)> =
        far.iter().map(|l| (Window::around(&l.location.source, &[l.location.span]), *l)).collect();
    for (w, label) in &far_windows {
        title = title.element(
            Snippet::source(w.text).line_start(w.first_line).path(label.location.source.name.as_str()).annotation(
                AnnotationKind::Context
                    .span(w.relative(&label.location.source, label.location.span))
                    .label(label.message.as_str()),
            ),
        );
    }
    let template = f.template.as_ref().map(|t| format!("in template `{t}`"));
    for note in [&template, &f.note].into_iter().flatten() {
        title = title.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &f.help {
        title = title.element(Level::HELP.message(help.as_str()));
    }
    if let Some(how) = &f.suppressed {
        title = title.element(Level::NOTE.message(how.as_str()));
    }
    let report: Vec<Group<'_>> = vec![title];
    renderer.render(&report)
}

fn is_near(primary: &Location, other: &Location) -> bool {
    std::sync::Arc::ptr_eq(&primary.source, &other.source)
        && primary.start().line.abs_diff(other.start().line) <= NEARBY_LINES
}
