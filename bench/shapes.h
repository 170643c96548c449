// bench/shapes.h: the benchmark tests shared with bench/relacy/ (SB, MP, seqlock, lost update), as schedfuzz models.
#pragma once

namespace sf::bench {

// Each body runs one execution as thread 0. `bug` selects the broken form:
//   sb          correct: smp_mb() between the store and the load    bug: no fence (needs lkmm to fail)
//   mp          correct: smp_store_release / smp_load_acquire flag  bug: WRITE_ONCE / READ_ONCE flag (lkmm)
//   seqlock     correct: smp_wmb() after making seq odd             bug: that smp_wmb() missing (lkmm)
//   lost_update correct: atomic_inc                                 bug: atomic_read + atomic_set (sc too)
// Each mirrors the Relacy test of the same name line for line (see bench/relacy/<name>.cpp).
void sb_body(bool bug);
void mp_body(bool bug);
void seqlock_body(bool bug);
void lost_update_body(bool bug);
void vmalloc_cache_body(bool bug);

}  // namespace sf::bench
