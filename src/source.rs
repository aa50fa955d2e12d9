//! Input text and positions in it.
//!
//! Every position kval reports is a byte range into a [`SourceFile`]'s text. Lines and
//! columns are computed only when a finding is rendered, from a line table built on
//! first use. Columns count Unicode code points (1-based), as SARIF's
//! `unicodeCodePoints` column kind and most editors do.

use std::sync::{Arc, OnceLock};

use crate::input::Origin;
use crate::memo::Memo;
use crate::names::{Name, Names};

/// A byte range `[start, end)` in a source file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn point(at: usize) -> Span {
        Span::new(at, at)
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A 1-based line and column (in code points).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

/// One input: a file, or standard input.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown to users: the path as given or found, or `<stdin>`.
    pub name: String,
    /// The text, without a leading byte order mark.
    pub text: String,
    /// Bytes removed from the start of the raw input (a UTF-8 BOM), so that byte
    /// offsets can be reported against the file on disk. For a part of a large file
    /// (see [`SourceFile::part`]), the bytes of the file before the part.
    pub offset_base: usize,
    /// Lines of the file before the text: 0 unless the text is a part of a file read
    /// a part at a time. Line numbers, in and out, are the file's.
    pub lines_before: usize,
    /// Whether the text is only a part of the file (see [`SourceFile::part`]).
    pub partial: bool,
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: String, offset_base: usize) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: name.into(),
            text,
            offset_base,
            lines_before: 0,
            partial: false,
            line_starts: OnceLock::new(),
        })
    }

    /// A part of a file, starting `offset_base` bytes and `lines_before` lines into it.
    /// Spans are byte ranges of the part's text; [`SourceFile::offset`] makes them the
    /// file's.
    pub fn part(name: impl Into<String>, text: String, offset_base: usize, lines_before: usize) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: name.into(),
            text,
            offset_base,
            lines_before,
            partial: true,
            line_starts: OnceLock::new(),
        })
    }

    /// The byte offset in the file (the same in every part) of an offset in the text.
    pub fn offset(&self, at: u32) -> usize {
        at as usize + self.offset_base
    }

    /// Line breaks in the text: a part that follows this one has this many more lines
    /// before it.
    pub fn line_breaks(&self) -> usize {
        self.line_starts().len().saturating_sub(1)
    }

    /// Where each line starts. Line breaks are LF, CRLF and a lone CR, as in YAML.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            // Searched with SIMD (memchr): every file's lines are indexed once.
            if memchr::memchr(b'\r', bytes).is_some() {
                let breaks = memchr::memchr2_iter(b'\n', b'\r', bytes)
                    .filter(|&i| bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n'));
                starts.extend(breaks.map(|i| i + 1));
            } else {
                starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
            }
            starts
        })
    }

    /// The 0-based line index that contains byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        let starts = self.line_starts();
        match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Line and column of a byte offset. Offsets past the end map to the end.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.line_index(offset);
        let start = self.line_starts().get(line).copied().unwrap_or(0);
        let col = self.text.get(start..offset).map_or(0, |t| t.chars().count()) + 1;
        LineCol { line: line + 1 + self.lines_before, col }
    }

    /// The index in `line_starts` of a 1-based line of the file.
    fn local_line(&self, line: usize) -> Option<usize> {
        line.checked_sub(1 + self.lines_before)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(local) = self.local_line(line) else { return "" };
        let Some(&start) = starts.get(local) else { return "" };
        let end = starts.get(local + 1).copied().unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or_default().trim_end_matches(['\n', '\r'])
    }

    /// Byte offset of the start of a 1-based line, if the line exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts().get(self.local_line(line)?).copied()
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len() + self.lines_before
    }

    /// The text a span covers (empty if the span does not fall on char boundaries).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The byte range of the whole lines that hold `span` (clamped to the text), with
    /// the last one's line break: what an excerpt keeps for the span to be shown as in
    /// the whole text (see `crate::excerpt`). Never empty in a text that is not: a
    /// span after the last line break takes the line before.
    pub fn lines_around(&self, span: Span) -> std::ops::Range<usize> {
        let starts = self.line_starts();
        let first = self.line_index(self.clamp(span.start as usize));
        let last = self.line_index(self.clamp(span.end as usize)).max(first);
        let end = starts.get(last + 1).copied().unwrap_or(self.text.len());
        let first = if starts.get(first) == Some(&end) { first.saturating_sub(1) } else { first };
        starts.get(first).copied().unwrap_or(0)..end
    }

    /// Whole lines of the text (see [`SourceFile::lines_around`]) as a part of the
    /// file of their own: its spans are `lines.start` bytes before the text's.
    pub fn excerpt(&self, lines: std::ops::Range<usize>) -> Arc<SourceFile> {
        let text = self.text.get(lines.clone()).unwrap_or_default().to_string();
        let lines_before = self.lines_before + self.line_index(lines.start);
        SourceFile::part(self.name.as_str(), text, self.offset_base + lines.start, lines_before)
    }

    /// Moves `offset` back to the nearest char boundary within the text.
    fn clamp(&self, offset: usize) -> usize {
        floor_char_boundary(&self.text, offset)
    }
}

