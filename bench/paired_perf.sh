#!/bin/bash
# One scenario of make perf on an earlier commit and on this tree, alternated (old, new, old, new ...), each tree
# with its own platform, harness and yardstick, on the same machine in one invocation, so the two trees' figures
# (each already a ratio to the yardstick of its own run) can be set side by side.
# Usage: bench/paired_perf.sh COMMIT [RUNS] [FEATURE]
#   (defaults: 2 runs each, features/performance/api_under_load.feature)
# Prints each run's figures as the scenario attached them; the runs' output goes to reports/bench/paired-perf-*.txt.
set -euo pipefail
old_commit=${1:?name the earlier commit}
runs=${2:-2}
feature=${3:-features/performance/api_under_load.feature}
source "$(dirname "$0")/earlier_worktree.sh"
earlier_worktree "$old_commit"
touch "$here"/.venv/.*-installed  # the shared packages are the ones the earlier lock names: no reinstall
for n in $(seq "$runs"); do
  for tree in old new; do
    dir=$old; [ "$tree" = new ] && dir=$here
    out="$here/reports/bench/paired-perf-$tree-$n.txt"
    (cd "$dir" && make --no-print-directory spec TAGS=@perf ARGS="$feature" > "$out" 2>&1) || true
    echo "$tree $n: $("$here/.venv/bin/python" -m bench.perf_figures "$dir/reports/allure-results")"
  done
done
