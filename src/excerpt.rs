//! What the findings of a file keep of its text once the text is let go (see
//! `lint::Memory::excerpts`): excerpts, the lines they are reported on, rather than
//! the whole file and its line table until the report.
//!
//! An excerpt is a part of its file ([`SourceFile::part`]): reporters read positions,
//! lines and spans from it as from the whole text. So it holds every line a report
//! reads of a finding: its span's (the baseline's fingerprint reads the whole span),
//! each of its labels' in the file, the lines between the span and the labels shown
//! with it (`report::human`'s window), and the lines of its fix's edits, which are
//! positioned in the finding's file.

use std::ops::Range;
use std::sync::Arc;

use crate::finding::{Finding, Location};
use crate::report::human;
use crate::source::{SourceFile, Span};

/// Lines of a file closer than this (in bytes) share an excerpt: a separate one costs
/// about as much (its name, header and line table).
const GAP: usize = 256;

/// Points the findings on `source`, their labels and their fixes at excerpts of it.
pub fn keep_excerpts(findings: &mut [Finding], source: &Arc<SourceFile>) {
    let on = |location: &Location| Arc::ptr_eq(&location.source, source);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for f in findings.iter().filter(|f| on(&f.location)) {
        ranges.push(shown(f, source));
        ranges.extend(f.secondary.iter().filter(|l| on(&l.location)).map(|l| source.lines_around(l.location.span)));
    }
    let excerpts: Vec<(Range<usize>, Arc<SourceFile>)> =
        merged(ranges).into_iter().map(|lines| (lines.clone(), source.excerpt(lines))).collect();
    // Every range above lies in exactly one merged range.
    let holding = |lines: Range<usize>| excerpts.iter().find(|(r, _)| r.start <= lines.start && lines.end <= r.end);
    for f in findings.iter_mut().filter(|f| on(&f.location)) {
        let Some((lines, excerpt)) = holding(shown(f, source)) else { continue };
        let by = lines.start;
        for edit in f.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
            edit.span = moved(edit.span, by);
        }
        for label in f.secondary.iter_mut().filter(|l| on(&l.location)) {
            if let Some((lines, excerpt)) = holding(source.lines_around(label.location.span)) {
                label.location = Location { source: excerpt.clone(), span: moved(label.location.span, lines.start) };
            }
        }
        f.location = Location { source: excerpt.clone(), span: moved(f.location.span, by) };
    }
}

/// The lines a finding's snippet shows: its span's, its fix's and those of the
/// labels shown with it, and every line between them.
fn shown(f: &Finding, source: &SourceFile) -> Range<usize> {
    let near = f.secondary.iter().filter(|l| human::is_near(&f.location, &l.location)).map(|l| l.location.span);
    let edits = f.fix.iter().flat_map(|fix| fix.edits.iter().map(|e| e.span));
    std::iter::once(f.location.span)
        .chain(near)
        .chain(edits)
        .map(|span| source.lines_around(span))
        .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end))
        .unwrap_or_default()
}

/// The ranges sorted, those that overlap or are less than [`GAP`] apart joined.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(GAP) => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A span of the text in an excerpt that starts `by` bytes into it.
pub fn moved(span: Span, by: usize) -> Span {
    let by = u32::try_from(by).unwrap_or(u32::MAX);
    Span { start: span.start.saturating_sub(by), end: span.end.saturating_sub(by) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix, Severity};

    fn finding(source: &Arc<SourceFile>, span: Span) -> Finding {
        let location = Location { source: source.clone(), span };
        Finding::new("test", Severity::Warning, location, "test")
    }

    /// What reports read of a location: its positions, its lines and its text.
    fn seen(location: &Location) -> (crate::source::LineCol, crate::source::LineCol, String, String, usize) {
        let (start, end) = (location.start(), location.end());
        let source = &location.source;
        let lines = (start.line..=end.line).map(|l| source.line_text(l)).collect::<Vec<_>>().join("\n");
        (start, end, lines, source.slice(location.span).to_string(), source.offset(location.span.start))
    }

    fn text(lines: usize) -> String {
        (1..=lines).map(|i| format!("key{i}: value {i}\n")).collect()
    }

    #[test]
    fn findings_far_apart_keep_their_own_lines() {
        let source = SourceFile::new("a.yaml", text(2000), 0);
        let at = |line: usize| source.line_start(line).unwrap_or_default();
        let mut findings = vec![
            finding(&source, Span::new(at(3), at(3) + 4)),
            // Over three lines, with a label nearby and one far away.
            finding(&source, Span::new(at(1500) + 2, at(1502) + 3))
                .secondary(Location { source: source.clone(), span: Span::new(at(1497), at(1497) + 4) }, "near")
                .secondary(Location { source: source.clone(), span: Span::new(at(1000), at(1000) + 4) }, "far"),
            // A fix that edits a line thirty lines after the span.
            finding(&source, Span::new(at(1970), at(1970) + 4))
                .fix(Some(Fix::safe("edit", vec![Edit { span: Span::point(at(2000) + 3), replacement: "x".into() }]))),
            // At the very end of the text, after its last line break.
            finding(&source, Span::point(source.text.len())),
        ];
        let before: Vec<_> = findings.iter().map(|f| seen(&f.location)).collect();
        let labels: Vec<_> = findings[1].secondary.iter().map(|l| seen(&l.location)).collect();
        let edit =
            findings[2].fix.as_ref().map(|fix| seen(&Location { source: source.clone(), span: fix.edits[0].span }));
        keep_excerpts(&mut findings, &source);
        assert_eq!(findings.iter().map(|f| seen(&f.location)).collect::<Vec<_>>(), before);
        assert_eq!(findings[1].secondary.iter().map(|l| seen(&l.location)).collect::<Vec<_>>(), labels);
        let fixed = &findings[2];
        let edited = fixed
            .fix
            .as_ref()
            .map(|fix| seen(&Location { source: fixed.location.source.clone(), span: fix.edits[0].span }));
        assert_eq!(edited, edit);
        // The near label shares its finding's excerpt (shown in one snippet); the far
        // one and the first finding keep a few lines of their own.
        let (first, spanning, fixed, last) = (&findings[0], &findings[1], &findings[2], &findings[3]);
        assert!(Arc::ptr_eq(&spanning.location.source, &spanning.secondary[0].location.source));
        assert!(!Arc::ptr_eq(&spanning.location.source, &spanning.secondary[1].location.source));
        assert_eq!(first.location.source.text, "key3: value 3\n");
        assert_eq!(
            spanning.location.source.text,
            (1497..=1502).map(|i| format!("key{i}: value {i}\n")).collect::<String>()
        );
        assert!(Arc::ptr_eq(&fixed.location.source, &last.location.source));
        let tail: String = (1970..=2000).map(|i| format!("key{i}: value {i}\n")).collect();
        assert_eq!(last.location.source.text, tail);
        assert!(findings.iter().all(|f| f.location.source.partial));
    }
}
