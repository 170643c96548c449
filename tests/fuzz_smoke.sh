#!/usr/bin/env bash
# tests/fuzz_smoke.sh: each libFuzzer target finds a bug variant and runs its correct form clean.
# Usage: fuzz_smoke.sh build-dir
set -u
B=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
for bin in "$B"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  target=${name#fuzz_}
  # The correct form: a bounded run with no crash.
  if "$bin" --variant=correct -runs=20000 -seed=1 "$work" >"$work/log" 2>&1; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAILED: $name correct form crashed"; tail -n 5 "$work/log"; fi
  rm -f "$work"/* 2>/dev/null
done
# A bug variant of the vmalloc cache is found, and the crash file replays with a trace.
bin="$B/fuzz_vmalloc_cache"
if [ -x "$bin" ]; then
  mkdir -p "$work/corpus"
  "$bin" --variant=install_always -runs=2000000 -seed=1 -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1
  crash=$(ls "$work"/crash-* 2>/dev/null | head -n 1)
  if [ -n "$crash" ] && grep -q 'kind=stale_info' "$work/log"; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAILED: fuzz_vmalloc_cache did not find install_always"; tail -n 5 "$work/log"; fi
  if [ -n "$crash" ]; then
    "$bin" --variant=install_always "$crash" >"$work/rep" 2>&1
    if grep -q 'kind=stale_info' "$work/rep" && grep -q 'READ_ONCE' "$work/rep"; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAILED: running the crash file did not print the failure's trace"; fi
    # schedfuzz triage turns the crash file into a replayable schedule.
    if [ -x "$B/schedfuzz" ]; then
      "$B/schedfuzz" triage vmalloc_cache --variant install_always -o "$work/tri" "$crash" >"$work/tri.log" 2>&1
      sched=$(ls "$work/tri"/*.sched 2>/dev/null | head -n 1)
      if grep -q '^FAILURE kind=stale_info files=1 ' "$work/tri.log" && [ -n "$sched" ] &&
        "$B/schedfuzz" replay -q "$sched" | grep -q '^REPRODUCED vmalloc_cache install_always kind=stale_info'; then
        passed=$((passed + 1))
      else failed=$((failed + 1)); echo "FAILED: triage of the crash file"; cat "$work/tri.log"; fi
    fi
  fi
fi
# A fuzz target of one's own (examples/ticket_lock, on sf_fuzz): it finds a weak-memory bug, and its
# own command line triages the crash into a schedule that replays.
bin="$B/ticket_lock_fuzz"
if [ -x "$bin" ]; then
  mkdir -p "$work/tl_corpus"
  "$bin" --variant=relaxed_unlock --memory=lkmm -runs=2000000 -seed=1 -artifact_prefix="$work/tl-" "$work/tl_corpus" \
    >"$work/tl.log" 2>&1
  crash=$(ls "$work"/tl-crash-* 2>/dev/null | head -n 1)
  if [ -n "$crash" ] && grep -q 'FAIL ticket_lock relaxed_unlock memory=lkmm kind=lost_update' "$work/tl.log"; then
    passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAILED: ticket_lock_fuzz did not find relaxed_unlock"; tail -n 5 "$work/tl.log"; fi
  if [ -n "$crash" ] && [ -x "$B/ticket_lock" ]; then
    "$B/ticket_lock" triage ticket_lock --variant relaxed_unlock --memory lkmm -o "$work/tl_tri" "$crash" >"$work/tl_tri.log" 2>&1
    sched=$(ls "$work/tl_tri"/*.sched 2>/dev/null | head -n 1)
    if [ -n "$sched" ] && "$B/ticket_lock" replay -q "$sched" | grep -q '^REPRODUCED ticket_lock relaxed_unlock kind=lost_update'; then
      passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAILED: ticket_lock triage of its crash file"; cat "$work/tl_tri.log"; fi
  fi
else
  failed=$((failed + 1)); echo "FAILED: examples/ticket_lock's fuzz target was not built in $B"
fi
echo "fuzz_smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
