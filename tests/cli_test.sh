#!/usr/bin/env bash
# tests/cli_test.sh: the schedfuzz command as a user meets it: bad arguments and bad schedule files
# give one line on stderr and exit 2; run and replay agree across processes.
# Usage: cli_test.sh path/to/schedfuzz source-dir
set -u
SF=$1
source "$(dirname "${BASH_SOURCE[0]}")/check_lib.sh"

# expect_usage DESCRIPTION -- COMMAND...: exit 2, exactly one line on stderr, nothing on stdout.
expect_usage() {
  local desc=$1; shift; shift
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  local lines
  lines=$(wc -l <"$work/err")
  if [ "$rc" -ne 2 ]; then bad "$desc: exit $rc, expected 2 ($(head -c 200 "$work/err"))"; return; fi
  if [ "$lines" -ne 1 ]; then bad "$desc: $lines lines on stderr, expected 1"; cat "$work/err"; return; fi
  if [ -s "$work/out" ]; then bad "$desc: wrote to stdout"; return; fi
  ok
}

expect_usage "no command" -- "$SF"
expect_usage "unknown command" -- "$SF" frobnicate
expect_usage "run without target" -- "$SF" run
expect_usage "unknown target" -- "$SF" run no_such_target
expect_usage "unknown variant" -- "$SF" run vmalloc_cache --variant nope
expect_usage "executions not a number" -- "$SF" run vmalloc_cache --executions abc
expect_usage "executions zero" -- "$SF" run vmalloc_cache --executions 0
expect_usage "unknown memory mode" -- "$SF" run vmalloc_cache --memory arm
expect_usage "negative seed" -- "$SF" run vmalloc_cache --seed -1
expect_usage "seed past 2^64 - 1 (not saturated)" -- "$SF" run vmalloc_cache --seed 18446744073709551616
expect_usage "seconds not a number" -- "$SF" run vmalloc_cache --seconds nan
expect_usage "progress not a number" -- "$SF" run vmalloc_cache --progress nan
expect_usage "unknown flag" -- "$SF" run vmalloc_cache --bogus
expect_usage "replay without file" -- "$SF" replay
expect_usage "replay missing file" -- "$SF" replay "$work/missing.sched"
expect_usage "replay a folder" -- "$SF" replay "$work"
if grep -q "a folder, not a schedule file" "$work/err"; then ok; else bad "replay a folder: $(cat "$work/err")"; fi
: >"$work/empty.sched"
expect_usage "replay empty file" -- "$SF" replay "$work/empty.sched"
head -c 4096 /dev/urandom >"$work/random.sched"
expect_usage "replay random bytes" -- "$SF" replay "$work/random.sched"
printf 'hello\nworld\n' >"$work/text.sched"
expect_usage "replay a text file" -- "$SF" replay "$work/text.sched"

