#!/usr/bin/env bash
# The figures of `kval lsp` (issue 16): workspace indexing time and memory on the
# real projects of ../shared/corpus (and on a directory given as $1), and the median
# latency of diagnostics after a change of a 1,000-line file.
#
#   benches/lsp.sh [DIR]      RUNS=30 changes by default
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus}
[ -d "$dir" ] || { echo "benches/lsp.sh: $dir is absent" >&2; exit 2; }
cargo build --release --quiet
python3 benches/lsp.py target/release/kval "$dir" "${RUNS:-30}"
