#!/bin/bash
# The burst bench on an earlier commit and on this tree, alternated (old, new, old, new ...), the same bench
# client for both: the earlier commit's worktree is given this tree's bench/assistant_load.py and
# bench/assistant_locustfile.py. Usage: bench/paired_burst.sh COMMIT [RUNS]   (RUNS each, default 2)
# Each run's table goes to reports/bench/paired-{old,new}-N.txt; a line per run is printed.
set -euo pipefail
old_commit=${1:?name the earlier commit}
runs=${2:-2}
source "$(dirname "$0")/earlier_worktree.sh"
earlier_worktree "$old_commit"
cp "$here/bench/assistant_load.py" "$here/bench/assistant_locustfile.py" "$old/bench/"
for n in $(seq "$runs"); do
  for tree in old new; do
    dir=$old; [ "$tree" = new ] && dir=$here
    out="$here/reports/bench/paired-$tree-$n.txt"
    (cd "$dir" && PYTHONPATH="$dir" "$here/.venv/bin/python" -m bench.assistant_load --sessions 1000 2>&1 \
      | grep -v "close status" | tail -21 > "$out") || true
    echo "$tree $n: $(grep -E '^(wall_s|p95_s|cpu_ms_per_question|machine_cpu_ms_per_question|busy retries) ' "$out" \
      | awk '{print $1" "$NF" (yardstick "$(NF-1)")"}' | paste -sd ';' -)"
  done
done
