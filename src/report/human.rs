//! rustc-style output: the message, `file:line:col`, the source lines with the span
//! underlined, and notes and help.

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::ReportContext;
use crate::finding::{Finding, Location, Severity};
use crate::source::{SourceFile, Span, floor_char_boundary};

/// Secondary labels further than this many lines from the primary span get a
/// snippet of their own.
const NEARBY_LINES: usize = 8;

/// Source text longer than this (a minified JSON file on one line) is not shown:
/// rendering the whole line for each of its findings would take time in the square of
/// its length. A note shows the text from [`CUT_CONTEXT`] bytes before the span's
/// start to twice that after it instead.
const LONG_WINDOW: usize = 4096;
const CUT_CONTEXT: usize = 40;

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
    if window.text.len() > LONG_WINDOW {
        return render_cut(renderer, f);
    }
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
    let template = f.origin_note();
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

/// A finding on a very long line (a minified file): its position, and the text
/// around it in a note instead of a snippet of the whole line.
fn render_cut(renderer: &Renderer, f: &Finding) -> String {
    let source = &f.location.source;
    let span = f.location.span;
    let start = source.line_col(span.start as usize);
    let line_start = source.line_start(start.line).unwrap_or(0);
    let line_end = line_start + source.line_text(start.line).len();
    let from = floor_char_boundary(&source.text, (span.start as usize).saturating_sub(CUT_CONTEXT).max(line_start));
    let to = floor_char_boundary(&source.text, (span.start as usize).saturating_add(2 * CUT_CONTEXT).min(line_end));
    let excerpt = source.text.get(from..to).unwrap_or_default();
    let excerpt = format!(
        "line {} is too long to show ({} bytes); the text around column {}: `{}{excerpt}{}`",
        start.line,
        line_end - line_start,
        start.col,
        if from > line_start { "..." } else { "" },
        if to < line_end { "..." } else { "" },
    );
    let origin = Origin::path(source.name.as_str()).line(start.line).char_column(start.col);
    let mut title = level(f.severity).primary_title(f.message.as_str()).id(f.rule).element(origin);
    let template = f.origin_note();
    for note in [Some(&excerpt), template.as_ref(), f.note.as_ref()].into_iter().flatten() {
        title = title.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &f.help {
        title = title.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[title])
}

/// Whether a label is shown in its finding's snippet, not in one of its own (what a
/// finding's excerpt must hold between them: see `crate::excerpt`).
pub(crate) fn is_near(primary: &Location, other: &Location) -> bool {
    std::sync::Arc::ptr_eq(&primary.source, &other.source)
        && primary.start().line.abs_diff(other.start().line) <= NEARBY_LINES
}
