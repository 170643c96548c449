#!/usr/bin/env bash
# bench/profile.sh: callgrind profile of one sf_bench run (default: sb correct sc 20000 1): instructions per execution and per schedule point, top functions by inclusive and by self cost, and the page faults of the run.
#
#   bench/profile.sh [test form memory executions [seed]]    e.g. bench/profile.sh vmalloc_cache correct lkmm 5000
#
# Uses BUILD_DIR (default <repo>/build-bench): Release with -gdwarf-4 (the top CMakeLists adds it).
# Caveat for the inclusive list: callgrind sees a fiber switch as a call that never returns to the
# same context, so everything that runs on another fiber after sf_context_switch is charged to it
# and to its callers (fiber_switch, fiber_main, sf_context_start). The self list has no such bias.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$repo/build-bench}"
top="${TOP:-25}"
args=("${@:-}")
if [[ $# -eq 0 ]]; then args=(sb correct sc 20000 1); fi

command -v valgrind >/dev/null || { echo "profile.sh: valgrind not found (apt-get install valgrind)" >&2; exit 2; }
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" sf_bench >/dev/null 2>&1 || ninja -C "$build" sf_bench

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
json="$("$build/sf_bench" "${args[@]}" 2>/dev/null)"
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$build/sf_bench" "${args[@]}" >"$out/cg.json" 2>"$out/cg.log"
/usr/bin/time -o "$out/faults" -f '%R' "$build/sf_bench" "${args[@]}" >/dev/null 2>&1 || true
/usr/bin/time -o "$out/faults_idle" -f '%R' "$build/sf_bench" >/dev/null 2>&1 || true
faults="$(tail -1 "$out/faults" 2>/dev/null || echo '?')"
faults_idle="$(tail -1 "$out/faults_idle" 2>/dev/null || echo '?')"

python3 - "$out" "$json" "$faults" "$faults_idle" "$top" <<'EOF'
import json, re, subprocess, sys
out, native, faults, faults_idle, top = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
cg = json.load(open(f"{out}/cg.json"))

def annotate(inclusive):
    p = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100",
                        f"{out}/cg.out"], capture_output=True, text=True)
    rows, total = [], None
    for line in p.stdout.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)", line)
        if not m:
            continue
        ir, pct, fn = int(m.group(1).replace(",", "")), float(m.group(2)), m.group(3)
        if fn.startswith("PROGRAM TOTALS"):
            total = ir
            continue
        fn = re.sub(r" \[[^\]]*\]$", "", fn)           # the binary
        fn = re.sub(r"^[^:]*/(?=[^/]*:)", "", fn)        # the directory of the file
        fn = re.sub(r"\((?:[^()]|\([^()]*\))*\)", "()", fn)  # argument lists
        rows.append((ir, pct, fn[:150]))
    return total, rows

total, incl = annotate(True)
seen, dedup = set(), []
for row in incl:  # an inlined copy of a function shows up once more under its header: keep the first
    if row[2] not in seen:
        seen.add(row[2])
        dedup.append(row)
incl = dedup
_, self_ = annotate(False)
execs, steps = cg["iterations_run"], cg["steps"]
print(f"sf_bench {native['test']} {native['form']} {native['memory']}, {execs} executions: "
      f"natively {native['ns_per_point']:.1f} ns per schedule point, {native['exec_per_sec']:.0f} exec/s, "
      f"setup {native['setup_seconds'] * 1e3:.3f} ms")
print(f"callgrind: {total:,} instructions in all, {total / execs:,.0f} per execution, "
      f"{total / steps:,.0f} per schedule point ({steps / execs:.1f} points per execution)")
try:
    print(f"minor page faults: {int(faults):,} for this run, {int(faults_idle):,} for sf_bench printing its usage "
          f"(the difference is the Engine's memory and the fiber stacks, touched once)")
except ValueError:
    pass
print(f"\ntop {top} by inclusive cost (see the caveat in bench/profile.sh)")
for ir, pct, fn in incl[:top]:
    print(f"{ir:>14,} {pct:6.2f}%  {fn}")
print(f"\ntop {top} by self cost")
for ir, pct, fn in self_[:top]:
    print(f"{ir:>14,} {pct:6.2f}%  {fn}")
EOF
