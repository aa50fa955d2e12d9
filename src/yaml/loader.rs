//! Builds [`Node`] trees from saphyr-parser's events.
//!
//! saphyr-parser gives events with character positions; this module turns them into
//! byte spans, resolves plain scalars the go-yaml v2 way, expands anchors and merge keys
//! (`<<`) within a node budget, rejects duplicate keys, and bounds nesting depth. After
//! a syntax error it resumes at the next `---` line, so later documents of the stream
//! are still checked.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as PSpan, Tag};

use super::node::{Entry, Key, Node, Style, Value};
use super::scalar::{Resolved, resolve_plain};
use crate::limits::Limits;
use crate::source::{Span, floor_char_boundary};

/// One document of a stream, with its position.
#[derive(Debug)]
pub struct RawDocument {
    pub root: Node,
    /// Index of the document in the stream (0-based), counting empty documents.
    pub index: usize,
}

/// Why a document (or the rest of a stream) could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub span: Span,
    /// Another place the error refers to (the first occurrence of a duplicate key).
    pub related: Option<(Span, String)>,
    /// How to fix it, when the parser's message does not say.
    pub help: Option<&'static str>,
    /// What to write under the span, when not the default of the error's kind.
    pub label: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    DuplicateKey,
    Limit,
}

#[derive(Debug, Default)]
pub struct Stream {
    pub documents: Vec<RawDocument>,
    pub errors: Vec<YamlError>,
    /// Plain keys that go-yaml does not read as the text written (`on` → `"true"`).
    pub converted_keys: Vec<Key>,
    /// Errors and converted keys beyond `Limits::max_file_findings`, only counted.
    pub dropped: usize,
    /// Document indices used (counting empty documents): the documents of a text that
    /// follows this one in its file are numbered after them.
    pub slots: usize,
}

impl Stream {
    /// Records an error, or only counts it past the limit on findings, so that a file
    /// of a million duplicate keys costs no more than one of ten thousand.
    fn error(&mut self, error: YamlError, limits: &Limits) {
        if self.errors.len() + self.converted_keys.len() < limits.max_file_findings {
            self.errors.push(error);
        } else {
            self.dropped += 1;
        }
    }
}

/// Reads every document of a YAML (or JSON) stream.
pub fn load(text: &str, limits: &Limits) -> Stream {
    let mut stream = Stream::default();
    // kubectl decodes a stream that starts with `{` as JSON, which has no such rule.
    let json = text.trim_start().starts_with('{');
    if !json && let Some((at, c)) = first_unprintable(text) {
        stream.errors.push(control_character(at, c));
    }
    let chars = CharMap::new(text);
    if !json && let Some(parallel) = load_in_parallel(text, &chars, limits, stream.errors.len()) {
        stream.documents = parallel.documents;
        stream.errors.extend(parallel.errors);
        stream.converted_keys = parallel.converted_keys;
        stream.slots = parallel.slots;
        return stream;
    }
    stream.slots = load_range(text, &chars, 0, limits, &mut stream).slots;
    stream
}

/// What [`load_range`] read.
struct Range {
    /// Document indices used: the next range's documents are numbered after them.
    slots: usize,
    documents_seen: usize,
    syntax_error: bool,
}

/// Reads the documents of `text` from byte `start`, resuming after syntax errors.
fn load_range(text: &str, chars: &CharMap, start: usize, limits: &Limits, stream: &mut Stream) -> Range {
    let mut start = start;
    let mut doc_index = 0usize;
    let mut documents_seen = 0usize;
    let mut syntax_error = false;
    loop {
        let mut builder = Builder::new(text, chars, start, limits);
        builder.doc_index = doc_index;
        // Counted over the whole file, across restarts after syntax errors.
        builder.documents_seen = documents_seen;
        let outcome = builder.run(stream);
        doc_index = builder.doc_index;
        documents_seen = builder.documents_seen;
        match outcome {
            Outcome::Done => break,
            Outcome::Stop => break,
            Outcome::SyntaxError(at) => {
                syntax_error = true;
                match next_document_start(text, at) {
                    Some(next) if next > start => {
                        start = next;
                        doc_index += 1;
                    }
                    _ => break,
                }
            }
        }
    }
    Range { slots: if documents_seen > 0 { doc_index + 1 } else { 0 }, documents_seen, syntax_error }
}

