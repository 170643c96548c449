// models/vmalloc_cache/gen_counters.h: Ingo Molnar's vmalloc info cache with two generation
// counters (seed 001, v4/v5), and the knobs that turn it into each of its bug variants.
#pragma once
#include <cstdint>

#include "models/vmalloc_cache/vmap_state.h"

namespace sf::models::vmalloc {

enum class InstallTest { signed_difference, not_equal, none, greater };

struct GenConfig {
  uint64_t gen_init = 1;  // the fix George asked for: gen starts ahead of cache_gen
  uint64_t cache_gen_init = 0;
  unsigned bits = 32;     // counter width; narrow counters reach wraparound in a short run
  bool split64 = false;   // 64-bit counters read and written as two 32-bit halves
  InstallTest install = InstallTest::signed_difference;
  bool trylock = false;   // George's v6: skip the install when info_lock is busy
  bool rmb_after_cache_gen = true;
  bool rmb_after_copy = true;
  bool wmb_before_publish = true;
  // smp_mb() between reading gen and storing the cache, so that a reader that sees the new cache
  // also sees the new gen (the WRC shape). Not needed while calc takes vmap_area_lock: the
  // mutator's unlock and the refresher's lock order them (see README, "Findings").
  bool mb_before_install = false;
  bool writer_wmb = false;  // smp_wmb between the list change and gen++ (needed for a lockless calc)
  CalcMode calc = CalcMode::locked;
};

// Runs the standard scenario (or, with `long_run`, one that wraps narrow counters) under `cfg`.
void run_gen_counters(const GenConfig& cfg, bool long_run);

}  // namespace sf::models::vmalloc
