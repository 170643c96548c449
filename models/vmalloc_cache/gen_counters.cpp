// models/vmalloc_cache/gen_counters.cpp: the two-generation-counter cache: get_vmalloc_info's fast
// path, recheck and install under info_lock; the mutator's gen++ under vmap_area_lock.
#include "models/vmalloc_cache/gen_counters.h"

#include "models/vmalloc_cache/scenario.h"

namespace sf::models::vmalloc {

namespace {

// A counter of `bits` width, in one word or (split64) in two 32-bit halves, as a 32-bit kernel
// would read and write a u64: low half first on a write, high half first on a read.
struct Counter {
  shared<uint64_t> word;
  shared<uint32_t> lo, hi;
  Counter(uint64_t init, const char* name, const char* lo_name, const char* hi_name)
      : word(init, name), lo(static_cast<uint32_t>(init), lo_name), hi(static_cast<uint32_t>(init >> 32), hi_name) {}
};

struct GenCache {
  const GenConfig& cfg;
  VmapState s;
  Counter gen;
  Counter cache_gen;
  shared<uint32_t> cache_used{0, "cache.used"};
  shared<uint32_t> cache_largest{0, "cache.largest"};
  spinlock_t info_lock{"info_lock"};

  explicit GenCache(const GenConfig& c)
      : cfg(c),
        gen(c.gen_init, "gen", "gen.lo", "gen.hi"),
        cache_gen(c.cache_gen_init, "cache_gen", "cache_gen.lo", "cache_gen.hi") {}

  uint64_t mask() const { return cfg.bits >= 64 ? ~0ull : (1ull << cfg.bits) - 1; }

  uint64_t read(Counter& c, const Where& w = Where::current()) {
    if (!cfg.split64) return READ_ONCE(c.word, w);
    uint64_t hi = READ_ONCE(c.hi, w);
    uint64_t lo = READ_ONCE(c.lo, w);
    return hi << 32 | lo;
  }
  void write(Counter& c, uint64_t v, const Where& w = Where::current()) {
    if (!cfg.split64) return WRITE_ONCE(c.word, v, w);
    WRITE_ONCE(c.lo, static_cast<uint32_t>(v), w);
    WRITE_ONCE(c.hi, static_cast<uint32_t>(v >> 32), w);
  }

  bool fresher(uint64_t g, uint64_t cg) const {
    switch (cfg.install) {
      case InstallTest::signed_difference: {
        // (int)(g - cache_gen) > 0 at the counters' width
        uint64_t d = (g - cg) & mask();
        uint64_t sign = 1ull << (cfg.bits >= 64 ? 63 : cfg.bits - 1);
        return d != 0 && !(d & sign);
      }
      case InstallTest::not_equal: return g != cg;
      case InstallTest::none: return true;
      case InstallTest::greater: return g > cg;
    }
    return false;
  }

  void mutate_once() {
    mutate(s, [&] {
      if (cfg.writer_wmb) smp_wmb();
      write(gen, (read(gen) + 1) & mask());
    });
  }

  Info get_vmalloc_info() {
    uint64_t cg = read(cache_gen);
    if (cfg.rmb_after_cache_gen) smp_rmb();
    Info v{READ_ONCE(cache_used), READ_ONCE(cache_largest)};
    if (cfg.rmb_after_copy) smp_rmb();
    uint64_t g = read(gen);
    if (cg == g) return v;  // fast path: the cache was filled for this generation
    smp_rmb();              // read gen before the info
    v = calc_vmalloc_info(s, cfg.calc);
    if (cfg.trylock) {
      if (!spin_trylock(info_lock)) return v;
    } else {
      spin_lock(info_lock);
    }
    if (fresher(g, read(cache_gen))) {
      if (cfg.mb_before_install) smp_mb();
      WRITE_ONCE(cache_used, v.used);
      WRITE_ONCE(cache_largest, v.largest);
      if (cfg.wmb_before_publish) smp_wmb();
      write(cache_gen, g);
    }
    spin_unlock(info_lock);
    return v;
  }
};

}  // namespace

void run_gen_counters(const GenConfig& cfg, bool long_run) {
  GenCache c(cfg);
  run_scenario(c.s, long_run, [&] { c.mutate_once(); }, [&] { return c.get_vmalloc_info(); });
}

}  // namespace sf::models::vmalloc
