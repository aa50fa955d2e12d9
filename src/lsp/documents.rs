//! The documents the editor has open: their text as the editor has it (not the file
//! on disk), and when they are due to be linted again.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_types::Uri;

/// How long the text must stay unchanged before it is linted again: a burst of
/// keystrokes costs one lint.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

pub struct OpenDocument {
    pub uri: Uri,
    /// The file's path, for a `file:` URI.
    pub path: Option<PathBuf>,
    pub version: i32,
    pub text: String,
    /// When to lint it again, if it changed since.
    pub due: Option<Instant>,
    /// The findings of its last lint (for code actions and hover).
    pub findings: Vec<crate::finding::Finding>,
    /// Whether the workspace index holds its objects as of this text.
    pub indexed: bool,
}

impl OpenDocument {
    /// The name findings carry: the path, or the URI of an unsaved buffer.
    pub fn name(&self) -> String {
        self.path.as_ref().map_or_else(|| self.uri.as_str().to_string(), |p| p.to_string_lossy().into_owned())
    }
}

#[derive(Default)]
pub struct Documents {
    open: HashMap<Uri, OpenDocument>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, version: i32, text: String) {
        let path = super::uri::to_path(&uri);
        let doc = OpenDocument {
            uri: uri.clone(),
            path,
            version,
            text,
            due: Some(Instant::now()),
            findings: Vec::new(),
            indexed: false,
        };
        self.open.insert(uri, doc);
    }

    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
    }

    pub fn get(&self, uri: &Uri) -> Option<&OpenDocument> {
        self.open.get(uri)
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut OpenDocument> {
        self.open.get_mut(uri)
    }

    /// Lints every open document again soon (what they are checked among changed).
    pub fn all_due(&mut self) {
        let due = Instant::now() + DEBOUNCE;
        for doc in self.open.values_mut() {
            doc.due = Some(doc.due.map_or(due, |d| d.min(due)));
        }
    }

    pub fn all_mut(&mut self) -> impl Iterator<Item = &mut OpenDocument> {
        self.open.values_mut()
    }

    /// The earliest time a document is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.open.values().filter_map(|d| d.due).min()
    }

    /// The documents due by now, in URI order.
    pub fn due_now(&self) -> Vec<Uri> {
        let now = Instant::now();
        let mut due: Vec<Uri> =
            self.open.values().filter(|d| d.due.is_some_and(|t| t <= now)).map(|d| d.uri.clone()).collect();
        due.sort();
        due
    }
}
