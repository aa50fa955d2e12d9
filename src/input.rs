//! Finding and reading the inputs: files, directories and standard input.
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker): hidden entries
//! and what `.gitignore` excludes are skipped unless asked for, symbolic links are
//! followed with loop detection, and the result is sorted so every run reports in
//! the same order.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::names::{Name, Names};
use crate::source::SourceFile;

/// Where to look for manifests.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Include hidden files and directories, and what ignore files exclude.
    pub all_files: bool,
}

/// The name standard input is reported under.
pub const STDIN_NAME: &str = "<stdin>";

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    /// A file named on the command line.
    File(PathBuf),
    /// A file found while walking a directory.
    Found(PathBuf),
    /// The output of a render (`helm template`, `kustomize build`), checked under
    /// its name (see `crate::render`).
    Rendered {
        name: String,
        text: Arc<str>,
    },
}

impl Input {
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_string(),
            Input::File(p) | Input::Found(p) => display(p),
            Input::Rendered { name, .. } => name.clone(),
        }
    }

    /// Where the input's bytes can be read again: its file, or the temporary copy of
    /// standard input (see [`Origin::Spool`]); none for a rendered text.
    pub fn origin(&self) -> Option<Origin> {
        match self {
            Input::File(p) | Input::Found(p) => Some(Origin::Path(p.clone())),
            Input::Stdin => stdin_spool().ok().flatten().map(Origin::Spool),
            Input::Rendered { .. } => None,
        }
    }

    /// The size of the input in bytes, when it can be known before reading it
    /// (standard input is copied to its temporary file first); 0 otherwise.
    pub fn size(&self) -> u64 {
        match self.origin() {
            Some(Origin::Path(p)) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Some(Origin::Spool(file)) => file.metadata().map_or(0, |m| m.len()),
            None => 0,
        }
    }

    /// The file on disk, if the input is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin | Input::Rendered { .. } => None,
            Input::File(p) | Input::Found(p) => Some(p),
        }
    }
}

/// The inputs of a run, in order, held compactly for the whole run (see
/// [`Names`]): a file found while walking is only its name, the path it was found at
/// without `./`; the few others (standard input, files named on the command line,
/// rendered texts, paths that are not UTF-8) are kept whole.
#[derive(Debug, Default)]
pub struct Inputs {
    names: Names,
    /// The inputs that are not a found file, by index, in order.
    whole: Vec<(usize, Input)>,
}

impl Inputs {
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The display name of input `i` (see [`Input::display_name`]).
    pub fn name(&self, i: usize) -> Name<'_> {
        self.names.get(i).unwrap_or_default()
    }

    pub fn get(&self, i: usize) -> Cow<'_, Input> {
        match self.whole(i) {
            Some(input) => Cow::Borrowed(input),
            None => Cow::Owned(Input::Found(PathBuf::from(self.name(i).to_cow().into_owned()))),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, Input>> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The file input `i` is, if it is one.
    pub fn path(&self, i: usize) -> Option<Cow<'_, Path>> {
        match self.whole(i) {
            Some(input) => input.path().map(Cow::Borrowed),
            None => Some(match self.name(i).to_cow() {
                Cow::Borrowed(name) => Cow::Borrowed(Path::new(name)),
                Cow::Owned(name) => Cow::Owned(PathBuf::from(name)),
            }),
        }
    }

    /// Whether input `i` was found while walking a directory.
    pub fn found(&self, i: usize) -> bool {
        self.whole(i).is_none_or(|input| matches!(input, Input::Found(_)))
    }

    fn whole(&self, i: usize) -> Option<&Input> {
        let at = self.whole.binary_search_by_key(&i, |(j, _)| *j).ok()?;
        self.whole.get(at).map(|(_, input)| input)
    }

    pub fn names(&self) -> &Names {
        &self.names
    }

    pub fn push(&mut self, input: Input) {
        if let Input::Found(path) = &input
            && let Some(path) = path.to_str()
        {
            self.push_found(path);
            return;
        }
        self.names.push(input.display_name().as_str());
        self.whole.push((self.names.len() - 1, input));
    }

    /// Adds a file found while walking, by its path (as [`Input::display_name`] of
    /// [`Input::Found`] names it).
    fn push_found(&mut self, path: &str) {
        self.names.push(path.strip_prefix("./").unwrap_or(path));
    }

    /// Keeps the inputs `keep` says to keep (given the table and an index), in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Inputs, usize) -> bool) {
        let keep: Vec<bool> = (0..self.len()).map(|i| keep(self, i)).collect();
        if keep.iter().all(|&k| k) {
            return;
        }
        self.names.retain(|i| keep.get(i).copied().unwrap_or(true));
        // An input's new index is the number of inputs kept before it.
        let mut before = keep.iter().scan(0, |kept, &k| {
            let at = *kept;
            *kept += usize::from(k);
            Some((at, k))
        });
        let mut at = 0;
        self.whole.retain_mut(|(i, _)| {
            let Some((index, k)) = before.nth(*i - at) else { return false };
            at = *i + 1;
            *i = index;
            k
        });
        self.shrink_to_fit();
    }

    /// Gives back the room left for more inputs (a table kept for a whole run).
    pub fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        self.whole.shrink_to_fit();
    }
}

