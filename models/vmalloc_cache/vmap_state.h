// models/vmalloc_cache/vmap_state.h: VmapState, the vmap area list reduced to a version and its
// two-word info, its mutator, calc_vmalloc_info, and the "no stale info" oracle shared by both
// cache designs (Ingo Molnar's generation counters, George Spelvin's two-bit seqlock).
#pragma once
#include <cstdint>

#include "schedfuzz/schedfuzz.h"

namespace sf::models::vmalloc {

// The info of version k: two words, so that a mix of two versions (a torn copy) is visible, and no
// version's info is {0, 0} (a cache that was never filled).
struct Info {
  uint32_t used = 0, largest = 0;
  bool operator==(const Info&) const = default;
};
inline Info info_of(uint32_t version) { return Info{3 + 5 * version, 97 + 2 * version}; }

inline constexpr uint32_t kMaxMutations = 24;

// How calc_vmalloc_info reads the area list: under vmap_area_lock, or locklessly under RCU as the
// real calc_vmalloc_info did (the mode the seed's barrier question is about).
enum class CalcMode { locked, rcu };

// The area list is reduced to one word, its version: calc_vmalloc_info returns info_of(version).
struct VmapState {
  spinlock_t vmap_area_lock{"vmap_area_lock"};
  shared<uint32_t> version{0, "vmap_list"};

  // Ghost state (no schedule points, no synchronization): when each mutation completed, and how
  // many mutations have started.
  ghost_stamp done[kMaxMutations + 1];
  uint32_t done_count = 0;
  uint32_t started = 0;
};

// An oracle window: the versions a get_info call may legally return.
struct Call {
  uint32_t lo = 0;  // the newest version whose mutation happened before the call began
};

// A vmap alloc or free: change the list under vmap_area_lock. `hook` marks the cache stale (each
// design's own way) before the unlock, which is the linearization point.
template <class Hook>
void mutate(VmapState& s, Hook hook) {
  spin_lock(s.vmap_area_lock);
  uint32_t v = ++s.started;
  WRITE_ONCE(s.version, v);
  hook();
  s.done[++s.done_count] = ghost_now();
  spin_unlock(s.vmap_area_lock);
}

inline Info calc_vmalloc_info(VmapState& s, CalcMode mode) {
  uint32_t v;
  if (mode == CalcMode::locked) {
    spin_lock(s.vmap_area_lock);
    v = READ_ONCE(s.version);
    spin_unlock(s.vmap_area_lock);
  } else {
    rcu_read_lock();
    v = READ_ONCE(s.version);
    rcu_read_unlock();
  }
  return info_of(v);
}

inline Call begin_call(const VmapState& s) {
  Call c;
  for (uint32_t k = s.done_count; k > 0; --k) {
    if (happened_before(s.done[k])) {
      c.lo = k;
      break;
    }
  }
  return c;
}

// O1 (no stale info) and O2 (no torn or never-computed info), in one oracle: stale_info.
inline void end_call(const VmapState& s, const Call& c, Info got, const char* who) {
  for (uint32_t k = c.lo; k <= s.started; ++k) {
    if (info_of(k) == got) return;
  }
  for (uint32_t k = 0; k < c.lo; ++k) {
    oracle(info_of(k) != got, "stale_info",
           "%s returned the info of version %u, but version %u was complete before the call began", who, k, c.lo);
  }
  oracle(false, "stale_info", "%s returned {%u, %u}, the info of no version (torn or never computed)", who,
         got.used, got.largest);
}

}  // namespace sf::models::vmalloc
