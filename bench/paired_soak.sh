#!/bin/bash
# The soak (Locust users running lead-to-cash) on an earlier commit and on this tree, alternated (old, new, old,
# new ...): the same users, the same seconds, the same Locust client. The earlier commit's worktree is given this
# tree's bench/soak.py, bench/soak_locustfile.py and the database engine helper soak.py uses, and otherwise uses its
# own platform and harness.
# Usage: bench/paired_soak.sh COMMIT [RUNS] [USERS] [SECONDS]   (defaults: 2 runs each, 20 users, 60 s)
# Each run's output goes to reports/bench/paired-soak-{old,new}-N.txt; a line per run is printed.
set -euo pipefail
old_commit=${1:?name the earlier commit}
runs=${2:-2}
users=${3:-20}
seconds=${4:-60}
source "$(dirname "$0")/earlier_worktree.sh"
earlier_worktree "$old_commit"
cp "$here/bench/soak.py" "$here/bench/soak_locustfile.py" "$old/bench/"
cp "$here/support/clients/database_engine.py" "$old/support/clients/"
for n in $(seq "$runs"); do
  for tree in old new; do
    dir=$old; [ "$tree" = new ] && dir=$here
    out="$here/reports/bench/paired-soak-$tree-$n.txt"
    (cd "$dir" && PYTHONPATH="$dir" "$here/.venv/bin/python" -m bench.soak --users "$users" --seconds "$seconds" \
      > "$out" 2>&1) || true
    echo "$tree $n: $(grep -E '^soak: [0-9]+ journeys|^soak: (PASS|FAIL)' "$out" | paste -sd ' ' -)"
  done
done
