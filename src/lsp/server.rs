//! The message loop: requests are answered in order, notifications update the
//! documents, and documents are linted once their text has settled. The workspace
//! is indexed on another thread, so that requests are answered meanwhile.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crossbeam_channel::{Receiver, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::documents::Documents;
use super::position::{LineIndex, apply_changes};
use super::settings::{OptionsCache, Settings};
use super::workspace::Index;
use crate::schema::KubeVersion;

/// Serves one client on `connection` until `exit`; returns whether `shutdown` came
/// first.
pub fn serve(connection: &Connection) -> Result<bool, String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo { name: "kval".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, &params);
    // `initialize_finish` has received `initialized`: the client may be asked now.
    if server.client.watch_files {
        server.watch_files();
    }
    if server.client.configuration {
        server.request_configuration();
    }
    server.run()
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into()]),
            ..lsp_types::CompletionOptions::default()
        }),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        document_symbol_provider: Some(lsp_types::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp_types::OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// The workspace's folders, from the newest field the client filled; the first is
/// the root `.kval.yaml` settings are relative to.
#[allow(deprecated)] // `root_uri` and `root_path`: older clients send only these
fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> =
        params.workspace_folders.iter().flatten().filter_map(|f| super::uri::to_path(&f.uri)).collect();
    if !folders.is_empty() {
        return folders;
    }
    params
        .root_uri
        .as_ref()
        .and_then(super::uri::to_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .into_iter()
        .collect()
}

/// What the client can do that the server asks of it.
#[derive(Default)]
struct ClientCan {
    /// Answer `workspace/configuration`.
    configuration: bool,
    /// Watch files for the server (`client/registerCapability`).
    watch_files: bool,
}

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    options: OptionsCache,
    shutdown: bool,
    /// The last configuration error shown, so that it is shown once.
    shown_error: Option<String>,
    roots: Vec<PathBuf>,
    index: Index,
    /// The index being built in the background, if one is.
    indexing: Option<Receiver<Index>>,
    client: ClientCan,
    /// The pending `workspace/configuration` request.
    configuration: Option<RequestId>,
    next_request: i32,
}

