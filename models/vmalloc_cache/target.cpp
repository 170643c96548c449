// models/vmalloc_cache/target.cpp: the vmalloc_cache target: its correct form, bug variants and
// controls, as `schedfuzz list` shows them.
#include "models/registry.h"
#include "models/vmalloc_cache/flag_design.h"
#include "models/vmalloc_cache/gen_counters.h"

namespace sf::models {

using namespace vmalloc;

namespace {

struct Entry {
  Variant v;
  void (*run)();
};

// Each variant is one switch away from Ingo's v5 (two u32 generation counters + info_lock).
const Entry kEntries[] = {
    {{"correct", "pass", "Ingo Molnar's v5: gen starts at 1, cache_gen at 0, install only if (int)(g - cache_gen) > 0"},
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
    {{"trylock_refresh", "pass", "George's v6: skip the install when info_lock is busy; freshness still holds", true},
     [] { GenConfig c; c.trylock = true; run_gen_counters(c, false); }},
    {{"narrow_signed", "pass", "3-bit counters with the signed-difference test, refreshed after every change: no ABA across a wrap", true},
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
