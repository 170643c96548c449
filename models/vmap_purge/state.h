// models/vmap_purge/state.h: the knobs that make each form and bug variant of the lazy vmap purge,
// and PurgeState: the area pool, vmap_purge_list, vmap_lazy_nr, the locks, the allocator, the TLB.
#pragma once
#include <cstdint>

#include "models/vmap_purge/area.h"
#include "models/vmap_purge/tlb.h"
#include "schedfuzz/schedfuzz.h"

namespace sf::models::vmap_purge {

// Who serializes the purgers.
enum class PurgeLock : uint8_t {
  inside,    // v4.8: purge_lock taken in __purge_vmap_area_lazy, trylock when !sync && !force_flush
  callers,   // v4.10: vmap_purge_lock taken by the callers, __purge asserts it is held
  none,      // seed 002 (Hellwig): llist_del_all is the only protection
  refcount,  // Joel Fernandes: static atomic_t purging; the sync path's atomic_inc excludes nobody
};

// The threads and what they do (scenario.cpp).
enum class Scenario : uint8_t {
  one_thread,        // T1 alone: vfree x2 (opportunistic purge), alloc, vfree
  mixed,             // T1 vfree x2 (opportunistic purge), T2 vfree + vm_unmap_aliases, T3 alloc x2 + vfree
  concurrent_frees,  // T1, T2, T3 each vfree one area, no purge until the final one: llist_add races only
  trylock_race,      // T1 vfree x2, T2 vfree, every vfree tries to purge: failed trylocks leave areas listed
  purge_race,        // T0 vfree x3, then T1 and T2 purge opportunistically: llist_del_all races with itself
  add_vs_purge,      // T0 vfree, then T1 vfree while T2 purges: one llist_add races with one llist_del_all
};

struct Config {
  PurgeLock lock = PurgeLock::inside;
  bool flush = true;              // __purge flushes the hull range (seed 002 as posted: it does not)
  bool sub_before_flush = true;   // v4.8: atomic_sub(total) before the flush; v4.10: per area after its free
  bool free_before_flush = false; // bug: the flush moved after the vmap_area_lock loop
  bool atomic_del_all = true;     // llist_del_all is one xchg
  bool atomic_add = true;         // llist_add is a cmpxchg loop
  bool count_first = true;        // vfree adds to vmap_lazy_nr before its llist_add (bug: after)
  Scenario scenario = Scenario::mixed;
};

struct PurgeState {
  explicit PurgeState(const Config& c) : cfg(c) {
    static const char* const kNext[kAreas] = {"va0.purge_list.next", "va1.purge_list.next", "va2.purge_list.next"};
    static const char* const kName[kAreas] = {"va0", "va1", "va2"};
    for (uint32_t i = 0; i < kAreas; ++i) va[i] = kalloc<Area>(kName[i], i, kNext[i]);
  }

  // After the final checks: return the areas to the model heap (the engine checks for leaks).
  void release() {
    for (Area* a : va) kfree(a);
  }

  const Config& cfg;
  Area* va[kAreas];
  shared<Area*> purge_list{nullptr, "vmap_purge_list"};
  atomic_t vmap_lazy_nr{0, "vmap_lazy_nr"};
  spinlock_t purge_lock{"purge_lock"};        // vmap_purge_lock in v4.10
  atomic_t purging{0, "purging"};             // Joel's refcount form only
  spinlock_t vmap_area_lock{"vmap_area_lock"};
  var<unsigned> free_map{0, "free_vmap_area"};  // the allocator: bit i set = va[i] free; under vmap_area_lock
  int lazy_max = 1;                           // lazy_max_pages(): purge when vmap_lazy_nr goes above it

  Tlb tlb;  // ghost
};

}  // namespace sf::models::vmap_purge
