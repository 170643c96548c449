#!/usr/bin/env bash
# bench/switch_peers/run.sh: builds and runs switch_peers (needs libboost-context-dev) and prints its
# JSON line: ns per context switch for the hand-written switch, Boost.Context and swapcontext.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${TMPDIR:-/tmp}/switch_peers"
if [[ ! -f /usr/include/boost/context/fiber.hpp ]]; then
  echo "switch_peers/run.sh: Boost.Context missing, installing libboost-context-dev" >&2
  (apt-get install -y -qq libboost-context-dev >/dev/null 2>&1 || sudo apt-get install -y -qq libboost-context-dev >/dev/null 2>&1) || true
  [[ -f /usr/include/boost/context/fiber.hpp ]] || { echo "switch_peers/run.sh: Boost.Context not found (apt-get install libboost-context-dev)" >&2; exit 2; }
fi
clang++-19 -std=c++20 -O2 -I"$repo" -I"$repo/core/include" "$here/switch_peers.cpp" "$repo/core/src/fiber.cpp" \
  -lboost_context -o "$out"
"$out" "${1:-5000000}"