impl FromIterator<Input> for Inputs {
    fn from_iter<I: IntoIterator<Item = Input>>(inputs: I) -> Inputs {
        let mut table = Inputs::default();
        inputs.into_iter().for_each(|input| table.push(input));
        table.shrink_to_fit();
        table
    }
}

/// A path that could not be used, with the reason.
#[derive(Debug)]
pub struct InputError {
    pub name: String,
    pub message: String,
    /// False for what is only worth a note (a symbolic link loop met while walking).
    pub fatal: bool,
}

/// Why a file was read but not checked.
#[derive(Debug)]
pub enum Unreadable {
    /// An I/O error or a path that is not a file.
    Io(String),
    /// Not text in a supported encoding, or binary data given explicitly.
    Encoding(InvalidEncoding),
    /// Larger than the limit.
    TooLarge(u64),
    /// A binary file found while walking a directory: skipped with a note.
    Binary,
}

/// Where a file stops being text. The message names the byte offset in the file;
/// `text` is what decodes up to there, followed by the rest of that line with the
/// invalid bytes replaced, so that a finding at byte `at` of `text` shows the line
/// (empty for a binary file: its "line" would be noise).
#[derive(Debug)]
pub struct InvalidEncoding {
    pub message: String,
    pub text: String,
    pub at: usize,
    /// Bytes before `text` in the file (a byte order mark, or the parts before it
    /// of a file read a part at a time).
    pub offset_base: usize,
    /// Lines before `text` in the file (a file read a part at a time).
    pub lines_before: usize,
}

fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

/// Whether a directory walk picks up a file, by its name.
pub fn is_manifest(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
        || path.file_name().is_some_and(|n| n == "Kustomization")
}

/// Expands the command-line paths into the inputs to check, in a stable order.
pub fn collect(paths: &[String], options: &WalkOptions) -> (Inputs, Vec<InputError>) {
    let mut inputs = Inputs::default();
    let mut errors = Vec::new();
    // The found files whose path began with `./`, which their names leave out.
    let mut dotted = Vec::new();
    for arg in paths {
        if arg == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Err(e) => errors.push(InputError { name: display(&path), message: io_message(&e), fatal: true }),
            Ok(meta) if meta.is_dir() => walk(&path, options, &mut inputs, &mut dotted, &mut errors),
            Ok(_) => inputs.push(Input::File(path)),
        }
    }
    // Several arguments may name the same file (or `-` twice); read it once. A walk
    // finds a path once, so one argument has nothing to remove.
    if paths.len() > 1 {
        let twice = repeated(&inputs, &dotted);
        inputs.retain(|_, i| twice.binary_search(&i).is_err());
    }
    inputs.shrink_to_fit();
    (inputs, errors)
}