# A real failing schedule, found in two separate processes: same file, same bytes.
"$SF" run vmalloc_cache --variant install_always --seed 7 --out "$work/a" >"$work/run1" 2>&1
rc1=$?
"$SF" run vmalloc_cache --variant install_always --seed 7 --out "$work/b" >"$work/run2" 2>&1
rc2=$?
if [ "$rc1" -eq 1 ] && [ "$rc2" -eq 1 ]; then ok; else bad "run of a bug variant: exit $rc1/$rc2, expected 1"; fi
f1=$(ls "$work"/a/*.sched 2>/dev/null | head -n 1)
f2=$(ls "$work"/b/*.sched 2>/dev/null | head -n 1)
if [ -n "$f1" ] && [ -n "$f2" ] && cmp -s "$f1" "$f2" && [ "$(basename "$f1")" = "$(basename "$f2")" ]; then ok
else bad "two processes with the same seed saved different schedules"; fi
if ls "$work"/a/*.tmp.* >/dev/null 2>&1; then bad "a temporary file was left behind"; else ok; fi

# Replay reproduces it, twice, with the same trace.
"$SF" replay "$f1" >"$work/rep1" 2>&1; r1=$?
"$SF" replay "$f1" >"$work/rep2" 2>&1; r2=$?
if [ "$r1" -eq 1 ] && [ "$r2" -eq 1 ] && grep -q '^REPRODUCED' "$work/rep1"; then ok; else bad "replay exit $r1/$r2, expected 1 and REPRODUCED"; fi
if cmp -s "$work/rep1" "$work/rep2"; then ok; else bad "two replays printed different traces"; fi
if grep -q 'READ_ONCE cache.used' "$work/rep1" && grep -q 'gen_counters.cpp:' "$work/rep1"; then ok
else bad "the trace lacks operations, locations or source lines"; fi

# A schedule of a format this build does not know; one saved by an older version (v1), which still
# replays exactly.
sed '1s/v[0-9]*$/v7/' "$f1" >"$work/future.sched"
expect_usage "replay a schedule of an unknown format version" -- "$SF" replay "$work/future.sched"
v1=$(ls "$2"/tests/fixtures/schedules_v1/*.sched | head -n 1)
"$SF" replay "$v1" >"$work/repv1" 2>&1; rv1=$?
if [ "$rv1" -eq 1 ] && grep -q '^REPRODUCED' "$work/repv1"; then ok; else bad "replay of a v1 schedule: exit $rv1, expected 1 and REPRODUCED"; fi

# Damaged copies of the real schedule.
n=$(wc -l <"$f1")
head -n $((n / 2)) "$f1" >"$work/trunc.sched"
expect_usage "replay truncated schedule" -- "$SF" replay "$work/trunc.sched"
head -n $((n - 1)) "$f1" >"$work/noend.sched"
expect_usage "replay schedule without end" -- "$SF" replay "$work/noend.sched"
sed 's/^T \([0-9]*\) 0$/X \1 0/' "$f1" >"$work/letter.sched"
expect_usage "replay unknown decision letter" -- "$SF" replay "$work/letter.sched"
sed 's/^T 3 0$/T 3 9/' "$f1" >"$work/range.sched"
if grep -q '^T 3 9$' "$work/range.sched"; then expect_usage "replay choice out of range" -- "$SF" replay "$work/range.sched"; fi
sed 's/^target .*/target nowhere/' "$f1" >"$work/target.sched"
expect_usage "replay unknown target" -- "$SF" replay "$work/target.sched"
sed 's/^memory .*/memory arm/' "$f1" >"$work/mem.sched"
expect_usage "replay unknown memory mode" -- "$SF" replay "$work/mem.sched"
# A schedule whose decisions no longer fit the execution: every option count changed.
awk '/^[TNRF] [0-9]+ [0-9]+$/ { $2 = $2 + 5 } { print }' "$f1" >"$work/diverge.sched"
expect_usage "replay diverging schedule" -- "$SF" replay "$work/diverge.sched"

# The correct form passes a small budget and says so in one line.
out=$("$SF" run vmalloc_cache --executions 2000 2>&1); rc=$?
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && [[ "$out" == PASS* ]]; then ok
else bad "run of the correct form: exit $rc, output: $out"; fi

# --keep-going: the whole budget, one saved schedule per distinct failure, a DONE line.
"$SF" run vmalloc_cache --variant install_not_equal --keep-going -n 100000 --out "$work/k" >"$work/kg"; rc=$?
fails=$(grep -c '^FAIL' "$work/kg")
files=$(ls "$work"/k/*.sched 2>/dev/null | wc -l)
if [ "$rc" -eq 1 ] && [ "$fails" -ge 1 ] && [ "$fails" -eq "$files" ] && grep -q '^DONE .*executions=100000 .*distinct_failures='"$fails" "$work/kg"; then ok
else bad "run --keep-going: exit $rc, $fails FAIL lines, $files files"; cat "$work/kg"; fi
"$SF" run vmalloc_cache --keep-going -n 3000 >"$work/kg2"; rc=$?
if [ "$rc" -eq 0 ] && grep -q '^DONE .*distinct_failures=0' "$work/kg2"; then ok; else bad "run --keep-going on the correct form: exit $rc"; fi

# list: one line per variant, every target has a 'correct' variant.
"$SF" list >"$work/list"; rc=$?
if [ "$rc" -eq 0 ] && grep -q '^vmalloc_cache  *correct  *pass' "$work/list"; then ok; else bad "list"; fi

# run --jobs: two processes (seeds 1 and 2), failures merged: one schedule per distinct failure,
# each of which replays; the totals add up.
"$SF" run vmalloc_cache --variant install_not_equal --jobs 2 -n 20000 -o "$work/jobs" >"$work/jobs.log" 2>&1; rc=$?
distinct=$(sed -n 's/.*distinct_failures=\([0-9]*\)$/\1/p' "$work/jobs.log")
files=$(ls "$work/jobs"/*.sched 2>/dev/null | wc -l)
fails=$(grep -c '^FAIL vmalloc_cache install_not_equal .*kind=stale_info' "$work/jobs.log")
if [ "$rc" -eq 1 ] && grep -q '^DONE vmalloc_cache install_not_equal strategy=random seeds=1..2 jobs=2 executions=40000 ' "$work/jobs.log" &&
  [ -n "$distinct" ] && [ "$distinct" -ge 1 ] && [ "$files" -eq "$distinct" ] && [ "$fails" -eq "$distinct" ]; then ok
else bad "run --jobs 2: rc=$rc distinct=$distinct files=$files fails=$fails $(cat "$work/jobs.log")"; fi
for f in "$work/jobs"/*.sched; do
  if "$SF" replay -q "$f" | grep -q '^REPRODUCED vmalloc_cache install_not_equal kind=stale_info'; then ok; else bad "replay of $f"; fi
done
"$SF" run vmalloc_cache --jobs 2 -n 5000 -o "$work/jobs_ok" >"$work/jobs_ok.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q 'jobs=2 executions=10000 .*distinct_failures=0$' "$work/jobs_ok.log"; then ok
else bad "run --jobs 2 on the correct form: rc=$rc $(cat "$work/jobs_ok.log")"; fi
expect_usage "zero jobs" -- "$SF" run vmalloc_cache --jobs 0

# triage: inputs (libFuzzer crash files are choice bytes) grouped by distinct failure, one minimized
# schedule saved per failure, which replays; bad inputs are usage errors.
mkdir -p "$work/tri"
printf '' >"$work/tri/crash-empty"          # the sequential run: no_vcache loses the wakeup
printf '\x00\x00\x00' >"$work/tri/crash-zeros"  # every choice the default: the same run
printf '\x01%.0s' $(seq 64) >"$work/tri/crash-ones"  # preempt at every point: it passes
"$SF" triage futex_vcache --variant no_vcache -o "$work/tri/out" "$work/tri/crash-empty" "$work/tri/crash-zeros" \
  "$work/tri/crash-ones" >"$work/tri/log" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q '^FAILURE kind=lost_wakeup files=2 ' "$work/tri/log" &&
  grep -q '^TRIAGE futex_vcache no_vcache memory=sc files=3 failing=2 passing=1 distinct_failures=1$' "$work/tri/log"; then ok
else bad "triage groups the inputs: rc=$rc $(cat "$work/tri/log")"; fi
sched=$(ls "$work/tri/out"/*.sched 2>/dev/null | head -n 1)
if [ -n "$sched" ] && "$SF" replay -q "$sched" | grep -q '^REPRODUCED futex_vcache no_vcache kind=lost_wakeup'; then ok
else bad "triage's saved schedule does not replay"; fi
"$SF" triage futex_vcache --variant correct "$work/tri/crash-empty" >"$work/tri/log2" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q 'distinct_failures=0$' "$work/tri/log2"; then ok; else bad "triage of a passing input: rc=$rc"; fi
# replay --html: the swimlane page, a lane per thread and an arrow per reads-from; written
# atomically, or a usage error.
seqlock=$(ls "$2"/corpus/regressions/vmalloc_cache/vmalloc_cache.seqlock_no_mb.lkmm.*.sched | head -n 1)
"$SF" replay -q "$seqlock" --html "$work/swim.html" >/dev/null 2>&1; rc=$?
lanes=$(grep -c 'class="lane"' "$work/swim.html" 2>/dev/null)
arrows=$(grep -c 'class="rf' "$work/swim.html" 2>/dev/null)
stale=$(grep -c 'class="rf stale"' "$work/swim.html" 2>/dev/null)
if [ "$rc" -eq 1 ] && [ "$lanes" -ge 4 ] && [ "$arrows" -ge 5 ] && [ "$stale" -ge 1 ] && grep -q 'kind=stale_info' "$work/swim.html"; then ok
else bad "replay --html: rc=$rc lanes=$lanes arrows=$arrows stale=$stale"; fi
expect_usage "replay --html into a missing folder" -- "$SF" replay "$seqlock" --html "$work/no/such/dir/x.html"
expect_usage "triage a missing file" -- "$SF" triage futex_vcache "$work/tri/missing"
expect_usage "triage a folder" -- "$SF" triage futex_vcache "$work/tri"
expect_usage "triage without files" -- "$SF" triage futex_vcache
expect_usage "triage unknown variant" -- "$SF" triage futex_vcache --variant nope "$work/tri/crash-empty"

# run --strategy bounded: the bug with the fewest preemptions, a schedule that replays; the correct
# form searched to the end; the bound flags only with it; no --jobs.
"$SF" run vmalloc_cache --variant split_halves --strategy bounded -o "$work/bnd" >"$work/bnd.log" 2>&1; rc=$?
sched=$(ls "$work/bnd"/*.sched 2>/dev/null | head -n 1)
if [ "$rc" -eq 1 ] && grep -q '^FAIL vmalloc_cache split_halves memory=sc strategy=bounded preemptions<=2 memory_choices<=2 kind=stale_info .*preemptions=1 (found with 1)' "$work/bnd.log" &&
  [ -n "$sched" ] && "$SF" replay -q "$sched" | grep -q '^REPRODUCED vmalloc_cache split_halves kind=stale_info'; then ok
else bad "run --strategy bounded on a bug: rc=$rc $(cat "$work/bnd.log")"; fi
"$SF" run mmu_notifier --strategy bounded >"$work/bnd2.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q '^PASS mmu_notifier correct memory=lkmm strategy=bounded .* search=complete within the bounds' "$work/bnd2.log"; then ok
else bad "run --strategy bounded on the correct form: rc=$rc $(cat "$work/bnd2.log")"; fi
"$SF" run mmu_notifier --strategy bounded -n 10 >"$work/bnd3.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q 'executions=10 .*search=incomplete' "$work/bnd3.log"; then ok
else bad "run --strategy bounded with a small budget: rc=$rc $(cat "$work/bnd3.log")"; fi
"$SF" run vmalloc_cache --variant narrow_signed --strategy bounded --preemptions 8 --memory-choices 8 >"$work/bnd4.log" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q 'search=complete (every execution of this scenario' "$work/bnd4.log"; then ok
else bad "run --strategy bounded to the end of the tree: rc=$rc $(cat "$work/bnd4.log")"; fi
"$SF" run vmalloc_cache --variant install_not_equal --strategy bounded --keep-going -o "$work/bnd5" >"$work/bnd5.log" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q '^DONE vmalloc_cache install_not_equal .*strategy=bounded .*distinct_failures=[1-9].* search=complete within the bounds' "$work/bnd5.log"; then ok
else bad "run --strategy bounded --keep-going: rc=$rc $(cat "$work/bnd5.log")"; fi
# run (random): after minimizing, a bounded search with one preemption fewer says whether the
# schedule's preemptions are the fewest; --no-minimize does not ask.
"$SF" run vmalloc_cache --variant split_halves -o "$work/few" >"$work/few.log" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q '^FAIL vmalloc_cache split_halves .* preemptions=1 (found with [0-9]*) fewest=yes schedule=' "$work/few.log"; then ok
else bad "run reports the fewest preemptions: rc=$rc $(cat "$work/few.log")"; fi
"$SF" run vmalloc_cache --variant split_halves --no-minimize -o "$work/few" >"$work/few2.log" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q ' fewest=unknown schedule=' "$work/few2.log"; then ok
else bad "run --no-minimize leaves the fewest unknown: rc=$rc $(cat "$work/few2.log")"; fi
# --progress: a heartbeat line on stderr for long runs (counted across --keep-going's slices), none
# with 0; the verdict stays the one line on stdout.
"$SF" run vmalloc_cache --seconds 1 --progress 0.3 -n 1000000000 >"$work/hb.out" 2>"$work/hb.err"; rc=$?
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$work/hb.out")" -eq 1 ] && grep -q '^PASS vmalloc_cache correct ' "$work/hb.out" &&
  [ "$(grep -c '^schedfuzz: vmalloc_cache correct: [0-9.]* s, [0-9]* executions' "$work/hb.err")" -ge 2 ]; then ok
else bad "run --progress: rc=$rc $(cat "$work/hb.out" "$work/hb.err")"; fi
"$SF" run vmalloc_cache --variant install_not_equal -k --seconds 1 --progress 0.3 -n 1000000000 -o "$work/hb" >/dev/null 2>"$work/hb2.err"
if [ "$(grep -c '^schedfuzz: vmalloc_cache install_not_equal: ' "$work/hb2.err")" -ge 2 ]; then ok
else bad "run --keep-going --progress: $(cat "$work/hb2.err")"; fi
"$SF" run vmalloc_cache --seconds 0.5 --progress 0 -n 1000000000 >/dev/null 2>"$work/hb3.err"
if [ ! -s "$work/hb3.err" ]; then ok; else bad "run --progress 0 wrote: $(cat "$work/hb3.err")"; fi
expect_usage "negative progress" -- "$SF" run vmalloc_cache --progress -1
expect_usage "preemptions without bounded" -- "$SF" run vmalloc_cache --preemptions 2
expect_usage "memory-choices without bounded" -- "$SF" run vmalloc_cache --strategy pct --memory-choices 1
expect_usage "seed with bounded" -- "$SF" run vmalloc_cache --strategy bounded --seed 3
expect_usage "depth without pct" -- "$SF" run vmalloc_cache --strategy bounded --depth 2
# run --strategy bounded --jobs 2: each job takes its share of the tree; together the whole search,
# a little more than one job's executions (those run by both), the failures merged.
one=$("$SF" run vmalloc_cache --variant rcu_calc_fixed --strategy bounded | sed -n 's/.* executions=\([0-9]*\) .*/\1/p')
"$SF" run vmalloc_cache --variant rcu_calc_fixed --strategy bounded --jobs 2 >"$work/bj.log" 2>&1; rc=$?
two=$(sed -n 's/.* executions=\([0-9]*\) .*/\1/p' "$work/bj.log")
if [ "$rc" -eq 0 ] && grep -q '^DONE vmalloc_cache rcu_calc_fixed strategy=bounded preemptions<=2 memory_choices<=2 jobs=2 .*distinct_failures=0 search=complete within the bounds' "$work/bj.log" &&
  [ -n "$one" ] && [ -n "$two" ] && [ "$two" -ge "$one" ] && [ "$two" -le $((one + one / 10)) ]; then ok
else bad "run --strategy bounded --jobs 2: rc=$rc one=$one two=$two $(cat "$work/bj.log")"; fi
"$SF" run vmalloc_cache --variant install_always --strategy bounded --jobs 2 -o "$work/bj2" >"$work/bj2.log" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q '^FAIL vmalloc_cache install_always .*kind=stale_info' "$work/bj2.log" &&
  grep -q '^DONE .*jobs=2 .*distinct_failures=[1-9]' "$work/bj2.log"; then ok
else bad "run --strategy bounded --jobs 2 on a bug: rc=$rc $(cat "$work/bj2.log")"; fi
expect_usage "preemptions out of range" -- "$SF" run vmalloc_cache --strategy bounded --preemptions 99
expect_usage "unknown strategy" -- "$SF" run vmalloc_cache --strategy dfs

# A program of one's own on the command-line library (examples/ticket_lock): its own targets, the
# same commands, its own name in messages.
TL=$(dirname "$SF")/ticket_lock
if [ -x "$TL" ]; then
  "$TL" list >"$work/tl_list" 2>&1
  if grep -q '^ticket_lock *relaxed_unlock *lost_update *lkmm' "$work/tl_list" && ! grep -q vmalloc_cache "$work/tl_list"; then ok
  else bad "ticket_lock list: $(head -c 300 "$work/tl_list")"; fi
  "$TL" run ticket_lock --variant relaxed_unlock -o "$work/tl" >"$work/tl_run" 2>&1; rc=$?
  tlf=$(ls "$work"/tl/ticket_lock.relaxed_unlock.lkmm.*.sched 2>/dev/null | head -n 1)
  if [ "$rc" -eq 1 ] && grep -q '^FAIL ticket_lock relaxed_unlock memory=lkmm .*kind=lost_update' "$work/tl_run" && [ -n "$tlf" ]; then ok
  else bad "ticket_lock run relaxed_unlock: rc=$rc $(head -c 300 "$work/tl_run")"; fi
  "$TL" replay "$tlf" >"$work/tl_rep" 2>&1; rc=$?
  if [ "$rc" -eq 1 ] && grep -q '^REPRODUCED ticket_lock relaxed_unlock kind=lost_update' "$work/tl_rep"; then ok
  else bad "ticket_lock replay: rc=$rc $(tail -c 300 "$work/tl_rep")"; fi
  "$TL" run ticket_lock --variant relaxed_unlock --memory tso >"$work/tl_tso" 2>&1; rc=$?
  if [ "$rc" -eq 0 ] && grep -q '^PASS ticket_lock relaxed_unlock memory=tso' "$work/tl_tso"; then ok
  else bad "ticket_lock relaxed_unlock under tso (x86 stores are releases): rc=$rc $(head -c 300 "$work/tl_tso")"; fi
  "$TL" run ticket_lock --strategy bounded >"$work/tl_b" 2>&1; rc=$?
  if [ "$rc" -eq 0 ] && grep -q 'search=complete' "$work/tl_b"; then ok; else bad "ticket_lock bounded: rc=$rc $(cat "$work/tl_b")"; fi
  expect_usage "ticket_lock: a bundled target is not its" -- "$TL" run vmalloc_cache
  if grep -q '^ticket_lock: unknown target' "$work/err"; then ok; else bad "ticket_lock's messages: $(cat "$work/err")"; fi
else
  bad "examples/ticket_lock was not built next to $SF"
fi

summary cli
