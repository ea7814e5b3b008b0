#!/usr/bin/env bash
# Mutation check: applies each guarantee-breaking change of tools/mutants/mutants.json to the
# production code, one at a time, runs the test files that must catch it, and restores the file
# whatever happens (failure, Ctrl-C, kill). A mutant is killed when a named test fails,
# survived when they all pass, stale when its search text is no longer in its file (the list
# needs updating: a failure of the list, not of the code).
#
#   bash tools/mutants/run.sh [--baseline] [ID...]   all mutants, or the ones named
#   bash tools/mutants/run.sh --list | --check       the list / whether every search text still matches once
#
# Not part of CI: a full pass runs Docker and registry suites once per mutant.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
mutant() { node tools/mutants/mutant.mjs "$@"; }
vitest="$here/node_modules/.bin/vitest"

case "${1:-}" in
  --list) for id in $(mutant ids); do mutant show "$id" | cut -f1-2; done; exit 0 ;;
  --check) mutant check; exit $? ;;
esac
baseline=false
if [ "${1:-}" = "--baseline" ]; then baseline=true; shift; fi
ids=$(mutant ids "$@") || exit 2

logs=$(mktemp -d "${TMPDIR:-/tmp}/lading-mutants.XXXXXX")
backup="$logs/original"
mutated=""
restore() {
  if [ -n "$mutated" ]; then
    cp "$backup" "$here/$mutated"
    mutated=""
  fi
}
trap restore EXIT
trap 'restore; echo "interrupted: the tree is restored"; exit 130' INT TERM HUP

# Runs the test files of one mutant, project by project; 0 when every one passed.
run_suites() {
  local id=$1 log=$2 project tests
  while IFS=$'\t' read -r project tests; do
    # shellcheck disable=SC2086 # test paths contain no spaces; one argument each
    "$vitest" run --root "$project" --bail 1 $tests >>"$log" 2>&1 || return 1
  done < <(mutant suites "$id")
  return 0
}

if $baseline; then
  echo "baseline: the suites of the selected mutants, unmutated"
  for id in $ids; do
    if ! run_suites "$id" "$logs/baseline.log"; then
      echo "baseline: the suites of $id fail without any mutant; fix them first (log: $logs/baseline.log)"
      exit 2
    fi
  done
fi

echo "logs: $logs"
killed=0 survived=0 stale=0
survivors=() stales=()
for id in $ids; do
  IFS=$'\t' read -r _ guarantee file < <(mutant show "$id")
  if ! git diff --quiet -- "$file"; then
    echo "$file has uncommitted changes: commit or stash them, so that the tree can be restored exactly"
    exit 2
  fi
  cp "$file" "$backup"
  mutated=$file
  started=$SECONDS
  if ! reason=$(mutant apply "$id" 2>&1); then
    restore
    stale=$((stale + 1)) stales+=("$id")
    printf 'STALE     %-34s %-26s %s\n' "$id" "$guarantee" "$reason"
    continue
  fi
  if run_suites "$id" "$logs/$id.log"; then outcome=survived; else outcome=killed; fi
  restore
  if ! git diff --quiet -- "$file"; then
    echo "$file differs from HEAD after restoring it: check it by hand"
    exit 2
  fi
  if [ $outcome = killed ]; then
    killed=$((killed + 1))
  else
    survived=$((survived + 1)) survivors+=("$id")
  fi
  printf '%-9s %-34s %-26s %4ss\n' "$outcome" "$id" "$guarantee" $((SECONDS - started))
done

[ ${#survivors[@]} -gt 0 ] && echo "survived: ${survivors[*]} (logs in $logs)"
if [ $stale -gt 0 ]; then
  echo "STALE: ${stales[*]} — update tools/mutants/mutants.json (search text no longer in the file)"
  echo "mutants: $killed killed, $survived survived, $stale stale"
  exit 3
fi
echo "mutants: $killed killed, $survived survived"
[ $survived -eq 0 ]
