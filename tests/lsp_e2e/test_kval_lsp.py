"""`kval lsp` driven by a real LSP client: pytest-lsp (pygls), started with Neovim's
client capabilities, talking to the `kval` binary over standard input and output.

Run by tests/lsp_e2e.rs, which sets KVAL_BIN. Expected values come from the files'
text and from `kval explain` run as a user would, not from the server.
"""

import os
import pathlib
import subprocess

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
KVAL = os.environ.get("KVAL_BIN", "kval")
FIXTURES = ROOT / "tests" / "fixtures"
WORKSPACE = FIXTURES / "lsp" / "workspace"
CONFIG = ClientServerConfig(server_command=[KVAL, "lsp"])


def initialize_params():
    return types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("neovim"),
        workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="workspace")],
        root_uri=WORKSPACE.as_uri(),
    )


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(initialize_params())
    yield
    await lsp_client.shutdown_session()


def open_file(client, path, text=None):
    text = path.read_text() if text is None else text
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    return uri, text


async def diagnostics_of(client, uri):
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def span_of(text, needle, occurrence=1):
    """The LSP range of the `occurrence`-th `needle` in `text` (ASCII text)."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at)
    column = at - (text.rfind("\n", 0, at) + 1)
    return types.Range(
        start=types.Position(line=line, character=column),
        end=types.Position(line=line, character=column + len(needle)),
    )


def apply_edits(text, edits):
    """Applies LSP text edits (non-overlapping, on one document) to `text`."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position):
        return starts[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.mark.asyncio
async def test_diagnostics_of_a_daemonset_point_at_the_mistakes(client: LanguageClient):
    uri, text = open_file(client, FIXTURES / "lsp" / "daemonset.yaml")
    found = [(d.code, d.range, d.severity) for d in await diagnostics_of(client, uri)]
    error = types.DiagnosticSeverity.Error
    assert found == [
        ("unknown-field", span_of(text, "replicas"), error),
        ("invalid-restart-policy", span_of(text, "OnFailure"), error),
        ("unknown-field", span_of(text, "imagePullPolicyy"), error),
    ]


@pytest.mark.asyncio
async def test_hover_is_kval_explain(client: LanguageClient):
    uri, text = open_file(client, FIXTURES / "fix" / "nested_ttl.yaml")
    at = span_of(text, "ttlSecondsAfterFinished").start
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    explained = subprocess.run(
        [KVAL, "explain", "job.spec.ttlSecondsAfterFinished", "--rules"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
    ).stdout
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("```text\n" + explained.rstrip("\n") + "\n```")


@pytest.mark.asyncio
async def test_completion_in_a_daemonset_spec(client: LanguageClient):
    path = FIXTURES / "lsp" / "daemonset.yaml"
    uri, text = open_file(client, path, path.read_text().replace("  replicas: 3\n", "  \n"))
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=6, character=2),
        )
    )
    items = result if isinstance(result, list) else result.items
    labels = {item.label for item in items}
    assert "updateStrategy" in labels
    assert "minReadySeconds" in labels
    assert "replicas" not in labels
    assert "selector" not in labels  # already written


@pytest.mark.asyncio
async def test_code_action_unnests_ttl_seconds_after_finished(client: LanguageClient):
    uri, text = open_file(client, FIXTURES / "fix" / "nested_ttl.yaml")
    await diagnostics_of(client, uri)
    inner = span_of(text, "ttlSecondsAfterFinished", 2)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=inner,
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    preferred = [a for a in actions if a.is_preferred]
    assert [a.title for a in preferred] == ["write `ttlSecondsAfterFinished: 86400`"]
    fixed = apply_edits(text, preferred[0].edit.changes[uri])
    expected = text.replace(
        "  ttlSecondsAfterFinished:\n    ttlSecondsAfterFinished: 86400\n",
        "  ttlSecondsAfterFinished: 86400\n",
    )
    assert fixed == expected
    # Every diagnostic also offers to suppress its rule.
    assert "Suppress `invalid-type` on this line" in [a.title for a in actions]


@pytest.mark.asyncio
async def test_definition_from_a_service_selector_to_its_deployment(client: LanguageClient):
    # Only the Service is open: the Deployment is found in the workspace's files,
    # and the one under a path `.kval.yaml` ignores is not.
    uri, text = open_file(client, WORKSPACE / "app" / "service.yaml")
    at = span_of(text, "web", 2).start
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    deployment = WORKSPACE / "app" / "deployment.yaml"
    assert found == [types.Location(uri=deployment.as_uri(), range=span_of(deployment.read_text(), "web"))]


@pytest.mark.asyncio
async def test_settings_from_workspace_configuration(client: LanguageClient):
    # The client's `kval` settings choose the Kubernetes version: autoscaling/v2beta2
    # is deprecated in 1.25, removed in newer versions.
    client.set_configuration({"kubernetesVersion": "1.25"}, section="kval")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    text = (
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n"
        "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
        "  minReplicas: 1\n  maxReplicas: 3\n"
    )
    uri, _ = open_file(client, WORKSPACE / "hpa.yaml", text)
    codes = []
    while codes != ["deprecated-api"]:
        client.diagnostics.pop(uri, None)
        codes = [d.code for d in await diagnostics_of(client, uri)]
        assert codes in (["deprecated-api"], ["removed-api"])  # the latter before the answer


@pytest.mark.asyncio
async def test_shutdown_then_exit_ends_the_server_cleanly():
    client = await CONFIG.start()
    try:
        await client.initialize_session(initialize_params())
        await client.shutdown_session()
        assert client._server.returncode == 0
    finally:
        await client.stop()
