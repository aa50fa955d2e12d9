#!/usr/bin/env bash
# What the rules cost over schema validation alone, on the benchmark fleet.
#
# usage: scripts/bench-rules.sh [FLEET_DIR]   (needs hyperfine and a release build)
#
# Generates the fleet if absent (../shared/bench/gen_fleet.py, 5000 apps), then times
# `kval lint` with every rule that is not a loader or schema check disabled (through
# a config file made from `kval rules --output json`) against the default rule set.
set -euo pipefail
cd "$(dirname "$0")/.."
fleet=${1:-/tmp/fleet-rules}
kval=target/release/kval
[ -x "$kval" ] || cargo build --release
[ -d "$fleet" ] || python3 ../shared/bench/gen_fleet.py "$fleet" --apps 5000 --truth "$fleet.truth.tsv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$kval" rules --output json | python3 -c '
import json, sys
ids = [r["id"] for r in json.load(sys.stdin) if r["check"] != "builtin" and r["enabled"]]
print("rules:\n  disable: [" + ", ".join(ids) + "]")' > "$tmp/schema-only.yaml"
: > "$tmp/defaults.yaml"
hyperfine --warmup 1 --runs "${RUNS:-10}" -i --export-json "$tmp/bench.json" \
  -n schema-only "$kval lint --config $tmp/schema-only.yaml $fleet" \
  -n default-rules "$kval lint --config $tmp/defaults.yaml $fleet"
# Median and minimum wall-clock time and mean CPU (user + system) time of each, and
# the ratios. On a shared, loaded machine the minimum and the CPU time are steadier.
python3 - "$tmp/bench.json" <<'PY'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def cpu(r):
    return r["user"] + r["system"]
base, rules = runs["schema-only"], runs["default-rules"]
for name, r in runs.items():
    print(f"{name}: wall median {r['median']:.3f} s, min {r['min']:.3f} s; mean CPU {cpu(r):.3f} s")
print(
    f"ratio default/schema-only: wall median {rules['median'] / base['median']:.2f}, "
    f"min {rules['min'] / base['min']:.2f}; CPU {cpu(rules) / cpu(base):.2f}"
)
PY
for config in schema-only defaults; do
  /usr/bin/time -f "$config: peak RSS %M KB" "$kval" lint --config "$tmp/$config.yaml" "$fleet" > /dev/null 2> "$tmp/time" || true
  tail -1 "$tmp/time"
done