/// The file of an object kept after its file's own checks (for the cross-document
/// rules and the reports). A file read from disk lets its text go and reads it again
/// only if a finding on it needs the text, so that a run's memory does not grow with
/// the size of its input; standard input (which cannot be read twice) stays live.
#[derive(Clone, Debug)]
pub struct SourceRef(Kept);

#[derive(Clone, Debug)]
enum Kept {
    Live(Arc<SourceFile>),
    /// A file of `files`, read from disk under its name: nothing of its own to
    /// allocate, as a run keeps one for each of its files. `len` is its text's
    /// length in bytes when it was checked (at most `u32::MAX`).
    Listed {
        files: Arc<Listed>,
        index: u32,
        len: u32,
    },
    Away(Arc<Away>),
}

/// A file without its text that is not listed (standard input's copy, a file whose
/// path is not its name, a part of a file).
#[derive(Debug)]
enum Away {
    Whole {
        name: Box<str>,
        origin: Origin,
        len: usize,
        reread: OnceLock<Arc<SourceFile>>,
    },
    /// A part of a file read a part at a time: only that part is read again.
    Part {
        name: Box<str>,
        origin: Origin,
        at: crate::input::PartAt,
        reread: OnceLock<Arc<SourceFile>>,
    },
}

/// A source without name or text: what an object read back from the spilled
/// inventory holds until it is given its file's (see `rules::spill`).
impl Default for SourceRef {
    fn default() -> SourceRef {
        static NONE: std::sync::LazyLock<SourceRef> =
            std::sync::LazyLock::new(|| SourceRef::live(&SourceFile::new("", String::new(), 0)));
        NONE.clone()
    }
}

/// The files of a run read from disk under their names (see
/// [`crate::input::Inputs`]), for what is kept of them ([`SourceRef::listed`]): a
/// text read again for findings made after it was let go is read once.
#[derive(Default)]
pub struct Listed {
    names: Names,
    reread: Memo<Arc<SourceFile>>,
}

impl Listed {
    pub fn new(names: Names) -> Listed {
        Listed { names, reread: Memo::new() }
    }
}

impl std::fmt::Debug for Listed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listed").field("files", &self.names.len()).finish_non_exhaustive()
    }
}

impl SourceRef {
    /// `source` as it is, with its text.
    pub fn live(source: &Arc<SourceFile>) -> SourceRef {
        SourceRef(Kept::Live(source.clone()))
    }

    /// `source`, the file `index` of `files` (read whole from the path that is its
    /// name), without its text; None past `u32::MAX` files.
    pub fn listed(files: &Arc<Listed>, index: usize, source: &SourceFile) -> Option<SourceRef> {
        let (index, len) = (u32::try_from(index).ok()?, saturated(source.text.len()));
        Some(SourceRef(Kept::Listed { files: files.clone(), index, len }))
    }

    /// `source`, read whole from `origin`, without its text.
    pub fn on_disk(source: &SourceFile, origin: Origin) -> SourceRef {
        let (name, len) = (source.name.as_str().into(), source.text.len());
        SourceRef(Kept::Away(Arc::new(Away::Whole { name, origin, len, reread: OnceLock::new() })))
    }

    /// `source`, a part of the file at `origin`, without its text.
    pub fn part(source: &SourceFile, origin: Origin, at: crate::input::PartAt) -> SourceRef {
        let name = source.name.as_str().into();
        SourceRef(Kept::Away(Arc::new(Away::Part { name, origin, at, reread: OnceLock::new() })))
    }

