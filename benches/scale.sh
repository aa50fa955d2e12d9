#!/usr/bin/env bash
# The table of issue 17, kval and kubeconform side by side in one run: wall time
# (median of RUNS, hyperfine) and their ratio, CPU time (user + system, mean) and
# peak RSS, on
#   - the benchmark fleet of ../shared/bench/gen_fleet.py, 5,000 and 20,000 apps;
#   - the real projects of ../shared/corpus;
#   - one small file (examples/web.yaml);
# then kval alone on
#   - one stream of 8,000 Deployments and 8,000 ServiceAccounts, with and without
#     `missing-service-account` (a cross-document rule must not be quadratic);
#   - one large generated stream (SCALE_STREAM_MB, default 256; 1024 for the 1 GB
#     case; 0 to skip), read a part at a time.
#
#   benches/scale.sh            RUNS=5 by default
#
# kubeconform runs when it is on PATH (or KUBECONFORM=/path/to/kubeconform), with
# -strict, offline, on the schema data kval embeds: the JSON Schema of the PyPI
# package kubernetes-validate 1.37.0 in kubeconform's standalone layout, written by
# benches/kubeconform_schemas.py (or KUBECONFORM_SCHEMAS: its -schema-location).
# Without it, kval's figures alone. Needs ../shared, python3, hyperfine (Debian's
# package) and GNU time. Generated inputs go under SCALE_DIR (default /tmp/kval-scale)
# and are deleted once measured (the fleets are 45 and 99 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
shared=../shared
[ -d "$shared" ] || { echo "benches/scale.sh needs ../shared (fleet generator and corpus)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "benches/scale.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "benches/scale.sh needs GNU time (apt-get install time)" >&2; exit 2; }
work=${SCALE_DIR:-/tmp/kval-scale}
mkdir -p "$work"
cargo build --release --quiet
kval=target/release/kval
version=1.37.0

kc=${KUBECONFORM:-$(command -v kubeconform || true)}
if [ -n "$kc" ] && [ -z "${KUBECONFORM_SCHEMAS:-}" ]; then
  if [ ! -d "$work/kubeconform-schemas/v$version-standalone-strict" ]; then
    python3 -m pip download --quiet --no-deps "kubernetes-validate==$version" -d "$work/wheel"
    python3 benches/kubeconform_schemas.py "$work"/wheel/kubernetes_validate-*.whl "$work/kubeconform-schemas" "$version" >/dev/null
    rm -rf "$work/wheel"
  fi
  KUBECONFORM_SCHEMAS="$work/kubeconform-schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
fi

# Prints the median wall time and the mean CPU time (user + system) in seconds of each
# command (hyperfine, RUNS runs each). On a busy host CPU time moves less than wall.
medians() {
  hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$work/hyperfine.json" "$@" >/dev/null 2>&1
  python3 -c 'import json, sys; print(*(str(r["median"]) + " " + str(r["user"] + r["system"]) for r in json.load(open(sys.argv[1]))["results"]))' "$work/hyperfine.json"
}
# Prints the peak RSS in MiB of one run of "$@".
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%d", $1 / 1024}'; }
# Seconds as "1.23 s" or "8.4 ms".
wall() { awk -v s="$1" 'BEGIN {if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s}'; }

row() {
  local label=$1 path=$2
  local k=("$kval" lint "$path" -k "$version" -o json)
  if [ -n "$kc" ]; then
    local c=("$kc" -strict -summary -ignore-missing-schemas -kubernetes-version "$version" -schema-location "$KUBECONFORM_SCHEMAS" "$path")
    read -r kt ku ct cu < <(medians "${k[*]}" "$kc -strict -summary -ignore-missing-schemas -kubernetes-version $version -schema-location '$KUBECONFORM_SCHEMAS' $path")
    printf '| %s | %s | %s | %.1fx | %s | %s | %.1fx | %d MiB | %d MiB |\n' "$label" "$(wall "$kt")" "$(wall "$ct")" \
      "$(awk -v a="$ct" -v b="$kt" 'BEGIN {print a / b}')" "$(wall "$ku")" "$(wall "$cu")" \
      "$(awk -v a="$cu" -v b="$ku" 'BEGIN {print a / b}')" "$(peak "${k[@]}")" "$(peak "${c[@]}")"
  else
    read -r kt ku < <(medians "${k[*]}")
    printf '| %s | %s | - | - | %s | - | - | %d MiB | - |\n' "$label" "$(wall "$kt")" "$(wall "$ku")" "$(peak "${k[@]}")"
  fi
}

echo "kval $("$kval" --version | cut -d' ' -f2)${kc:+ vs kubeconform $("$kc" -v)}, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), median of $runs runs"
echo
echo "| input | kval wall | kubeconform wall | ratio | kval CPU | kubeconform CPU | ratio | kval peak RSS | kubeconform peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for apps in 5000 20000; do
  python3 "$shared/bench/gen_fleet.py" "$work/fleet-$apps" --apps "$apps" --truth "$work/truth-$apps.tsv" >/dev/null
  docs=$(grep -c '^kind:' -r "$work/fleet-$apps" | awk -F: '{n += $2} END {print n}')
  row "fleet, $apps apps ($docs documents, $(du -sm "$work/fleet-$apps" | cut -f1) MB)" "$work/fleet-$apps"
  rm -rf "$work/fleet-$apps" "$work/truth-$apps.tsv"
done
row "real projects (../shared/corpus, $(du -sm "$shared/corpus" | cut -f1) MB)" "$shared/corpus"
row "one small file (examples/web.yaml)" examples/web.yaml

echo
python3 benches/gen_inventory.py "$work/sa.yaml" 8000
sa=("$kval" lint "$work/sa.yaml" -o json --max-file-findings 1000000000)
read -r with _ without _ < <(medians "${sa[*]}" "${sa[*]} --disable missing-service-account")
printf '8,000 Deployments + 8,000 ServiceAccounts in one stream: %s, %s without missing-service-account (%.2fx)\n' \
  "$(wall "$with")" "$(wall "$without")" "$(awk -v a="$with" -v b="$without" 'BEGIN {print a / b}')"
rm -f "$work/sa.yaml"

mb=${SCALE_STREAM_MB:-256}
if [ "$mb" -gt 0 ]; then
  python3 - "$work/stream-$mb.yaml" "$mb" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
doc = """apiVersion: v1
kind: ConfigMap
metadata:
  name: config-{i}
  namespace: apps
data:
  key: "{pad}"
---
"""
with open(path, "w") as f:
    i, size = 0, 0
    while size < mb << 20:
        text = doc.format(i=i, pad="x" * 200)
        f.write(text)
        size += len(text)
        i += 1
PY
  read -r t m < <(/usr/bin/time -f "%e %M" "$kval" lint "$work/stream-$mb.yaml" -o json \
    --max-file-bytes $(((mb + 1) << 20)) 2>&1 >/dev/null | tail -n 1)
  printf 'one stream of %d MB (one run): %.1f s, peak RSS %d MiB\n' "$mb" "$t" $((m / 1024))
  rm -f "$work/stream-$mb.yaml"
fi
rm -f "$work/hyperfine.json"
