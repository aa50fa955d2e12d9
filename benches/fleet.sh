#!/usr/bin/env bash
# Benchmark kval on the fleet of ../shared/bench/gen_fleet.py and check that it finds
# every injected mistake.
#
#   benches/fleet.sh [APPS]          (default 5000 apps, about 41.6k documents)
#
# Needs ../shared (the fleet generator), python3 and hyperfine (apt-get install hyperfine).
# Set KUBECONFORM=/path/to/kubeconform to time kubeconform 0.7.0 on the same fleet in the
# same run (it needs the schemas in its own layout: KUBECONFORM_SCHEMAS=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
apps=${1:-5000}
shared=../shared
[ -d "$shared" ] || { echo "benches/fleet.sh needs ../shared (the fleet generator)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "benches/fleet.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

work=${FLEET_DIR:-/tmp/kval-fleet-$apps}
if [ ! -f "$work/truth.tsv" ]; then
  rm -rf "$work"
  python3 "$shared/bench/gen_fleet.py" "$work/fleet" --apps "$apps" --truth "$work/truth.tsv"
fi
cargo build --release --quiet
kval=target/release/kval
docs=$(python3 -c "import sys,json; print(json.load(sys.stdin)['summary']['resources'])" \
       < <($kval lint "$work/fleet" -o json || true))
bytes=$(du -sb "$work/fleet" | cut -f1)
echo "fleet: $docs documents, $((bytes / 1000000)) MB, $(nproc) cores"

echo; echo "== correctness (every injected mistake found, nothing on clean apps)"
$kval lint "$work/fleet" -o json > "$work/out.json" || true
python3 benches/check_fleet.py "$work/out.json" "$work/truth.tsv" ${FLEET_KINDS:+--kinds "$FLEET_KINDS"}

echo; echo "== throughput"
cmds=("$kval lint $work/fleet -o json")
[ -n "${KUBECONFORM:-}" ] && cmds+=("$KUBECONFORM -strict -summary -schema-location ${KUBECONFORM_SCHEMAS:-default} $work/fleet")
hyperfine --warmup 1 --runs 10 -i --export-json "$work/hyperfine.json" "${cmds[@]}"
python3 - "$work/hyperfine.json" "$docs" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
docs = int(sys.argv[2])
for r in results:
    print(f"{r['command'][:60]:60} median {r['median']*1000:8.1f} ms  {docs / r['median']:10.0f} documents/s")
if len(results) == 2:
    print(f"ratio: kval is {results[1]['median'] / results[0]['median']:.1f}x faster")
PY

echo; echo "== peak memory"
/usr/bin/time -f "kval: %M KB peak RSS, %e s" $kval lint "$work/fleet" -o json > /dev/null || true

echo; echo "== one small file"
hyperfine --warmup 3 --runs 30 -N -i "$kval lint examples/web.yaml"
