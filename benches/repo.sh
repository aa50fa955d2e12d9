#!/usr/bin/env bash
# Benchmark `kval lint .` on a deployment repository against the script users run
# today: `helm template` for each chart and `kubectl kustomize` for each root, one
# after the other, then a linter on the output (`kval lint -` stands in for the
# linter: kubeconform is not installable from the package registries CI uses).
#
#   benches/repo.sh [CHARTS] [APPS]     (default 20 charts, 10 Kustomize apps of
#                                        two overlays each = 20 roots)
#
# Needs python3, hyperfine (apt-get install hyperfine), helm and kubectl on PATH
# (`source scripts/ci-tools.sh`). RUNS=N sets the number of timed runs (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
charts=${1:-20}
apps=${2:-10}
runs=${RUNS:-10}
for tool in python3 hyperfine helm kubectl; do
  command -v "$tool" >/dev/null || { echo "benches/repo.sh needs $tool on PATH" >&2; exit 2; }
done

work=${REPO_DIR:-/tmp/kval-repo-$charts-$apps}
rm -rf "$work"
mkdir -p "$work"
python3 benches/gen_repo.py "$work/repo" --charts "$charts" --apps "$apps" > "$work/truth.tsv"
# KVAL=path: a kval binary already built (else the release build of this checkout).
if [ -z "${KVAL:-}" ]; then
  cargo build --release --quiet
fi
kval=$(realpath "${KVAL:-target/release/kval}")

# The script users run today, rendering the same charts and roots kval renders.
cat > "$work/script.sh" <<EOF
#!/usr/bin/env bash
set -o pipefail
cd "$work/repo"
{
  for chart in charts/*/; do helm template release-name "\$chart" --kube-version v1.37.0; echo "---"; done
  for root in kustomize/*/overlays/*/; do kubectl kustomize "\$root"; echo "---"; done
} | "$kval" lint --no-summary "\$@" - plain/
EOF
chmod +x "$work/script.sh"

roots=$(find "$work/repo/kustomize" -path '*/overlays/*' -name kustomization.yaml | wc -l)
files=$(find "$work/repo" -type f | wc -l)
echo "repository: $charts charts, $roots Kustomize roots ($apps bases), $files files; $(nproc) cores"
echo "tools: $(helm version --short), kubectl $(kubectl version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')"

echo; echo "== correctness: every injected mistake at the file a person edits"
(cd "$work/repo" && "$kval" lint . -o compact --no-summary > "$work/kval.txt") || true
missing=0
while IFS=$'\t' read -r path rule; do
  if grep -q "^$path:[0-9]*:[0-9]*: [a-z]*\[$rule\]" "$work/kval.txt"; then
    grep "^$path:[0-9]*:[0-9]*: [a-z]*\[$rule\]" "$work/kval.txt" | head -1
  else
    echo "MISSING: $path $rule"; missing=1
  fi
done < "$work/truth.tsv"
echo "kval lint .: $(wc -l < "$work/kval.txt") findings"
"$work/script.sh" -o compact > "$work/script.txt" 2>&1 || true
echo "script: $(grep -c ': [a-z]*\[' "$work/script.txt") findings, all at standard input:"
grep -E 'unsupported-value|invalid-restart-policy|invalid-type' "$work/script.txt" | head -3

echo; echo "== time (median of $runs runs each, same machine, same run)"
hyperfine --warmup 1 --runs "$runs" -i --export-json "$work/hyperfine.json" \
  -n "kval lint ." "cd $work/repo && $kval lint . --no-summary -o compact > /dev/null" \
  -n "helm/kustomize script | kval lint -" "$work/script.sh -o compact > /dev/null"
python3 - "$work/hyperfine.json" <<'PY'
import json, sys
kval, script = json.load(open(sys.argv[1]))["results"]
for r in (kval, script):
    print(f"{r['command']:40} median {r['median'] * 1000:7.0f} ms  (min {r['min'] * 1000:.0f}, max {r['max'] * 1000:.0f})")
print(f"ratio: script / kval = {script['median'] / kval['median']:.2f}")
PY
exit $missing