/// The inputs that repeat an earlier one: standard input, or a path equal to an
/// earlier one as given or found (`./a.yaml` is not `a.yaml`), in order. Compared
/// by hash first, so that a large run holds no copy of its paths.
fn repeated(inputs: &Inputs, dotted: &[std::ops::Range<usize>]) -> Vec<usize> {
    use std::hash::BuildHasher;
    let path = |i: usize| -> Option<Cow<'_, Path>> {
        let path = inputs.path(i)?;
        let dotted = inputs.whole(i).is_none() && dotted.iter().any(|range| range.contains(&i));
        Some(if dotted { Cow::Owned(Path::new(".").join(path)) } else { path })
    };
    let hasher = std::hash::RandomState::new();
    let mut keys: Vec<(u64, usize)> = (0..inputs.len())
        .filter(|&i| inputs.path(i).is_some() || matches!(inputs.whole(i), Some(Input::Stdin)))
        .map(|i| (path(i).map_or(0, |p| hasher.hash_one(p)), i))
        .collect();
    keys.sort_unstable();
    let mut twice = Vec::new();
    for same_hash in keys.chunk_by(|a, b| a.0 == b.0) {
        for (n, &(_, i)) in same_hash.iter().enumerate() {
            if same_hash.iter().take(n).any(|&(_, j)| path(i) == path(j)) {
                twice.push(i);
            }
        }
    }
    twice.sort_unstable();
    twice
}

