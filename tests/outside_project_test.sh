#!/usr/bin/env bash
# tests/outside_project_test.sh SOURCE_DIR CXX BUILD_TYPE: what the README promises a project of
# your own: add_subdirectory(schedfuzz) and link sf_cli. Builds examples/ticket_lock's model as an
# outside project (under link-time optimization its program must link the libraries' bitcode with
# the options sf_core passes on) and checks that its bug variant fails as it should.
set -euo pipefail
src=$1; cxx=$2; type=${3:-Release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src"/examples/ticket_lock/main.cpp "$src"/examples/ticket_lock/ticket_lock.cpp "$src"/examples/ticket_lock/ticket_lock.h "$work"/
cat >"$work/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.22)
project(outside CXX)
set(SF_TESTS OFF CACHE BOOL "" FORCE)
set(SF_BENCH OFF CACHE BOOL "" FORCE)
set(SF_FUZZERS OFF CACHE BOOL "" FORCE)
add_subdirectory("$src" schedfuzz)
add_executable(my_ticket main.cpp ticket_lock.cpp)
target_link_libraries(my_ticket PRIVATE sf_cli)
CMAKE
cmake -S "$work" -B "$work/build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE="$type" >"$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; echo "outside project: configure failed"; exit 1; }
cmake --build "$work/build" --target my_ticket >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; echo "outside project: build failed"; exit 1; }
out=$("$work/build/my_ticket" run ticket_lock --variant relaxed_unlock --out "$work/out" || true)
echo "$out"
grep -q "^FAIL ticket_lock relaxed_unlock .*kind=lost_update" <<<"$out" || { echo "outside project: expected lost_update"; exit 1; }
echo "outside project: OK"
