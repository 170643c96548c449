# bench/bench.py: runs sf_bench, relacy_bench and the libFuzzer targets side by side, takes medians, prints the Markdown table and writes bench/results.md and bench/results.json (called by bench/run.sh).
import argparse
import datetime
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

TESTS = ["sb", "mp", "seqlock", "lost_update", "vmalloc_cache"]
# Bug forms that only a weak memory model can show: schedfuzz's sc mode cannot fail on them.
WEAK_ONLY_BUGS = {"sb", "mp", "seqlock"}
BUG_NAMES = {
    "sb": "no smp_mb (Relacy: no seq_cst fence)",
    "mp": "relaxed flag",
    "seqlock": "no smp_wmb after seq odd",
    "lost_update": "load+store",
    "vmalloc_cache": "both_zero",
}
RSS_TESTS = ["sb", "vmalloc_cache"]  # --quick: sb only
RSS_SMALL, RSS_LARGE = 1_000, 1_000_000
NS_GOAL = 15.0  # ns per schedule point, sc, SB and MP
EXEC_GOAL = 3.0  # exec/s ratio schedfuzz / Relacy
# sf_bench core: rounds of 8 additions (dependent, then in 4 chains) before each exec/s repetition (about 20 ms).
CORE_ROUNDS = 4_000_000
LKMM_COST_GOAL = 2.0  # time per execution, lkmm / sc, same run
MODES = ("sc", "tso", "lkmm")  # schedfuzz memory modes measured on the correct forms
EXEC_GOAL_MODES = ("sc", "lkmm")  # the exec/s goal names these two (Relacy has no TSO mode to match tso)
STRATEGIES = ("random", "pct", "bounded")  # schedfuzz's ChoiceSources for the first failure
PCT_DEPTH = 3
BOUNDED_CAP = 100_000_000  # both bounded searches run to the end of their tree well within it
RSS_GOAL_KIB = 1024

FULL = dict(
    reps=5,
    # exec/s and ns per point, the goals' figures: a process's rate moves by up to 15% from one run
    # to the next on these VMs (schedfuzz's more than Relacy's), so their medians take more runs.
    exec_reps=11,
    exec_n={"sb": 1_000_000, "mp": 1_000_000, "seqlock": 500_000, "lost_update": 1_000_000, "vmalloc_cache": 200_000},
    switch_n=20_000_000,
    parts_n=2_000_000,
    ttff_cap=1_000_000,
    seeds=20,
    fuzz_runs=300_000,
    rss_tests=RSS_TESTS,
)
QUICK = dict(
    reps=3,
    exec_reps=3,
    exec_n={k: v // 10 for k, v in FULL["exec_n"].items()},
    switch_n=2_000_000,
    parts_n=200_000,
    ttff_cap=100_000,
    seeds=20,
    fuzz_runs=100_000,
    rss_tests=["sb"],
)

TIMEOUT = 600


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def last_json(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError("no JSON line in output:\n" + text[-2000:])


def run_json(cmd, rss=False):
    """Runs cmd, returns its JSON line; with rss=True also the child's peak RSS (GNU time, wait4 ru_maxrss)."""
    full = (["/usr/bin/time", "-f", "SFBENCH_MAXRSS_KIB %M"] + cmd) if rss else cmd
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(full, capture_output=True, text=True, timeout=TIMEOUT)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr[-2000:]}")
    d = last_json(p.stdout)
    # CPU time of the whole child process (startup included), measured the same way for both tools.
    d["child_cpu_seconds"] = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    if rss:
        m = re.search(r"SFBENCH_MAXRSS_KIB (\d+)", p.stderr)
        d["child_maxrss_kib"] = int(m.group(1)) if m else None
    return d


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_rate(x):
    if x is None:
        return "n/a"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M/s"
    if x >= 1e3:
        return f"{x / 1e3:.0f} k/s"
    return f"{x:.0f} /s"


def fmt_ms(s):
    if s is None or math.isinf(s):
        return "not found"
    ms = s * 1e3
    return f"{ms:.3f} ms" if ms < 10 else f"{ms:.1f} ms"


def fmt_ratio(r):
    if r is None or math.isnan(r) or math.isinf(r):
        return "n/a"
    return f"{r:.2f}x" if r < 100 else f"{r:.0f}x"


def fmt_mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.2f} MiB"


def fmt_exec(n):
    if n is None or math.isinf(n):
        return "none"
    return f"{n:g}"


def verdict(ok_wall, ok_cpu):
    """The goal's verdict by the figure it names (wall time), with the CPU-time verdict when it differs."""
    v = "PASS" if ok_wall else "MISS"
    if ok_cpu != ok_wall:
        v += f" ({'PASS' if ok_cpu else 'MISS'} by CPU time)"
    return v