/// What the loop waits for.
enum Event {
    Message(Message),
    Indexed(Index),
    /// A document's text has settled.
    Tick,
    /// The index thread ended without an index (a bug): the index stays as it was.
    IndexLost,
    Disconnected,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: &InitializeParams) -> Server<'c> {
        let workspace = params.capabilities.workspace.as_ref();
        let client = ClientCan {
            configuration: workspace.and_then(|w| w.configuration) == Some(true),
            watch_files: workspace.and_then(|w| w.did_change_watched_files).and_then(|d| d.dynamic_registration)
                == Some(true),
        };
        let mut server = Server {
            connection,
            documents: Documents::default(),
            options: OptionsCache::default(),
            shutdown: false,
            shown_error: None,
            roots: roots(params),
            index: Index::default(),
            indexing: None,
            client,
            configuration: None,
            next_request: 0,
        };
        let settings = Settings::parse(params.initialization_options.clone()).unwrap_or_else(|e| {
            server.show(MessageType::ERROR, e);
            Settings::default()
        });
        server.options = OptionsCache::new(settings, server.roots.first().cloned());
        server.reindex();
        server
    }

    /// Indexes the workspace again, on another thread.
    fn reindex(&mut self) {
        if self.roots.is_empty() {
            return;
        }
        let (sender, receiver) = crossbeam_channel::bounded(1);
        let roots = self.roots.clone();
        let mut options =
            OptionsCache::new(self.options.settings().clone(), self.options.root().map(Path::to_path_buf));
        std::thread::spawn(move || {
            let index = crate::lint::catch_panic(|| Index::build(&roots, &mut options));
            // A panic (a bug) leaves the index as it was; the channel then closes.
            if let Ok(index) = index {
                let _ = sender.send(index);
            }
        });
        self.indexing = Some(receiver);
    }

    fn next_event(&self) -> Event {
        let indexed = self.indexing.clone().unwrap_or_else(crossbeam_channel::never);
        let messages = &self.connection.receiver;
        let event = |message: Result<Message, _>| message.map_or(Event::Disconnected, Event::Message);
        let index = |index: Result<Index, _>| index.map_or(Event::IndexLost, Event::Indexed);
        match self.documents.next_due() {
            Some(due) => select! {
                recv(messages) -> m => event(m),
                recv(indexed) -> i => index(i),
                default(due.saturating_duration_since(Instant::now())) => Event::Tick,
            },
            None => select! {
                recv(messages) -> m => event(m),
                recv(indexed) -> i => index(i),
            },
        }
    }

    fn run(&mut self) -> Result<bool, String> {
        loop {
            match self.next_event() {
                Event::Message(Message::Request(request)) => self.request(request),
                Event::Message(Message::Notification(n)) if n.method == notify::Exit::METHOD => {
                    return Ok(self.shutdown);
                }
                Event::Message(Message::Notification(n)) => self.notification(n),
                Event::Message(Message::Response(r)) => self.response(r),
                Event::Indexed(index) => self.indexed(index),
                Event::Tick => {}
                Event::IndexLost => self.indexing = None,
                Event::Disconnected => return Ok(false),
            }
            // Lint only when no message waits: the newest text is linted, once.
            if self.connection.receiver.is_empty() {
                self.lint_due();
            }
        }
    }

    /// A new index: the open documents' objects replace their files', and every open
    /// document is linted again among them.
    fn indexed(&mut self, index: Index) {
        let started = self.index.file_count();
        self.index = index;
        self.indexing = None;
        for doc in self.documents.all_mut() {
            doc.indexed = false;
        }
        self.documents.all_due();
        let message = format!("kval: indexed {} files of the workspace (had {started})", self.index.file_count());
        self.notify(notify::LogMessage::METHOD, lsp_types::LogMessageParams { typ: MessageType::INFO, message });
    }

    /// Waits for the index being built, if one is: navigation answers from the whole
    /// workspace (the other requests and the diagnostics do not wait).
    fn await_index(&mut self) {
        if let Some(index) = self.indexing.take().and_then(|i| i.recv().ok()) {
            self.indexed(index);
        }
    }

    /// Puts the editor's text of the open documents that changed into the index.
    fn sync_index(&mut self) {
        for doc in self.documents.all_mut().filter(|d| !d.indexed) {
            let dir = doc.path.as_ref().and_then(|p| p.parent()).map(PathBuf::from);
            let version = self.options.options(dir.as_deref()).map_or_else(|_| KubeVersion::newest(), |o| o.version);
            self.index.set_text(&doc.name(), &doc.text, crate::schema::Catalog::get(version));
            doc.indexed = true;
        }
    }

    /// Asks the client for the `kval` section of its settings.
    fn request_configuration(&mut self) {
        let item = lsp_types::ConfigurationItem { scope_uri: None, section: Some("kval".into()) };
        let params = lsp_types::ConfigurationParams { items: vec![item] };
        self.configuration = Some(self.send_request(req::WorkspaceConfiguration::METHOD, params));
    }

    fn send_request(&mut self, method: &str, params: impl Serialize) -> RequestId {
        self.next_request += 1;
        let id = RequestId::from(format!("kval-{}", self.next_request));
        self.send(Message::Request(Request::new(id.clone(), method.to_string(), params)));
        id
    }

    fn response(&mut self, response: Response) {
        if self.configuration.as_ref() != Some(&response.id) {
            return;
        }
        self.configuration = None;
        // A client without settings for `kval` answers `[null]`: the initialization
        // options and `.kval.yaml` stay in force.
        let value = response.response_result.ok().and_then(|r| r.as_array().and_then(|a| a.first().cloned()));
        self.configure(value);
    }

    /// New settings from the client: everything is read and linted again.
    fn configure(&mut self, value: Option<serde_json::Value>) {
        if value.as_ref().is_none_or(serde_json::Value::is_null) {
            return;
        }
        match Settings::parse(value) {
            Ok(settings) if &settings == self.options.settings() => {}
            Ok(settings) => {
                self.options.reset(Some(settings));
                self.reindex();
                self.documents.all_due();
            }
            Err(e) => self.show(MessageType::ERROR, e),
        }
    }

    /// Watches the workspace's manifests and configuration files, for a client that
    /// watches files for servers.
    fn watch_files(&mut self) {
        let watcher = |glob: &str| lsp_types::FileSystemWatcher {
            glob_pattern: lsp_types::GlobPattern::String(glob.to_string()),
            kind: None,
        };
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![watcher("**/*.{yaml,yml,json}"), watcher("**/.kval.{yaml,yml}")],
        };
        let registration = lsp_types::Registration {
            id: "kval-watched-files".into(),
            method: notify::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let params = lsp_types::RegistrationParams { registrations: vec![registration] };
        self.send_request(req::RegisterCapability::METHOD, params);
    }

    /// Files changed on disk: a configuration file changes what every file is
    /// checked with (the whole workspace is indexed again); other files are read again
    /// unless the editor has them open (its text counts).
    fn files_changed(&mut self, changes: Vec<lsp_types::FileEvent>) {
        let open: Vec<PathBuf> = self.documents.all_mut().filter_map(|d| d.path.clone()).collect();
        let mut configuration = false;
        for change in changes {
            let Some(path) = super::uri::to_path(&change.uri) else { continue };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if crate::config::FILE_NAMES.contains(&name) {
                configuration = true;
            } else if !open.contains(&path) {
                self.index.reload(&path, &mut self.options);
            }
        }
        if configuration {
            self.options.reset(None);
            self.reindex();
        }
        self.documents.all_due();
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let response = if self.shutdown {
            Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shutting down".into())
        } else {
            match request.method.as_str() {
                req::Shutdown::METHOD => {
                    self.shutdown = true;
                    Response::new_ok(id, ())
                }
                req::HoverRequest::METHOD => self.answer::<req::HoverRequest>(request, |s, p| {
                    let at = p.text_document_position_params;
                    let version = s.version_of(&at.text_document.uri);
                    let doc = s.documents.get(&at.text_document.uri)?;
                    Some(super::hover::hover(&doc.text, at.position, version, &doc.findings))
                }),
                req::Completion::METHOD => self.answer::<req::Completion>(request, |s, p| {
                    let at = p.text_document_position;
                    let version = s.version_of(&at.text_document.uri);
                    s.sync_index();
                    let doc = s.documents.get(&at.text_document.uri)?;
                    let items = super::completion::complete(&doc.text, at.position, version, &s.index);
                    Some(Some(lsp_types::CompletionResponse::Array(items)))
                }),
                req::CodeActionRequest::METHOD => self.answer::<req::CodeActionRequest>(request, |s, p| {
                    let doc = s.documents.get(&p.text_document.uri)?;
                    Some(Some(super::actions::actions(&doc.findings, &doc.text, p.range, &doc.uri)))
                }),
                req::GotoDefinition::METHOD => self.answer::<req::GotoDefinition>(request, |s, p| {
                    s.await_index();
                    s.sync_index();
                    let at = p.text_document_position_params;
                    let doc = s.documents.get(&at.text_document.uri)?;
                    let found = super::navigation::definition(&doc.text, at.position, &s.index);
                    Some(Some(lsp_types::GotoDefinitionResponse::Array(found)))
                }),
                req::WorkspaceSymbolRequest::METHOD => self.answer::<req::WorkspaceSymbolRequest>(request, |s, p| {
                    s.await_index();
                    s.sync_index();
                    let found = super::navigation::workspace_symbols(&s.index, &p.query);
                    Some(Some(lsp_types::WorkspaceSymbolResponse::Flat(found)))
                }),
                req::DocumentSymbolRequest::METHOD => self.answer::<req::DocumentSymbolRequest>(request, |s, p| {
                    let doc = s.documents.get(&p.text_document.uri)?;
                    Some(Some(lsp_types::DocumentSymbolResponse::Nested(super::navigation::symbols(&doc.text))))
                }),
                method => Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unsupported: {method}")),
            }
        };
        self.send(Message::Response(response));
    }

    /// Answers a request of type `R` with `handle` (`null` when it returns `None`).
    fn answer<R: req::Request>(
        &mut self,
        request: Request,
        handle: impl FnOnce(&mut Self, R::Params) -> Option<R::Result>,
    ) -> Response {
        let id = request.id.clone();
        match serde_json::from_value::<R::Params>(request.params) {
            Ok(params) => match handle(self, params) {
                Some(result) => Response::new_ok(id, result),
                None => Response::new_ok(id, serde_json::Value::Null),
            },
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }

    /// The Kubernetes version a document is checked against.
    fn version_of(&mut self, uri: &Uri) -> KubeVersion {
        let doc = self.documents.get(uri);
        let dir = doc.and_then(|d| d.path.as_ref()).and_then(|p| p.parent()).map(PathBuf::from);
        self.options.options(dir.as_deref()).map_or_else(|_| KubeVersion::newest(), |o| o.version)
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notify::DidChangeConfiguration::METHOD => {
                if self.client.configuration {
                    self.request_configuration();
                } else if let Some(p) = params::<lsp_types::DidChangeConfigurationParams>(n) {
                    self.configure(p.settings.get("kval").cloned());
                }
            }
            notify::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeWatchedFilesParams>(n) {
                    self.files_changed(p.changes);
                }
            }
            notify::DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n) {
                    let doc = p.text_document;
                    self.documents.open(doc.uri, doc.version, doc.text);
                }
            }
            notify::DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n)
                    && let Some(doc) = self.documents.get_mut(&p.text_document.uri)
                {
                    apply_changes(&mut doc.text, p.content_changes);
                    doc.version = p.text_document.version;
                    doc.indexed = false;
                    // The other open documents are checked among this one's objects.
                    self.documents.all_due();
                }
            }
            notify::DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n) {
                    // The file on disk counts again (a buffer never saved is gone).
                    if let Some(doc) = self.documents.get(&p.text_document.uri) {
                        match doc.path.clone() {
                            Some(path) => self.index.reload(&path, &mut self.options),
                            None => self.index.remove(&doc.name()),
                        }
                    }
                    self.documents.close(&p.text_document.uri);
                    // A closed file's problems are not shown (as rust-analyzer does for
                    // files outside the build).
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    /// Lints the documents whose text has settled, and publishes their diagnostics.
    fn lint_due(&mut self) {
        let due = self.documents.due_now();
        if !due.is_empty() {
            self.sync_index();
        }
        for uri in due {
            self.lint(&uri);
        }
    }

    fn lint(&mut self, uri: &Uri) {
        let Some(doc) = self.documents.get(uri) else { return };
        let dir = doc.path.as_ref().and_then(|p| p.parent()).map(PathBuf::from);
        let name = doc.name();
        let findings = if !is_kubernetes(&doc.text) {
            Vec::new()
        } else {
            match self.options.options(dir.as_deref()) {
                Ok(options) if options.ignore_paths.as_ref().is_some_and(|i| i.matches(&name)) => Vec::new(),
                Ok(options) => {
                    crate::lint::lint_text_among(&name, &doc.text, options, self.index.others(&name)).findings
                }
                Err(e) => {
                    let e = e.to_string();
                    if self.shown_error.as_ref() != Some(&e) {
                        self.show(MessageType::ERROR, e.clone());
                        self.shown_error = Some(e);
                    }
                    Vec::new()
                }
            }
        };
        let Some(doc) = self.documents.get_mut(uri) else { return };
        let diagnostics = super::diagnostics::diagnostics(&findings, &LineIndex::new(&doc.text), uri);
        doc.findings = findings;
        doc.due = None;
        let version = Some(doc.version);
        self.publish(uri.clone(), diagnostics, version);
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.notify(notify::PublishDiagnostics::METHOD, params);
    }

    fn show(&self, typ: MessageType, message: String) {
        self.notify(notify::ShowMessage::METHOD, ShowMessageParams { typ, message });
    }

    fn notify(&self, method: &str, params: impl Serialize) {
        self.send(Message::Notification(Notification::new(method.to_string(), params)));
    }

    fn send(&self, message: Message) {
        // A closed channel means the client is gone; the loop ends on its next receive.
        let _ = self.connection.sender.send(message);
    }
}

fn params<P: DeserializeOwned>(n: Notification) -> Option<P> {
    serde_json::from_value(n.params).ok()
}

/// Whether a text is for kval: YAML that is not some other program's
/// ([`crate::document::is_other_yaml`], as `kval lint` skips it), and not empty.
fn is_kubernetes(text: &str) -> bool {
    let stream = crate::yaml::load(text, &crate::limits::Limits::default());
    stream.documents.iter().any(|d| !d.root.is_null()) && !crate::document::is_other_yaml(&stream)
}
