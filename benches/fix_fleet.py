#!/usr/bin/env python3
"""The acceptance of `kval lint --fix` on a generated fleet (../shared/bench/gen_fleet.py).

usage: benches/fix_fleet.py [--apps 500] [--error-rate 0.4] [--kval target/release/kval] [--work DIR]

On a copy of the fleet with comments added everywhere (own-line and trailing, as real
files have them), `kval lint --fix`:
  1. leaves no finding that has a safe fix;
  2. changes only the lines of the findings it fixed (the lines of the finding's span,
     and the key line above a value that starts on the next line);
  3. keeps every comment of every file;
  4. leaves files that schema validation (the PyPI package kubernetes-validate: JSON
     Schema through python-jsonschema, documents read by PyYAML as YAML 1.1) rejected
     only for fixable reasons valid, and valid files valid;
  5. changes nothing on a second run.
Prints the figures and exits 1 with the reasons when a check fails.
Needs python3 with PyYAML and kubernetes-validate (pip install kubernetes-validate).
"""
import argparse
import collections
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

import yaml
import kubernetes_validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K8S_VERSION = "1.35.0"
BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*\s*$")


def add_comments(text):
    """Adds an own-line comment before every third line and a trailing comment to every
    line, outside block scalars (where `#` is content)."""
    out, block_indent, n = ["# file header comment"], None, 0
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            out.append(line)
            continue
        block_indent = None
        n += 1
        if line.startswith("---") or not line.strip():
            out.append(line)
            continue
        if n % 3 == 0:
            out.append(" " * indent + f"# own-line comment {n}")
        if BLOCK_SCALAR.search(line):
            block_indent = indent
            out.append(line)
        else:
            out.append(f"{line}  # trailing comment {n}")
    return "\n".join(out) + "\n"


def comments(text):
    """The comments of a file, as a multiset of their text."""
    return collections.Counter(m.group(0) for m in re.finditer(r"# (own-line|trailing) comment \d+|# file header comment", text))


def yaml_files(root):
    for dirpath, _, names in os.walk(root):
        for name in sorted(names):
            if name.endswith((".yaml", ".yml")):
                yield os.path.join(dirpath, name)


def tree_hash(root):
    h = hashlib.sha256()
    for path in sorted(yaml_files(root)):
        h.update(path.encode())
        h.update(open(path, "rb").read())
    return h.hexdigest()


def lint(kval, fleet, *args):
    out = subprocess.run([kval, "lint", fleet, *args], capture_output=True, text=True)
    return out


def findings(kval, fleet):
    out = lint(kval, fleet, "-o", "json")
    return json.loads(out.stdout)["findings"]


def schema_errors(text):
    """Errors of the real schema validation, per document of a file."""
    errors = []
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError as e:
        return [f"YAML: {e}"]
    for doc in docs:
        if not doc:
            continue
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            errors.append(f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}: {e.message}")
    return errors


def changed_lines(before, after, allowed):
    """Lines (1-based) of `before` that the diff to `after` removes or replaces; lines
    inserted between two lines touch one of them (an allowed one if either is)."""
    lines = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            lines.update(range(i1 + 1, i2 + 1))
        elif tag == "insert":
            lines.add(i1 + 1 if i1 + 1 in allowed else max(i1, 1))
    return lines


def finding_lines(finding, text_lines):
    start, end = finding["start"]["line"], finding["end"]["line"]
    if finding["end"]["column"] == 1 and end > start:
        end -= 1
    lines = set(range(start, end + 1))
    # A value on the lines below its key (`ttl:\n  ttl: 0`): the key's line, and the
    # comments between, are the finding's too.
    above = start - 1
    while above >= 1 and re.match(r"\s*(#.*)?$", text_lines[above - 1]):
        above -= 1
    if above >= 1 and re.search(r":\s*(#.*)?$", text_lines[above - 1]):
        lines.update(range(above, start))
    return lines