/// A long stream (`helm template` of a whole chart, a bundle of CRDs) is cut at its
/// `---` lines into pieces read on every core. Documents are independent (anchors do
/// not cross them), so the result is the serial one; when it might not be (a syntax
/// error, whose message can depend on what follows; a limit on the whole file; a
/// directive, which belongs to the next document) the caller reads it serially.
fn load_in_parallel(text: &str, chars: &CharMap, limits: &Limits, errors_before: usize) -> Option<Stream> {
    const PIECE: usize = 256 * 1024;
    if text.len() < 2 * PIECE || text.contains("\n%") || text.starts_with('%') {
        return None;
    }
    let mut bounds = vec![0];
    while let Some(&last) = bounds.last()
        && let Some(next) = next_document_start(text, last + PIECE).filter(|&next| next > last)
    {
        bounds.push(next);
    }
    if bounds.len() < 2 {
        return None;
    }
    bounds.push(text.len());
    let pieces: Vec<(Stream, Range)> = bounds
        .windows(2)
        .collect::<Vec<_>>()
        .par_iter()
        .map(|w| {
            let (start, end) = (w.first().copied().unwrap_or(0), w.get(1).copied().unwrap_or(text.len()));
            let mut stream = Stream::default();
            let range = load_range(text.get(..end).unwrap_or(text), chars, start, limits, &mut stream);
            (stream, range)
        })
        .collect();
    let mut merged = Stream::default();
    let mut offset = 0;
    let mut documents_seen = 0;
    for (stream, range) in pieces {
        if range.syntax_error {
            return None;
        }
        merged.documents.extend(stream.documents.into_iter().map(|d| RawDocument { index: d.index + offset, ..d }));
        merged.errors.extend(stream.errors);
        merged.converted_keys.extend(stream.converted_keys);
        merged.dropped += stream.dropped;
        offset += range.slots;
        documents_seen += range.documents_seen;
    }
    merged.slots = offset;
    let within_limits = documents_seen <= limits.max_documents
        && merged.dropped == 0
        && errors_before + merged.errors.len() + merged.converted_keys.len() < limits.max_file_findings;
    within_limits.then_some(merged)
}

/// The byte offset of the first `---` document marker line at or after the line
/// that contains `offset`.
fn next_document_start(text: &str, offset: usize) -> Option<usize> {
    let offset = floor_char_boundary(text, offset);
    let mut line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    loop {
        let line = text.get(line_start..)?;
        if let Some(rest) = line.strip_prefix("---")
            && rest.chars().next().is_none_or(char::is_whitespace)
        {
            return Some(line_start);
        }
        // The next line that starts with `---` (a large document has no other).
        line_start += memchr::memmem::find(line.as_bytes(), b"\n---")? + 1;
    }
}

enum Outcome {
    Done,
    /// A limit on the whole file was reached.
    Stop,
    /// A syntax error at this byte offset.
    SyntaxError(usize),
}

/// Maps saphyr's character indices to byte offsets.
enum CharMap {
    Ascii {
        text_len: usize,
    },
    /// Few non-ASCII characters (a `’` in a description): the (character, byte) index
    /// just after each of them; ASCII runs lie between.
    Sparse {
        after: Vec<(u32, u32)>,
        text_len: usize,
    },
    /// Many: the byte offset of every 64th character.
    Dense {
        checkpoints: Vec<u32>,
        text_len: usize,
    },
}

impl CharMap {
    const STEP: usize = 64;

    fn new(text: &str) -> CharMap {
        let text_len = text.len();
        if text.is_ascii() {
            return CharMap::Ascii { text_len };
        }
        let wide = text.bytes().filter(|b| !b.is_ascii()).count();
        if wide <= text_len / Self::STEP {
            let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
            let mut after = Vec::new();
            // Continuation bytes so far: a character's byte offset minus its index.
            let mut extra = 0;
            let mut at = 0;
            while let Some(byte) = position_from(text.as_bytes(), at, |b| b.is_ascii()) {
                let Some(c) = text.get(byte..).and_then(|t| t.chars().next()) else { break };
                at = byte + c.len_utf8();
                extra += c.len_utf8() - 1;
                after.push((index(at - extra), index(at)));
            }
            return CharMap::Sparse { after, text_len };
        }
        let checkpoints =
            text.char_indices().step_by(Self::STEP).map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX)).collect();
        CharMap::Dense { checkpoints, text_len }
    }

    fn byte(&self, text: &str, char_index: usize) -> usize {
        match self {
            CharMap::Ascii { text_len } => char_index.min(*text_len),
            CharMap::Sparse { after, text_len } => {
                let k = after.partition_point(|&(c, _)| c as usize <= char_index);
                let (c, b) =
                    k.checked_sub(1).and_then(|k| after.get(k)).map_or((0, 0), |&(c, b)| (c as usize, b as usize));
                (b + (char_index - c)).min(*text_len)
            }
            CharMap::Dense { checkpoints, text_len } => {
                let Some(&base) = checkpoints.get(char_index / Self::STEP) else {
                    return *text_len;
                };
                let base = base as usize;
                let rest = text.get(base..).unwrap_or_default();
                rest.char_indices().nth(char_index % Self::STEP).map_or(*text_len, |(i, _)| base + i)
            }
        }
    }

    fn char_index(&self, text: &str, byte: usize) -> usize {
        match self {
            CharMap::Ascii { .. } => byte,
            CharMap::Sparse { after, .. } => {
                let k = after.partition_point(|&(_, b)| b as usize <= byte);
                let (c, b) =
                    k.checked_sub(1).and_then(|k| after.get(k)).map_or((0, 0), |&(c, b)| (c as usize, b as usize));
                c + (byte - b)
            }
            CharMap::Dense { checkpoints, .. } => {
                // The last checkpoint at or before `byte`, then the characters from there.
                let checkpoint = checkpoints.partition_point(|&b| b as usize <= byte).saturating_sub(1);
                let base = checkpoints.get(checkpoint).map_or(0, |&b| b as usize);
                checkpoint * Self::STEP + text.get(base..byte).map_or(0, |t| t.chars().count())
            }
        }
    }
}

