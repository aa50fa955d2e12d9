#!/usr/bin/env bash
# Benchmark of `kval lint` on CustomResourceDefinitions (issue 8, acceptance 3): the
# CRD-heavy part of the shared corpus (Calico's operator CRDs, 3.5 MB) and the whole
# corpus (21 MB). Run by hand, not in `cargo test`:
#
#   scripts/bench-crds.sh
#
# Needs hyperfine and ../shared/corpus. kubeconform is not installable here (no package
# registry carries it), so the comparison uses the figure of the issue: kubeconform
# 0.7.0 spends about 1.8 s on the whole 21 MB corpus on 2 cores, i.e. about 0.3 s for
# 3.5 MB at the same rate; kval must take at most a third of that (100 ms).
# Set KUBECONFORM=/path/to/kubeconform to time it in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
if [ ! -d "$corpus" ]; then
    echo "notice: $corpus is absent; nothing to measure" >&2
    exit 0
fi
command -v hyperfine >/dev/null || { echo "scripts/bench-crds.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
crds=$corpus/calico/manifests/operator-crds.yaml
cmds=("target/release/kval lint $crds" "target/release/kval lint $corpus --output json")
if [ -n "${KUBECONFORM:-}" ]; then
    cmds+=("$KUBECONFORM -summary -ignore-missing-schemas $crds" "$KUBECONFORM -summary -ignore-missing-schemas $corpus")
fi
# Exit status 1 (the corpus has true defects) is expected.
hyperfine --warmup 3 --runs 20 -N -i --export-json target/bench-crds.json "${cmds[@]}"
python3 - "$crds" "$corpus" <<'PY'
import json, os, subprocess, sys
crds, corpus = sys.argv[1], sys.argv[2]
size = lambda p: os.path.getsize(p) if os.path.isfile(p) else sum(
    os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)
results = json.load(open("target/bench-crds.json"))["results"]
for r, path in zip(results, [crds, corpus] * 2):
    mb = size(path) / 1e6
    print(f"{r['command'][:70]:70} median {r['median'] * 1000:7.1f} ms  user {r['user'] * 1000:7.1f} ms  {mb:5.1f} MB")
# The issue's figure: kubeconform 0.7.0 takes 1.8 s for the 21 MB corpus on 2 cores.
budget = 1.8 / 21 * (size(crds) / 1e6) / 3
print(f"budget for {crds}: {budget * 1000:.0f} ms (a third of kubeconform's 1.8 s / 21 MB rate)")
print("within budget" if results[0]["median"] <= budget else "OVER BUDGET")
out = subprocess.run(["target/release/kval", "lint", corpus, "--output", "json"], capture_output=True, text=True).stdout
print("corpus custom resources:", json.loads(out)["summary"].get("customResources"))
PY
