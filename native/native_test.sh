#!/usr/bin/env bash
# native/native_test.sh: the native backend's check. Usage: native_test.sh path/to/native_smoke [tsan]
# Every correct form runs clean on real threads; built with ThreadSanitizer (second argument "tsan"),
# no race is reported there, and the racy body's race is; built with AddressSanitizer, a read of a
# kfree'd block is reported.
set -u
NS=$1
tsan=${2:-}
source "$(dirname "${BASH_SOURCE[0]}")/../tests/check_lib.sh"

"$NS" 2000 >"$work/out" 2>"$work/err"; rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c 'no failure$' "$work/out")" -eq 7 ] && ! grep -q 'ThreadSanitizer' "$work/err"; then ok
else bad "correct forms on real threads: rc=$rc $(head -c 600 "$work/err")"; fi

if [ "$("$NS" sanitizer)" = asan ]; then
  "$NS" uaf >"$work/out" 2>"$work/err"; rc=$?
  if [ "$rc" -ne 0 ] && grep -q 'AddressSanitizer: use-after-poison' "$work/err"; then ok
  else bad "AddressSanitizer did not report the read of a kfree'd block: rc=$rc $(head -c 300 "$work/err")"; fi
fi
if [ "$tsan" = tsan ]; then
  TSAN_OPTIONS=halt_on_error=1 "$NS" race >"$work/out" 2>"$work/err"; rc=$?
  if [ "$rc" -ne 0 ] && grep -q 'WARNING: ThreadSanitizer: data race' "$work/err"; then ok
  else bad "ThreadSanitizer did not report the var<int> race: rc=$rc $(head -c 300 "$work/err")"; fi
fi
# A user's target on the native command line (examples/ticket_lock's ticket_lock_native).
TLN=$(dirname "$NS")/ticket_lock_native
if [ -x "$TLN" ]; then
  "$TLN" ticket_lock --executions 2000 >"$work/out" 2>"$work/err"; rc=$?
  if [ "$rc" -eq 0 ] && grep -q '^PASS ticket_lock correct native executions=2000$' "$work/out" && ! grep -q 'ThreadSanitizer' "$work/err"; then ok
  else bad "ticket_lock_native: rc=$rc $(head -c 300 "$work/err")"; fi
  for args in "" "nope" "ticket_lock --variant nope" "ticket_lock -n 0" "ticket_lock --bogus" "ticket_lock -n"; do
    # shellcheck disable=SC2086
    "$TLN" $args >"$work/out" 2>"$work/err"; rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && [ ! -s "$work/out" ]; then ok
    else bad "ticket_lock_native $args: rc=$rc, $(wc -l <"$work/err") lines on stderr"; fi
  done
else
  bad "examples/ticket_lock's ticket_lock_native was not built next to $NS"
fi
expect_usage() { "$NS" "$@" >/dev/null 2>"$work/err"; local rc=$?; if [ "$rc" -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ]; then ok; else bad "native_smoke $*: rc=$rc"; fi; }
expect_usage 0
expect_usage abc
expect_usage 1 2

summary native
