//! Positions as LSP counts them (0-based lines, UTF-16 code units) and byte offsets
//! as kval's spans do, and edits of a text by LSP ranges.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use crate::source::Span;

/// Where each line of a text starts, for conversions in both directions. Line
/// breaks are LF, CRLF and a lone CR, as in YAML and LSP.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let bytes = text.as_bytes();
        let breaks =
            bytes.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')));
        let starts = std::iter::once(0).chain(breaks.map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    /// The position of a byte offset (past the end: the end).
    pub fn position(&self, offset: usize) -> Position {
        let offset = crate::source::floor_char_boundary(self.text, offset);
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self.text.get(start..offset).map_or(0, |t| t.encode_utf16().count());
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start as usize), self.position(span.end as usize))
    }

    /// The byte offset of a position; a column past the end of its line is the end
    /// of the line, a line past the end is the end of the text (as the protocol asks).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else { return self.text.len() };
        let end = self.starts.get(position.line as usize + 1).copied().unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or_default();
        let line = line.trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }

    pub fn span(&self, range: Range) -> Span {
        Span::new(self.offset(range.start), self.offset(range.end))
    }

    /// The text of a 0-based line, without its line break.
    pub fn line(&self, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line) else { return "" };
        let end = self.starts.get(line + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or_default().trim_end_matches(['\n', '\r'])
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies the changes of one `didChange`, in order (each range is in the text as
/// the previous change left it; no range replaces the whole text).
pub fn apply_changes(text: &mut String, changes: Vec<TextDocumentContentChangeEvent>) {
    for change in changes {
        match change.range {
            None => *text = change.text,
            Some(range) => {
                let span = LineIndex::new(text).span(range);
                if text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize) {
                    text.replace_range(span.range(), &change.text);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_both_ways() {
        let text = "a: é😀x\r\nb: 1\rc";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(x), Position::new(0, 6));
        assert_eq!(index.offset(Position::new(0, 6)), x);
        assert_eq!(index.position(text.find('b').unwrap()), Position::new(1, 0));
        assert_eq!(index.position(text.len()), Position::new(2, 1));
        assert_eq!(index.offset(Position::new(0, 99)), text.find('\r').unwrap());
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.line(1), "b: 1");
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut text = "kind: Pod\nspec: {}\n".to_string();
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.to_string(),
        };
        apply_changes(&mut text, vec![change(0, 6, 0, 9, "DaemonSet"), change(1, 6, 1, 8, "\n  x: 1")]);
        assert_eq!(text, "kind: DaemonSet\nspec: \n  x: 1\n");
    }
}