def link_time_optimized(build):
    """Whether the bench build was link-time optimized (the top CMakeLists' SF_HAVE_LLD_LTO check)."""
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            return any(l.strip() == "SF_HAVE_LLD_LTO:INTERNAL=1" for l in f)
    except OSError:
        return False


def profile_guided(build):
    """Whether sf_core was built with a trained profile (cmake/pgo.cmake leaves engine.profdata)."""
    return os.path.isfile(os.path.join(build, "engine.profdata"))


def machine_info(repo, cxx, build):
    # The model name alone can be generic under a hypervisor ("Intel(R) Xeon(R) Processor"): the
    # family and model numbers tell the microarchitecture apart.
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break  # the first processor's fields
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = fields.get("model name", "unknown")
    if "cpu family" in fields and "model" in fields:
        cpu += f" (family {fields['cpu family']}, model {fields['model']})"
    try:
        compiler = subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        compiler = cxx
    commit, dirty = None, None
    try:  # read-only: no index refresh, no lock
        commit = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip() or None
        st = subprocess.run(["git", "--no-optional-locks", "-C", repo, "status", "--porcelain"],
                            capture_output=True, text=True).stdout
        # The outputs of an earlier run (results.md, results.json) are not a change to what is measured.
        outputs = {"bench/results.md", "bench/results.json"}
        dirty = sorted({l[3:].split("/")[0] for l in st.splitlines() if l.strip() and l[3:] not in outputs})
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "kernel": os.uname().release,
        "compiler": compiler,
        "lto": link_time_optimized(build),
        "pgo": profile_guided(build),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "commit": commit,
        "uncommitted_changes_in": dirty,
        "loadavg_start": list(os.getloadavg()),
    }


