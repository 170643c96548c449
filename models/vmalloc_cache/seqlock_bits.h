// models/vmalloc_cache/seqlock_bits.h: George Spelvin's vmalloc info cache (seed 000): a sequence
// word whose two low bits say 00 refresh running, 01 changed during a refresh, 10 cache valid,
// 11 invalidated and waiting; a trylock'ed refresher; calc done locklessly under RCU.
#pragma once

namespace sf::models::vmalloc {

struct SeqConfig {
  unsigned long seq_init = 1;     // ...01: "changed", the cache starts out invalid (00 also works)
  bool reread_under_lock = true;  // "(sequence | 3) + 1" from seq as it is once the lock is held
  bool mb_mutator = true;         // smp_mb__before_atomic() before the mutator's set_bit(0)
  bool mb_refresher = true;       // the seed's "Memory barrier TBD" after the refresher's seq store
  bool wmb_before_valid = true;   // smp_wmb() between the cache stores and set_bit(1)
  bool rmb_after_begin = true;    // smp_rmb() between the first read of seq and the cache copy
  bool rmb_before_recheck = true; // smp_rmb() between the cache copy and the re-read of seq
  bool recheck = true;            // re-read seq after copying the cache
  bool atomic_valid = true;       // set_bit(1) rather than a plain read-modify-write seq |= 2
};

void run_seqlock_bits(const SeqConfig& cfg);

}  // namespace sf::models::vmalloc
