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
        // A small workspace: the repository's own files would all be indexed.
        Client::start_in(&common::root().join("tests/fixtures/lsp/workspace"), options)
    }

    fn start_in(root: &Path, options: Value) -> Client {
        Client::start_with(root, options, json!({}))
    }

    fn start_with(root: &Path, options: Value, capabilities: Value) -> Client {
        let (server, connection) = Connection::memory();
        let handle = std::thread::spawn(move || kval::lsp::serve(&server));
        let mut client = Client { connection, server: Some(handle), next_id: 0, pending: Vec::new() };
        let root = uri(root);
        let init = json!({
            "processId": null,
            "rootUri": root,
            "capabilities": capabilities,
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

    /// The next request the server sends (notifications meanwhile are kept).
    fn server_request(&mut self) -> Request {
        loop {
            match self.receive() {
                Message::Request(r) => return r,
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
        self.next(|n| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri)
    }

    /// The params of the next notification of `method`.
    fn notification(&mut self, method: &str) -> Value {
        self.next(|n| n.method == method)
    }

    fn next(&mut self, found: impl Fn(&Notification) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&found) {
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
    // (Version 1 may be published again meanwhile, once the workspace is indexed.)
    let mut published = client.diagnostics(&uri);
    while published["version"] == 1 {
        published = client.diagnostics(&uri);
    }
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

/// `kval explain` run as a user would.
fn explain(args: &[&str]) -> String {
    let out = common::kval().arg("explain").args(args).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn hover_on_a_key_is_kval_explain() {
    let mut client = Client::start(Value::Null);
    let path = common::root().join("tests/fixtures/fix/nested_ttl.yaml");
    let (uri, text) = (uri(&path), std::fs::read_to_string(&path).unwrap());
    client.open(&uri, &text);
    client.diagnostics(&uri);
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let hover = client.request("textDocument/hover", at(6, 5));
    let value = hover["contents"]["value"].as_str().unwrap();
    let expected = explain(&["job.spec.ttlSecondsAfterFinished", "--rules"]);
    let explained = value.strip_prefix("```text\n").unwrap().split("\n```").next().unwrap();
    assert_eq!(explained, expected.trim_end());
    // On the finding's range: its rule's documentation follows.
    let hover = client.request("textDocument/hover", at(7, 6));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("**invalid-type**"), "{hover}");
    assert_eq!(client.request("textDocument/hover", at(5, 4)), Value::Null); // a comment
    client.shutdown();
}

#[test]
fn completion_offers_missing_fields_of_the_kind() {
    let mut client = Client::start(Value::Null);
    let (uri, text) = fixture("daemonset.yaml");
    let text = text.replace("  replicas: 3\n", "  \n");
    client.open(&uri, &text);
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let items = client.request("textDocument/completion", at(6, 2));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"updateStrategy"), "{labels:?}");
    assert!(!labels.contains(&"replicas") && !labels.contains(&"selector"), "{labels:?}");
    common::settings().bind(|| insta::assert_json_snapshot!("completion_daemonset_spec", items));
    // Enum values, and the kinds an apiVersion serves.
    let values = client.request("textDocument/completion", at(15, 21));
    let labels: Vec<&str> = values.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Always", "Never", "OnFailure"]);
    let kinds = client.request("textDocument/completion", at(1, 6));
    let labels: Vec<&str> = kinds.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"]);
    client.shutdown();
}

#[test]
fn code_actions_apply_the_fixes_and_suppress() {
    let mut client = Client::start(Value::Null);
    let path = common::root().join("tests/fixtures/fix/nested_ttl.yaml");
    let (uri, text) = (uri(&path), std::fs::read_to_string(&path).unwrap());
    client.open(&uri, &text);
    client.diagnostics(&uri);
    let range = json!({"start": {"line": 7, "character": 4}, "end": {"line": 7, "character": 4}});
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    );
    common::settings().bind(|| insta::assert_json_snapshot!("code_actions_nested_ttl", portable(&actions)));
    client.shutdown();
}

#[test]
fn definition_from_a_service_selector_and_document_symbols() {
    let mut client = Client::start(Value::Null);
    let (svc, dep) = ("file:///tmp/kval-lsp/svc.yaml", "file:///tmp/kval-lsp/dep.yaml");
    client.open(svc, "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    client.open(
        dep,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: nginx}]\n",
    );
    let at = json!({"textDocument": {"uri": svc}, "position": {"line": 6, "character": 6}});
    let found = client.request("textDocument/definition", at);
    assert_eq!(
        found,
        json!([{"uri": dep, "range": {"start": {"line": 3, "character": 8}, "end": {"line": 3, "character": 11}}}])
    );
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": dep}}));
    assert_eq!(symbols[0]["name"], "Deployment/web");
    client.shutdown();
}

/// A workspace on disk: `(name, text)` files in a temporary directory.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const SERVICE: &str =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";

fn deployment(name: &str, app: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels: {{app: {app}}}\n  template:\n    metadata:\n      labels: {{app: {app}}}\n    spec:\n      containers: [{{name: web, image: nginx:1.27, ports: [{{containerPort: 80}}]}}]\n"
    )
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn files_that_are_not_open_count_and_are_watched() {
    let dir = workspace(&[("service.yaml", SERVICE), ("web.yaml", &deployment("web", "web"))]);
    let mut client = Client::start_in(dir.path(), Value::Null);
    let svc = uri(&dir.path().join("service.yaml"));
    client.open(&svc, SERVICE);
    // The Deployment of web.yaml, indexed but not open, is what the Service selects.
    client.notification("window/logMessage");
    let published = client.diagnostics(&svc);
    assert_eq!(codes(&published), Vec::<String>::new());
    // The file changes on disk: the Service now selects nothing.
    std::fs::write(dir.path().join("web.yaml"), deployment("web", "api")).unwrap();
    let change = json!({"changes": [{"uri": uri(&dir.path().join("web.yaml")), "type": 2}]});
    client.notify("workspace/didChangeWatchedFiles", change);
    // (Diagnostics published before the change may still be on their way.)
    loop {
        match codes(&client.diagnostics(&svc)).as_slice() {
            [] => continue,
            found => {
                assert_eq!(found, ["dangling-service"]);
                break;
            }
        }
    }
    // Workspace symbols: every object, wherever it is.
    let symbols = client.request("workspace/symbol", json!({"query": "WEB"}));
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Service/web", "Deployment/web"]);
    client.shutdown();
}

#[test]
fn settings_come_from_workspace_configuration() {
    let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 3\n";
    let dir = workspace(&[("hpa.yaml", hpa)]);
    let capabilities =
        json!({"workspace": {"configuration": true, "didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::start_with(dir.path(), Value::Null, capabilities);
    // The server asks to watch the workspace's files, then for its settings.
    let watch = client.server_request();
    assert_eq!(watch.method, "client/registerCapability");
    let globs: Vec<&Value> = watch.params["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["globPattern"])
        .collect();
    assert_eq!(globs, [&json!("**/*.{yaml,yml,json}"), &json!("**/.kval.{yaml,yml}")]);
    client.connection.sender.send(Message::Response(lsp_server::Response::new_ok(watch.id, Value::Null))).unwrap();
    let asked = client.server_request();
    assert_eq!(
        (asked.method.as_str(), &asked.params),
        ("workspace/configuration", &json!({"items": [{"section": "kval"}]}))
    );
    let answer = json!([{"kubernetesVersion": "1.25"}]);
    client.connection.sender.send(Message::Response(lsp_server::Response::new_ok(asked.id, answer))).unwrap();
    // autoscaling/v2beta2 is served by 1.25 (deprecated), and removed in newer versions.
    let uri = uri(&dir.path().join("hpa.yaml"));
    client.open(&uri, hpa);
    loop {
        match codes(&client.diagnostics(&uri)).as_slice() {
            [code] if code == "removed-api" => continue, // linted before the answer arrived
            found => {
                assert_eq!(found, ["deprecated-api"]);
                break;
            }
        }
    }
    // A change of settings is asked for again.
    client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    assert_eq!(client.server_request().method, "workspace/configuration");
    client.shutdown();
}

#[test]
fn completion_of_names_and_definition_from_a_pdb() {
    let accounts = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder, namespace: ci}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: deployer, namespace: ci}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: elsewhere, namespace: prod}\n";
    let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: ci}\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n";
    let web = deployment("web", "web").replace("  name: web\n", "  name: web\n  namespace: ci\n");
    let dir = workspace(&[("accounts.yaml", accounts), ("pdb.yaml", pdb), ("web.yaml", &web)]);
    let mut client = Client::start_in(dir.path(), Value::Null);
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: job\n  namespace: ci\nspec:\n  serviceAccountName: \n  containers: [{name: main, image: busybox:1.36}]\n";
    let uri_pod = uri(&dir.path().join("pod.yaml"));
    client.open(&uri_pod, pod);
    let at = json!({"textDocument": {"uri": uri_pod}, "position": {"line": 6, "character": 22}});
    client.request("workspace/symbol", json!({"query": ""})); // waits for the index
    let items = client.request("textDocument/completion", at);
    let labels: Vec<(&str, &str)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["label"].as_str().unwrap(), i["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(labels, [("builder", "ServiceAccount in ci"), ("deployer", "ServiceAccount in ci")]);
    // From a PodDisruptionBudget's selector to the Deployment whose Pods it covers.
    let uri_pdb = uri(&dir.path().join("pdb.yaml"));
    client.open(&uri_pdb, pdb);
    let at = json!({"textDocument": {"uri": uri_pdb}, "position": {"line": 6, "character": 20}});
    let found = client.request("textDocument/definition", at);
    let web_uri = uri(&dir.path().join("web.yaml"));
    assert_eq!(
        found,
        json!([{"uri": web_uri, "range": {"start": {"line": 3, "character": 8}, "end": {"line": 3, "character": 11}}}])
    );
    client.shutdown();
}
