// models/vmap_purge/oracles.h: the lazy purge's oracles, computed from ghost state at the
// linearization points: area_double_free (P1), tlb_not_flushed (P2), sync_purge_incomplete (P3),
// area_leak (P4), llist_corrupt (P5) and lazy_count.
#pragma once
#include "models/vmap_purge/state.h"

namespace sf::models::vmap_purge {

// P4 at every step, P5: walk vmap_purge_list (ghost reads, no schedule points). An area that is
// LAZY_LISTED must be reachable from the head (else it is lost: area_leak); every area on the list
// must be LAZY_LISTED and appear once (else llist_corrupt). Run after each list operation lands.
inline void check_lists(const PurgeState& st) {
  bool on_list[kAreas] = {};
  uint32_t hops = 0;
  for (const Area* p = st.purge_list.peek(); p; p = p->next.peek(), ++hops) {
    oracle(hops < kAreas && !on_list[p->index], "llist_corrupt", "vmap_purge_list runs through va%u twice (a cycle)",
           p->index);
    on_list[p->index] = true;
  }
  for (const Area* a : st.va) {
    oracle(a->state != AreaState::lazy_listed || on_list[a->index], "area_leak",
           "va%u was lazily freed (gen %u) and listed, but is no longer reachable from vmap_purge_list: "
           "no purge will ever flush or free it",
           a->index, a->added_gen);
  }
  for (const Area* a : st.va) {
    oracle(!on_list[a->index] || a->state == AreaState::lazy_listed, "llist_corrupt",
           "va%u is on vmap_purge_list but is %s", a->index, state_name(a->state));
  }
}

// The end of a lazy free: its llist_add has landed.
inline void on_listed(PurgeState& st, Area* a) {
  a->state = AreaState::lazy_listed;
  a->added = true;
  a->added_gen = a->gen;
  a->added_at = ghost_now();
  check_lists(st);
}

// llist_del_all has landed: every area of the list taken is now on the caller's private list.
// A node another purger already holds means both will free it (P5, reported as P1).
inline void on_taken(PurgeState& st, Area* list) {
  uint32_t me = current_thread();
  uint32_t hops = 0;
  for (Area* p = list; p; p = p->next.peek(), ++hops) {
    oracle(hops < kAreas, "llist_corrupt", "the list T%u took from vmap_purge_list has a cycle", me);
    oracle(p->state != AreaState::lazy_private, "area_double_free",
           "T%u took va%u from vmap_purge_list, but T%u's private list holds it already: both will free it", me,
           p->index, p->owner);
    oracle(p->state != AreaState::free, "area_double_free",
           "T%u took va%u from vmap_purge_list, but it is back in the allocator already: it will be freed twice",
           me, p->index);
    oracle(p->state == AreaState::lazy_listed, "llist_corrupt", "T%u took va%u from vmap_purge_list, but it is %s",
           me, p->index, state_name(p->state));
    p->state = AreaState::lazy_private;
    p->owner = me;
  }
  check_lists(st);
}

// __free_vmap_area: P1 (only the purger holding it frees it, once) and P2 (its range was flushed).
inline void on_free_to_allocator(PurgeState& st, Area* a) {
  uint32_t me = current_thread();
  oracle(a->state == AreaState::lazy_private && a->owner == me, "area_double_free",
         "T%u frees va%u to the allocator, but it is %s (owner T%d), not on T%u's private list", me, a->index,
         state_name(a->state), a->owner == kNoOwner ? -1 : static_cast<int>(a->owner), me);
  if (const StaleEntry* s = st.tlb.find(a->va_start, a->va_end, a->gen)) {
    oracle(false, "tlb_not_flushed",
           "T%u frees va%u [%lu,%lu) to the allocator while a CPU may still cache its gen %u translation: "
           "the range was never flushed",
           me, a->index, s->start, s->end, s->gen);
  }
  a->state = AreaState::free;
  a->owner = kNoOwner;
}

// alloc_vmap_area hands `a` out again: P2 (no stale translation of any generation overlaps it).
inline void on_alloc(PurgeState& st, Area* a) {
  check(a->state == AreaState::free, "va%u handed out by the allocator but it is %s", a->index, state_name(a->state));
  if (const StaleEntry* s = st.tlb.find(a->va_start, a->va_end)) {
    oracle(false, "tlb_not_flushed",
           "va%u [%lu,%lu) is handed out again (gen %u) while a CPU may still cache the gen %u translation of "
           "va%u [%lu,%lu)",
           a->index, a->va_start, a->va_end, a->gen + 1, s->gen, s->area, s->start, s->end);
  }
  a->state = AreaState::busy;
  a->gen++;
}

// P3: the areas whose llist_add happened before a synchronous purge began (ghost happens-before,
// never the global step order alone), and the generation each was freed at.
struct SyncCall {
  bool must[kAreas] = {};
  uint32_t gen[kAreas] = {};
};

inline SyncCall begin_sync(const PurgeState& st) {
  SyncCall c;
  for (const Area* a : st.va) {
    if (a->added && happened_before(a->added_at)) {
      c.must[a->index] = true;
      c.gen[a->index] = a->added_gen;
    }
  }
  return c;
}

inline void end_sync(const PurgeState& st, const SyncCall& c, const char* who) {
  for (const Area* a : st.va) {
    if (!c.must[a->index]) continue;
    oracle(st.tlb.find_area(a->index, c.gen[a->index]) == nullptr, "sync_purge_incomplete",
           "%s returned in T%u, but va%u [%lu,%lu), lazily freed (gen %u) before the call began, may still be "
           "cached in a TLB (it is %s%s%d)",
           who, current_thread(), a->index, a->va_start, a->va_end, c.gen[a->index], state_name(a->state),
           a->state == AreaState::lazy_private ? ", held unflushed by T" : ", gen ",
           a->state == AreaState::lazy_private ? static_cast<int>(a->owner) : static_cast<int>(a->gen));
  }
}

// lazy_count: vmap_lazy_nr never goes negative.
inline void check_lazy_nr(const PurgeState& st) {
  int n = st.vmap_lazy_nr.peek();
  oracle(n >= 0, "lazy_count", "vmap_lazy_nr went negative (%d): some pages were subtracted twice", n);
}

// lazy_count at quiescence (all threads joined): vmap_lazy_nr counts exactly the listed pages.
inline void check_quiescent_count(const PurgeState& st) {
  int listed = 0;
  for (const Area* a : st.va) {
    if (a->state == AreaState::lazy_listed) listed += static_cast<int>(a->pages());
  }
  int n = st.vmap_lazy_nr.peek();
  oracle(n == listed, "lazy_count", "at quiescence vmap_lazy_nr is %d, but %d pages are on vmap_purge_list", n,
         listed);
}

// P4 at the end, after the final synchronous purge: nothing lazy is left anywhere.
inline void check_final(const PurgeState& st) {
  for (const Area* a : st.va) {
    oracle(a->state == AreaState::busy || a->state == AreaState::free, "area_leak",
           "after the final purge_vmap_area_lazy, va%u is still %s", a->index, state_name(a->state));
  }
  oracle(st.purge_list.peek() == nullptr, "area_leak", "after the final purge, vmap_purge_list is not empty");
  oracle(st.vmap_lazy_nr.peek() == 0, "area_leak", "after the final purge, vmap_lazy_nr is %d, not 0",
         st.vmap_lazy_nr.peek());
}

}  // namespace sf::models::vmap_purge
