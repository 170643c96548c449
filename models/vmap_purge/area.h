// models/vmap_purge/area.h: a vmap area (address range, pages, purge_list link, allocator bit) and
// the ghost state the oracles read: BUSY | LAZY_LISTED | LAZY_PRIVATE(owner) | FREE, generation.
#pragma once
#include <cstdint>

#include "schedfuzz/schedfuzz.h"

namespace sf::models::vmap_purge {

// The pool: three areas of one range each, in pages: va0 = [0,1), va1 = [1,3), va2 = [3,4).
inline constexpr uint32_t kAreas = 3;
inline constexpr unsigned long kAreaStart[kAreas] = {0, 1, 3};
inline constexpr unsigned long kAreaEnd[kAreas] = {1, 3, 4};
inline constexpr uint32_t kNoOwner = ~0u;

// Where an area is. At every step each area is in exactly one place: mapped (busy), on
// vmap_purge_list (lazy_listed), on one purger's private list after llist_del_all (lazy_private),
// or in the allocator (free). An area being vfree'd stays busy until its llist_add lands.
enum class AreaState : uint8_t { busy, lazy_listed, lazy_private, free };

inline const char* state_name(AreaState s) {
  switch (s) {
    case AreaState::busy: return "BUSY";
    case AreaState::lazy_listed: return "LAZY_LISTED";
    case AreaState::lazy_private: return "LAZY_PRIVATE";
    case AreaState::free: return "FREE";
  }
  return "?";
}

struct Area {
  Area(uint32_t i, const char* next_name)
      : index(i), va_start(kAreaStart[i]), va_end(kAreaEnd[i]), next(nullptr, next_name) {}

  unsigned long pages() const { return va_end - va_start; }

  const uint32_t index;
  const unsigned long va_start, va_end;  // [va_start, va_end), in pages
  shared<Area*> next;                    // va->purge_list.next

  // Ghost state (no schedule points, no synchronization).
  AreaState state = AreaState::busy;
  uint32_t owner = kNoOwner;  // the purger whose private list holds it (lazy_private)
  uint32_t gen = 1;           // mapping generation: +1 at every alloc
  bool added = false;         // an llist_add of this area has landed (for gen `added_gen`)
  uint32_t added_gen = 0;
  ghost_stamp added_at;       // when that llist_add landed
};

}  // namespace sf::models::vmap_purge
