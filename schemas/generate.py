#!/usr/bin/env python3
"""Regenerate kval's embedded Kubernetes schema data.

usage: python3 schemas/generate.py [--wheel PATH]

Downloads the PyPI package kubernetes-validate (pinned below) unless --wheel points at
its wheel, and writes into schemas/data/:
  * v1.XX.json.zst, per Kubernetes minor version: what validation needs (structure,
    types, required fields), the API resource list (plural, singular, short names,
    scope, in discovery order), an index from group/version/kind to definition, and
    the index of the documentation file;
  * v1.XX.docs.zst: the full definitions with their documentation, read only by
    `kval explain` (kept apart so that `kval lint` decompresses 20 KB, not 150 KB),
    one zstd frame per API group (`io.k8s.api.apps`) so that `explain` decompresses
    only the groups it prints;
  * VERSIONS: the versions kval embeds;
  * history.json: for every API resource, the first and last embedded version that
    serves it, so kval can tell "removed in" and "added in" without decompressing
    every version.

Definitions are converted to the OpenAPI v3 form that a real API server publishes
(and that `kubectl explain` reads):
  * `$ref` with sibling keys becomes `allOf: [{$ref}]` plus the siblings;
  * nullable type lists (`["string", "null"]`) become the single type;
  * the `enum` pinning `apiVersion` and `kind` of top-level kinds is dropped (upstream
    OpenAPI does not have it).

Requires python3 and the `zstandard` package (`pip install zstandard`).
"""
import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import served

PACKAGE = "kubernetes-validate==1.37.0"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")

# Short names as the API server registers them (pkg/registry/*/storage.go).
SHORT = {
    "ComponentStatus": ["cs"], "ConfigMap": ["cm"], "Endpoints": ["ep"], "Event": ["ev"],
    "LimitRange": ["limits"], "Namespace": ["ns"], "Node": ["no"], "PersistentVolumeClaim": ["pvc"],
    "PersistentVolume": ["pv"], "Pod": ["po"], "ReplicationController": ["rc"], "ResourceQuota": ["quota"],
    "ServiceAccount": ["sa"], "Service": ["svc"], "CustomResourceDefinition": ["crd", "crds"],
    "DaemonSet": ["ds"], "Deployment": ["deploy"], "ReplicaSet": ["rs"], "StatefulSet": ["sts"],
    "HorizontalPodAutoscaler": ["hpa"], "CronJob": ["cj"], "CertificateSigningRequest": ["csr"],
    "Ingress": ["ing"], "NetworkPolicy": ["netpol"], "PodDisruptionBudget": ["pdb"],
    "PriorityClass": ["pc"], "StorageClass": ["sc"],
}
# Discovery order of API groups (the aggregator's priority list).
GROUP_ORDER = ["", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "autoscaling",
               "batch", "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
               "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
               "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io",
               "resource.k8s.io", "apiregistration.k8s.io"]
# Kinds that are not API resources of their own (subresources, options, meta types).
NOT_RESOURCES = {"Status", "DeleteOptions", "WatchEvent", "APIGroup", "APIGroupList", "APIResourceList",
                 "APIVersions", "Eviction", "Scale", "TokenRequest", "Binding"}
CLUSTER_SCOPED = {"Namespace", "Node", "PersistentVolume", "ComponentStatus", "CustomResourceDefinition",
                  "APIService", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CSIDriver", "CSINode",
                  "VolumeAttachment", "PriorityClass", "RuntimeClass", "IngressClass",
                  "CertificateSigningRequest", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
                  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy",
                  "MutatingAdmissionPolicyBinding", "FlowSchema", "PriorityLevelConfiguration", "TokenReview",
                  "SelfSubjectReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
                  "DeviceClass", "ResourceSlice", "IPAddress", "ServiceCIDR", "VolumeAttributesClass",
                  "ClusterTrustBundle", "StorageVersion", "StorageVersionMigration", "DeviceTaintRule"}


def version_key(v):
    m = re.match(r"v(\d+)(alpha|beta)?(\d*)$", v)
    rank = {None: 3, "beta": 2, "alpha": 1}[m.group(2)]
    return (rank, int(m.group(1)), int(m.group(3) or 0))


def plural(kind):
    s = kind.lower()
    if s == "endpoints":
        return s
    if s.endswith("s"):
        return s + "es"
    if s.endswith("y"):
        return s[:-1] + "ies"
    return s + "s"


