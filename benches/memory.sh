#!/usr/bin/env bash
# Peak RSS of `kval lint -o json` (median of RUNS, default 3) on the benchmark fleet of
# ../shared/bench/gen_fleet.py (5,000 and 20,000 apps) and on one generated stream of
# ConfigMaps (STREAM_MB, default 1024: the 1 GB case of issue 17). The inputs are
# generated into a temporary directory under TMPDIR and deleted on exit (the disk is
# shared); about 1.3 GB free is needed with the default stream.
#
#   benches/memory.sh            KVAL=path/to/kval to measure another build
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
mb=${STREAM_MB:-1024}
shared=../shared
[ -d "$shared" ] || { echo "benches/memory.sh needs ../shared (the fleet generator)" >&2; exit 2; }
if [ -z "${KVAL:-}" ]; then
  cargo build --release --quiet
  KVAL=target/release/kval
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/kval-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
free_mb=$(df -Pm "$work" | awk 'NR == 2 {print $4}')
if [ "$free_mb" -lt $((mb + 512)) ]; then
  echo "benches/memory.sh: only $free_mb MB free under $work, $((mb + 512)) MB needed" >&2
  exit 2
fi

# Prints the median peak RSS in MiB of running "$@" RUNS times.
peak() {
  for _ in $(seq "$runs"); do
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
  done | sort -n | awk '{m[NR]=$1} END {printf "%d MiB", m[int((NR+1)/2)] / 1024}'
}

echo "kval $("$KVAL" --version | cut -d' ' -f2), peak RSS, median of $runs runs"
for apps in 5000 20000; do
  python3 "$shared/bench/gen_fleet.py" "$work/fleet" --apps "$apps" --truth "$work/truth.tsv" >/dev/null
  echo "fleet, $apps apps: $(peak "$KVAL" lint "$work/fleet" -o json)"
  rm -rf "$work/fleet" "$work/truth.tsv"
done
python3 - "$work/stream.yaml" "$mb" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-{i}\n  namespace: apps\ndata:\n  key: \"{pad}\"\n---\n"
pad = "x" * 200
with open(path, "w") as f:
    i, size = 0, 0
    while size < mb << 20:
        text = doc.format(i=i, pad=pad)
        f.write(text)
        size += len(text)
        i += 1
PY
bytes=$(stat -c %s "$work/stream.yaml")
echo "one stream of $mb MB: $(peak "$KVAL" lint "$work/stream.yaml" -o json --max-file-bytes "$bytes")"
