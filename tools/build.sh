#!/usr/bin/env bash
# tools/build.sh [release|asan|tsan]: configures and builds schedfuzz into build/ (or build-asan/);
# tsan: only the native backend's native_smoke, into build-tsan/ (ThreadSanitizer cannot follow the
# engine's fibers, and has nothing to find there: the simulator runs one thread at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSF_SANITIZE=ON -DSF_BENCH=OFF) ;;
  tsan) dir=build-tsan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSF_SANITIZE_THREAD=ON -DSF_BENCH=OFF -DSF_FUZZERS=OFF -DSF_TESTS=OFF) ;;
  *) echo "tools/build.sh: unknown build kind '$kind' (release, asan, tsan)" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 "${flags[@]}" >/dev/null
if [ "$kind" = tsan ]; then
  cmake --build "$dir" -j "$(nproc)" --target native_smoke ticket_lock_native
else
  cmake --build "$dir" -j "$(nproc)"
fi
