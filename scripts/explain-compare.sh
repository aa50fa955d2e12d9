#!/usr/bin/env bash
# Compares `kval explain` with the real `kubectl explain` (scripts/explain-oracle.sh: the
# stand-in API server of ../shared/oracles fed with the served-form documents)
# over a generated set of arguments: every resource type of each version, with name
# variants (short names, plurals, singulars, kinds, group-qualified names), field paths
# at every depth (arrays, maps, primitives, required fields), with and without
# --recursive, the legacy format, and error cases. stdout, stderr and exit status must
# all be equal. Cases of the legacy format (-o plaintext-openapiv2) run kubectl through
# the oracle's scripts/kubectl-explain-openapiv2.py, whose stand-in also serves /openapi/v2.
# Prints matched/total per version; differences go to $OUT (default /tmp/explain-compare).
#
#   scripts/explain-compare.sh                 # versions 1.37 and 1.30
#   scripts/explain-compare.sh 1.25 1.33       # other versions
#   SAMPLE=40 JOBS=4 scripts/explain-compare.sh   # deeper paths per resource and depth, parallel runs
#
# Needs python3, the oracle (first run downloads kubectl and the schema data) and a
# release build of kval (built here if missing).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
oracle=${ORACLE:-$repo/scripts/explain-oracle.sh}
[ -x "$oracle" ] || { echo "oracle not found: $oracle" >&2; exit 2; }
export KVAL_BIN=${KVAL_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/kval}
[ -x "$KVAL_BIN" ] || (cd "$repo" && cargo build --release --quiet)
export ORACLE_SCRIPT=$oracle REPO=$repo OUT=${OUT:-/tmp/explain-compare}
export SAMPLE=${SAMPLE:-12} JOBS=${JOBS:-2}
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(1.37 1.30)
rm -rf "$OUT" && mkdir -p "$OUT"
status=0
for v in "${versions[@]}"; do
  python3 - "$v" <<'PY' || status=1
import concurrent.futures, importlib.util, json, os, random, re, shutil, subprocess, sys, tempfile

version = sys.argv[1]
repo, out_dir = os.environ["REPO"], os.environ["OUT"]
sample, jobs = int(os.environ["SAMPLE"]), int(os.environ["JOBS"])
cache = os.environ.get("KVAL_SERVED_CACHE", os.path.expanduser("~/.cache/kval-oracle-served"))

# Warm the oracle up for this version (starts its stand-in API server, fills caches).
env = dict(os.environ, KVAL_K8S_VERSION=f"{version}.0")
subprocess.run([os.environ["ORACLE_SCRIPT"], "pods"], env=env, capture_output=True, check=True)
port = 20000 + int(re.sub(r"\D", "", f"{version}.0")[:4]) % 1000
# The oracle script rewrites its kubeconfig on every run, which races when runs overlap:
# run its kubectl directly with a private copy of that kubeconfig instead.
private = tempfile.mkdtemp()
shutil.copy(os.path.join(cache, f"kubeconfig-{port}"), os.path.join(private, "kubeconfig"))
kube_env = dict(os.environ, KUBECONFIG=os.path.join(private, "kubeconfig"),
                KUBECACHEDIR=os.path.join(cache, f"kube-cache-{port}"))

spec = importlib.util.spec_from_file_location("generate", os.path.join(repo, "schemas/generate.py"))
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)
defs = json.load(open(os.path.join(cache, f"k8s-{version}.0-definitions.json")))["$defs"]
for s in defs.values():
    if "x-kubernetes-group-version-kind" in s:
        for f in ("apiVersion", "kind"):
            s.get("properties", {}).get(f, {}).pop("enum", None)
resources = generate.resources(defs)
kinds = {(g, v, k): n for g, v, k, n in generate.kinds(defs)}
rng = random.Random(f"kval-{version}")


def target(schema):
    """The definition a schema refers to, through $ref, arrays and maps."""
    while True:
        if "$ref" in schema:
            return schema["$ref"].split("/")[-1]
        if "items" in schema:
            schema = schema["items"]
        elif isinstance(schema.get("additionalProperties"), dict):
            schema = schema["additionalProperties"]
        else:
            return None


