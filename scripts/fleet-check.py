#!/usr/bin/env python3
"""Acceptance check on the benchmark fleet (../shared/bench/gen_fleet.py).

usage: scripts/fleet-check.py FLEET_DIR TRUTH_TSV [KVAL_BINARY]

Runs `kval lint --output json` on the fleet, then checks that every injected mistake
is reported at the right file and line, and that apps without a mistake get no
finding at all. Prints per-kind counts; exits 1 if anything is missed or extra.
"""
import collections, json, os, subprocess, sys

# The text on the line each mistake must be reported at.
MARKERS = {
    "replicass": lambda app: "replicass:",
    "image_int": lambda app: "image: 42",
    "selector": lambda app: f"{app}-x",
    "quantity": lambda app: "512MB",
    "restart": lambda app: "restartPolicy: OnFailure",
    "port_str": lambda app: '"eighty"',
    "ttl_nested": lambda app: "ttlSecondsAfterFinished: 0",
    "env_bool": lambda app: "value: yes",
}


def main():
    fleet, truth_path = sys.argv[1], sys.argv[2]
    kval = sys.argv[3] if len(sys.argv) > 3 else "target/release/kval"
    out = subprocess.run([kval, "lint", "--output", "json", fleet], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"kval failed ({out.returncode}): {out.stderr}")
    findings = json.loads(out.stdout)["findings"]
    by_file = collections.defaultdict(list)
    for f in findings:
        by_file[os.path.normpath(f["file"])].append(f)
    truth = {}
    with open(truth_path) as t:
        next(t)
        for line in t:
            path, mistake = line.rstrip("\n").split("\t")
            truth[os.path.normpath(path)] = mistake
    mistaken_apps = {os.path.dirname(p) for p in truth}
    caught, total, problems = collections.Counter(), collections.Counter(), []
    for path, mistake in sorted(truth.items()):
        total[mistake] += 1
        app = os.path.basename(os.path.dirname(path))
        marker = MARKERS[mistake](app)
        with open(path) as fh:
            lines = [i + 1 for i, text in enumerate(fh.read().split("\n")) if marker in text]
        reported = {f["start"]["line"] for f in by_file[path] if f["severity"] == "error"}
        if lines and all(l in reported for l in lines):
            caught[mistake] += 1
        else:
            problems.append(f"missed {mistake} in {path} (expected lines {lines}, got {sorted(reported)})")
    clean = 0
    extra_in_mistaken = 0
    for path, fs in sorted(by_file.items()):
        if os.path.dirname(path) not in mistaken_apps:
            clean += len(fs)
            for f in fs[:3]:
                problems.append(f"clean app finding: {path}:{f['start']['line']} [{f['rule']}] {f['message']}")
        else:
            expected = truth.get(path)
            marker_lines = set()
            if expected:
                app = os.path.basename(os.path.dirname(path))
                with open(path) as fh:
                    marker = MARKERS[expected](app)
                    marker_lines = {i + 1 for i, t in enumerate(fh.read().split("\n")) if marker in t}
            extra_in_mistaken += sum(1 for f in fs if f["start"]["line"] not in marker_lines)
    print(f"{'mistake':<12} caught/total")
    for kind in sorted(total):
        print(f"{kind:<12} {caught[kind]}/{total[kind]}")
    print(f"findings on apps without a mistake: {clean}")
    print(f"other findings on apps with a mistake: {extra_in_mistaken}")
    for p in problems[:20]:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
