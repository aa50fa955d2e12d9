#!/usr/bin/env bash
# Benchmark of `kval simulate` over the whole shared corpus (issue 5, acceptance 5:
# under 2 s). Run by hand, not in `cargo test`:
#
#   scripts/bench-simulate.sh            # release build, then hyperfine
#
# Needs hyperfine and ../shared/corpus. Prints hyperfine's summary; quote the median.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
if [ ! -d "$corpus" ]; then
    echo "notice: $corpus is absent; nothing to measure" >&2
    exit 0
fi
cargo build --release --quiet
# Exit status 1 (documents with errors left out) is expected on a real-world corpus.
hyperfine --warmup 2 --runs 10 -i --export-json target/bench-simulate.json \
    "target/release/kval simulate $corpus --output json"
python3 - <<'PY'
import json
r = json.load(open("target/bench-simulate.json"))["results"][0]
print(f"median {r['median'] * 1000:.0f} ms (mean {r['mean'] * 1000:.0f} ms, min {r['min'] * 1000:.0f} ms, max {r['max'] * 1000:.0f} ms)")
PY