def said(run):
    """What a `--fix` run says it fixed."""
    return "; ".join(l for l in run.stderr.splitlines() if "fix" in l)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--apps", type=int, default=500)
    ap.add_argument("--error-rate", type=float, default=0.4)
    ap.add_argument("--kval", default=os.path.join(ROOT, "target/release/kval"))
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    work = a.work or f"/tmp/kval-fix-fleet-{a.apps}"
    shared = os.path.join(ROOT, "../shared/bench/gen_fleet.py")
    if not os.path.exists(shared):
        sys.exit("benches/fix_fleet.py needs ../shared (the fleet generator)")
    shutil.rmtree(work, ignore_errors=True)
    gen = os.path.join(work, "generated")
    subprocess.run([sys.executable, shared, gen, "--apps", str(a.apps), "--error-rate", str(a.error_rate),
                    "--truth", os.path.join(work, "truth.tsv")], check=True, stdout=subprocess.DEVNULL)
    fleet = os.path.join(work, "fleet")
    shutil.copytree(gen, fleet)
    for path in yaml_files(fleet):
        text = open(path).read()
        open(path, "w").write(add_comments(text))
    originals = {p: open(p).read() for p in yaml_files(fleet)}
    failures = []

    before = findings(a.kval, fleet)
    safe = [f for f in before if (f.get("fix") or {}).get("applicability") == "safe"]
    print(f"fleet: {a.apps} apps, {len(originals)} files, comments added; {len(before)} findings before, "
          f"{len(safe)} with a safe fix")
    for (rule, fix), n in sorted(collections.Counter(
            (f["rule"], (f.get("fix") or {}).get("applicability", "-")) for f in before).items()):
        print(f"  {n:5} {rule} (fix: {fix})")

    t = time.monotonic()
    run = lint(a.kval, fleet, "--fix", "-o", "compact")
    print(f"--fix: {said(run)} in {time.monotonic() - t:.2f} s (exit {run.returncode})")
    after = findings(a.kval, fleet)
    print(f"after: {len(after)} findings")
    for rule, n in sorted(collections.Counter(f["rule"] for f in after).items()):
        print(f"  {n:5} {rule}")

    # 1. No safe fix left.
    left = [f for f in after if (f.get("fix") or {}).get("applicability") == "safe"]
    for f in left[:10]:
        failures.append(f"safe fix left: {f['file']}:{f['start']['line']} {f['rule']}: {f['message']}")

    # 2. Only the lines of fixed findings changed; 3. every comment kept.
    allowed = collections.defaultdict(set)
    for f in safe:
        allowed[f["file"]] |= finding_lines(f, originals[f["file"]].splitlines())
    changed_files = 0
    for path, text in originals.items():
        fixed = open(path).read()
        if fixed == text:
            continue
        changed_files += 1
        extra = sorted(changed_lines(text, fixed, allowed[path]) - allowed[path])
        if extra:
            failures.append(f"{path}: lines {extra} changed without a safe-fix finding there")
        lost = comments(text) - comments(fixed)
        if lost:
            failures.append(f"{path}: comments lost: {sorted(lost)}")
    print(f"changed files: {changed_files}")

    # 4. Schema validation of the changed files, and of the files whose errors were all fixable.
    errors_before = collections.defaultdict(list)
    for f in before:
        if f["severity"] == "error":
            errors_before[f["file"]].append(f)
    checked = rejected_before = 0
    for path, text in originals.items():
        if open(path).read() == text:
            continue
        if not all((f.get("fix") or {}).get("applicability") == "safe" for f in errors_before[path]):
            continue
        checked += 1
        rejected_before += bool(schema_errors(text))
        errs = schema_errors(open(path).read())
        if errs:
            failures.append(f"{path}: schema validation after --fix: {errs}")
    print(f"schema validation (kubernetes-validate {K8S_VERSION}, strict) of the {checked} fixed files whose "
          f"errors were all fixable: {rejected_before} rejected before, all valid after unless listed below")

    # 5. A second --fix is a no-op.
    h = tree_hash(fleet)
    again = lint(a.kval, fleet, "--fix", "-o", "compact")
    if tree_hash(fleet) != h:
        failures.append("a second --fix changed files")
    if "nothing to fix" not in again.stderr:
        failures.append(f"a second --fix said: {again.stderr.strip()}")
    print(f"second --fix: {said(again)}")

    if failures:
        print(f"\nFAILED ({len(failures)}):")
        for line in failures[:40]:
            print(f"  {line}")
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
