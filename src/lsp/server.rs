//! The message loop: requests are answered in order, notifications update the
//! documents, and documents are linted once their text has settled.

use std::path::PathBuf;
use std::time::Instant;

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::documents::{DEBOUNCE, Documents};
use super::position::{LineIndex, apply_changes};
use super::settings::{OptionsCache, Settings};

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
        ..ServerCapabilities::default()
    }
}

/// The workspace's root directory, from the newest field the client filled.
#[allow(deprecated)] // `root_uri` and `root_path`: older clients send only these
fn root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first()).map(|f| &f.uri);
    folder
        .or(params.root_uri.as_ref())
        .and_then(super::uri::to_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
}

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    options: OptionsCache,
    shutdown: bool,
    /// The last configuration error shown, so that it is shown once.
    shown_error: Option<String>,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: &InitializeParams) -> Server<'c> {
        let mut server = Server {
            connection,
            documents: Documents::default(),
            options: OptionsCache::default(),
            shutdown: false,
            shown_error: None,
        };
        let settings = Settings::parse(params.initialization_options.clone()).unwrap_or_else(|e| {
            server.show(MessageType::ERROR, e);
            Settings::default()
        });
        server.options = OptionsCache::new(settings, root(params));
        server
    }

    fn run(&mut self) -> Result<bool, String> {
        loop {
            let message = match self.documents.next_due() {
                Some(due) => match self.connection.receiver.recv_deadline(due) {
                    Ok(message) => Some(message),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return Ok(false),
                },
                None => match self.connection.receiver.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return Ok(false),
                },
            };
            match message {
                Some(Message::Request(request)) => self.request(request),
                Some(Message::Notification(n)) if n.method == notify::Exit::METHOD => return Ok(self.shutdown),
                Some(Message::Notification(n)) => self.notification(n),
                Some(Message::Response(_)) | None => {}
            }
            // Lint only when no message waits: the newest text is linted, once.
            if self.connection.receiver.is_empty() {
                self.lint_due();
            }
        }
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
                    let doc = s.documents.get(&at.text_document.uri)?;
                    let items = super::completion::complete(&doc.text, at.position, version);
                    Some(Some(lsp_types::CompletionResponse::Array(items)))
                }),
                req::CodeActionRequest::METHOD => self.answer::<req::CodeActionRequest>(request, |s, p| {
                    let doc = s.documents.get(&p.text_document.uri)?;
                    Some(Some(super::actions::actions(&doc.findings, &doc.text, p.range, &doc.uri)))
                }),
                req::GotoDefinition::METHOD => self.answer::<req::GotoDefinition>(request, |s, p| {
                    let at = p.text_document_position_params;
                    let doc = s.documents.get(&at.text_document.uri)?;
                    let open = s.documents.all().map(|d| (&d.uri, d.text.as_str()));
                    let found = super::navigation::definition(&doc.text, at.position, open);
                    Some(Some(lsp_types::GotoDefinitionResponse::Array(found)))
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
    fn version_of(&mut self, uri: &Uri) -> crate::schema::KubeVersion {
        let doc = self.documents.get(uri);
        let dir = doc.and_then(|d| d.path.as_ref()).and_then(|p| p.parent()).map(PathBuf::from);
        self.options.options(dir.as_deref()).map_or_else(|_| crate::schema::KubeVersion::newest(), |o| o.version)
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
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
                    doc.due = Some(Instant::now() + DEBOUNCE);
                }
            }
            notify::DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n) {
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
        for uri in self.documents.due_now() {
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
                Ok(options) => crate::lint::lint_text_among(&name, &doc.text, options, Vec::new()).findings,
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