enum Frame {
    Seq { start: usize, anchor: usize, items: Vec<Node> },
    Map { start: usize, anchor: usize, map: MapBuilder },
}

#[derive(Default)]
struct MapBuilder {
    entries: Vec<Entry>,
    /// Key → entry index, built once a mapping is too large for a linear scan.
    index: Option<HashMap<String, usize>>,
    key: Option<PendingKey>,
    merges: Vec<Node>,
}

impl MapBuilder {
    const LINEAR: usize = 16;

    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.entries.iter().position(|e| e.key.name == name),
        }
    }

    fn push(&mut self, entry: Entry) {
        if let Some(index) = &mut self.index {
            index.insert(entry.key.name.clone(), self.entries.len());
        } else if self.entries.len() == Self::LINEAR {
            let mut index: HashMap<String, usize> =
                self.entries.iter().enumerate().map(|(i, e)| (e.key.name.clone(), i)).collect();
            index.insert(entry.key.name.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push(entry);
    }
}

enum PendingKey {
    Key(Key),
    Merge,
}

struct Builder<'t> {
    text: &'t str,
    chars: &'t CharMap,
    /// Where this parser's input starts in `text` (bytes and characters).
    byte_base: usize,
    char_base: usize,
    limits: &'t Limits,
    stack: Vec<Frame>,
    /// Emptied buffers of closed collections, reused by the next ones: items gather in
    /// one and move to an exactly sized vector when their collection closes, instead
    /// of every collection's vector growing (and being copied) item by item.
    spare_items: Vec<Vec<Node>>,
    spare_entries: Vec<Vec<Entry>>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    doc_index: usize,
    doc: Option<Node>,
    /// Set when the current document is being skipped after an error.
    skipping: bool,
    documents_seen: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, chars: &'t CharMap, byte_base: usize, limits: &'t Limits) -> Self {
        Builder {
            text,
            chars,
            byte_base,
            char_base: chars.char_index(text, byte_base),
            limits,
            stack: Vec::new(),
            spare_items: Vec::new(),
            spare_entries: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            doc_index: 0,
            doc: None,
            skipping: false,
            documents_seen: 0,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.chars.byte(self.text, self.char_base + char_index)
    }

    fn span(&self, span: &PSpan) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }

    fn run(&mut self, stream: &mut Stream) -> Outcome {
        let mut parser = Parser::new_from_str(self.text.get(self.byte_base..).unwrap_or_default());
        let mut started = false;
        loop {
            let (event, pspan) = match parser.next_event() {
                None => return Outcome::Done,
                Some(Ok(ev)) => ev,
                Some(Err(e)) => return self.syntax_error(&e, stream),
            };
            let span = self.span(&pspan);
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => return Outcome::Done,
                Event::DocumentStart(_) => {
                    if started {
                        self.doc_index += 1;
                    }
                    started = true;
                    self.documents_seen += 1;
                    if self.documents_seen > self.limits.max_documents {
                        // The file is not checked at all, as one over the size limit.
                        *stream = Stream::default();
                        stream.errors.push(limit_error(
                            span,
                            format!(
                                "more than {} documents in one file: it is not checked (set `--max-documents` to raise the limit)",
                                self.limits.max_documents
                            ),
                        ));
                        return Outcome::Stop;
                    }
                    self.stack.clear();
                    self.anchors.clear();
                    self.alias_nodes = 0;
                    self.doc = None;
                    self.skipping = false;
                }
                Event::DocumentEnd => {
                    if let Some(root) = self.doc.take()
                        && !self.skipping
                    {
                        stream.documents.push(RawDocument { root, index: self.doc_index });
                    }
                }
                _ if self.skipping => {}
                Event::Alias(id) => self.alias(id, span, stream),
                Event::Scalar(text, style, anchor, tag) => {
                    self.scalar(text, style, anchor, tag.as_deref(), span, stream)
                }
                Event::SequenceStart(anchor, _) => {
                    let items = self.spare_items.pop().unwrap_or_default();
                    self.open(Frame::Seq { start: span.start as usize, anchor, items }, span, stream)
                }
                Event::MappingStart(anchor, _) => {
                    let map =
                        MapBuilder { entries: self.spare_entries.pop().unwrap_or_default(), ..MapBuilder::default() };
                    self.open(Frame::Map { start: span.start as usize, anchor, map }, span, stream)
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(span, stream),
            }
        }
    }

    fn syntax_error(&mut self, e: &ScanError, stream: &mut Stream) -> Outcome {
        let at = self.byte(e.marker().index());
        let words = || e.info().split(|c: char| !c.is_alphanumeric());
        let error = if e.info().contains("unprintable character") {
            // saphyr stops at a NUL, its position on it or just past it.
            let nul = [at, at.saturating_sub(1)]
                .into_iter()
                .find(|&i| self.text.get(i..).is_some_and(|t| t.starts_with('\0')));
            let Some(nul) = nul else {
                return self.push_syntax_error(syntax(Span::point(at), "found unprintable character"), at, stream);
            };
            if stream.errors.iter().any(|e| e.span.start as usize == nul) {
                return Outcome::SyntaxError(at); // reported before parsing
            }
            control_character(nul, '\0')
        } else if e.info().contains("recursion limit") {
            limit_error(
                Span::point(at),
                "more than 255 levels of `[` and `{` nesting, the YAML parser's limit".to_string(),
            )
        } else if words().any(|w| w == "tab" || w == "tabs") {
            YamlError {
                help: Some("indent with spaces"),
                label: Some("tab"),
                ..syntax(Span::point(tab_near(self.text, at)), "tabs are not allowed for indentation in YAML")
            }
        } else {
            syntax(Span::point(at), &clean_message(e.info()))
        };
        self.push_syntax_error(error, at, stream)
    }

    fn push_syntax_error(&mut self, error: YamlError, at: usize, stream: &mut Stream) -> Outcome {
        stream.error(error, self.limits);
        Outcome::SyntaxError(at)
    }

    /// Drops the current document after an error; its remaining events are ignored.
    fn abort(&mut self, error: YamlError, stream: &mut Stream) {
        stream.error(error, self.limits);
        self.skipping = true;
        self.stack.clear();
        self.doc = None;
    }

    fn open(&mut self, frame: Frame, span: Span, stream: &mut Stream) {
        if let Some(Frame::Map { map: MapBuilder { key: None, .. }, .. }) = self.stack.last() {
            return self.abort(syntax(span, "a mapping key must be a scalar, not a mapping or a list"), stream);
        }
        if self.stack.len() >= self.limits.max_depth {
            let message =
                format!("nesting deeper than {} levels (set `--max-depth` to raise the limit)", self.limits.max_depth);
            return self.abort(limit_error(span, message), stream);
        }
        self.stack.push(frame);
    }

    fn close(&mut self, end: Span, stream: &mut Stream) {
        let Some(frame) = self.stack.pop() else { return };
        // A flow collection ends with its bracket; a block one with its last value
        // (its end event comes at the next token, past comments and blank lines).
        let flow = |start: usize| matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
        // The end event of a flow collection runs on past its bracket, over spaces and
        // a comment: the span stops at the bracket, so that an edit can replace it.
        let bracket = matches!(self.text.as_bytes().get(end.start as usize), Some(b']' | b'}'));
        let end = if bracket { Span::new(end.start as usize, end.start as usize + 1) } else { end };
        let (node, anchor) = match frame {
            Frame::Seq { start, anchor, mut items } => {
                let last = items.last().filter(|_| !flow(start));
                let end = last.map_or(end.end as usize, |n| n.span.end as usize);
                let mut exact = Vec::with_capacity(items.len());
                exact.append(&mut items);
                self.spare_items.push(items);
                (Node { value: Value::Seq(exact), span: Span::new(start, end), style: Style::Plain }, anchor)
            }
            Frame::Map { start, anchor, mut map } => {
                let last = map.entries.last().filter(|_| !flow(start));
                let end = last.map_or(end.end as usize, |e| e.value.span.end as usize);
                let mut exact = Vec::with_capacity(map.entries.len());
                exact.append(&mut map.entries);
                self.spare_entries.push(map.entries);
                let entries = merge(exact, map.merges);
                (Node { value: Value::Map(entries), span: Span::new(start, end), style: Style::Plain }, anchor)
            }
        };
        self.finish(node, anchor, stream);
    }

    /// The scanner's text becomes the node's string without a copy.
    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mut span: Span,
        stream: &mut Stream,
    ) {
        if text.len() > self.limits.max_scalar_bytes {
            let message = format!(
                "a scalar of {} bytes exceeds the limit of {} (set `--max-scalar-bytes` to raise it)",
                text.len(),
                self.limits.max_scalar_bytes
            );
            return self.abort(limit_error(span, message), stream);
        }
        let awaiting_key = matches!(self.stack.last(), Some(Frame::Map { map: MapBuilder { key: None, .. }, .. }));
        if awaiting_key && style == ScalarStyle::Plain && text == "<<" && tag.is_none() {
            if let Some(Frame::Map { map, .. }) = self.stack.last_mut() {
                map.key = Some(PendingKey::Merge);
            }
            return;
        }
        let (value, node_style) = match style {
            ScalarStyle::Plain => (resolve_tagged(text, tag, true), Style::Plain),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                span = quoted_span(self.text, span);
                (resolve_tagged(text, tag, false), Style::Quoted)
            }
            ScalarStyle::Literal | ScalarStyle::Folded => (resolve_tagged(text, tag, false), Style::Block),
        };
        let node = Node { value, span, style: node_style };
        self.finish(node, anchor, stream);
    }

    fn alias(&mut self, id: usize, span: Span, stream: &mut Stream) {
        let Some(target) = self.anchors.get(&id) else {
            return self.abort(syntax(span, "alias to an unknown anchor"), stream);
        };
        let count = target.count();
        self.alias_nodes = self.alias_nodes.saturating_add(count);
        if self.alias_nodes > self.limits.max_alias_nodes {
            let message = format!(
                "aliases expand to more than {} nodes (a \"billion laughs\" document?); set `--max-alias-nodes` to raise the limit",
                self.limits.max_alias_nodes
            );
            return self.abort(limit_error(span, message), stream);
        }
        let mut node = target.clone();
        if !matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            // A scalar alias is reported where it is used.
            node.span = span;
        }
        self.finish(node, 0, stream);
    }

    /// Attaches a completed node to its parent (or makes it the document root).
    fn finish(&mut self, node: Node, anchor: usize, stream: &mut Stream) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.doc = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { map, .. }) => match map.key.take() {
                None => match key_of(node) {
                    Ok(key) => {
                        if key.converted {
                            if stream.errors.len() + stream.converted_keys.len() < self.limits.max_file_findings {
                                stream.converted_keys.push(key.clone());
                            } else {
                                stream.dropped += 1;
                            }
                        }
                        map.key = Some(PendingKey::Key(key));
                    }
                    Err(span) => {
                        let error = syntax(span, "a mapping key must be a scalar, not a mapping or a list");
                        self.abort(error, stream);
                    }
                },
                Some(PendingKey::Merge) => map.merges.push(node),
                Some(PendingKey::Key(key)) => {
                    if let Some(first) = map.position(&key.name).and_then(|i| map.entries.get_mut(i)) {
                        let previous = first.key.span;
                        let error = YamlError {
                            kind: YamlErrorKind::DuplicateKey,
                            message: format!("duplicate key `{}`", key.name),
                            span: key.span,
                            related: Some((previous, "first defined here".into())),
                            help: None,
                            label: None,
                        };
                        stream.error(error, self.limits);
                        // Keep the last value, as go-yaml does when not strict.
                        *first = Entry { key, value: node };
                    } else {
                        map.push(Entry { key, value: node });
                    }
                }
            },
        }
    }
}