fn walk(
    root: &Path,
    options: &WalkOptions,
    inputs: &mut Inputs,
    dotted: &mut Vec<std::ops::Range<usize>>,
    errors: &mut Vec<InputError>,
) {
    // Parallel: a tree of thousands of directories costs a stat and several ignore-file
    // lookups per directory. The order is restored by sorting. The paths found go in
    // one table (see `Names`), not one allocation each (a large tree has tens of
    // thousands), which becomes the inputs' own, and without `./`: all share the root,
    // so their order is the same.
    let found = std::sync::Mutex::new((Names::default(), Vec::new(), false));
    let walk_errors = std::sync::Mutex::new(Vec::new());
    ignore::WalkBuilder::new(root)
        .hidden(!options.all_files)
        .ignore(!options.all_files)
        .git_ignore(!options.all_files)
        .git_global(false)
        .git_exclude(!options.all_files)
        .parents(!options.all_files)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|e| e.file_name() != ".git")
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_manifest(e.path()) => {
                        let mut found = found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        match e.path().to_str() {
                            Some(path) => {
                                found.0.push(path.strip_prefix("./").unwrap_or(path));
                                found.2 = path.starts_with("./");
                            }
                            None => found.1.push(e.into_path()),
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let error = walk_error(root, &e);
                        walk_errors.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(error);
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let (mut paths, mut other, dotted_found) = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut walk_errors = walk_errors.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    if paths.is_empty() && other.is_empty() && walk_errors.is_empty() {
        let message = "no `.yaml`, `.yml` or `.json` files found in this directory".to_string();
        walk_errors.push(InputError { name: display(root), message, fatal: false });
    }
    // In the order of paths (by component). A name is written out whole only to be
    // compared with one in another directory.
    let (mut a, mut b) = (String::new(), String::new());
    paths.sort_by(|x, y| {
        if x.dir() == y.dir() {
            Path::new(x.file()).cmp(Path::new(y.file()))
        } else {
            Path::new(x.in_buf(&mut a)).cmp(Path::new(y.in_buf(&mut b)))
        }
    });
    other.sort_unstable();
    walk_errors.sort_by(|a, b| (&a.name, &a.message).cmp(&(&b.name, &b.message)));
    let start = inputs.len();
    if other.is_empty() {
        inputs.names.append(paths);
    } else {
        // The paths that are not UTF-8 (kept whole, see `Inputs`) go among the others.
        let mut other = other.into_iter().peekable();
        for name in paths.iter() {
            let path = Path::new(name.in_buf(&mut a));
            while let Some(p) = other.next_if(|p| p.strip_prefix("./").unwrap_or(p) < path) {
                inputs.push(Input::Found(p));
            }
            inputs.names.push(name);
        }
        other.for_each(|p| inputs.push(Input::Found(p)));
    }
    if dotted_found {
        dotted.push(start..inputs.len());
    }
    errors.append(&mut walk_errors);
}

/// An error met while walking, named after the path it is about. A directory that
/// cannot be read or a manifest that cannot be opened fails the run; a symbolic link
/// loop or a broken link to some other file is only worth a note.
fn walk_error(root: &Path, e: &ignore::Error) -> InputError {
    let (path, message) = walk_message(e);
    let name = display(path.unwrap_or(root));
    let fatal = !is_loop(e) && path.is_none_or(|p| is_manifest(p) || p.is_dir());
    let message = if fatal { message } else { format!("skipped, {message}") };
    InputError { name, message, fatal }
}

/// Reads and decodes one input.
pub fn read(input: &Input, max_bytes: u64) -> Result<Arc<SourceFile>, Unreadable> {
    let bytes = match input {
        Input::Rendered { name, text } => return Ok(SourceFile::new(name.clone(), text.to_string(), 0)),
        Input::Stdin => match stdin_spool().map_err(Unreadable::Io)? {
            Some(file) => {
                let mut buf = Vec::new();
                At { file: &file, pos: 0 }.take(max_bytes.saturating_add(1)).read_to_end(&mut buf).map_err(io_error)?;
                buf
            }
            None => {
                let mut buf = Vec::new();
                std::io::stdin().take(max_bytes.saturating_add(1)).read_to_end(&mut buf).map_err(io_error)?;
                buf
            }
        },
        Input::File(path) | Input::Found(path) => {
            // Opening a FIFO would block until a writer comes, and a device may never
            // end: a named path is checked before it is opened. The walker only yields
            // regular files, so those are opened at once (one path lookup fewer).
            if let Input::File(_) = input {
                let meta = std::fs::metadata(path).map_err(io_error)?;
                if !meta.is_file() {
                    return Err(Unreadable::Io(format!("it is {}, not a regular file", file_type(&meta))));
                }
            }
            let file = std::fs::File::open(path).map_err(io_error)?;
            let meta = file.metadata().map_err(io_error)?;
            if meta.len() > max_bytes {
                return Err(Unreadable::TooLarge(meta.len()));
            }
            let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
            file.take(max_bytes.saturating_add(1)).read_to_end(&mut buf).map_err(io_error)?;
            buf
        }
    };
    if bytes.len() as u64 > max_bytes {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    source(input, bytes)
}

/// Where an input's bytes are, to be read a part at a time and read again when a
/// finding made later needs its text.
#[derive(Clone, Debug)]
pub enum Origin {
    Path(PathBuf),
    /// Standard input, copied as it is read to an unnamed temporary file (removed by
    /// the system once closed), so that it is read a part at a time and let go as a
    /// file is, instead of held whole in memory.
    Spool(Arc<std::fs::File>),
}

impl Origin {
    fn open(&self) -> std::io::Result<Arc<std::fs::File>> {
        match self {
            Origin::Path(path) => std::fs::File::open(path).map(Arc::new),
            Origin::Spool(file) => Ok(file.clone()),
        }
    }

    /// The whole text again (for a finding made after the text was let go).
    pub fn read(&self, name: &str) -> Result<Arc<SourceFile>, Unreadable> {
        let input = match self {
            Origin::Path(path) => Input::File(path.clone()),
            Origin::Spool(_) => Input::Stdin,
        };
        let file = self.open().map_err(io_error)?;
        let mut bytes = Vec::new();
        At { file: &file, pos: 0 }.read_to_end(&mut bytes).map_err(io_error)?;
        let (text, offset_base) = checked_decode(&input, bytes)?;
        Ok(SourceFile::new(name, text, offset_base))
    }
}

/// Standard input in a temporary file, copied on first use (it can be read only
/// once); `None` when no temporary file can be made, and standard input is read into
/// memory instead.
fn stdin_spool() -> Result<Option<Arc<std::fs::File>>, String> {
    static SPOOL: std::sync::OnceLock<Result<Option<Arc<std::fs::File>>, String>> = std::sync::OnceLock::new();
    SPOOL
        .get_or_init(|| {
            let Ok(mut file) = tempfile::tempfile() else { return Ok(None) };
            std::io::copy(&mut std::io::stdin().lock(), &mut file).map_err(|e| io_message(&e))?;
            Ok(Some(Arc::new(file)))
        })
        .clone()
}

/// Reads a file from a position without moving a cursor shared with other readers
/// of the same file (the parts of standard input's temporary file are read again
/// from several threads).
struct At<'a> {
    file: &'a std::fs::File,
    pos: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.pos)?;
        #[cfg(not(any(unix, windows)))]
        let n = {
            let _ = buf;
            return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
        };
        self.pos += n as u64;
        Ok(n)
    }
}

/// Decodes the bytes of an input. What looks binary is skipped when it was found
/// while walking a directory and reported when it was named.
pub fn source(input: &Input, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Unreadable> {
    let (text, offset_base) = checked_decode(input, bytes)?;
    Ok(SourceFile::new(input.display_name(), text, offset_base))
}

/// Where a part of a file read a part at a time lies in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartAt {
    /// Byte offset in the file.
    pub start: u64,
    pub len: usize,
    /// Lines of the file before the part.
    pub lines_before: usize,
}

