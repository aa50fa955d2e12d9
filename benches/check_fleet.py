#!/usr/bin/env python3
"""Check kval's JSON output on a generated fleet against the fleet's truth file.

usage: check_fleet.py KVAL_JSON TRUTH_TSV [--kinds k1,k2,...]

Every injected mistake (of the listed kinds, default all) must be reported as an
error in the file the truth names, at the field the mistake is about; files of apps
without a mistake must have no finding at all. Exits 1 and says why otherwise.
"""
import argparse
import collections
import json
import os
import sys

# The field (last JSON-pointer segments) each kind of mistake is about.
FIELD = {
    "replicass": "/spec/replicass",
    "image_int": "/image",
    "port_str": "/containerPort",
    "env_bool": "/value",
    "ttl_nested": "/ttlSecondsAfterFinished",
    "quantity": "/memory",
    "restart": "/restartPolicy",
    "selector": "/selector",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("output")
    ap.add_argument("truth")
    ap.add_argument("--kinds", help="comma-separated mistake kinds to require (default: all)")
    a = ap.parse_args()
    report = json.load(open(a.output))
    truth = {}
    for line in open(a.truth).read().splitlines()[1:]:
        if line:
            path, kind = line.split("\t")
            truth[os.path.normpath(path)] = kind
    kinds = set(a.kinds.split(",")) if a.kinds else set(FIELD)
    by_file = collections.defaultdict(list)
    for f in report["findings"]:
        by_file[os.path.normpath(f["file"])].append(f)
    app_dirs_with_mistake = {os.path.dirname(p) for p in truth}
    caught, missed = collections.Counter(), collections.Counter()
    for path, kind in sorted(truth.items()):
        if kind not in kinds:
            continue
        hits = [f for f in by_file.get(path, []) if f["severity"] == "error"
                and FIELD[kind] in (f.get("pointer") or "")]
        (caught if hits else missed)[kind] += 1
        if not hits:
            print(f"missed {kind}: {path}", file=sys.stderr)
    noise = [f for p, fs in by_file.items() if os.path.dirname(p) not in app_dirs_with_mistake for f in fs]
    for f in noise[:20]:
        print(f"finding on a clean app: {f['file']}:{f['start']['line']}: {f['rule']}: {f['message']}", file=sys.stderr)
    total = collections.Counter(k for k in truth.values() if k in kinds)
    for kind in sorted(total):
        print(f"{kind:12} {caught[kind]:4}/{total[kind]:<4} caught")
    print(f"findings on apps without an injected mistake: {len(noise)}")
    print(f"documents: {report['summary']['resources']}, files: {report['summary']['files']}")
    sys.exit(1 if missed or noise else 0)


if __name__ == "__main__":
    main()