def convert(node):
    """JSON Schema with nullable type lists -> OpenAPI v3 as the API server publishes it."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out["allOf"] = [{"$ref": v.replace("#/$defs/", "#/components/schemas/")}]
            elif k == "type" and isinstance(v, list):
                t = [x for x in v if x != "null"]
                if len(t) == 1:
                    out["type"] = t[0]
            else:
                out[k] = convert(v)
        if "allOf" in out and len(out) == 1:
            return {"$ref": out["allOf"][0]["$ref"]}
        return out
    if isinstance(node, list):
        return [convert(x) for x in node]
    return node


def resources(defs):
    """The API resources of one version, in discovery order (groups, then preferred version first)."""
    found = {}
    for name, s in defs.items():
        for gvk in s.get("x-kubernetes-group-version-kind", []):
            kind = gvk["kind"]
            if kind.endswith("List") or kind in NOT_RESOURCES or "metadata" not in s.get("properties", {}):
                continue
            if not (name.startswith("io.k8s.api.") or name.startswith("io.k8s.kube-aggregator")
                    or name.startswith("io.k8s.apiextensions")):
                continue
            found.setdefault((gvk["group"], gvk["version"]), []).append({
                "group": gvk["group"], "version": gvk["version"], "kind": kind, "plural": plural(kind),
                "singular": kind.lower(), "namespaced": kind not in CLUSTER_SCOPED,
                "shortNames": SHORT.get(kind, [])})
    versions = {}
    for g, v in found:
        versions.setdefault(g, []).append(v)
    out = []
    for g in sorted(versions, key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else 99, g)):
        vs = sorted(versions[g], key=version_key, reverse=True)
        if g == "autoscaling":
            vs.sort(key=lambda v: (v != "v2", v))
        for v in vs:
            out.extend(sorted(found[(g, v)], key=lambda r: r["plural"]))
    return out


# What validation reads of a schema; `validation_only` drops the rest (descriptions,
# patch strategies, ...), which is most of the bytes.
VALIDATION_KEYS = {"type", "properties", "additionalProperties", "items", "required", "format", "oneOf",
                   "allOf", "$ref", "enum", "default", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
                   "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
                   "x-kubernetes-embedded-resource"}


def validation_only(node):
    if isinstance(node, list):
        return [validation_only(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k not in VALIDATION_KEYS:
            continue
        if k == "properties":
            out[k] = {name: validation_only(p) for name, p in v.items()}
        elif k in ("required", "enum", "default", "x-kubernetes-list-map-keys"):
            out[k] = v
        else:
            out[k] = validation_only(v)
    return out


def docs_chunk(name):
    """The documentation chunk of a definition: `io.k8s.api.<group>` for the API
    groups, the package's project (`io.k8s.apimachinery`) otherwise."""
    m = re.match(r"(io\.k8s\.api\.[^.]+)\.", name)
    if m:
        return m.group(1)
    package = name.rsplit(".", 1)[0]
    return package.split(".pkg.")[0]


def dumps(data):
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def kinds(defs):
    """[group, version, kind, definition] for every GVK, taking the first definition in
    sorted name order that declares it (the one `kubectl explain` picks)."""
    seen = {}
    for name in sorted(defs):
        for gvk in defs[name].get("x-kubernetes-group-version-kind", []):
            seen.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return [[g, v, k, n] for (g, v, k), n in sorted(seen.items())]


KUBECTL_VALIDATE = "kubernetes-sigs/kubectl-validate"
BUILTINS = "pkg/openapiclient/builtins"


def upstream_documents(mirrors, minor):
    """The definitions of the checked-in `api/openapi-spec/v3` documents of a release,
    from kubectl-validate's copies (merged over all group-versions), or None."""
    gd = served.git_dir(mirrors, KUBECTL_VALIDATE)
    listing = subprocess.run(["git", "-C", gd, "ls-tree", "-r", "--name-only", "HEAD", f"{BUILTINS}/1.{minor}"],
                             capture_output=True, text=True, check=True).stdout.split()
    if not listing:
        return None
    defs = {}
    for path in sorted(listing):
        doc = json.loads(subprocess.run(["git", "-C", gd, "show", f"HEAD:{path}"], capture_output=True,
                                        check=True).stdout)
        defs.update(doc.get("components", {}).get("schemas", {}))
    return defs


def converted_documents(zf, minor):
    """The definitions of kubernetes-validate's JSON Schema of a release, converted to
    the OpenAPI v3 form (for the releases kubectl-validate has no copy of)."""
    name = next(n for n in zf.namelist() if n.endswith(f"kubernetes-json-schema/v1.{minor}.0-local/_definitions.json"))
    defs = json.load(io.TextIOWrapper(zf.open(name), encoding="utf-8"))["$defs"]
    for s in defs.values():
        if "x-kubernetes-group-version-kind" in s:
            for field in ("apiVersion", "kind"):
                s.get("properties", {}).get(field, {}).pop("enum", None)
    return {k: convert(v) for k, v in defs.items()}


