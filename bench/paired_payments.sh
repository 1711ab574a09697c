#!/bin/bash
# What a card payment costs the platform (bench/payment_cpu.py) on an earlier commit and on this tree, alternated
# (old, new, old, new ...) in one invocation: the same clients, the same payments. The earlier commit's worktree is
# given this tree's bench/payment_cpu.py and otherwise uses its own platform and harness.
# Usage: bench/paired_payments.sh COMMIT [RUNS] [PAYMENTS] [CLIENTS]   (defaults: 2 runs each, 400 payments, 8 clients)
# Each run's output goes to reports/bench/paired-payments-{old,new}-N.txt; a line per run is printed.
set -euo pipefail
old_commit=${1:?name the earlier commit}
runs=${2:-2}
payments=${3:-400}
clients=${4:-8}
source "$(dirname "$0")/earlier_worktree.sh"
earlier_worktree "$old_commit"
cp "$here/bench/payment_cpu.py" "$old/bench/"
for n in $(seq "$runs"); do
  for tree in old new; do
    dir=$old; [ "$tree" = new ] && dir=$here
    out="$here/reports/bench/paired-payments-$tree-$n.txt"
    (cd "$dir" && PYTHONPATH="$dir" "$here/.venv/bin/python" -m bench.payment_cpu --payments "$payments" \
      --clients "$clients" > "$out" 2>&1) || true
    echo "$tree $n: $(grep -E '^payment-cpu' "$out" || tail -1 "$out")"
  done
done
