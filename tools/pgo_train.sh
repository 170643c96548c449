#!/usr/bin/env bash
# tools/pgo_train.sh SCHEDFUZZ LLVM_PROFDATA OUT: the training run of profile-guided optimization
# (cmake/pgo.cmake runs it during the build). SCHEDFUZZ is built with an instrumented engine; this
# runs it over the bundled models the way users do, and merges the counts into OUT.
#
# Every engine path a user's run takes should be in the profile: a path it never saw is compiled
# as cold. So: every correct form under the random strategy in all three memory modes, PCT and the
# bounded search on each target, and failures found, minimized, saved and replayed (recording,
# abandoned executions, replay). Deterministic (seeded, fixed budgets): the same engine gives the
# same profile, so a rebuild that changes nothing recompiles nothing.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: tools/pgo_train.sh SCHEDFUZZ LLVM_PROFDATA OUT" >&2
  exit 2
fi
sf=$1
profdata=$2
out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LLVM_PROFILE_FILE="$work/%p.profraw"

# run ARGS...: a run that must end as its variant promises (0 pass, 1 the failure found).
run() {
  local rc=0
  "$sf" "$@" >"$work/log" 2>&1 || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "tools/pgo_train.sh: schedfuzz $* exited $rc:" >&2
    cat "$work/log" >&2
    exit 1
  fi
}

"$sf" list >"$work/list"
# TARGET VARIANT for the forms that must pass, and one bug variant per target for the failure path.
awk 'NR > 1 && $3 == "pass" { print $1, $2 }' "$work/list" >"$work/correct"
awk 'NR > 1 && $3 != "pass" && !seen[$1]++ { print $1, $2, $4 }' "$work/list" >"$work/bugs"
[ -s "$work/correct" ] && [ -s "$work/bugs" ] || { echo "tools/pgo_train.sh: schedfuzz list gave no targets" >&2; exit 1; }

while read -r target variant; do
  for memory in sc tso lkmm; do
    run run "$target" --variant "$variant" --memory "$memory" -n 20000 --out "$work/found"
  done
done <"$work/correct"
while read -r target; do
  run run "$target" --strategy pct --depth 3 -n 20000 --out "$work/found"
  run run "$target" --strategy bounded -n 20000 --out "$work/found"
done < <(cut -d' ' -f1 "$work/correct" | sort -u)
while read -r target variant memory; do
  run run "$target" --variant "$variant" --memory "$memory" -n 200000 --out "$work/found"
done <"$work/bugs"
for f in "$work"/found/*.sched; do
  [ -e "$f" ] && run replay "$f" --quiet
done

"$profdata" merge -o "$out" "$work"/*.profraw
