#!/usr/bin/env bash
# tools/test.sh: installs, builds and runs the whole test suite: the optimized build (full budgets:
# 1,000,000 executions per correct form and control), then the engine and models again under
# AddressSanitizer + UndefinedBehaviorSanitizer (budgets divided by 20), then the native backend's
# models on real threads under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh release
ctest --test-dir build -j "$(nproc)" --output-on-failure
bash tools/build.sh asan
# detect_stack_use_after_return=0: with it, ASan maps a fresh fake stack every time a fiber starts
# (once per model thread per execution), which made the suite 30x slower, nearly all in the kernel.
SF_TEST_SCALE_DOWN=20 ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=0 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan -j "$(nproc)" --output-on-failure
bash tools/build.sh tsan
bash native/native_test.sh build-tsan/native_smoke tsan
