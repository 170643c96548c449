#!/usr/bin/env bash
# native/native_test.sh: the native backend's check. Usage: native_test.sh path/to/native_smoke [tsan]
# Every correct form runs clean on real threads; built with ThreadSanitizer (second argument "tsan"),
# no race is reported there, and the racy body's race is.
set -u
NS=$1
tsan=${2:-}
source "$(dirname "${BASH_SOURCE[0]}")/../tests/check_lib.sh"

"$NS" 2000 >"$work/out" 2>"$work/err"; rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c 'no failure$' "$work/out")" -eq 7 ] && ! grep -q 'ThreadSanitizer' "$work/err"; then ok
else bad "correct forms on real threads: rc=$rc $(head -c 600 "$work/err")"; fi

if [ "$tsan" = tsan ]; then
  TSAN_OPTIONS=halt_on_error=1 "$NS" race >"$work/out" 2>"$work/err"; rc=$?
  if [ "$rc" -ne 0 ] && grep -q 'WARNING: ThreadSanitizer: data race' "$work/err"; then ok
  else bad "ThreadSanitizer did not report the var<int> race: rc=$rc $(head -c 300 "$work/err")"; fi
fi
expect_usage() { "$NS" "$@" >/dev/null 2>"$work/err"; local rc=$?; if [ "$rc" -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ]; then ok; else bad "native_smoke $*: rc=$rc"; fi; }
expect_usage 0
expect_usage abc
expect_usage 1 2

summary native
