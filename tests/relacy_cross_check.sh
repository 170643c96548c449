#!/usr/bin/env bash
# tests/relacy_cross_check.sh: schedfuzz and the Relacy Race Detector must agree on every shared
# test of bench/ (SB, MP, a seqlock, a lost update, the vmalloc cache; each written for both tools):
# each correct form passes and each bug form fails in both, each tool searching its whole tree within
# its bounds (schedfuzz: BoundedSource, at most 2 preemptions and 2 memory choices, under lkmm;
# Relacy: its context-bound scheduler). Under sc, schedfuzz must also pass the bug forms that need
# weak memory (SB, MP, seqlock), which Relacy, always weak, cannot show.
# Usage: relacy_cross_check.sh path/to/sf_bench path/to/relacy_bench
set -u
SF=$1
RL=$2
cap=100000000
passed=0
failed=0

field() { sed -n "s/.*\"$2\":\([a-z0-9]*\).*/\1/p" <<<"$1"; }

for t in sb mp seqlock lost_update vmalloc_cache; do
  for form in correct bug; do
    rl=$("$RL" "$t" "$form" bound "$cap" 2>/dev/null)
    sf=$("$SF" "$t" "$form" lkmm "$cap" 1 --strategy bounded 2>/dev/null)
    rl_failed=$(field "$rl" failed)
    rl_runs=$(field "$rl" iterations_run)
    sf_failed=$(field "$sf" failed)
    sf_complete=$(field "$sf" complete)
    sf_runs=$(field "$sf" iterations_run)
    want=$([ "$form" = bug ] && echo true || echo false)
    printf '%-14s %-8s schedfuzz bounded: failed=%-5s after %-7s (complete=%s)  Relacy bound: failed=%-5s after %s\n' \
      "$t" "$form" "$sf_failed" "$sf_runs" "$sf_complete" "$rl_failed" "$rl_runs"
    if [ -z "$rl_failed" ] || [ -z "$sf_failed" ]; then
      failed=$((failed + 1)); echo "FAILED: $t $form: a tool gave no verdict"; continue
    fi
    if [ "$sf_failed" != "$rl_failed" ] || [ "$sf_failed" != "$want" ]; then
      failed=$((failed + 1)); echo "FAILED: $t $form: the verdicts disagree (or are not the promised $want)"; continue
    fi
    # A pass counts only if each tool went through its whole tree.
    if [ "$want" = false ] && { [ "$sf_complete" != true ] || [ "$rl_runs" -ge "$cap" ]; }; then
      failed=$((failed + 1)); echo "FAILED: $t $form: a search did not complete"; continue
    fi
    passed=$((passed + 1))
  done
  case "$t" in sb | mp | seqlock)
    sc=$("$SF" "$t" bug sc "$cap" 1 --strategy bounded 2>/dev/null)
    if [ "$(field "$sc" failed)" = false ] && [ "$(field "$sc" complete)" = true ]; then passed=$((passed + 1))
    else failed=$((failed + 1)); echo "FAILED: $t bug under sc: $sc"; fi ;;
  esac
done
echo "relacy cross-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
