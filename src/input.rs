//! Finding and reading the inputs: files, directories and standard input.
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker): hidden entries
//! and what `.gitignore` excludes are skipped unless asked for, symbolic links are
//! followed with loop detection, and the result is sorted so every run reports in
//! the same order.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

impl Input {
    pub fn display_name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_string(),
            Input::File(p) | Input::Found(p) => display(p),
        }
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
    /// Not text in a supported encoding (the message names the byte offset).
    Encoding(String),
    /// Larger than the limit.
    TooLarge(u64),
    /// A binary file found while walking a directory: skipped with a note.
    Binary,
}

fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_string()
}

fn is_manifest(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

/// Expands the command-line paths into the inputs to check, in a stable order.
pub fn collect(paths: &[String], options: &WalkOptions) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for arg in paths {
        if arg == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Err(e) => errors.push(InputError { name: display(&path), message: io_message(&e), fatal: true }),
            Ok(meta) if meta.is_dir() => walk(&path, options, &mut inputs, &mut errors),
            Ok(_) => inputs.push(Input::File(path)),
        }
    }
    // Several arguments may name the same file; check it once.
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| match i {
        Input::File(p) | Input::Found(p) => seen.insert(p.clone()),
        Input::Stdin => true,
    });
    (inputs, errors)
}

fn walk(root: &Path, options: &WalkOptions, inputs: &mut Vec<Input>, errors: &mut Vec<InputError>) {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(!options.all_files)
        .ignore(!options.all_files)
        .git_ignore(!options.all_files)
        .git_global(false)
        .git_exclude(!options.all_files)
        .parents(!options.all_files)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_manifest(e.path()) => {
                found.push(e.into_path());
            }
            Ok(_) => {}
            Err(e) => {
                let fatal = !is_loop(&e);
                errors.push(InputError { name: display(root), message: walk_message(&e), fatal });
            }
        }
    }
    found.sort();
    inputs.extend(found.into_iter().map(Input::Found));
}

/// Reads and decodes one input.
pub fn read(input: &Input, max_bytes: u64) -> Result<Arc<SourceFile>, Unreadable> {
    let name = input.display_name();
    let bytes = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().take(max_bytes + 1).read_to_end(&mut buf).map_err(|e| Unreadable::Io(io_message(&e)))?;
            buf
        }
        Input::File(path) | Input::Found(path) => {
            let meta = std::fs::metadata(path).map_err(|e| Unreadable::Io(io_message(&e)))?;
            if !meta.is_file() {
                return Err(Unreadable::Io("not a regular file (a FIFO, socket or device?)".into()));
            }
            if meta.len() > max_bytes {
                return Err(Unreadable::TooLarge(meta.len()));
            }
            let file = std::fs::File::open(path).map_err(|e| Unreadable::Io(io_message(&e)))?;
            let mut buf = Vec::with_capacity(meta.len() as usize);
            file.take(max_bytes + 1).read_to_end(&mut buf).map_err(|e| Unreadable::Io(io_message(&e)))?;
            buf
        }
    };
    if bytes.len() as u64 > max_bytes {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    if matches!(input, Input::Found(_)) && looks_binary(&bytes) {
        return Err(Unreadable::Binary);
    }
    let (text, offset_base) = decode(bytes)?;
    Ok(SourceFile::new(name, text, offset_base))
}

/// A NUL byte early in a file without a UTF-16 byte order mark means binary data.
fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    !utf16 && bytes[..bytes.len().min(8192)].contains(&0)
}

/// UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark, as
/// go-yaml accepts. Returns the text and the bytes dropped from the start.
fn decode(bytes: Vec<u8>) -> Result<(String, usize), Unreadable> {
    let utf16 = |le: bool| -> Result<(String, usize), Unreadable> {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| match c {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            })
            .collect();
        String::from_utf16(&units)
            .map(|t| (t, 2))
            .map_err(|_| Unreadable::Encoding("the UTF-16 text contains an unpaired surrogate".into()))
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, ..] => {
            String::from_utf8(bytes[3..].to_vec()).map(|t| (t, 3)).map_err(|e| utf8_error(e.utf8_error(), 3))
        }
        _ => String::from_utf8(bytes).map(|t| (t, 0)).map_err(|e| utf8_error(e.utf8_error(), 0)),
    }
}

fn utf8_error(e: std::str::Utf8Error, base: usize) -> Unreadable {
    let at = e.valid_up_to() + base;
    Unreadable::Encoding(format!("the file is not valid UTF-8: invalid byte at offset {at}"))
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

fn walk_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { path, err } => format!("{}: {}", display(path), walk_message(err)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_message(err),
        ignore::Error::Loop { child, .. } => format!("symbolic link loop at {}", display(child)),
        ignore::Error::Io(io) => io_message(io),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), ("a: 1".to_string(), 3));
        assert_eq!(decode(b"\xFF\xFEa\0:\0 \x001\0".to_vec()).unwrap().0, "a: 1");
        assert_eq!(decode(b"\xFE\xFF\0a\0:\0 \x001".to_vec()).unwrap().0, "a: 1");
        match decode(b"a: \xFF".to_vec()) {
            Err(Unreadable::Encoding(m)) => assert!(m.contains("offset 3"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