/// Reads a file a part at a time, so that a file of any size needs only the memory
/// of a part: each part is whole YAML documents (it ends before a `---` line), of
/// about `part_bytes`, or more when one document is larger, up to `max_bytes`.
/// `each` gets every part, decoded. Returns false, having read nothing, for a file in
/// UTF-16, which is read whole.
pub fn read_parts(
    input: &Input,
    part_bytes: usize,
    max_bytes: u64,
    mut each: impl FnMut(PartAt, Arc<SourceFile>),
) -> Result<bool, Unreadable> {
    let Some(origin) = input.origin() else { return Ok(false) };
    let opened = origin.open().map_err(io_error)?;
    let file_len = opened.metadata().map_err(io_error)?.len();
    let mut file = At { file: &opened, pos: 0 };
    let mut buf: Vec<u8> = Vec::new();
    let (mut start, mut lines_before, mut parts) = (0u64, 0usize, 0usize);
    // The first part holds the bytes a whole file is probed for binary data in.
    let mut want = part_bytes.max(BINARY_PROBE);
    let mut eof = false;
    loop {
        if !eof && buf.len() < want {
            let more = (want - buf.len()) as u64;
            let read = (&mut file).take(more).read_to_end(&mut buf).map_err(io_error)?;
            eof = read == 0 || (read as u64) < more;
            if start == 0 && (buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF])) {
                return Ok(false);
            }
            continue;
        }
        let cut = if eof { Some(buf.len()) } else { document_start(&buf) };
        let Some(cut) = cut.filter(|&cut| cut > 0 || (eof && parts == 0)) else {
            // One document larger than a part: read on, within the limit.
            if buf.len() as u64 > max_bytes {
                return Err(Unreadable::TooLarge(file_len));
            }
            want = buf.len().saturating_mul(2);
            continue;
        };
        if cut as u64 > max_bytes {
            return Err(Unreadable::TooLarge(file_len));
        }
        let rest = buf.split_off(cut);
        let at = PartAt { start, len: cut, lines_before };
        let source = decode_part(input, std::mem::replace(&mut buf, rest), at)?;
        start += cut as u64;
        lines_before += source.line_breaks();
        parts += 1;
        each(at, source);
        want = part_bytes.max(1);
        if eof && buf.is_empty() {
            return Ok(true);
        }
    }
}

/// Reads one part of a file again (see [`read_parts`]).
pub fn read_part(origin: &Origin, name: &str, at: PartAt) -> Result<Arc<SourceFile>, Unreadable> {
    let file = origin.open().map_err(io_error)?;
    let mut bytes = vec![0; at.len];
    At { file: &file, pos: at.start }.read_exact(&mut bytes).map_err(io_error)?;
    decode_part(&Input::Found(PathBuf::from(name)), bytes, at)
}

/// The start of the last `---` line of `bytes` (after its first byte) that is known to
/// be one (followed by a space or a line break), moved back over the directives
/// (`%YAML`) that belong to its document.
fn document_start(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    loop {
        let at = bytes.get(..end)?.windows(4).rposition(|w| w == b"\n---")? + 1;
        end = at - 1;
        if matches!(bytes.get(at + 3), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            let mut start = at;
            while let Some(line) =
                bytes.get(..start - 1).map(|b| b.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1))
                && line > 0
                && bytes.get(line) == Some(&b'%')
            {
                start = line;
            }
            return Some(start);
        }
    }
}

/// Decodes a part of a file: the first as a whole file is (byte order mark, binary
/// data), the others as UTF-8, with the file's offsets in errors.
fn decode_part(input: &Input, bytes: Vec<u8>, at: PartAt) -> Result<Arc<SourceFile>, Unreadable> {
    let name = input.display_name();
    if at.start == 0 {
        let (text, offset_base) = checked_decode(input, bytes)?;
        return Ok(SourceFile::part(name, text, offset_base, 0));
    }
    let start = usize::try_from(at.start).unwrap_or(usize::MAX);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::part(name, text, start, at.lines_before)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let byte = bytes.get(valid).copied().unwrap_or(0);
            let offset = start + valid;
            let message = format!("the file is not valid UTF-8: invalid byte 0x{byte:02X} at offset {offset}");
            match invalid(bytes, valid, message) {
                Unreadable::Encoding(e) => Err(Unreadable::Encoding(InvalidEncoding {
                    offset_base: start,
                    lines_before: at.lines_before,
                    ..e
                })),
                other => Err(other),
            }
        }
    }
}

