#!/usr/bin/env bash
# tools/build.sh [release|asan]: configures and builds schedfuzz into build/ (or build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSF_SANITIZE=ON -DSF_BENCH=OFF) ;;
  *) echo "tools/build.sh: unknown build kind '$kind' (release, asan)" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