def commit_of(gd, ref):
    return subprocess.run(["git", "-C", gd, "rev-parse", ref], capture_output=True, text=True,
                          check=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", help="a downloaded kubernetes-validate wheel")
    ap.add_argument("--mirrors", default=served.MIRRORS,
                    help="directory with git copies of the source repositories (owner+name/repo)")
    ap.add_argument("--served-out", help="also write each version's served-form definitions here "
                                         "(v1.XX.json, for the explain oracle)")
    ap.add_argument("--served-only", action="store_true",
                    help="only write the served-form definitions (with --served-out)")
    ap.add_argument("--check-defaults", action="store_true",
                    help="only check that the derived defaults equal the upstream documents'")
    a = ap.parse_args()
    versions = [f"1.{m}" for m in range(25, 38)]
    newest = int(versions[-1].split(".")[1])
    if a.check_defaults:
        failed = False
        for ver in versions:
            minor = int(ver.split(".")[1])
            defs = upstream_documents(a.mirrors, minor)
            if defs is None:
                continue
            reader, _ = served.read_sources(a.mirrors, minor, newest)
            diffs = served.check_defaults(defs, reader)
            print(f"v{ver}: {len(served.upstream_defaults(defs))} defaults upstream, {len(diffs)} differ")
            for d in diffs[:8]:
                print("  ", d)
            failed |= bool(diffs)
        sys.exit(1 if failed else 0)
    try:
        import zstandard
    except ImportError:
        sys.exit("generate.py needs the zstandard package: pip install zstandard")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = a.wheel
        if not wheel:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", PACKAGE, "-d", tmp],
                           check=True)
            wheel = os.path.join(tmp, next(f for f in os.listdir(tmp) if f.endswith(".whl")))
        zf = zipfile.ZipFile(wheel)
        os.makedirs(OUT, exist_ok=True)
        for f in os.listdir(OUT) if not a.served_only else []:
            if f.endswith(".zst"):
                os.remove(os.path.join(OUT, f))
        history = {}
        inputs = [f"{KUBECTL_VALIDATE} {commit_of(served.git_dir(a.mirrors, KUBECTL_VALIDATE), 'HEAD')}"]
        cctx = zstandard.ZstdCompressor(level=19)
        for ver in versions:
            minor = int(ver.split(".")[1])
            defs = upstream_documents(a.mirrors, minor)
            reader, commits = served.read_sources(a.mirrors, minor, newest)
            source = f"{KUBECTL_VALIDATE} {BUILTINS}/{ver}"
            if defs is None:
                defs = converted_documents(zf, minor)
                served.add_defaults(defs, reader)
                source = f"{PACKAGE} v{ver}.0-local + defaults from the Go types"
            enums = served.add_enums(defs, reader)
            inputs.append(f"v{ver}: {source}; Go types " + ", ".join(f"{r}@{ref} {c}" for r, ref, c in commits))
            if a.served_out:
                os.makedirs(a.served_out, exist_ok=True)
                with open(os.path.join(a.served_out, f"v{ver}.json"), "w") as out:
                    json.dump({"$defs": defs}, out, sort_keys=True)
            if a.served_only:
                continue
            # The documentation, one zstd frame per API group, so that explaining a
            # Deployment decompresses apps, core and apimachinery only.
            packages = {}
            for name, schema in defs.items():
                packages.setdefault(docs_chunk(name), {})[name] = schema
            frames, index, offset = [], [], 0
            for package in sorted(packages):
                frame = cctx.compress(dumps(packages[package]))
                frames.append(frame)
                index.append([package, offset, len(frame)])
                offset += len(frame)
            doc = {"version": ver + ".0", "resources": resources(defs), "kinds": kinds(defs), "docs": index,
                   "definitions": {k: validation_only(v) for k, v in defs.items()}}
            with open(os.path.join(OUT, f"v{ver}.json.zst"), "wb") as out:
                out.write(cctx.compress(dumps(doc)))
            with open(os.path.join(OUT, f"v{ver}.docs.zst"), "wb") as out:
                out.write(b"".join(frames))
            for r in doc["resources"]:
                key = (r["group"], r["version"], r["kind"])
                first, last = history.get(key, (minor, minor))
                history[key] = (min(first, minor), max(last, minor))
            print(f"v{ver}: {len(defs)} definitions, {enums} enum fields, "
                  f"{os.path.getsize(os.path.join(OUT, f'v{ver}.json.zst'))} + "
                  f"{os.path.getsize(os.path.join(OUT, f'v{ver}.docs.zst'))} bytes compressed")
        if a.served_only:
            return
        with open(os.path.join(OUT, "VERSIONS"), "w") as out:
            out.write("\n".join(versions) + "\n")
        with open(os.path.join(OUT, "history.json"), "w") as out:
            rows = [[g, v, k, first, last] for (g, v, k), (first, last) in sorted(history.items())]
            out.write("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n")
        with open(os.path.join(OUT, "INPUTS"), "w") as out:
            out.write("\n".join(inputs) + "\n")


if __name__ == "__main__":
    main()