class Bench:
    def __init__(self, args):
        self.cfg = dict(QUICK if args.quick else FULL)
        if args.reps:
            self.cfg["reps"] = self.cfg["exec_reps"] = args.reps
        self.mode = "quick" if args.quick else "full"
        self.build = args.build
        self.sf = os.path.join(args.build, "sf_bench")
        self.rl = os.path.join(args.build, "bench", "relacy", "relacy_bench")
        self.empty = os.path.join(args.build, "bench", "empty_fuzz_target")
        self.fuzzers = sorted(
            os.path.join(args.build, f) for f in os.listdir(args.build)
            if f.startswith("fuzz_") and os.path.isfile(os.path.join(args.build, f))
            and os.access(os.path.join(args.build, f), os.X_OK))
        for b in (self.sf, self.rl):
            if not os.access(b, os.X_OK):
                sys.exit(f"bench.py: {b} not built (run bench/run.sh)")
        self.runs = []  # every raw measurement, for results.json
        self.rows = []  # table rows

    def record(self, kind, rep, d):
        d = dict(d)
        d["kind"], d["rep"] = kind, rep
        self.runs.append(d)
        return d

    # ---- executions per second and ns per schedule point, correct forms
    def exec_rate(self):
        reps = self.cfg["exec_reps"]
        sf = {(t, m): [] for t in TESTS for m in MODES}
        rl = {t: [] for t in TESTS}
        self.core = []  # the core before each repetition (sf_bench core: clock, additions per cycle)
        for rep in range(reps):
            log(f"exec/s: repetition {rep + 1}/{reps}")
            self.core.append(self.record("core", rep, run_json([self.sf, "core", str(CORE_ROUNDS)])))
            for t in TESTS:
                n = str(self.cfg["exec_n"][t])
                # The three modes back to back, so that a repetition's ratios see the same machine load.
                for m in MODES:
                    sf[(t, m)].append(self.record("exec", rep, run_json([self.sf, t, "correct", m, n, str(rep + 1)])))
                rl[t].append(self.record("exec", rep, run_json([self.rl, t, "correct", "random", n, str(rep)])))
        for t in TESTS:
            for d in [d for m in MODES for d in sf[(t, m)]] + rl[t]:
                if d["failed"]:
                    raise RuntimeError(f"correct form failed: {d}")
        for m in MODES:
            for t in TESTS:
                s = med([d["exec_per_sec"] for d in sf[(t, m)]])
                r = med([d["exec_per_sec"] for d in rl[t]])
                ratio = s / r
                sc_ = med([d["iterations_run"] / d["child_cpu_seconds"] for d in sf[(t, m)]])
                rc_ = med([d["iterations_run"] / d["child_cpu_seconds"] for d in rl[t]])
                ratio_cpu = sc_ / rc_
                goal = m in EXEC_GOAL_MODES
                self.rows.append(dict(
                    figure="exec/s, correct form, random", test=t, mode=f"{m} vs random",
                    schedfuzz=fmt_rate(s), relacy=fmt_rate(r), ratio=fmt_ratio(ratio),
                    cpu=f"{fmt_ratio(ratio_cpu)} ({fmt_rate(sc_)} vs {fmt_rate(rc_)})",
                    goal=f">= {EXEC_GOAL:g}x" if goal else "—",
                    result=verdict(ratio >= EXEC_GOAL, ratio_cpu >= EXEC_GOAL) if goal else "—",
                    values=dict(schedfuzz=s, relacy=r, ratio=ratio, schedfuzz_cpu=sc_, relacy_cpu=rc_,
                                ratio_cpu=ratio_cpu, n=int(self.cfg["exec_n"][t]))))
        self.points = {}
        for m in MODES:
            for t in TESTS:
                ns = med([d["ns_per_point"] for d in sf[(t, m)]])
                ns_cpu = med([d["ns_per_point_cpu"] for d in sf[(t, m)]])
                per_exec = med([d["points"] / d["iterations_run"] for d in sf[(t, m)]])
                self.points[(t, m)] = ns
                goal = m == "sc" and t in ("sb", "mp")
                self.rows.append(dict(
                    figure="ns per schedule point", test=t, mode=m,
                    schedfuzz=f"{ns:.1f} ns ({per_exec:.1f} points/exec)", relacy="—", ratio="—",
                    cpu=f"{ns_cpu:.1f} ns", goal=f"<= {NS_GOAL:g} ns" if goal else "—",
                    result=verdict(ns <= NS_GOAL, ns_cpu <= NS_GOAL) if goal else "—",
                    values=dict(ns_per_point=ns, ns_per_point_cpu=ns_cpu, points_per_exec=per_exec)))
        # Cost of a memory model: time per execution in that mode / time per execution in sc, paired
        # by repetition (the runs of one repetition are back to back), median over the repetitions.
        for t in TESTS:
            per = {m: [d["seconds"] / d["iterations_run"] for d in sf[(t, m)]] for m in MODES}
            per_cpu = {m: [d["child_cpu_seconds"] / d["iterations_run"] for d in sf[(t, m)]] for m in MODES}
            pairs = {m: [a / b for a, b in zip(per[m], per["sc"])] for m in MODES}
            ratio = {m: med(pairs[m]) for m in MODES}
            ratio_cpu = {m: med([a / b for a, b in zip(per_cpu[m], per_cpu["sc"])]) for m in MODES}
            ns_exec = {m: med(per[m]) * 1e9 for m in MODES}
            self.rows.append(dict(
                figure="cost per execution vs sc, correct form, random", test=t, mode="lkmm/sc, tso/sc",
                schedfuzz=(f"lkmm/sc {fmt_ratio(ratio['lkmm'])} (repetitions {min(pairs['lkmm']):.2f}-"
                           f"{max(pairs['lkmm']):.2f}), tso/sc {fmt_ratio(ratio['tso'])} (repetitions "
                           f"{min(pairs['tso']):.2f}-{max(pairs['tso']):.2f}); median per execution: sc "
                           f"{ns_exec['sc']:.0f} ns, tso {ns_exec['tso']:.0f} ns, lkmm {ns_exec['lkmm']:.0f} ns"),
                relacy="—", ratio="—",
                cpu=f"lkmm/sc {fmt_ratio(ratio_cpu['lkmm'])}, tso/sc {fmt_ratio(ratio_cpu['tso'])}",
                goal=f"lkmm <= {LKMM_COST_GOAL:g}x sc",
                result=verdict(ratio["lkmm"] <= LKMM_COST_GOAL, ratio_cpu["lkmm"] <= LKMM_COST_GOAL),
                values=dict(lkmm_over_sc=ratio["lkmm"], tso_over_sc=ratio["tso"],
                            lkmm_over_sc_per_rep=pairs["lkmm"], tso_over_sc_per_rep=pairs["tso"],
                            lkmm_over_sc_cpu=ratio_cpu["lkmm"], tso_over_sc_cpu=ratio_cpu["tso"],
                            ns_per_exec={m: ns_exec[m] for m in MODES})))

    # ---- nanosecond figures of sf_bench with no peer: medians over repetitions, wall and CPU time
    def ns_rows(self, figure, kind, argv, labels):
        reps = self.cfg["reps"]
        ds = []
        for rep in range(reps):
            log(f"{figure}: repetition {rep + 1}/{reps}")
            ds.append(self.record(kind, rep, run_json(argv)))
        for key, label in labels:
            v = med([d[key] for d in ds])
            vc = med([d[key + "_cpu"] for d in ds])
            self.rows.append(dict(figure=figure, test=label, mode="sc", schedfuzz=f"{v:.1f} ns",
                                  relacy="—", ratio="—", cpu=f"{vc:.1f} ns", goal="—", result="—",
                                  values={key: v, key + "_cpu": vc}))

    # ---- the fiber switch alone, and what a small test's time per execution is made of
    def switch(self):
        self.ns_rows("fiber switch", "switch", [self.sf, "switch", str(self.cfg["switch_n"])],
                     (("raw_fiber_switch_ns", "raw fiber_switch (core/src/fiber.h), no engine"),
                      ("fresh_round_trip_enter_ns", "round trip from 8 calls deep into a fresh fiber that ends, "
                       "started by a call (fiber_enter, as the engine starts threads)"),
                      ("fresh_round_trip_switch_ns", "the same round trip, started on a laid-out stack and "
                       "ended by a switch (Fiber::init, fiber_switch)"),
                      ("cpu_relax_ns_per_point", "2 threads handing over with cpu_relax()"),
                      ("preempt_ns_per_point", "2 threads, forced preemption at every point")))
        # sf_bench parts: each figure is the difference from an execution without it, per item.
        self.ns_rows("parts of an execution", "parts", [self.sf, "parts", str(self.cfg["parts_n"])],
                     (("empty_execution_ns", "an empty execution (reset, choice source, thread 0 on the caller's stack)"),
                      ("location_ns", "each shared location created"),
                      ("spawn_join_ns", "each thread spawned, run (empty) and joined"),
                      ("lone_access_ns", "each marked access with no other thread (a point without a decision)")))

    # ---- time and executions to the first failure, bug forms
    def ttff(self):
        cap, seeds = self.cfg["ttff_cap"], self.cfg["seeds"]
        for t in TESTS:
            log(f"time to first failure: {t} ({seeds} seeds)")
            modes = ["lkmm"] + ([] if t in WEAK_ONLY_BUGS else ["sc"])
            # Every configuration of both tools runs once per seed, seed after seed (interleaved), so
            # that a change in the machine's speed during the phase reaches both tools alike.
            configs = {}
            for m in modes:
                for st in STRATEGIES:
                    extra = ["--strategy", st] + (["--depth", str(PCT_DEPTH)] if st == "pct" else [])
                    configs[("sf", m, st)] = lambda s, m=m, extra=extra: [self.sf, t, "bug", m, str(cap), str(s)] + extra
            for sched in ("random", "bound"):
                configs[("rl", sched)] = lambda s, sched=sched: [self.rl, t, "bug", sched, str(cap), str(s)]
            res = {k: [] for k in configs}
            for s in range(1, seeds + 1):
                for k, argv in configs.items():
                    res[k].append(self.record("ttff", s, run_json(argv(s))))

            def summary(ds, key="seconds"):
                # A seed that never fails within the cap counts as infinitely slow.
                secs = med([d[key] if d["failed"] else math.inf for d in ds])
                execs = med([d["iteration_of_failure"] if d["failed"] else math.inf for d in ds])
                found = sum(1 for d in ds if d["failed"])
                return secs, execs, found

            def best_of(sums):  # fastest median time, then fewest executions
                return min(sums, key=lambda k: (sums[k][0], sums[k][1]))

            rl_sum = {s: summary(res[("rl", s)]) for s in ("random", "bound")}
            best = best_of(rl_sum)
            b_secs, b_execs, b_found = rl_sum[best]
            other = "bound" if best == "random" else "random"
            o_secs, o_execs, o_found = rl_sum[other]
            for m in modes:
                sf_sum = {st: summary(res[("sf", m, st)]) for st in STRATEGIES}
                loops = {st: summary(res[("sf", m, st)], "explore_seconds")[0] for st in STRATEGIES}
                sbest = best_of(sf_sum)
                sorder = [sbest] + [st for st in STRATEGIES if st != sbest]
                secs, execs, found = sf_sum[sbest]
                ratio_t = secs / b_secs if not math.isinf(secs) else math.inf
                ratio_e = execs / b_execs if not math.isinf(execs) else math.inf
                names = {d["failure"] for st in STRATEGIES for d in res[("sf", m, st)] if d["failed"]}
                label = {"random": "random", "pct": f"pct d={PCT_DEPTH}", "bounded": "bounded P<=2 M<=2"}
                self.rows.append(dict(
                    figure="time to 1st failure (median of seeds)", test=f"{t} bug ({BUG_NAMES[t]})",
                    mode=f"{m}, schedfuzz {label[sbest]} vs Relacy {best}",
                    schedfuzz="; ".join(
                        f"{label[st]}: {fmt_ms(sf_sum[st][0])} (loop {fmt_ms(loops[st])}), found {sf_sum[st][2]}/{seeds}"
                        for st in sorder),
                    relacy=f"{best}: {fmt_ms(b_secs)}, found {b_found}/{seeds}; {other}: {fmt_ms(o_secs)}, found {o_found}/{seeds}",
                    ratio=fmt_ratio(ratio_t), goal="best <= 1x Relacy's best",
                    result="PASS" if ratio_t <= 1.0 else "MISS",
                    values=dict(schedfuzz_best=sbest, schedfuzz_seconds=secs, found=found,
                                **{f"schedfuzz_{st}_seconds": sf_sum[st][0] for st in STRATEGIES},
                                **{f"schedfuzz_{st}_loop_seconds": loops[st] for st in STRATEGIES},
                                **{f"schedfuzz_{st}_found": sf_sum[st][2] for st in STRATEGIES},
                                pct_depth=PCT_DEPTH, relacy_best=best, relacy_random_seconds=rl_sum["random"][0],
                                relacy_bound_seconds=rl_sum["bound"][0], ratio=ratio_t, cap=cap,
                                failure_names=sorted(names))))
                self.rows.append(dict(
                    figure="executions to 1st failure (median of seeds)", test=f"{t} bug",
                    mode=f"{m}, schedfuzz {label[sbest]} vs Relacy {best}",
                    schedfuzz="; ".join(f"{label[st]}: {fmt_exec(sf_sum[st][1])}" for st in sorder),
                    relacy=f"{best}: {fmt_exec(b_execs)}; {other}: {fmt_exec(o_execs)}",
                    ratio=fmt_ratio(ratio_e), goal="—", result="—",
                    values=dict(schedfuzz=execs, **{f"schedfuzz_{st}": sf_sum[st][1] for st in STRATEGIES},
                                relacy_random=rl_sum["random"][1], relacy_bound=rl_sum["bound"][1], ratio=ratio_e)))

    # ---- the bounded searches to completion, correct forms: schedfuzz's BoundedSource (lkmm) and
    # Relacy's context-bound scheduler at the same preemption bound, each through its whole tree;
    # verdicts must agree (tests/relacy_cross_check.sh asserts it). Relacy explores every memory
    # choice (its bound counts preemptions only); schedfuzz bounds them too (M, 2 by default, as
    # its CLI), so P<=1 is also run with M unbounded. Deterministic: the executions are the same
    # every repetition, only the time varies.
    BOUNDED_CONFIGS = (  # (preemptions, schedfuzz memory-choice bound)
        (1, "2"), (1, "inf"), (2, "2"))

    def bounded(self):
        reps = self.cfg["reps"]
        for t in TESTS:
            for p, m in self.BOUNDED_CONFIGS:
                log(f"bounded search to completion: {t} P<={p} M<={m}")
                sf, rl = [], []
                for rep in range(reps):
                    sf.append(self.record("bounded", rep, run_json(
                        [self.sf, t, "correct", "lkmm", str(BOUNDED_CAP), "1", "--strategy", "bounded",
                         "--preemptions", str(p), "--memory-choices", m])))
                    rl.append(self.record("bounded", rep, run_json(
                        [self.rl, t, "correct", f"bound={p}", str(BOUNDED_CAP)])))
                sf_secs, rl_secs = med([d["seconds"] for d in sf]), med([d["seconds"] for d in rl])
                sf_n, rl_n = sf[0]["iterations_run"], rl[0]["iterations_run"]
                complete = all(d["complete"] and not d["failed"] for d in sf)
                agree = all(not d["failed"] for d in rl) and complete
                mlabel = "M unbounded" if m == "inf" else f"M<={m}"
                self.rows.append(dict(
                    figure="bounded search to completion, correct form", test=t,
                    mode=f"lkmm, schedfuzz bounded P<={p} {mlabel} vs Relacy bound={p}",
                    schedfuzz=f"{fmt_ms(sf_secs)}, {sf_n:,} executions ({fmt_rate(sf_n / sf_secs if sf_secs else 0)})"
                              + ("" if complete else " INCOMPLETE"),
                    relacy=f"{fmt_ms(rl_secs)}, {rl_n:,} executions",
                    ratio=fmt_ratio(sf_secs / rl_secs if rl_secs else math.nan), goal="—",
                    result="both pass" if agree else "DISAGREE",
                    values=dict(preemptions=p, memory_choices=m, schedfuzz_seconds=sf_secs,
                                relacy_seconds=rl_secs, schedfuzz_executions=sf_n, relacy_executions=rl_n,
                                complete=complete, agree=agree)))

    # ---- peak RSS after 1,000 and 1,000,000 executions, separate processes
    def rss(self):
        reps = self.cfg["reps"]
        tests = self.cfg["rss_tests"]
        sf = {(t, m, n): [] for t in tests for m in ("sc", "lkmm") for n in (RSS_SMALL, RSS_LARGE)}
        rl = {(t, n): [] for t in tests for n in (RSS_SMALL, RSS_LARGE)}
        for rep in range(reps):
            log(f"peak RSS: repetition {rep + 1}/{reps}")
            for t in tests:
                for n in (RSS_SMALL, RSS_LARGE):
                    for m in ("sc", "lkmm"):
                        sf[(t, m, n)].append(self.record(
                            "rss", rep, run_json([self.sf, t, "correct", m, str(n), str(rep + 1)], rss=True)))
                    rl[(t, n)].append(self.record(
                        "rss", rep, run_json([self.rl, t, "correct", "random", str(n), str(rep)], rss=True)))
        for t in tests:
            r1 = med([d["child_maxrss_kib"] for d in rl[(t, RSS_SMALL)]])
            r2 = med([d["child_maxrss_kib"] for d in rl[(t, RSS_LARGE)]])
            for m in ("sc", "lkmm"):
                s1 = med([d["child_maxrss_kib"] for d in sf[(t, m, RSS_SMALL)]])
                s2 = med([d["child_maxrss_kib"] for d in sf[(t, m, RSS_LARGE)]])
                h2 = med([d["vmhwm_kib"] for d in sf[(t, m, RSS_LARGE)]])
                ok = None if s1 is None or s2 is None else (s2 - s1) < RSS_GOAL_KIB
                self.rows.append(dict(
                    figure="peak RSS, 1k -> 1M executions", test=t, mode=f"{m} vs random",
                    schedfuzz=f"{fmt_mib(s1)} -> {fmt_mib(s2)} ({(s2 - s1):+.0f} KiB; VmHWM {fmt_mib(h2)})",
                    relacy=f"{fmt_mib(r1)} -> {fmt_mib(r2)} ({(r2 - r1):+.0f} KiB)",
                    ratio=fmt_ratio(s2 / r2) if r2 else "n/a", goal="growth < 1 MiB",
                    result="n/a" if ok is None else ("PASS" if ok else "MISS"),
                    values=dict(schedfuzz_1k_kib=s1, schedfuzz_1m_kib=s2, schedfuzz_vmhwm_1m_kib=h2,
                                relacy_1k_kib=r1, relacy_1m_kib=r2)))

    # ---- libFuzzer executions per second, every fuzz target, and an empty target as the ceiling
    def libfuzzer(self):
        reps, runs = self.cfg["reps"], self.cfg["fuzz_runs"]
        configs = [("empty_fuzz_target", [self.empty], "—")]
        for f in self.fuzzers:
            for m in ("sc", "lkmm"):
                configs.append((os.path.basename(f) + " --variant=correct", [f, "--variant=correct", f"--memory={m}"], m))
        rates = {c[0] + c[2]: [] for c in configs}
        with tempfile.TemporaryDirectory(prefix="sf_bench_fuzz_") as tmp:
            for rep in range(reps):
                log(f"libFuzzer: repetition {rep + 1}/{reps}")
                for name, cmd, m in configs:
                    if not os.access(cmd[0], os.X_OK):
                        continue
                    full = cmd + [f"-runs={runs}", f"-seed={rep + 1}", "-print_final_stats=1"]
                    t0 = time.perf_counter()
                    p = subprocess.run(full, cwd=tmp, capture_output=True, text=True, timeout=TIMEOUT)
                    wall = time.perf_counter() - t0
                    if p.returncode != 0 or f"Done {runs} runs" not in p.stderr:
                        raise RuntimeError(f"{' '.join(full)} exited {p.returncode}:\n{p.stderr[-2000:]}")
                    rate = runs / wall
                    rates[name + m].append(rate)
                    self.record("libfuzzer", rep, dict(tool="libfuzzer", binary=name, memory=m, runs=runs,
                                                      wall_seconds=wall, exec_per_sec=rate))
        ceiling = med(rates["empty_fuzz_target—"])
        for name, _, m in configs:
            v = med(rates[name + m])
            self.rows.append(dict(
                figure="libFuzzer exec/s (runs / wall time)", test=name, mode=m,
                schedfuzz=f"{fmt_rate(v)}" + ("" if name == "empty_fuzz_target" or not ceiling
                                              else f" ({100 * v / ceiling:.1f}% of the empty target)"),
                relacy="—", ratio="—", goal="—", result="—", values=dict(exec_per_sec=v, ceiling=ceiling, runs=runs)))

    def goals(self):
        def overall(pred):
            rs = [r["result"] for r in self.rows if pred(r) and r["result"] != "—"]
            wall = bool(rs) and all(x.startswith("PASS") for x in rs)
            cpu = bool(rs) and all((x.startswith("PASS") and "MISS by CPU" not in x) or "PASS by CPU" in x
                                   for x in rs)
            return verdict(wall, cpu)
        return [
            ("exec/s >= 3x Relacy's on every shared correct test (sc and lkmm)",
             overall(lambda r: r["figure"].startswith("exec/s"))),
            (f"lkmm costs at most {LKMM_COST_GOAL:g}x sc per execution on every correct test",
             overall(lambda r: r["figure"].startswith("cost per execution"))),
            ("<= 15 ns per schedule point in sc on SB and MP",
             overall(lambda r: r["figure"] == "ns per schedule point")),
            ("time to first failure, schedfuzz's best strategy (random, PCT or bounded) no worse than Relacy's best "
             "scheduler on every bug test",
             overall(lambda r: r["figure"].startswith("time to 1st failure"))),
            ("RSS growth under 1 MiB from 1,000 to 1,000,000 executions",
             overall(lambda r: r["figure"].startswith("peak RSS"))),
        ]


