#!/usr/bin/env python3
"""A random sample of fields per Kubernetes version, explained by the real kubectl 1.37
against the stand-in API server fed with the served-form documents (the explain oracle,
scripts/explain-oracle.sh), written as goldens that tests/explain.rs compares kval with.

The fields are enumerated from what the oracle serves, not from kval's data: every
field path of every resource its discovery lists, through properties, array items and
map values, stopping where a definition repeats on the path. The sample is fixed by
the seed; about one case in ten is `--recursive` and one in ten the legacy format
(`-o plaintext-openapiv2`, through scripts/kubectl-explain-openapiv2.py's server).

    scripts/explain-sample.py                       # regenerates tests/golden/explain-sample/
    scripts/explain-sample.py --check target/debug/kval   # live: kubectl and kval, no goldens
    scripts/explain-sample.py --versions 1.30 --count 50 --check target/debug/kval

Goldens: one zstd-compressed JSON Lines file per version, each line
{"args": [...], "stdout": "...", "stderr": "...", "status": N}; kval is run with
`--kubernetes-version 1.XX` added.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from oracle_kubeconfig import kubeconfig

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CACHE = os.environ.get("KVAL_SERVED_CACHE", os.path.expanduser("~/.cache/kval-oracle-served"))
ORACLE = os.path.join(HERE, "explain-oracle.sh")
GOLDEN = os.path.join(REPO, "tests", "golden", "explain-sample")
SEED = 13


def port(version, base):
    return base + int("".join(c for c in version if c.isdigit())[:4]) % 1000


def start_servers(version):
    """Starts the v3 and v2 stand-ins (the oracle scripts start them on first use)."""
    env = dict(os.environ, KVAL_K8S_VERSION=version)
    for extra in ([], ["-o", "plaintext-openapiv2"]):
        subprocess.run([ORACLE, "ns", *extra], env=env, capture_output=True, check=True)


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def resources(version):
    """(group/version, plural, definition name) of every resource the stand-in lists."""
    base = f"http://127.0.0.1:{port(version, 20000)}"
    lists = [get(base + "/api/v1")]
    for group in get(base + "/apis")["groups"]:
        lists += [get(f"{base}/apis/{v['groupVersion']}") for v in group["versions"]]
    out = []
    for rl in lists:
        gv = rl["groupVersion"]
        for r in rl["resources"]:
            out.append((gv, r["name"], r["kind"]))
    return out


def target(schema):
    ref = schema.get("$ref")
    if ref is None and len(schema.get("allOf", [])) == 1:
        ref = schema["allOf"][0].get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def field_paths(defs, name, prefix=(), seen=()):
    """Every field path under a definition, as kubectl's template follows them, with
    the field it ends at: (definition, field names inside it)."""
    if name in seen:
        return
    seen = seen + (name,)
    yield from fields_of(defs, defs.get(name, {}), prefix, seen, (name,))


def fields_of(defs, schema, prefix, seen, owner):
    ref = target(schema)
    if ref:
        yield from field_paths(defs, ref, prefix, seen)
        return
    for key, prop in sorted(schema.get("properties", {}).items()):
        path, field = prefix + (key,), owner + (key,)
        yield path, field
        yield from fields_of(defs, prop, path, seen, field)
    for nested in ("items", "additionalProperties"):
        if isinstance(schema.get(nested), dict):
            yield from fields_of(defs, schema[nested], prefix, seen, owner)


def kind_definitions(defs):
    out = {}
    for name, s in defs.items():
        for gvk in s.get("x-kubernetes-group-version-kind", []):
            gv = gvk["version"] if not gvk["group"] else f"{gvk['group']}/{gvk['version']}"
            out.setdefault((gv, gvk["kind"]), name)
    return out


def sample(version, count, seed):
    defs = json.load(open(os.path.join(CACHE, f"k8s-{version}-definitions.json")))["$defs"]
    kinds = kind_definitions(defs)
    # Each distinct field (a property of a definition) once, by one of the paths that
    # reach it, so that the sample spreads over the types instead of over the many
    # copies of the pod template.
    paths = {}
    for gv, plural, kind in resources(version):
        name = kinds.get((gv, kind))
        if name is None:
            continue
        paths.setdefault((gv, plural), []).append((gv, plural, ()))
        for path, field in field_paths(defs, name):
            paths.setdefault(field, []).append((gv, plural, path))
    rng = random.Random(f"{seed}-{version}")
    fields = sorted(paths, key=repr)
    cases = []
    for field in rng.sample(fields, min(count, len(fields))):
        gv, plural, path = rng.choice(paths[field])
        args = [".".join((plural, *path)), "--api-version", gv]
        roll = rng.random()
        if roll < 0.1:
            args.append("--recursive")
        elif roll < 0.2:
            args += ["-o", "plaintext-openapiv2"]
        cases.append(args)
    return cases, len(fields)


def kubectl(version, args):
    v2 = "plaintext-openapiv2" in args
    p = port(version, 21000 if v2 else 20000)
    cache = os.path.join(CACHE, f"kube-cache-{'v2-' if v2 else ''}{p}")
    config = os.path.join(CACHE, f"sample-kubeconfig-{p}")
    if not os.path.exists(config):
        with open(config, "w") as f:
            f.write(kubeconfig(p))
    env = dict(os.environ, KUBECONFIG=config, KUBECACHEDIR=cache)
    r = subprocess.run([os.path.join(CACHE, "kubectl"), "explain", *args], env=env, capture_output=True)
    return {"args": args, "stdout": r.stdout.decode(), "stderr": r.stderr.decode(), "status": r.returncode}


def kval(binary, version, args):
    r = subprocess.run([binary, "explain", *args, "--kubernetes-version", version.rsplit(".", 1)[0]],
                       capture_output=True)
    stderr = "".join(l for l in r.stderr.decode().splitlines(True) if not l.startswith("hint: "))
    return {"args": args, "stdout": r.stdout.decode(), "stderr": stderr, "status": r.returncode}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--versions", nargs="*", help="1.XX (default: schemas/data/VERSIONS)")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--check", metavar="KVAL", help="compare with this kval binary instead of writing goldens")
    opts = ap.parse_args()
    versions = opts.versions or open(os.path.join(REPO, "schemas", "data", "VERSIONS")).read().split()
    if not opts.check:
        import zstandard
        os.makedirs(GOLDEN, exist_ok=True)
    differ = 0
    for minor in versions:
        version = f"{minor}.0"
        start_servers(version)
        cases, total = sample(version, opts.count, opts.seed)
        with ThreadPoolExecutor(opts.jobs) as pool:
            results = list(pool.map(lambda a: kubectl(version, a), cases))
        if opts.check:
            bad = [r for r in results if kval(opts.check, version, r["args"]) != r]
            differ += len(bad)
            for r in bad:
                print(f"  {minor}: differs: {' '.join(r['args'])}")
            print(f"{minor}: {len(results)} of {total} fields, {len(bad)} differ", flush=True)
            continue
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results).encode()
        with open(os.path.join(GOLDEN, f"v{minor}.jsonl.zst"), "wb") as f:
            f.write(zstandard.ZstdCompressor(level=19).compress(lines))
        print(f"{minor}: {len(results)} of {total} fields", flush=True)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