/// Adds the entries of merged mappings (`<<: *base`) that the mapping does not set
/// itself; earlier merge sources win over later ones, as in go-yaml.
fn merge(mut entries: Vec<Entry>, merges: Vec<Node>) -> Vec<Entry> {
    if merges.is_empty() {
        return entries;
    }
    let sources = merges.into_iter().flat_map(|n| match n.value {
        Value::Map(e) => vec![Node { value: Value::Map(e), ..n }],
        Value::Seq(items) => items,
        _ => Vec::new(),
    });
    // A set of the names taken, so that large mappings merge in linear time.
    let mut taken: std::collections::HashSet<String> = entries.iter().map(|e| e.key.name.clone()).collect();
    for source in sources {
        if let Value::Map(src) = source.value {
            for e in src {
                if taken.insert(e.key.name.clone()) {
                    entries.push(e);
                }
            }
        }
    }
    entries
}

/// The key a scalar node makes (its string moved, not copied), or the span of a node
/// that cannot be one.
fn key_of(node: Node) -> Result<Key, Span> {
    let (name, converted) = match node.value {
        Value::Str(s) => (s, false),
        Value::Null => ("null".to_string(), node.style == Style::Plain),
        Value::Bool(b) => (b.to_string(), true),
        Value::Int(i) => (i.to_string(), true),
        Value::Float(f) => (super::node::format_float(f), true),
        Value::Seq(_) | Value::Map(_) => return Err(node.span),
    };
    Ok(Key { name, span: node.span, converted })
}

