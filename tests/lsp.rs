//! `kval lsp` driven in process over an in-memory connection: each handler, with
//! snapshots of what it answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::string_slice, clippy::panic)]

mod common;

use std::path::Path;
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

/// A test client: sends requests and notifications, and collects what the server
/// sends back.
struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<bool, String>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: Vec<Notification>,
}

impl Client {
    fn start(options: Value) -> Client {
        let (server, connection) = Connection::memory();
        let handle = std::thread::spawn(move || kval::lsp::serve(&server));
        let mut client = Client { connection, server: Some(handle), next_id: 0, pending: Vec::new() };
        let root = uri(&common::root());
        let init = json!({
            "processId": null,
            "rootUri": root,
            "capabilities": {},
            "initializationOptions": options,
        });
        let result = client.request("initialize", init);
        assert_eq!(result["serverInfo"]["name"], "kval");
        client.notify("initialized", json!({}));
        client
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.connection.sender.send(Message::Request(request)).unwrap();
        loop {
            match self.receive() {
                Message::Response(r) if r.id == id => {
                    return r.response_result.unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.connection.sender.send(Message::Notification(n)).unwrap();
    }

    fn receive(&self) -> Message {
        self.connection.receiver.recv_timeout(Duration::from_secs(30)).expect("the server answers")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let found = |n: &Notification| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri;
        if let Some(i) = self.pending.iter().position(found) {
            return self.pending.remove(i).params;
        }
        loop {
            match self.receive() {
                Message::Notification(n) if found(&n) => return n.params,
                Message::Notification(n) => self.pending.push(n),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({"uri": uri, "languageId": "yaml", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    /// `shutdown` then `exit`: the server must end cleanly.
    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let clean = self.server.take().unwrap().join().unwrap();
        assert_eq!(clean, Ok(true));
    }
}

fn uri(path: &Path) -> String {
    kval::lsp::uri::from_path(path).unwrap().as_str().to_string()
}

fn fixture(name: &str) -> (String, String) {
    let path = common::root().join("tests/fixtures/lsp").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    (uri(&path), text)
}

/// The JSON with the repository's location replaced, so that snapshots are the same
/// in every checkout.
fn portable(value: &Value) -> Value {
    let text = value.to_string().replace(&uri(&common::root()), "file:///ROOT");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn diagnostics_on_open_have_rule_codes_and_ranges() {
    let mut client = Client::start(Value::Null);
    let (uri, text) = fixture("daemonset.yaml");
    client.open(&uri, &text);
    let published = client.diagnostics(&uri);
    common::settings().bind(|| insta::assert_json_snapshot!(portable(&published)));
    client.shutdown();
}

#[test]
fn diagnostics_follow_incremental_changes() {
    let mut client = Client::start(Value::Null);
    let (uri, text) = fixture("daemonset.yaml");
    client.open(&uri, &text);
    client.diagnostics(&uri);
    // Fix the misspelled key (line 20, `imagePullPolicyy`), then remove `replicas`
    // (line 7) in a second change of the same notification.
    let changes = json!([
        {"range": {"start": {"line": 19, "character": 23}, "end": {"line": 19, "character": 24}}, "text": ""},
        {"range": {"start": {"line": 6, "character": 0}, "end": {"line": 7, "character": 0}}, "text": ""},
    ]);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes}),
    );
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 2);
    let codes: Vec<(&str, u64)> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["range"]["start"]["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(codes, [("invalid-restart-policy", 14)]);
    client.shutdown();
}

#[test]
fn other_yaml_and_suppressions_give_no_diagnostics() {
    let mut client = Client::start(Value::Null);
    let values = "file:///tmp/values.yaml";
    client.open(values, "replicaCount: 3\nimage:\n  tag: latest\n");
    assert_eq!(client.diagnostics(values)["diagnostics"], json!([]));
    let (uri, text) = fixture("daemonset.yaml");
    let text = text.replace("  replicas: 3", "  replicas: 3  # kval-ignore unknown-field");
    client.open(&uri, &text);
    let codes: Vec<Value> =
        client.diagnostics(&uri)["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
    assert_eq!(codes, [json!("invalid-restart-policy"), json!("unknown-field")]);
    client.shutdown();
}

#[test]
fn kval_yaml_of_the_files_directory_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".kval.yaml"), "rules:\n  disable: [invalid-restart-policy]\n").unwrap();
    let (_, text) = fixture("daemonset.yaml");
    let path = dir.path().join("ds.yaml");
    std::fs::write(&path, "").unwrap(); // the editor's text counts, not the file's
    let mut client = Client::start(Value::Null);
    let uri = uri(&path);
    client.open(&uri, &text);
    let codes: Vec<Value> =
        client.diagnostics(&uri)["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
    assert_eq!(codes, [json!("unknown-field"), json!("unknown-field")]);
    client.shutdown();
}

#[test]
fn unknown_requests_are_errors_and_exit_without_shutdown_is_not_clean() {
    let client = Client::start(Value::Null);
    client.connection.sender.send(Message::Request(Request::new(7.into(), "kval/nothing".into(), json!({})))).unwrap();
    match client.receive() {
        Message::Response(r) => {
            assert_eq!(r.response_result.unwrap_err().code, lsp_server::ErrorCode::MethodNotFound as i32)
        }
        other => panic!("{other:?}"),
    }
    let Client { connection, mut server, .. } = client;
    connection.sender.send(Message::Notification(Notification::new("exit".into(), Value::Null))).unwrap();
    assert_eq!(server.take().unwrap().join().unwrap(), Ok(false));
}
