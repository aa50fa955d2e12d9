#!/usr/bin/env bash
# Growth per doubling: lints 1x, 2x, 4x and 8x the same inventory (one stream of
# Deployments, each with its ServiceAccount, Service and PodDisruptionBudget, so that
# every cross-document rule has work) and prints the median wall time of each size
# and its ratio to the previous one. A linear rule doubles; a quadratic one
# quadruples.
#
#   benches/scaling.sh [BASE_APPS]   (default 1000: 4,000 to 32,000 documents)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-1000}
runs=${RUNS:-5}
work=${SCALING_DIR:-/tmp/kval-scaling}
mkdir -p "$work"
cargo build --release --quiet
kval=target/release/kval

for k in 1 2 4 8; do
  python3 benches/gen_inventory.py "$work/x$k.yaml" $((base * k)) --full
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
prev=""
printf '%-6s %10s %12s %10s\n' size documents "median (s)" growth
for k in 1 2 4 8; do
  t=$(for _ in $(seq "$runs"); do
        /usr/bin/time -f %e "$kval" lint "$work/x$k.yaml" --max-file-findings 1000000000 -o json \
          2>&1 >/dev/null | tail -n 1
      done | median)
  growth=$([ -n "$prev" ] && awk -v a="$t" -v b="$prev" 'BEGIN {printf "%.2fx", a / b}' || echo -)
  printf '%-6s %10d %12s %10s\n' "${k}x" $((base * k * 4)) "$t" "$growth"
  prev=$t
done