def summary_table(b):
    """The goals' figures, a row per test (the README's performance table): exec/s in sc and lkmm
    against Relacy's random scheduler, ns per schedule point in sc, and the first failure of each
    tool's best strategy (lkmm: every bug test has one)."""
    def find(figure, test, mode_prefix):
        for r in b.rows:
            if r["figure"] == figure and r["test"].split(" ")[0] == test and r["mode"].startswith(mode_prefix):
                return r
        return None

    out = ["| test | exec/s `sc`: schedfuzz vs Relacy | ratio | exec/s `lkmm` | ratio | ns per point, `sc` | "
           "first failure, `lkmm`: schedfuzz's best vs Relacy's best | ratio |",
           "|---|---|---|---|---|---|---|---|"]
    for t in TESTS:
        sc, lk = find("exec/s, correct form, random", t, "sc "), find("exec/s, correct form, random", t, "lkmm ")
        ns = find("ns per schedule point", t, "sc")
        ff = find("time to 1st failure (median of seeds)", t, "lkmm")
        cells = [t]
        cells += [f"{sc['schedfuzz']} vs {sc['relacy']}", sc["ratio"]] if sc else ["—", "—"]
        cells += [f"{lk['schedfuzz']} vs {lk['relacy']}", lk["ratio"]] if lk else ["—", "—"]
        cells += [ns["schedfuzz"].split(" (")[0]] if ns else ["—"]
        if ff:
            v = ff["values"]
            best = v["schedfuzz_best"]
            rl_best = v["relacy_best"]
            cells += [f"{best} {fmt_ms(v['schedfuzz_seconds'])} vs {rl_best} {fmt_ms(v[f'relacy_{rl_best}_seconds'])}",
                      ff["ratio"]]
        else:
            cells += ["—", "—"]
        out.append("| " + " | ".join(cells) + " |")
    return out