def paths(name, depth=8):
    """Field paths by depth, every one up to depth 2, a sample below."""
    by_depth, level = [], [((), name)]
    for d in range(depth):
        nxt = []
        for path, def_name in level:
            for prop, schema in sorted(defs.get(def_name, {}).get("properties", {}).items()):
                if prop in path:  # keep cyclic schemas finite
                    continue
                nxt.append((path + (prop,), target(schema)))
        if not nxt:
            break
        if d >= 2 and len(nxt) > sample:
            nxt = rng.sample(nxt, sample)
        by_depth.append([p for p, _ in nxt])
        level = [(p, t) for p, t in nxt if t]
    return by_depth


cases = []
for r in resources:
    gv = r["group"] and f'{r["group"]}/{r["version"]}' or r["version"]
    plural = r["plural"] + (f'.{r["group"]}' if r["group"] else "")
    api = ["--api-version", gv]
    for name in [r["plural"], r["singular"], r["kind"], *r["shortNames"]]:
        cases.append([name] + api)
    cases.append([plural])
    cases.append([plural, "--recursive"])
    cases.append([plural + ".doesnotexist"])
    cases.append([plural, "-o", "plaintext-openapiv2"])
    cases.append([plural, "-o", "plaintext-openapiv2", "--recursive"])
    cases.append([plural + ".metadata.doesnotexist", "-o", "plaintext-openapiv2"])
    definition = kinds.get((r["group"], r["version"], r["kind"]))
    for depth, level in enumerate(paths(definition) if definition else []):
        for path in level:
            cases.append([plural + "." + ".".join(path)] + api)
            if depth < 3 and rng.random() < 0.15:
                cases.append(["--recursive", plural + "." + ".".join(path)] + api)
            if rng.random() < 0.1:
                cases.append([plural + "." + ".".join(path), "-o", "plaintext-openapiv2"] + api)
        if level:
            cases.append([plural + "." + ".".join(level[0]) + ".nope"] + api)
for extra in (["ev"], ["hpa"], ["list"], ["podlist"], ["DS"], ["."], ["ds.spec[0]"], ["ds..spec"], ["ds}"],
              ["ds{"], ["ds", "--api-version", "a/b/c"], ["ds", "--api-version", "apps/v9"],
              ["pods", "--api-version", "apps/v1"], ["ds", "-o", "yaml"], ["events.k8s.io"], ["ds['spec']"],
              ["po.spec.containers.name.foo"], ["ds.apps.spec"], ["deploy.spec.template.spec.containers.name"],
              ["po.spec.con-tainers"], ["po.spec.containers.name.."], [], ["po", "svc"]):
    cases.append(extra)


legacy = [os.environ["ORACLE_SCRIPT"]]  # with -o plaintext-openapiv2: its /openapi/v2 stand-in
subprocess.run(legacy + ["pods", "-o", "plaintext-openapiv2"], env=env, capture_output=True)  # starts its stand-in server


def run(case):
    kval = subprocess.run([os.environ["KVAL_BIN"], "explain", *case, "--kubernetes-version", version],
                          capture_output=True)
    if "plaintext-openapiv2" in case:
        kubectl = subprocess.run(legacy + case, capture_output=True, env=env)
    else:
        kubectl = subprocess.run([os.path.join(cache, "kubectl"), "explain", *case], capture_output=True,
                                 env=kube_env)
    same = (kval.stdout, kval.stderr, kval.returncode) == (kubectl.stdout, kubectl.stderr, kubectl.returncode)
    return case, same, kval, kubectl


matched, failures = 0, []
with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
    for case, same, kval, kubectl in pool.map(run, cases):
        if same:
            matched += 1
        else:
            failures.append((case, kval, kubectl))
print(f"{version}: {matched}/{len(cases)} matched")
for i, (case, kval, kubectl) in enumerate(failures):
    d = os.path.join(out_dir, f"{version}-{i:04d}")
    os.makedirs(d)
    json.dump(case, open(os.path.join(d, "args.json"), "w"))
    for who, res in (("kval", kval), ("kubectl", kubectl)):
        open(os.path.join(d, f"{who}.stdout"), "wb").write(res.stdout)
        open(os.path.join(d, f"{who}.stderr"), "wb").write(res.stderr + f"\n[exit {res.returncode}]\n".encode())
    if i < 10:
        print("  differs:", " ".join(case))
shutil.rmtree(private)
sys.exit(1 if failures else 0)
PY
done
exit $status
