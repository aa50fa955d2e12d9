#!/usr/bin/env python3
"""Figures of `kval lsp` (issue 16), driven over standard input and output:

  - workspace indexing: time from `initialized` to the server's "indexed" log
    message, and the server's peak and current memory (VmHWM, VmRSS) after it;
  - diagnostics latency: median time from a `didChange` of a 1,000-line file to the
    `publishDiagnostics` of that version (the 10 ms debounce included).

    benches/lsp.py KVAL WORKSPACE_DIR [RUNS]     (benches/lsp.sh builds and runs it)
"""

import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time


class Server:
    def __init__(self, kval):
        self.process = subprocess.Popen([kval, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.process.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(out.read(length)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def wait(self, wanted, timeout=600):
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            if wanted(message):
                return message

    def memory_kb(self, field):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=30)


def uri(path):
    return "file://" + os.path.abspath(path)


def start(kval, root):
    server = Server(kval)
    capabilities = {"workspace": {"configuration": False}}
    server.request("initialize", {"processId": os.getpid(), "rootUri": uri(root), "capabilities": capabilities})
    server.notify("initialized", {})
    return server


def indexing(kval, root):
    started = time.monotonic()
    server = start(kval, root)
    logged = server.wait(lambda m: m.get("method") == "window/logMessage" and "indexed" in m["params"]["message"])
    seconds = time.monotonic() - started
    peak, rss = server.memory_kb("VmHWM"), server.memory_kb("VmRSS")
    server.stop()
    return seconds, peak, rss, logged["params"]["message"]


def deployment(i):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  namespace: bench
  labels: {{app: app-{i}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}}}
    spec:
      containers:
      - name: main
        image: registry.local/app-{i}:1.0.{i}
        ports:
        - containerPort: 8080
        resources:
          requests: {{cpu: 50m, memory: 64Mi}}
          limits: {{memory: 128Mi}}
        securityContext:
          runAsNonRoot: true
          readOnlyRootFilesystem: true
---
"""


def latency(kval, runs):
    with tempfile.TemporaryDirectory() as root:
        text = "".join(deployment(i) for i in range(40))
        lines = text.count("\n")
        path = os.path.join(root, "big.yaml")
        with open(path, "w") as f:
            f.write(text)
        server = start(kval, root)
        doc = uri(path)
        published = lambda version: lambda m: (  # noqa: E731
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == doc
            and m["params"].get("version") == version
        )
        server.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": doc, "languageId": "yaml", "version": 1, "text": text}},
        )
        server.wait(published(1))
        times = []
        for version in range(2, runs + 2):
            # Retype the replica count of the first Deployment (line 7, `  replicas: 2`).
            change = {
                "range": {"start": {"line": 7, "character": 12}, "end": {"line": 7, "character": 13}},
                "text": str(version % 10),
            }
            started = time.monotonic()
            server.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": doc, "version": version}, "contentChanges": [change]},
            )
            server.wait(published(version))
            times.append(time.monotonic() - started)
        server.stop()
        return lines, statistics.median(times), max(times)


def main():
    kval, workspace = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    seconds, peak, rss, message = indexing(kval, workspace)
    print(f"indexing {workspace}: {seconds * 1000:.0f} ms, peak {peak / 1024:.1f} MiB, after {rss / 1024:.1f} MiB ({message})")
    lines, median, worst = latency(kval, runs)
    print(f"diagnostics after a change of a {lines}-line file: median {median * 1000:.1f} ms, max {worst * 1000:.1f} ms ({runs} changes)")


if __name__ == "__main__":
    main()
