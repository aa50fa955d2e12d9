// Starts `kval lsp` for YAML files. The server asks for the `kval` settings itself
// (workspace/configuration) and watches the workspace's files through the client.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("kval").get("path") || "kval";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient("kval", "kval", server, {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "yaml" },
    ],
    synchronize: { configurationSection: "kval" },
  });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