def render(b, info, seconds):
    c = b.cfg
    out = []
    out.append(f"# schedfuzz vs Relacy ({b.mode} run)")
    out.append("")
    dirty = info["uncommitted_changes_in"]
    out.append(f"- Machine: {info['nproc']} CPUs, {info['cpu']}, Linux {info['kernel']}")
    lto = " with link-time optimization" if info.get("lto") else ""
    out.append(f"- Compiler: {info['compiler']} (Release, -O3{lto}, both tools alike)")
    if info.get("pgo"):
        out.append("- schedfuzz's engine library is also profile-guided, as in every optimized build of the project (cmake/pgo.cmake: trained "
                   "during the build on the bundled models, not on these tests); Relacy is a header library compiled "
                   "into each test, with no build of its own to train")
    out.append(f"- Date: {info['date']}; commit {info['commit']}"
               + (f" with uncommitted changes in {', '.join(dirty)}" if dirty else ""))
    la0, la1 = info["loadavg_start"], info["loadavg_end"]
    peak = max([la0[0], la1[0]] + [p["loadavg"][0] for p in info.get("loadavg_phases", [])])
    out.append(f"- Load average (1/5/15 min) at start {la0[0]:.2f}/{la0[1]:.2f}/{la0[2]:.2f}, at end "
               f"{la1[0]:.2f}/{la1[1]:.2f}/{la1[2]:.2f}, highest 1-min figure at a phase boundary {peak:.2f} "
               f"(above {info['nproc']}: other jobs shared the CPUs)")
    if getattr(b, "core", None):
        ghz = [d["ghz"] for d in b.core]
        width = [d["adds_per_cycle"] for d in b.core]
        out.append(f"- The core before each exec/s repetition (`sf_bench core`): clock {min(ghz):.2f}-{max(ghz):.2f} GHz "
                   f"(dependent additions, one cycle each); independent additions per cycle {min(width):.2f}-"
                   f"{max(width):.2f}, median {med(width):.2f} (they fall when another tenant shares the core, as on "
                   f"an earlier AMD EPYC VM: about 3.6 alone, 1.7-2.7 with a tenant on its sibling hyperthread). "
                   f"schedfuzz, at several instructions per cycle, loses more to such a tenant than Relacy, which "
                   f"waits on memory more")
    out.append(f"- Repetitions: median of {c['exec_reps']} (exec/s, ns per point, cost per execution), "
               f"{c['reps']} (switch, parts, RSS, libFuzzer), {c['seeds']} seeds "
               f"(first failure, cap {c['ttff_cap']:,} executions); this run took {seconds:.0f} s")
    out.append(f"- Reproduce: `bench/run.sh{' --quick' if b.mode == 'quick' else ''}`; one figure: "
               f"`build-bench/sf_bench sb correct sc {c['exec_n']['sb']} 1` next to "
               f"`build-bench/bench/relacy/relacy_bench sb correct random {c['exec_n']['sb']} 0`")
    out.append("- Times are wall time inside each process (the figures the goals name); \"by CPU time\" divides "
               "by the CPU time of the whole process instead (startup included, both tools measured alike by "
               "getrusage), which other jobs sharing the CPUs distort less. A verdict that differs by CPU time "
               "says so in brackets.")
    out.append("- Correct forms run schedfuzz in sc, tso and lkmm (random strategy), back to back within a "
               "repetition; the cost row divides a mode's time per execution by sc's of the same repetition "
               "(median over repetitions, the range of the repetitions in brackets; the medians per execution "
               "beside it are of separate runs, so under load they need not divide to the paired ratio). The exec/s goal names sc and lkmm; tso rows are shown without a goal "
               "(Relacy has no TSO mode).")
    out.append(f"- First failure: schedfuzz runs its random strategy (sf::RandomSource) and PCT "
               f"(sf::PctSource, depth {PCT_DEPTH}) on the same seeds, and its bounded exhaustive search "
               "(sf::BoundedSource, at most 2 preemptions and 2 memory choices, fewest preemptions first; "
               "deterministic, so its executions are the same for every seed and only its time varies); Relacy "
               "its random and bound (context-bound with its default bound of 1 preemption; also deterministic) "
               "schedulers; the "
               "goal compares schedfuzz's best strategy with Relacy's best scheduler (fastest median time per "
               "test), each shown, the best first. \"loop\" is schedfuzz's search loop alone. Seed by "
               "seed, every configuration of both tools runs once before the next seed (interleaved), so a drift "
               "in the machine's speed reaches both tools alike. Each run is a fresh process: the figure is "
               "dominated by one-time costs (page faults, the first C++ exception of a schedfuzz process, "
               "which unwinds the failing execution; Relacy abandons its fibers instead).")
    out.append("- schedfuzz times include the Engine's construction (Relacy's include all of rl::simulate); "
               "bug tests run schedfuzz in lkmm (sc cannot show the SB, MP and seqlock bugs), lost_update and "
               "vmalloc_cache also in sc. Every test is written for both tools, line for line "
               "(bench/shapes.cpp, bench/relacy/*.cpp); vmalloc_cache is the Relacy test's shape (1 mutator x2, "
               "2 readers x2, then a read after the joins), not the bundled vmalloc_cache target "
               "(`sf_bench vmalloc_model` runs that one). Each test runs its threads the way Relacy's "
               "test_suite does: schedfuzz's with sf::parallel, the caller being the first thread. Neither "
               "tool makes a plain access (var<T>, rl::var) a schedule point. The bounded searches to "
               "completion run both tools at the same preemption bound; Relacy's counts preemptions only, "
               "schedfuzz's also bounds memory choices (M), so P<=1 runs with M unbounded as well.")
    out.append("")
    out.extend(summary_table(b))
    out.append("")
    out.append("| Figure | Test | Mode | schedfuzz | Relacy | schedfuzz/Relacy | by CPU time | Goal | PASS/MISS |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r in b.rows:
        out.append(f"| {r['figure']} | {r['test']} | {r['mode']} | {r['schedfuzz']} | {r['relacy']} | "
                   f"{r['ratio']} | {r.get('cpu', '—')} | {r['goal']} | {r['result']} |")
    out.append("")
    out.append("| Goal | PASS/MISS |")
    out.append("|---|---|")
    for g, v in b.goals():
        out.append(f"| {g} | {v} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--cxx", default="clang++-19")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=0)
    ap.add_argument("--out-dir", default=None, help="where results.md/.json go (default: <repo>/bench)")
    args = ap.parse_args()
    if args.reps and args.reps < 3:
        sys.exit("bench.py: at least 3 repetitions")

    t0 = time.perf_counter()
    info = machine_info(args.repo, args.cxx, args.build)
    b = Bench(args)
    info["loadavg_phases"] = []
    for phase in (b.exec_rate, b.switch, b.ttff, b.bounded, b.rss, b.libfuzzer):
        p0 = time.perf_counter()
        phase()
        info["loadavg_phases"].append(dict(phase=phase.__name__, seconds=round(time.perf_counter() - p0, 1),
                                           loadavg=list(os.getloadavg())))
    seconds = time.perf_counter() - t0
    info["loadavg_end"] = list(os.getloadavg())
    info["core_before_exec_reps"] = getattr(b, "core", [])

    md = render(b, info, seconds)
    sys.stdout.write(md)
    out_dir = args.out_dir or os.path.join(args.repo, "bench")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(md)
    result = dict(machine=info, mode=b.mode, config=b.cfg, seconds=seconds,
                  goals=[dict(goal=g, result=v) for g, v in b.goals()],
                  figures=[{k: v for k, v in r.items()} for r in b.rows], runs=b.runs)

    def clean(x):  # JSON has no Infinity
        if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x

    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(clean(result), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