fn resolve_tagged(text: Cow<'_, str>, tag: Option<&Tag>, plain: bool) -> Value {
    let core = tag.filter(|t| t.is_yaml_core_schema()).map(|t| t.suffix.as_str());
    match (core, tag) {
        (Some("str" | "binary"), _) => Value::Str(text.into_owned()),
        (Some("int" | "float" | "bool" | "null"), _) => to_value(text),
        // A local tag (`!foo`) leaves the scalar as text.
        (None, Some(_)) => Value::Str(text.into_owned()),
        _ if plain => to_value(text),
        _ => Value::Str(text.into_owned()),
    }
}

fn to_value(text: Cow<'_, str>) -> Value {
    match resolve_plain(&text) {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Int(i),
        Resolved::Float(f) => Value::Float(f),
        Resolved::Str => Value::Str(text.into_owned()),
    }
}

/// The span of a quoted scalar up to its closing quote: the parser's event runs on
/// over the spaces and the comment after it.
fn quoted_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes().get(span.range()).unwrap_or_default();
    let Some(&quote) = bytes.first().filter(|b| matches!(b, b'"' | b'\'')) else { return span };
    let mut i = 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            _ if b == quote => return Span::new(span.start as usize, span.start as usize + i + 1),
            _ => i += 1,
        }
    }
    span
}