    pub fn name(&self) -> Name<'_> {
        match &self.0 {
            Kept::Live(source) => Name::new(&source.name),
            Kept::Listed { files, index, .. } => files.names.get(*index as usize).unwrap_or_default(),
            Kept::Away(away) => match &**away {
                Away::Whole { name, .. } | Away::Part { name, .. } => Name::new(name),
            },
        }
    }

    /// The source with its text, read again from disk the first time it is needed.
    /// A file that changed since it was checked is shown without its text rather
    /// than with positions that no longer match.
    pub fn load(&self) -> Arc<SourceFile> {
        match &self.0 {
            Kept::Live(source) => source.clone(),
            Kept::Listed { files, len, .. } => {
                let name = self.name().to_string();
                let origin = Origin::Path(name.as_str().into());
                files.reread.get(&name, || reread(&name, &origin, |read| saturated(read) == *len))
            }
            Kept::Away(away) => match &**away {
                Away::Whole { name, origin, len, reread } => {
                    reread.get_or_init(|| self::reread(name, origin, |read| read == *len)).clone()
                }
                Away::Part { name, origin, at, reread } => reread
                    .get_or_init(|| {
                        crate::input::read_part(origin, name, *at)
                            .unwrap_or_else(|_| SourceFile::part(&**name, String::new(), 0, at.lines_before))
                    })
                    .clone(),
            },
        }
    }

    /// What the spilled inventory writes of the source (see `rules::spill`): a listed
    /// file by its place in the list, one read from a path by value, any other by
    /// its place in the spill's table of sources (`keep` puts it there; a listed
    /// file's list too).
    pub fn spilled(&self, keep: impl FnOnce(&SourceRef) -> usize) -> SourceAt {
        match &self.0 {
            Kept::Listed { index, len, .. } => SourceAt::Listed { list: keep(self), index: *index, len: *len },
            Kept::Away(away) => match &**away {
                Away::Whole { name, origin: Origin::Path(path), len, .. } => {
                    SourceAt::Whole { name: name.to_string(), path: path.clone(), len: *len }
                }
                Away::Part { name, origin: Origin::Path(path), at, .. } => {
                    SourceAt::Part { name: name.to_string(), path: path.clone(), at: *at }
                }
                _ => SourceAt::Kept(keep(self)),
            },
            Kept::Live(_) => SourceAt::Kept(keep(self)),
        }
    }

    /// A source the spilled inventory wrote (see [`SourceRef::spilled`]), with its
    /// table of sources.
    pub fn unspilled(at: SourceAt, kept: &[SourceRef]) -> Option<SourceRef> {
        let away = match at {
            SourceAt::Listed { list, index, len } => {
                let Kept::Listed { files, .. } = &kept.get(list)?.0 else { return None };
                return Some(SourceRef(Kept::Listed { files: files.clone(), index, len }));
            }
            SourceAt::Whole { name, path, len } => {
                Away::Whole { name: name.into(), origin: Origin::Path(path), len, reread: OnceLock::new() }
            }
            SourceAt::Part { name, path, at } => {
                Away::Part { name: name.into(), origin: Origin::Path(path), at, reread: OnceLock::new() }
            }
            SourceAt::Kept(i) => return kept.get(i).cloned(),
        };
        Some(SourceRef(Kept::Away(Arc::new(away))))
    }

    /// Whether both are files of one list (see [`SourceRef::listed`]).
    pub fn same_list(&self, other: &SourceRef) -> bool {
        matches!((&self.0, &other.0), (Kept::Listed { files: a, .. }, Kept::Listed { files: b, .. }) if Arc::ptr_eq(a, b))
    }

    /// Whether two objects are in the same file (inputs have distinct names).
    pub fn same(&self, other: &SourceRef) -> bool {
        self.name() == other.name()
    }
}

/// A whole file read again, or without its text when its length shows that it
/// changed.
fn reread(name: &str, origin: &Origin, unchanged: impl Fn(usize) -> bool) -> Arc<SourceFile> {
    match origin.read(name) {
        Ok(source) if unchanged(source.text.len()) => source,
        _ => SourceFile::new(name, String::new(), 0),
    }
}

/// A length as kept by [`SourceRef::listed`].
fn saturated(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// A source as the spilled inventory writes it (see [`SourceRef::spilled`]).
#[derive(serde::Serialize, serde::Deserialize)]
pub enum SourceAt {
    /// File `index` of the list of the source at `list` in the spill's table.
    Listed {
        list: usize,
        index: u32,
        len: u32,
    },
    Whole {
        name: String,
        path: std::path::PathBuf,
        len: usize,
    },
    Part {
        name: String,
        path: std::path::PathBuf,
        at: crate::input::PartAt,
    },
    /// The place of the source in the spill's table.
    Kept(usize),
}

/// `offset` moved back to the nearest char boundary of `text`, within it.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// At most the first `max` bytes of `text`, cut at a character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    text.get(..floor_char_boundary(text, max)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_code_points() {
        let f = SourceFile::new("t", "a: é\nbb: x\r\n".into(), 0);
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 1, col: 4 });
        // after the two-byte é
        assert_eq!(f.line_col(5), LineCol { line: 1, col: 5 });
        assert_eq!(f.line_col(6), LineCol { line: 2, col: 1 });
        assert_eq!(f.line_text(2), "bb: x");
        assert_eq!(f.line_col(1000), LineCol { line: 3, col: 1 });
    }

    /// Found by fuzzing (lint_document): a lone CR ends a line, as in YAML; it was
    /// counted as part of the line, and a position after it lay past the line's end.
    #[test]
    fn lone_cr_ends_a_line() {
        let f = SourceFile::new("t", "a: 1\r\nlf\r".into(), 0);
        assert_eq!(f.line_count(), 3);
        assert_eq!(f.line_text(2), "lf");
        assert_eq!(f.line_col(10), LineCol { line: 3, col: 1 });
        let f = SourceFile::new("t", "a\rb\r\nc".into(), 0);
        assert_eq!((f.line_text(1), f.line_text(2), f.line_text(3)), ("a", "b", "c"));
    }
}
