// models/vmalloc_cache/seqlock_bits.cpp: George Spelvin's two-bit seqlock cache (seed 000).
#include "models/vmalloc_cache/seqlock_bits.h"

#include "models/vmalloc_cache/scenario.h"

namespace sf::models::vmalloc {

namespace {

struct SeqCache {
  const SeqConfig& cfg;
  VmapState s;
  bitword seq;
  shared<uint32_t> cache_used{0, "cache.used"};
  shared<uint32_t> cache_largest{0, "cache.largest"};
  spinlock_t info_lock{"info_lock"};

  explicit SeqCache(const SeqConfig& c) : cfg(c), seq(c.seq_init, "seq") {}

  void mutate_once() {
    mutate(s, [&] {
      if (cfg.mb_mutator) smp_mb__before_atomic();
      set_bit(0, seq);  // "the vmap list changed"
    });
  }

  Info get_vmalloc_info() {
    unsigned long seen = READ_ONCE(seq);
    if ((seen & 3) == 2) {  // cache valid
      if (cfg.rmb_after_begin) smp_rmb();  // as read_seqbegin(): seq before the data
      Info v{READ_ONCE(cache_used), READ_ONCE(cache_largest)};
      if (!cfg.recheck) return v;
      if (cfg.rmb_before_recheck) smp_rmb();
      if (READ_ONCE(seq) == seen) return v;
    }
    bool updater = spin_trylock(info_lock);  // never waits: a busy refresher just computes
    if (updater) {
      // Low bits 00, "refresh running"; the count goes up by one. Only the lock holder changes the
      // count, so it must start from seq as it is now, not from the snapshot taken before the lock.
      unsigned long now = cfg.reread_under_lock ? READ_ONCE(seq) : seen;
      WRITE_ONCE(seq, (now | 3) + 1);
      if (cfg.mb_refresher) smp_mb();   // orders the seq store before the list reads of calc
    }
    Info v = calc_vmalloc_info(s, CalcMode::rcu);
    if (updater) {
      WRITE_ONCE(cache_used, v.used);
      WRITE_ONCE(cache_largest, v.largest);
      if (cfg.wmb_before_valid) smp_wmb();
      if (cfg.atomic_valid) {
        set_bit(1, seq);  // 00 -> 10 valid; 01 (changed meanwhile) -> 11 still invalid
      } else {
        WRITE_ONCE(seq, READ_ONCE(seq) | 2);
      }
      spin_unlock(info_lock);
    }
    return v;
  }
};

}  // namespace

void run_seqlock_bits(const SeqConfig& cfg) {
  SeqCache c(cfg);
  run_scenario(c.s, false, [&] { c.mutate_once(); }, [&] { return c.get_vmalloc_info(); });
}

}  // namespace sf::models::vmalloc
