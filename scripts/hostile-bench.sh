#!/usr/bin/env bash
# Time and peak memory of `kval lint` on every hostile input of tests/hostile.rs
# (the committed ones in tests/hostile/ and the generated ones: 100 MB file,
# 10,000-deep nesting, ...), with the release build, then on some of them with a
# limit raised, to show what the limits protect against and that memory stays
# bounded by the input.
#
# Usage: scripts/hostile-bench.sh [DIR]    (DIR: where to write the inputs; a
#        temporary directory by default). Needs GNU time (/usr/bin/time).
# Prints one line per run: input, size, exit status, wall time (ms), peak RSS (MB).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time (GNU time) is needed to measure memory" >&2; exit 2; }

dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
cargo build --release --quiet
KVAL_HOSTILE_DIR="$dir" cargo test --quiet --test hostile -- --ignored --exact write_inputs_for_the_benchmark \
    > /dev/null
kval="$root/target/release/kval"

run() { # run NAME ARGS...: one line of the table
    local name=$1
    shift
    local out start end status
    out=$(mktemp)
    start=$EPOCHREALTIME
    set +e
    (cd "$dir" && timeout 600 /usr/bin/time -f '%M' -o "$out" "$kval" lint --output compact "$@" > /dev/null 2>&1)
    status=$?
    set -e
    end=$EPOCHREALTIME
    local ms rss size
    ms=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
    rss=$(awk '/^[0-9]+$/ { printf "%.1f", $1 / 1024 }' "$out")
    size=$(cd "$dir" && { [ -f "$1" ] && stat -L -c %s "$1" 2>/dev/null || echo -; })
    printf '%-34s %12s %5s %8s %9s\n' "$name" "$size" "$status" "$ms" "${rss:-?}"
    rm -f "$out"
}

printf '%-34s %12s %5s %8s %9s\n' input bytes exit ms "RSS MB"
run "(baseline) examples/web.yaml" "$root/examples/web.yaml"
for path in $(cd "$dir" && ls | sort); do
    run "$path" "$path"
done
run "/dev/zero" /dev/zero

echo
echo "With a limit raised (what the limit protects against):"
run "generated-100mb.yaml, 200 MB allowed" generated-100mb.yaml --max-file-bytes 200000000 --max-documents 1000000
run "many-documents.yaml, 200k allowed" many-documents.yaml --max-documents 200000
run "long-scalar.yaml, 20 MB allowed" long-scalar.yaml --max-scalar-bytes 20000000
run "billion-laughs.yaml, 10M nodes" billion-laughs.yaml --max-alias-nodes 10000000
