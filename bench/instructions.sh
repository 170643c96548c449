#!/usr/bin/env bash
# bench/instructions.sh: instructions per execution of each correct test, schedfuzz (sc and lkmm)
# next to Relacy, counted by callgrind: a figure the machine's speed cannot move, unlike the
# executions per second of bench/run.sh.
#
#   bench/instructions.sh [--build-dir DIR]
#
# Each count is the difference between a run of 2N and a run of N executions, divided by N, so
# that process start and exit cancel out. Uses the binaries bench/run.sh builds (BUILD_DIR, default
# <repo>/build-bench), built if out of date. About 30 seconds once built.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$repo/build-bench}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "instructions.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind not found (apt-get install valgrind)" >&2; exit 2; }
[[ -f /usr/include/relacy/relacy.hpp ]] || { echo "instructions.sh: Relacy missing (apt-get install relacy-dev)" >&2; exit 2; }
# The Release configuration of bench/run.sh; only the two binaries.
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="${CXX_FOR_BENCH:-clang++-19}" -DCMAKE_BUILD_TYPE=Release \
    -DSF_BENCH=ON -DSF_FUZZERS=ON >/dev/null
fi
ninja -C "$build" sf_bench bench/relacy/relacy_bench >/dev/null

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Total instructions of one run under callgrind.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$@" >/dev/null 2>&1
  callgrind_annotate "$out/cg.out" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
# Instructions per execution: (count at 2n - count at n) / n. Arguments: n, then the command with
# the executions as the placeholder N.
per_execution() {
  local n="$1"; shift
  local one=("${@/#N/$n}") two=("${@/#N/$((2 * n))}")
  echo $(( ($(count "${two[@]}") - $(count "${one[@]}")) / n ))
}

echo "| test | schedfuzz sc | schedfuzz lkmm | Relacy (random) | Relacy / schedfuzz sc | Relacy / schedfuzz lkmm |"
echo "|---|---|---|---|---|---|"
for t in sb mp seqlock lost_update vmalloc_cache; do
  n=20000
  [[ $t == seqlock || $t == vmalloc_cache ]] && n=5000
  sc=$(per_execution "$n" "$build/sf_bench" "$t" correct sc N 1)
  lkmm=$(per_execution "$n" "$build/sf_bench" "$t" correct lkmm N 1)
  rl=$(per_execution "$n" "$build/bench/relacy/relacy_bench" "$t" correct random N 1)
  ratios=$(python3 -c "print(f'{$rl / $sc:.2f}x | {$rl / $lkmm:.2f}x')")
  echo "| $t | $sc | $lkmm | $rl | $ratios |"
done