/// [`decode`], after the check for binary data.
fn checked_decode(input: &Input, bytes: Vec<u8>) -> Result<(String, usize), Unreadable> {
    if let Some(at) = binary_marker(&bytes) {
        if matches!(input, Input::Found(_)) {
            return Err(Unreadable::Binary);
        }
        let message = format!("this looks like a binary file, not YAML or JSON: it has a NUL byte at offset {at}");
        return Err(Unreadable::Encoding(InvalidEncoding {
            message,
            text: String::new(),
            at: 0,
            offset_base: 0,
            lines_before: 0,
        }));
    }
    decode(bytes)
}

/// How many bytes at the start of a file are probed for binary data.
const BINARY_PROBE: usize = 8192;

/// The offset of a NUL byte early in a file without a UTF-16 byte order mark: the
/// sign of binary data (text has none; YAML does not allow it).
fn binary_marker(bytes: &[u8]) -> Option<usize> {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16 {
        return None;
    }
    bytes.iter().take(BINARY_PROBE).position(|&b| b == 0)
}

/// UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark, as
/// go-yaml accepts. Returns the text and the bytes dropped from the start.
fn decode(bytes: Vec<u8>) -> Result<(String, usize), Unreadable> {
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] => match std::str::from_utf8(rest) {
            Ok(text) => Ok((text.to_string(), 3)),
            Err(e) => Err(utf8_error(&bytes, e.valid_up_to() + 3)),
        },
        _ => String::from_utf8(bytes).map(|t| (t, 0)).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            utf8_error(e.as_bytes(), at)
        }),
    }
}

fn decode_utf16(units: &[u8], unit: fn([u8; 2]) -> u16) -> Result<(String, usize), Unreadable> {
    let (pairs, remainder) = units.as_chunks::<2>();
    let mut text = String::with_capacity(pairs.len());
    let mut offset = 2; // after the byte order mark
    let failed = |message: String, text: String| {
        Unreadable::Encoding(InvalidEncoding { message, at: text.len(), text, offset_base: 2, lines_before: 0 })
    };
    for c in char::decode_utf16(pairs.iter().map(|&pair| unit(pair))) {
        let Ok(c) = c else {
            return Err(failed(format!("the UTF-16 text has an unpaired surrogate at byte offset {offset}"), text));
        };
        text.push(c);
        offset += c.len_utf16() * 2;
    }
    if !remainder.is_empty() {
        let message = format!("the UTF-16 text ends in the middle of a character: a lone byte at offset {offset}");
        return Err(failed(message, text));
    }
    Ok((text, 2))
}

fn utf8_error(bytes: &[u8], at: usize) -> Unreadable {
    let byte = bytes.get(at).copied().unwrap_or(0);
    invalid(bytes, at, format!("the file is not valid UTF-8: invalid byte 0x{byte:02X} at offset {at}"))
}

/// An encoding error at byte `at` of `bytes` (which are UTF-8 up to there, after a
/// byte order mark).
fn invalid(bytes: &[u8], at: usize, message: String) -> Unreadable {
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    let before = bytes.get(bom..at).unwrap_or_default();
    let line_end =
        bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'\n')).map_or(bytes.len(), |i| at + i);
    let mut text = String::from_utf8_lossy(before).into_owned();
    let at_text = text.len();
    text += &String::from_utf8_lossy(bytes.get(at..line_end).unwrap_or_default());
    Unreadable::Encoding(InvalidEncoding { message, text, at: at_text, offset_base: bom, lines_before: 0 })
}

fn io_error(e: std::io::Error) -> Unreadable {
    Unreadable::Io(io_message(&e))
}

/// What a path that is not a regular file is, for messages.
fn file_type(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

/// An I/O error as a short lowercase phrase, without the OS error number.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_lowercase()
        }
    }
}

