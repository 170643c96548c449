// models/vmalloc_cache/target.cpp: the vmalloc_cache target: its correct form, bug variants and
// controls, as `schedfuzz list` shows them.
#include "models/registry.h"
#include "models/vmalloc_cache/flag_design.h"
#include "models/vmalloc_cache/gen_counters.h"
#include "models/vmalloc_cache/seqlock_bits.h"

namespace sf::models {

using namespace vmalloc;

namespace {

struct Entry {
  Variant v;
  void (*run)();
};

// Each variant is one switch away from Ingo's v5 (two u32 generation counters + info_lock).
const Entry kEntries[] = {
    {{"correct", "pass", "Ingo Molnar's v5: gen starts at 1, cache_gen at 0, install only if (int)(g - cache_gen) > 0; calc under vmap_area_lock", false, MemoryMode::lkmm},
     [] { run_gen_counters(GenConfig{}, false); }},
    {{"both_zero", "stale_info", "gen and cache_gen both start at 0: the empty cache looks valid (George, seed 001)"},
     [] { GenConfig c; c.gen_init = 0; run_gen_counters(c, false); }},
    {{"install_not_equal", "stale_info", "install test g != cache_gen: an older refresher overwrites a newer cache while a reader copies it"},
     [] { GenConfig c; c.install = InstallTest::not_equal; run_gen_counters(c, false); }},
    {{"install_always", "stale_info", "no install test: every refresher overwrites the cache"},
     [] { GenConfig c; c.install = InstallTest::none; run_gen_counters(c, false); }},
    {{"wrap_greater", "stale_info", "install test g > cache_gen on 3-bit counters: after gen wraps, installs stop and an old cache_gen matches again (ABA)"},
     [] { GenConfig c; c.bits = 3; c.install = InstallTest::greater; run_gen_counters(c, true); }},
    {{"split_halves", "stale_info", "64-bit counters read as two 32-bit halves: a torn gen equals the empty cache's cache_gen"},
     [] { GenConfig c; c.bits = 64; c.split64 = true; c.gen_init = 0xffffffffull; run_gen_counters(c, false); }},
    {{"flag_clear_first", "stale_info", "Ingo's v2 flag design, flag cleared before the calc: a second caller returns the old cache"},
     [] { run_flag_design(FlagOrder::clear_before_calc); }},
    {{"flag_racing_refresh", "stale_info", "Ingo's v2 flag design, flag cleared at install: an older refresher installs last, stale data marked valid"},
     [] { run_flag_design(FlagOrder::clear_after_install); }},
    {{"rcu_calc_no_install_mb", "stale_info", "calc under RCU with the writer's smp_wmb() but no smp_mb() before the install: a reader sees the new cache with the old gen (WRC)", false, MemoryMode::lkmm, "pass"},
     [] { GenConfig c; c.calc = CalcMode::rcu; c.writer_wmb = true; run_gen_counters(c, false); }},
    {{"no_wmb_publish", "stale_info", "no smp_wmb() between the cache stores and cache_gen: a reader sees the new gen with the old cache (MP)", false, MemoryMode::lkmm, "pass"},
     [] { GenConfig c; c.wmb_before_publish = false; run_gen_counters(c, false); }},
    {{"no_rmb_after_cache_gen", "stale_info", "reader without the smp_rmb() after reading cache_gen (MP, reader side)", false, MemoryMode::lkmm, "pass"},
     [] { GenConfig c; c.rmb_after_cache_gen = false; run_gen_counters(c, false); }},
    {{"no_rmb_after_copy", "stale_info", "reader without the smp_rmb() between the cache copy and reading gen (MP, reader side)", false, MemoryMode::lkmm, "pass"},
     [] { GenConfig c; c.rmb_after_copy = false; run_gen_counters(c, false); }},
    {{"rcu_calc_no_writer_wmb", "stale_info", "calc under RCU with the list change and gen++ unordered: a refresher stamps an old list with the new gen", false, MemoryMode::lkmm, "pass"},
     [] { GenConfig c; c.calc = CalcMode::rcu; run_gen_counters(c, false); }},
    {{"seqlock_no_mb", "stale_info", "George's seqlock without the 'Memory barrier TBD' on either side: RCU does not supply it (R shape)", false, MemoryMode::lkmm, "stale_info"},
     [] { SeqConfig c; c.mb_mutator = c.mb_refresher = false; run_seqlock_bits(c); }},
    {{"seqlock_no_mb_refresher", "stale_info", "George's seqlock, smp_mb() only on the mutator side: the refresher's store->load needs it too", false, MemoryMode::lkmm, "stale_info"},
     [] { SeqConfig c; c.mb_refresher = false; run_seqlock_bits(c); }},
    {{"seqlock_no_mb_mutator", "stale_info", "George's seqlock, smp_mb() only on the refresher side: set_bit is unordered without smp_mb__before_atomic", false, MemoryMode::lkmm, "pass"},
     [] { SeqConfig c; c.mb_mutator = false; run_seqlock_bits(c); }},
    {{"seqlock_no_wmb", "stale_info", "George's seqlock without smp_wmb() before set_bit(1): the cache is marked valid before it is written (MP)", false, MemoryMode::lkmm, "pass"},
     [] { SeqConfig c; c.wmb_before_valid = false; run_seqlock_bits(c); }},
    {{"seqlock_no_rmb_begin", "stale_info", "George's seqlock, reader without smp_rmb() between reading seq and copying the cache (read_seqbegin's barrier)", false, MemoryMode::lkmm, "pass"},
     [] { SeqConfig c; c.rmb_after_begin = false; run_seqlock_bits(c); }},
    {{"seqlock_no_rmb_recheck", "stale_info", "George's seqlock, reader without smp_rmb() before re-reading seq", false, MemoryMode::lkmm, "pass"},
     [] { SeqConfig c; c.rmb_before_recheck = false; run_seqlock_bits(c); }},
    {{"seqlock_plain_or", "stale_info", "George's seqlock marking the cache valid with a plain seq |= 2: a concurrent set_bit(0) is lost"},
     [] { SeqConfig c; c.atomic_valid = false; run_seqlock_bits(c); }},
    {{"seqlock_stale_snapshot", "stale_info", "George's seqlock bumping the count from the seq read before the trylock: the count repeats (ABA) and a torn copy passes the re-check"},
     [] { SeqConfig c; c.reread_under_lock = false; run_seqlock_bits(c); }},
    {{"seqlock_no_recheck", "stale_info", "George's seqlock, reader does not re-read seq after copying: a torn cache is returned"},
     [] { SeqConfig c; c.recheck = false; run_seqlock_bits(c); }},
    {{"seqlock", "pass", "George Spelvin's two-bit seqlock with both barriers, calc under RCU", true, MemoryMode::lkmm},
     [] { run_seqlock_bits(SeqConfig{}); }},
    {{"seqlock_init_00", "pass", "George's seqlock starting from 00 ('handles 00 okay')", true, MemoryMode::lkmm},
     [] { SeqConfig c; c.seq_init = 0; run_seqlock_bits(c); }},
    {{"rcu_calc_fixed", "pass", "calc under RCU with smp_wmb() before gen++ and smp_mb() before the install", true, MemoryMode::lkmm},
     [] { GenConfig c; c.calc = CalcMode::rcu; c.writer_wmb = true; c.mb_before_install = true; run_gen_counters(c, false); }},
    {{"trylock_refresh", "pass", "George's v6: skip the install when info_lock is busy; freshness still holds", true, MemoryMode::lkmm},
     [] { GenConfig c; c.trylock = true; run_gen_counters(c, false); }},
    {{"narrow_signed", "pass", "3-bit counters with the signed-difference test, refreshed after every change: no ABA across a wrap", true, MemoryMode::lkmm},
     [] { GenConfig c; c.bits = 3; run_gen_counters(c, true); }},
};

void body(int variant) { kEntries[variant].run(); }

}  // namespace

const Target& vmalloc_cache_target() {
  static const Target t = [] {
    Target t{"vmalloc_cache", "the /proc/meminfo vmalloc info cache (seeds 000, 001): no stale info is ever reported", {}, &body};
    for (const Entry& e : kEntries) t.variants.push_back(e.v);
    t.default_budget = 200000;
    return t;
  }();
  return t;
}

}  // namespace sf::models