fn syntax(span: Span, message: &str) -> YamlError {
    YamlError { kind: YamlErrorKind::Syntax, message: message.into(), span, related: None, help: None, label: None }
}

fn limit_error(span: Span, message: String) -> YamlError {
    YamlError { kind: YamlErrorKind::Limit, message, span, related: None, help: None, label: None }
}

/// What go-yaml accepts in a stream (YAML 1.1's printable characters); it refuses the
/// rest with "control characters are not allowed".
/// The first character YAML does not allow. Manifests are mostly printable ASCII,
/// which is skipped a byte at a time; only the other characters are decoded.
fn first_unprintable(text: &str) -> Option<(usize, char)> {
    let mut at = 0;
    loop {
        // Printable ASCII, tab and line breaks, written so that the test vectorizes.
        let plain = |b: u8| (b.wrapping_sub(b' ') <= b'~' - b' ') | (b == b'\t') | (b == b'\n') | (b == b'\r');
        at = position_from(text.as_bytes(), at, plain)?;
        let c = text.get(at..)?.chars().next()?;
        if !is_printable(c) {
            return Some((at, c));
        }
        at += c.len_utf8();
    }
}

/// The offset of the first byte at or after `at` that `keep` refuses. Runs of 32
/// kept bytes are tested at once, without a branch per byte (vectorized): these scans
/// cover every byte of every file.
fn position_from(bytes: &[u8], at: usize, keep: impl Fn(u8) -> bool) -> Option<usize> {
    let rest = bytes.get(at..)?;
    let kept = rest.chunks_exact(32).take_while(|chunk| chunk.iter().fold(true, |all, &b| all & keep(b))).count() * 32;
    Some(at + kept + rest.get(kept..)?.iter().position(|&b| !keep(b))?)
}

fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

fn control_character(at: usize, c: char) -> YamlError {
    YamlError {
        help: Some("remove it, or write it as an escape sequence in a double-quoted string"),
        label: Some("control character"),
        ..syntax(
            Span::new(at, at + c.len_utf8()),
            &format!("the control character U+{:04X} is not allowed in YAML", c as u32),
        )
    }
}

/// The tab a tab error is about: the first tab of the line's indentation, else the
/// last tab before the parser's position on that line (saphyr reports the position
/// after the whitespace).
fn tab_near(text: &str, at: usize) -> usize {
    let at = floor_char_boundary(text, at);
    let line_start = text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or(line);
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let before = line.get(..at - line_start).unwrap_or("");
    line.get(..indent).and_then(|i| i.find('\t')).or_else(|| before.rfind('\t')).map_or(at, |i| line_start + i)
}

/// saphyr's messages, without the position suffix it sometimes appends.
fn clean_message(info: &str) -> String {
    info.split(" at byte ").next().unwrap_or(info).trim().to_string()
}

