#!/usr/bin/env python3
"""Runs the real `kubectl explain` (the oracle's kubectl 1.37) against a stand-in API server
that also serves the OpenAPI v2 document, so that `--output plaintext-openapiv2` can be
checked: the shared oracle's server (../shared/oracles/fake_apiserver.py) serves only
discovery and OpenAPI v3, and kubectl's legacy format reads /openapi/v2.

    KVAL_K8S_VERSION=1.37.0 scripts/kubectl-explain-openapiv2.py ds.spec -o plaintext-openapiv2

The stand-in is the shared one, unchanged, plus /openapi/v2: the same definitions in
Swagger 2.0 form, as the protobuf kubectl asks for. The v2 form of a schema is its
OpenAPI v3 form (what the v3 document serves) with `allOf: [{$ref}]` written back as a
`$ref` with siblings; Swagger 2.0 has no `oneOf`, so it is left out.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

from oracle_kubeconfig import kubeconfig

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLES = os.environ.get("ORACLE_DIR", os.path.join(HERE, "..", "..", "shared", "oracles"))
CACHE = os.environ.get("KVAL_ORACLE_CACHE", os.path.expanduser("~/.cache/kval-oracle"))
PB_MIME = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"


# --- protobuf encoding of gnostic's openapi_v2.Document (only the fields kubectl reads) ---
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):  # length-delimited field
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def text(number, value):
    return field(number, value.encode())


def flag(number, value):
    return varint(number << 3) + varint(1 if value else 0)


def reference(s):
    if "$ref" in s:
        return s["$ref"]
    all_of = s.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]:
        return all_of[0]["$ref"]
    return None


def schema(s):
    """gnostic Schema message of a v3-form schema."""
    out = b""
    ref = reference(s)
    if ref:
        out += text(1, ref.replace("#/components/schemas/", "#/definitions/"))
    if isinstance(s.get("format"), str):
        out += text(2, s["format"])
    if isinstance(s.get("description"), str):
        out += text(4, s["description"])
    for name in s.get("required", []):
        out += text(19, name)
    for value in s.get("enum", []):
        out += field(20, text(2, json.dumps(value)))
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        out += field(21, field(1, schema(extra)))
    elif isinstance(extra, bool):
        out += field(21, flag(2, extra))
    types = s.get("type")
    if types is not None:
        out += field(22, b"".join(text(1, t) for t in (types if isinstance(types, list) else [types])))
    if isinstance(s.get("items"), dict):
        out += field(23, field(1, schema(s["items"])))
    if isinstance(s.get("properties"), dict):
        out += field(25, b"".join(field(1, text(1, k) + field(2, schema(v))) for k, v in s["properties"].items()))
    if "x-kubernetes-group-version-kind" in s:
        gvk = json.dumps(s["x-kubernetes-group-version-kind"])
        out += field(31, text(1, "x-kubernetes-group-version-kind") + field(2, text(2, gvk)))
    return out


def document(schemas):
    definitions = b"".join(field(1, text(1, name) + field(2, schema(schemas[name]))) for name in sorted(schemas))
    info = text(1, "Kubernetes") + text(2, "v1.37.0")
    return text(1, "2.0") + field(2, info) + field(9, definitions)


def serve(defs_path, port):
    sys.path.insert(0, ORACLES)
    import fake_apiserver

    defs = json.load(open(defs_path))["$defs"]
    for s in defs.values():
        if "x-kubernetes-group-version-kind" in s:
            for f in ("apiVersion", "kind"):
                s.get("properties", {}).get(f, {}).pop("enum", None)
    body = document({k: fake_apiserver.convert(v) for k, v in defs.items()})
    server = fake_apiserver.ThreadingHTTPServer

    def with_v2(address, handler):
        class Handler(handler):
            def do_GET(self):
                if self.path.split("?")[0].rstrip("/") != "/openapi/v2":
                    return super().do_GET()
                self.send_response(200)
                self.send_header("Content-Type", PB_MIME)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return server(address, Handler)

    fake_apiserver.ThreadingHTTPServer = with_v2
    sys.argv = [sys.argv[0], defs_path, str(port)]
    fake_apiserver.main()


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def main():
    if sys.argv[1:2] == ["--serve"]:
        return serve(sys.argv[2], int(sys.argv[3]))
    version = os.environ.get("KVAL_K8S_VERSION", "1.37.0")
    defs = os.path.join(CACHE, f"k8s-{version}-definitions.json")
    kubectl = os.path.join(CACHE, "kubectl")
    if not (os.path.exists(defs) and os.path.exists(kubectl)):
        # The shared oracle downloads kubectl and the data on first use.
        subprocess.run([os.path.join(ORACLES, "kubectl-explain.sh"), "pods"], capture_output=True, check=True)
    port = int(os.environ.get("PORT_BASE", "19000")) + int("".join(c for c in version if c.isdigit())[:4]) % 1000
    if not listening(port):
        log = open(os.path.join(CACHE, f"server-v2-{port}.log"), "w")
        subprocess.Popen([sys.executable, __file__, "--serve", defs, str(port)], stdout=log, stderr=log,
                         start_new_session=True)
        for _ in range(150):
            if listening(port):
                break
            time.sleep(0.2)
    config = tempfile.NamedTemporaryFile("w", suffix=".kubeconfig", delete=False)
    config.write(kubeconfig(port))
    config.close()
    env = dict(os.environ, KUBECONFIG=config.name, KUBECACHEDIR=os.path.join(CACHE, f"kube-cache-v2-{port}"))
    try:
        result = subprocess.run([kubectl, "explain", *sys.argv[1:]], env=env)
    finally:
        os.unlink(config.name)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
