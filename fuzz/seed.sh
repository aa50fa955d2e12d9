#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's manifests: examples/, the tests'
# fixtures and the hostile inputs, plus fuzz/seeds/ (explain arguments).
# Usage: fuzz/seed.sh   (from anywhere; the corpora are git-ignored)
set -euo pipefail
cd "$(dirname "$0")"
dirs=$(for d in ../examples ../tests/fixtures ../tests/hostile; do if [ -d "$d" ]; then echo "$d"; fi; done)
# shellcheck disable=SC2086
manifests=$(find $dirs -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | sort)
for target in yaml_load lint_document simulate_input; do
    mkdir -p "corpus/$target"
    for f in $manifests; do
        # Files larger than libFuzzer's default -max_len (4096) are cut by it anyway.
        cp "$f" "corpus/$target/$(echo "${f#../}" | tr '/' '_')"
    done
done
mkdir -p corpus/explain_path
n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" > "corpus/explain_path/arg-$n"
done < seeds/explain_path.txt
# An argument followed by a manifest exercises the FILE:LINE form.
for f in ../examples/*.yaml; do
    { echo "deploy.spec"; cat "$f"; } > "corpus/explain_path/line-$(basename "$f")"
done
echo "seeded: $(ls corpus/yaml_load | wc -l) manifests per target, $n explain arguments"
