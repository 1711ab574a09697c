# Sourced by the paired benches (bench/paired_*.sh): a worktree of an earlier commit beside this tree, sharing its
# .venv, removed when the script ends. Sets `here` (this tree) and `old` (the worktree).
#   earlier_worktree COMMIT
earlier_worktree() {
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  old=$(mktemp -d /tmp/paired-XXXXXX)
  trap 'git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
  git -C "$here" worktree add -q --detach "$old" "$1"
  ln -s "$here/.venv" "$old/.venv"
  mkdir -p "$here/reports/bench"
}
