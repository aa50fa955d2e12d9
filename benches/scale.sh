#!/usr/bin/env bash
# The scale table of issue 17: wall time (median of RUNS) and peak RSS of kval, and of
# kubeconform side by side in the same run when KUBECONFORM=/path/to/kubeconform is
# set (KUBECONFORM_SCHEMAS: its -schema-location), on
#   - the benchmark fleet of ../shared/bench/gen_fleet.py, 5,000 and 20,000 apps;
#   - the real projects of ../shared/corpus;
#   - one small file (examples/web.yaml);
#   - one large generated stream (SCALE_STREAM_MB, default 256 MB; 1024 for the
#     1 GB case), read a part at a time.
#
#   benches/scale.sh            RUNS=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
shared=../shared
[ -d "$shared" ] || { echo "benches/scale.sh needs ../shared (fleet generator and corpus)" >&2; exit 2; }
work=${SCALE_DIR:-/tmp/kval-scale}
mkdir -p "$work"
cargo build --release --quiet
kval=target/release/kval

for apps in 5000 20000; do
  [ -d "$work/fleet-$apps" ] ||
    python3 "$shared/bench/gen_fleet.py" "$work/fleet-$apps" --apps "$apps" --truth "$work/truth-$apps.tsv" >/dev/null
done
mb=${SCALE_STREAM_MB:-256}
if [ ! -f "$work/stream-$mb.yaml" ]; then
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
fi

# Prints "median-seconds peak-KB" of running "$@" RUNS times.
measure() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1
  done | sort -n | awk '{t[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); print t[i], m[i]}'
}

row() {
  local label=$1 path=$2; shift 2
  read -r kt km < <(measure "$kval" lint "$path" -o json "$@")
  if [ -n "${KUBECONFORM:-}" ]; then
    read -r ct cm < <(measure "$KUBECONFORM" -strict -summary -schema-location "${KUBECONFORM_SCHEMAS:-default}" "$path")
    printf '| %s | %.2f s | %.2f s | %.1fx | %d MiB | %d MiB |\n' "$label" "$kt" "$ct" \
      "$(awk -v a="$ct" -v b="$kt" 'BEGIN {print a / b}')" $((km / 1024)) $((cm / 1024))
  else
    printf '| %s | %.2f s | - | - | %d MiB | - |\n' "$label" "$kt" $((km / 1024))
  fi
}

echo "kval $("$kval" --version | cut -d' ' -f2), $(nproc) cores, median of $runs runs"
echo "| input | kval wall | kubeconform wall | ratio | kval peak RSS | kubeconform peak RSS |"
echo "|---|---|---|---|---|---|"
row "fleet, 5,000 apps" "$work/fleet-5000"
row "fleet, 20,000 apps" "$work/fleet-20000"
row "real projects (../shared/corpus)" "$shared/corpus"
row "one small file" examples/web.yaml
row "one stream of $mb MB" "$work/stream-$mb.yaml"