#[cfg(test)]
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    fn load_one(text: &str) -> Node {
        let s = load(text, &Limits::default());
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        s.documents.into_iter().next().expect("a document").root
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "a:\n  bb: ccc\n";
        let root = load_one(text);
        let e = root.get("a").unwrap().entry("bb").unwrap();
        assert_eq!(&text[e.key.span.range()], "bb");
        assert_eq!(&text[e.value.span.range()], "ccc");
    }

    #[test]
    fn spans_are_bytes_after_multibyte_text() {
        let text = "x: é€\nz: 5\n";
        let root = load_one(text);
        let e = root.entry("z").unwrap();
        assert_eq!(&text[e.key.span.range()], "z");
        assert_eq!(&text[e.value.span.range()], "5");
    }

    /// Found by the property tests: a flow collection's span stopped before its
    /// closing bracket.
    #[test]
    fn flow_collections_span_their_brackets() {
        let text = "a: [1, [2]]\nb: {c: {d: 1}}\ne:\n- 1\n- 2\n\n# end\n";
        let root = load_one(text);
        let span = |node: &Node| &text[node.span.range()];
        assert_eq!(span(root.get("a").unwrap()), "[1, [2]]");
        assert_eq!(span(&root.get("a").unwrap().items()[1]), "[2]");
        assert_eq!(span(root.get("b").unwrap()), "{c: {d: 1}}");
        // A block sequence's span starts at its first item (saphyr's event) and ends
        // with its last one.
        assert_eq!(span(root.get("e").unwrap()), "1\n- 2");
    }

    /// A quoted scalar's or a flow collection's span ends at its closing quote or
    /// bracket, not after the spaces and comment that follow (fixes replace spans).
    #[test]
    fn spans_end_at_closing_quotes_and_brackets() {
        let text = "a: \"x\\\"y\"  # c\n'b': 'it''s' \nd: {e: \"1\" , f: 2 }  # k\ng: [ '3' ] # z\n";
        let root = load_one(text);
        let span = |node: &Node| &text[node.span.range()];
        assert_eq!(span(root.get("a").unwrap()), "\"x\\\"y\"");
        assert_eq!(span(root.get("b").unwrap()), "'it''s'");
        assert_eq!(&text[root.entries()[1].key.span.range()], "'b'");
        assert_eq!(span(root.get("d").unwrap()), "{e: \"1\" , f: 2 }");
        assert_eq!(span(root.at(&["d", "e"]).unwrap()), "\"1\"");
        assert_eq!(span(root.get("g").unwrap()), "[ '3' ]");
        assert_eq!(span(&root.get("g").unwrap().items()[0]), "'3'");
    }

    #[test]
    fn yaml_1_1_values() {
        let root = load_one("a: yes\nb: 'yes'\nc: 0644\nd: \"0644\"\ne: ~\nf: !!str 12\n");
        assert_eq!(root.get("a").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("b").unwrap().value, Value::Str("yes".into()));
        assert_eq!(root.get("c").unwrap().value, Value::Int(420));
        assert_eq!(root.get("d").unwrap().value, Value::Str("0644".into()));
        assert_eq!(root.get("e").unwrap().value, Value::Null);
        assert_eq!(root.get("f").unwrap().value, Value::Str("12".into()));
    }

    #[test]
    fn converted_keys() {
        let root = load_one("on: 1\n2: x\n");
        assert_eq!(root.entries()[0].key.name, "true");
        assert!(root.entries()[0].key.converted);
        assert_eq!(root.entries()[1].key.name, "2");
    }

    #[test]
    fn duplicate_key_is_reported_at_second() {
        let text = "a: 1\nb: 2\na: 3\n";
        let s = load(text, &Limits::default());
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].kind, YamlErrorKind::DuplicateKey);
        assert_eq!(s.errors[0].span.start, 10);
        assert_eq!(s.documents[0].root.get("a").unwrap().value, Value::Int(3));
    }

    #[test]
    fn merge_keys() {
        let root = load_one("base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  q: 3\n");
        let d = root.get("d").unwrap();
        assert_eq!(d.get("p").unwrap().value, Value::Int(1));
        assert_eq!(d.get("q").unwrap().value, Value::Int(3));
    }

    #[test]
    fn billion_laughs_is_rejected() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let mut prev = 'a';
        for c in 'b'..='i' {
            text += &format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
            prev = c;
        }
        // How fast it is rejected is measured in scripts/hostile-bench.sh, not here.
        let s = load(&text, &Limits::default());
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].kind, YamlErrorKind::Limit);
        assert!(s.documents.is_empty());
    }

    #[test]
    fn resumes_after_syntax_error() {
        let text = "a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n";
        let s = load(text, &Limits::default());
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        let names: Vec<_> = s.documents.iter().map(|d| d.root.entries()[0].key.name.clone()).collect();
        assert_eq!(names, ["a", "d"]);
        assert_eq!(s.documents[1].index, 2);
    }

    /// A stream long enough to be read in pieces gives what the serial reading gives.
    fn serial(text: &str, limits: &Limits) -> Stream {
        let mut stream = Stream::default();
        load_range(text, &CharMap::new(text), 0, limits, &mut stream);
        stream
    }

    #[test]
    fn long_streams_read_in_pieces_equal_the_serial_reading() {
        let doc = |i: usize| {
            format!(
                "# app {i}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: c{i} # ’\n  on: yes\ndata:\n  <<: {{a: \"1\"}}\n  a: x\n  a: y\n  copy: *m\n---\n---\n"
            )
        };
        let text: String = (0..6000).map(doc).collect();
        assert!(text.len() > 2 * 256 * 1024);
        let limits = Limits { max_file_findings: 1_000_000, max_documents: 1_000_000, ..Limits::default() };
        let chars = CharMap::new(&text);
        let pieces = load_in_parallel(&text, &chars, &limits, 0).expect("read in pieces");
        let whole = serial(&text, &limits);
        // Each app: a comment, its ConfigMap and two empty documents.
        assert_eq!(pieces.documents.len(), 18_000);
        assert_eq!(pieces.errors.len(), 6000, "one duplicate key per document");
        assert_eq!(pieces.converted_keys.len(), 6000);
        assert!(pieces.documents.iter().zip(&whole.documents).all(|(a, b)| a.index == b.index && a.root == b.root));
        assert_eq!(pieces.documents.len(), whole.documents.len());
        assert_eq!(pieces.errors, whole.errors);
        assert_eq!(pieces.converted_keys, whole.converted_keys);
    }

    #[test]
    fn long_streams_with_a_syntax_error_or_over_a_limit_are_read_serially() {
        let mut text = "---\na: 1\n".repeat(60_000);
        assert!(load_in_parallel(&text, &CharMap::new(&text), &Limits::default(), 0).is_some());
        assert!(
            load_in_parallel(&text, &CharMap::new(&text), &Limits { max_documents: 100, ..Limits::default() }, 0)
                .is_none()
        );
        text.push_str("---\nb: [1, 2\n");
        assert!(load_in_parallel(&text, &CharMap::new(&text), &Limits::default(), 0).is_none());
        let s = load(&text, &Limits::default());
        assert_eq!(s.documents.len(), 60_000);
        assert_eq!(s.errors.len(), 1);
    }

    #[test]
    fn char_map_round_trips() {
        let sparse = format!("{}’{}é\n", "a".repeat(200), "b".repeat(300));
        let dense = "aé€😀\n".repeat(50);
        for text in [dense, sparse, "ascii\n".to_string()] {
            let chars = CharMap::new(&text);
            for (i, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(chars.byte(&text, i), byte);
                assert_eq!(chars.char_index(&text, byte), i);
            }
            let n = text.chars().count();
            assert_eq!(chars.byte(&text, n), text.len());
            assert_eq!(chars.byte(&text, n + 5), text.len());
        }
    }

    #[test]
    fn documents_limit_counts_across_syntax_errors() {
        let text = "---\na: [\n".repeat(20);
        let s = load(&text, &Limits { max_documents: 10, ..Limits::default() });
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
        assert!(s.errors[0].message.contains("more than 10 documents"), "{}", s.errors[0].message);
    }

    #[test]
    fn merging_large_mappings_is_linear() {
        let keys = |prefix: &str| (0..50_000).map(|i| format!("{prefix}{i}: 0")).collect::<Vec<_>>().join(", ");
        let text = format!("a: {{<<: {{{}}}, {}}}\n", keys("k"), keys("x"));
        let root = load_one(&text);
        assert_eq!(root.get("a").unwrap().entries().len(), 100_000);
    }

    #[test]
    fn control_characters_and_tabs() {
        let s = load("a: b\u{7}c\n", &Limits::default());
        assert_eq!(s.errors[0].message, "the control character U+0007 is not allowed in YAML");
        assert_eq!(s.errors[0].span, Span::new(4, 5));
        // JSON has no such rule, and kubectl reads a stream starting with `{` as JSON
        assert!(load("{\"a\": \"b\u{7f}c\"}", &Limits::default()).errors.is_empty());
        let s = load("a:\n\tb: 1\n", &Limits::default());
        assert_eq!(s.errors[0].message, "tabs are not allowed for indentation in YAML");
        assert_eq!(s.errors[0].span, Span::point(3));
        let s = load("a: \u{0}\n", &Limits::default());
        assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    }

    /// Found by fuzzing (yaml_load): saphyr reported the NUL at the end of the text
    /// one past it, and the error's span ran past the text.
    #[test]
    fn nul_at_the_end() {
        let text = "%-\u{3a2}3kki\u{1}|\u{0}";
        let s = load(text, &Limits::default());
        assert_eq!(s.errors.len(), 2, "{:?}", s.errors);
        for e in &s.errors {
            assert!(text.get(e.span.range()).is_some(), "{e:?}");
        }
    }

    #[test]
    fn errors_beyond_the_findings_limit_are_only_counted() {
        let limits = Limits { max_file_findings: 10, ..Limits::default() };
        let s = load(&"a: 1\n".repeat(100), &limits);
        assert_eq!((s.errors.len(), s.dropped), (10, 89));
    }

    #[test]
    fn depth_limit() {
        let text = "a: ".to_string() + &"[".repeat(150) + &"]".repeat(150);
        let limits = Limits { max_depth: 100, ..Limits::default() };
        let s = load(&text, &limits);
        assert_eq!(s.errors[0].kind, YamlErrorKind::Limit);
        assert!(s.errors[0].message.contains("100 levels"), "{}", s.errors[0].message);
        // saphyr's own recursion guard is reported as the same limit
        let text = "[".repeat(600) + &"]".repeat(600);
        let s = load(&text, &Limits::default());
        assert_eq!(s.errors[0].kind, YamlErrorKind::Limit);
    }
}
