#!/usr/bin/env bash
# bench/run.sh: builds Release sf_bench, relacy_bench, the fuzz_* targets and an empty libFuzzer target, then runs bench/bench.py (table on stdout and in bench/results.md, data in bench/results.json).
#
#   bench/run.sh [--quick] [--reps N] [--build-dir DIR] [--no-build]
#
# --quick finishes in under 2 minutes, the full run in under 15 (2-core VM). BUILD_DIR defaults to
# <repo>/build-bench, a build directory of its own (the main build/ is left alone).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$repo/build-bench}"
cxx="${CXX_FOR_BENCH:-clang++-19}"
quick=""
reps=""
do_build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick="--quick" ;;
    --reps) reps="--reps $2"; shift ;;
    --build-dir) build="$2"; shift ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

for tool in cmake ninja "$cxx" python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done
if [[ ! -x /usr/bin/time ]]; then
  # GNU time reports the child's peak RSS (wait4's ru_maxrss) measured the same way for both tools.
  echo "run.sh: /usr/bin/time missing, installing GNU time" >&2
  (apt-get install -y time >/dev/null 2>&1 || sudo apt-get install -y time >/dev/null 2>&1) || true
fi

if [[ ! -f /usr/include/relacy/relacy.hpp ]]; then
  echo "run.sh: Relacy headers missing, installing relacy-dev" >&2
  (apt-get install -y relacy-dev >/dev/null 2>&1 || sudo apt-get install -y relacy-dev >/dev/null 2>&1) || true
fi

if [[ $do_build == 1 ]]; then
  # The engine is edited concurrently in the same tree: a broken build is retried a few times.
  mkdir -p "$build"
  for attempt in 1 2 3 4; do
    # shellcheck disable=SC2086  # $fuzz_targets is a list of target names
    if cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
         -DSF_BENCH=ON -DSF_FUZZERS=ON >"$build/bench-configure.log" 2>&1 \
       && fuzz_targets=$(ninja -C "$build" -t targets all | sed -n 's/^\(fuzz_[A-Za-z0-9_]*\): .*/\1/p' | sort -u | grep -v '^fuzz_driver$' || true) \
       && ninja -C "$build" sf_bench bench/relacy/relacy_bench $fuzz_targets >"$build/bench-build.log" 2>&1; then
      break
    fi
    if [[ $attempt == 4 ]]; then
      echo "run.sh: build failed, see $build/bench-build.log and $build/bench-configure.log" >&2
      tail -20 "$build/bench-build.log" >&2 || true
      exit 1
    fi
    echo "run.sh: build failed (attempt $attempt), retrying in 60 s" >&2
    sleep 60
  done
  empty_src="$here/empty_fuzz_target/empty_fuzz_target.cpp"
  empty_bin="$build/bench/empty_fuzz_target"
  if [[ ! -x "$empty_bin" || "$empty_src" -nt "$empty_bin" ]]; then
    mkdir -p "$build/bench"
    "$cxx" -O2 -fsanitize=fuzzer "$empty_src" -o "$empty_bin"
  fi
fi

# shellcheck disable=SC2086
exec python3 "$here/bench.py" --repo "$repo" --build "$build" --cxx "$cxx" $quick $reps