fn is_loop(e: &ignore::Error) -> bool {
    match e {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

/// The path an error is about, if it says, and what went wrong.
fn walk_message(e: &ignore::Error) -> (Option<&Path>, String) {
    match e {
        ignore::Error::WithPath { path, err } => (Some(path), walk_message(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_message(err),
        ignore::Error::Loop { child, .. } => (Some(child), "a symbolic link loop".to_string()),
        ignore::Error::Io(io) => (None, io_message(io)),
        other => (None, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding_error(bytes: &[u8]) -> InvalidEncoding {
        match source(&Input::Stdin, bytes.to_vec()) {
            Err(Unreadable::Encoding(e)) => e,
            other => panic!("{other:?}"),
        }
    }

    /// A large file is cut before a `---` line known to be one, and before the
    /// directives of its document.
    #[test]
    fn parts_end_before_a_document_start() {
        assert_eq!(document_start(b"a: 1\n---\nb: 2\n---"), Some(5));
        assert_eq!(document_start(b"a: 1\n--- # c\nb: 2\n---x: 1\n"), Some(5));
        assert_eq!(document_start(b"a: 1\n%YAML 1.1\n%TAG ! x\n---\nb: 2\n"), Some(5));
        assert_eq!(document_start(b"---\na: 1\n"), None);
        assert_eq!(document_start(b"a: 1\n---"), None);
    }

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), ("a: 1".to_string(), 3));
        assert_eq!(decode(b"\xFF\xFEa\0:\0 \x001\0".to_vec()).unwrap().0, "a: 1");
        assert_eq!(decode(b"\xFE\xFF\0a\0:\0 \x001".to_vec()).unwrap().0, "a: 1");
    }

    #[test]
    fn invalid_utf8_names_the_offset_and_keeps_the_line() {
        let e = encoding_error(b"a: 1\nb: caf\xE9 au lait\nc: 3\n");
        assert!(e.message.ends_with("invalid byte 0xE9 at offset 11"), "{}", e.message);
        assert_eq!(e.text, "a: 1\nb: caf\u{FFFD} au lait");
        assert_eq!(e.at, 11);
        // after a byte order mark: the offset is in the file, the position in the text
        let e = encoding_error(b"\xEF\xBB\xBFa: \xFF");
        assert!(e.message.ends_with("at offset 6"), "{}", e.message);
        assert_eq!((e.at, e.offset_base), (3, 3));
    }

    #[test]
    fn invalid_utf16() {
        let e = encoding_error(b"\xFF\xFEa\0:\0 \0\x00\xD8");
        assert!(e.message.ends_with("unpaired surrogate at byte offset 8"), "{}", e.message);
        assert_eq!(e.text, "a: ");
        let e = encoding_error(b"\xFE\xFF\0a\0");
        assert!(e.message.ends_with("a lone byte at offset 4"), "{}", e.message);
    }

    #[test]
    fn inputs_are_kept_by_name_and_retained_in_order() {
        let rendered = Input::Rendered { name: "chart (helm)".to_string(), text: Arc::from("") };
        let mut inputs: Inputs = [
            Input::Stdin,
            Input::Found("./a.yaml".into()),
            Input::File("b.yaml".into()),
            Input::Found("c/d.yaml".into()),
            rendered.clone(),
        ]
        .into_iter()
        .collect();
        assert_eq!(inputs.whole.len(), 3, "found files are only their names");
        assert_eq!(*inputs.get(1), Input::Found("a.yaml".into()));
        assert_eq!(
            (inputs.path(3).as_deref(), inputs.found(3), inputs.found(2)),
            (Some(Path::new("c/d.yaml")), true, false)
        );
        inputs.retain(|inputs, i| i != 1 && inputs.name(i) != "c/d.yaml");
        let kept: Vec<Input> = inputs.iter().map(Cow::into_owned).collect();
        assert_eq!(kept, [Input::Stdin, Input::File("b.yaml".into()), rendered]);
        assert_eq!(inputs.names().iter().collect::<Vec<_>>(), ["<stdin>", "b.yaml", "chart (helm)"]);
    }

    #[test]
    fn binary_is_skipped_when_found_and_reported_when_named() {
        let bytes = b"\x7FELF\x02\x01\x01\0\0\0".to_vec();
        assert!(matches!(source(&Input::Found("a.yaml".into()), bytes.clone()), Err(Unreadable::Binary)));
        let e = encoding_error(&bytes);
        assert!(e.message.ends_with("a NUL byte at offset 7"), "{}", e.message);
        assert!(e.text.is_empty());
    }
}
