#!/bin/bash
# The specification's profile (bench/spec_profile.py: one behave process, @chaos left out, CPU per process) on an
# earlier commit and on this tree, alternated (old, new, old, new ...) in one invocation, so the two trees' wall and
# CPU seconds can be set side by side on a machine whose speed drifts.
# Usage: bench/paired_spec.sh COMMIT [RUNS] [behave selection...]   (defaults: 2 runs each, the whole specification)
# Prints each run's summary; the runs' output goes to reports/bench/paired-spec-*.txt.
set -euo pipefail
old_commit=${1:?name the earlier commit}
runs=${2:-2}
shift $(( $# < 2 ? $# : 2 ))
source "$(dirname "$0")/earlier_worktree.sh"
earlier_worktree "$old_commit"
cp "$here/bench/spec_profile.py" "$old/bench/spec_profile.py"  # both trees measured by the same bench
for n in $(seq "$runs"); do
  for tree in old new; do
    dir=$old; [ "$tree" = new ] && dir=$here
    out="$here/reports/bench/paired-spec-$tree-$n.txt"
    (cd "$dir" && .venv/bin/python -m bench.spec_profile "$@" > "$out" 2>&1) || true
    echo "$tree $n: $(grep -A6 '^spec_profile:' "$out" | tr -s ' \n' ' ')"
  done
done
git -C "$here" checkout -q bench/figures/spec_profile.json  # a pairing is not the tree's own figure
