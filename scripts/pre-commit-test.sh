#!/usr/bin/env bash
# Exercises `.pre-commit-hooks.yaml` with the real pre-commit, as a user would: in a
# temporary git repository whose `.pre-commit-config.yaml` points at this repository
# (by path, at the current commit), a good manifest commits and a bad one is blocked
# with the finding shown. pre-commit builds kval itself (`language: rust` runs
# `cargo install` in release mode), which takes most of the time.
#
# Usage: scripts/pre-commit-test.sh
# Needs python3 (venv), git and cargo, and network access to PyPI and crates.io.
# It tests the committed HEAD, not uncommitted changes. .ci/run runs it.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
rev="$(git -C "$repo" rev-parse HEAD)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

step() { printf '\n== %s (%ss)\n' "$1" "$((SECONDS - start))"; }
fail() { printf 'pre-commit-test: FAILED: %s\n' "$1" >&2; exit 1; }

step "installing pre-commit from PyPI into a virtual environment"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check 'pre-commit>=4,<5'
pre_commit="$work/venv/bin/pre-commit"
"$pre_commit" --version
export PRE_COMMIT_HOME="$work/pre-commit-cache"

step "creating a project that uses the kval hook at $rev"
project="$work/project"
git init --quiet "$project"
cd "$project"
git config user.name "pre-commit test"
git config user.email "test@example.invalid"
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: kval
CONFIG
git add .pre-commit-config.yaml
git commit --quiet -m "use kval"
"$pre_commit" install

step "building the hook's environment (cargo install of kval)"
"$pre_commit" install-hooks

step "a good manifest commits"
mkdir deploy
cp "$repo/examples/web.yaml" deploy/web.yaml
git add deploy/web.yaml
if ! git commit -m "add web" > "$work/good.log" 2>&1; then
    cat "$work/good.log"
    fail "the commit of a valid manifest was blocked"
fi
cat "$work/good.log"
grep -q "kval.*Passed" "$work/good.log" || fail "kval did not run on the valid manifest"

step "a bad manifest is blocked, with the finding shown"
cp "$repo/examples/daemonset.yaml" deploy/daemonset.yaml
git add deploy/daemonset.yaml
if git commit -m "add daemonset" > "$work/bad.log" 2>&1; then
    cat "$work/bad.log"
    fail "the commit of an invalid manifest went through"
fi
cat "$work/bad.log"
grep -q "kval.*Failed" "$work/bad.log" || fail "kval did not fail the commit"
grep -qF 'error[unknown-field]: a DaemonSet has no `spec.replicas`' "$work/bad.log" || fail "the finding is not shown"
grep -qF -- '--> deploy/daemonset.yaml:11:3' "$work/bad.log" || fail "the finding's location is not shown"
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the bad commit was recorded"

step "pre-commit test passed"
