// models/vmap_purge/purge.cpp: vfree, the purges (opportunistic, synchronous, vm_unmap_aliases),
// __purge_vmap_area_lazy with its TLB flush, and alloc_vmap_area, in every form the knobs select.
#include "models/vmap_purge/purge.h"

#include "models/vmap_purge/llist.h"
#include "models/vmap_purge/oracles.h"

namespace sf::models::vmap_purge {

namespace {

// flush_tlb_kernel_range(start, end), in two steps: the IPIs go out (the flush covers every stale
// entry that exists now), then every CPU has flushed. A thread may be preempted in between.
void flush_tlb_kernel_range(PurgeState& st, unsigned long start, unsigned long end) {
  smp_mb();  // IPIs sent
  uint32_t mark = st.tlb.flush_begin();
  trace_note("flush_tlb_kernel_range: IPIs in flight");
  smp_mb();  // every CPU acknowledged
  st.tlb.flush_end(start, end, mark);
  trace_note("flush_tlb_kernel_range: done");
}

// __free_vmap_area, under vmap_area_lock: the area goes back to the allocator.
void free_vmap_area_locked(PurgeState& st, Area* va) {
  unsigned m = st.free_map.load();
  st.free_map.store(m | 1u << va->index);
  on_free_to_allocator(st, va);
}

Area* take_list(PurgeState& st) {
  Area* valist = st.cfg.atomic_del_all ? llist_del_all(st.purge_list) : llist_del_all_racy(st.purge_list);
  on_taken(st, valist);
  return valist;
}

// The body of __purge_vmap_area_lazy(start, end), with the purge lock (if any) held: take the
// list, flush the hull of its ranges, give every area back to the allocator. v4.8 subtracts the
// total from vmap_lazy_nr before the flush; v4.10 subtracts each area's pages after its free.
bool purge_list_locked(PurgeState& st, unsigned long start, unsigned long end) {
  const Config& c = st.cfg;
  Area* valist = take_list(st);
  int nr = 0;
  for (Area* va = valist; va; va = READ_ONCE(va->next)) {
    if (va->va_start < start) start = va->va_start;
    if (va->va_end > end) end = va->va_end;
    nr += static_cast<int>(va->pages());
  }
  if (!nr) return false;
  if (c.sub_before_flush) {
    atomic_sub(nr, st.vmap_lazy_nr);
    check_lazy_nr(st);
  }
  if (c.flush && !c.free_before_flush) flush_tlb_kernel_range(st, start, end);
  spin_lock(st.vmap_area_lock);
  for (Area *va = valist, *n; va; va = n) {
    n = READ_ONCE(va->next);  // llist_for_each_entry_safe
    free_vmap_area_locked(st, va);
    if (!c.sub_before_flush) {
      atomic_sub(static_cast<int>(va->pages()), st.vmap_lazy_nr);
      check_lazy_nr(st);
    }
  }
  spin_unlock(st.vmap_area_lock);
  if (c.flush && c.free_before_flush) flush_tlb_kernel_range(st, start, end);
  return true;
}

// The purge lock of each form. A synchronous caller always goes on; an opportunistic one backs
// off (returns false) when somebody else is purging.
bool purge_enter(PurgeState& st, bool sync) {
  switch (st.cfg.lock) {
    case PurgeLock::inside:   // v4.8: spin_trylock(&purge_lock) when !sync && !force_flush
    case PurgeLock::callers:  // v4.10: mutex_trylock(&vmap_purge_lock) in try_purge_vmap_area_lazy
      if (!sync) return spin_trylock(st.purge_lock);
      spin_lock(st.purge_lock);
      return true;
    case PurgeLock::refcount:  // Joel: the sync path counts itself in and waits for nobody
      if (!sync) return atomic_cmpxchg(st.purging, 0, 1) == 0;
      atomic_inc(st.purging);
      return true;
    case PurgeLock::none:
      return true;
  }
  return true;
}

void purge_exit(PurgeState& st) {
  switch (st.cfg.lock) {
    case PurgeLock::inside:
    case PurgeLock::callers: spin_unlock(st.purge_lock); break;
    case PurgeLock::refcount: atomic_dec(st.purging); break;
    case PurgeLock::none: break;
  }
}

// The whole purge as one call: v4.8's __purge_vmap_area_lazy(&start, &end, sync, 0) takes the
// lock inside, v4.10's callers take it around __purge_vmap_area_lazy; the model is the same.
bool purge(PurgeState& st, bool sync) {
  if (!purge_enter(st, sync)) return false;
  bool purged = purge_list_locked(st, ~0ul, 0);
  purge_exit(st);
  return purged;
}

void sync_purge(PurgeState& st, const char* who) {
  trace_note(who);
  SyncCall call = begin_sync(st);
  purge(st, true);
  // vm_unmap_aliases: if (!purged && flush) flush_tlb_kernel_range(start, end) - no vmap blocks
  // are modelled, so `flush` (a dirty per-cpu block range) is always 0.
  end_sync(st, call, who);
}

}  // namespace

void vfree(PurgeState& st, Area* va) {
  static const char* const kNote[kAreas] = {"vfree(va0)", "vfree(va1)", "vfree(va2)"};
  trace_note(kNote[va->index]);
  check(va->state == AreaState::busy, "vfree of va%u, which is %s", va->index, state_name(va->state));
  check(st.tlb.lazy_unmap(va->va_start, va->va_end, va->index, va->gen), "the ghost TLB is full");
  int pages = static_cast<int>(va->pages());
  int nr_lazy = st.cfg.count_first ? atomic_add_return(pages, st.vmap_lazy_nr) : 0;
  if (st.cfg.atomic_add) {
    llist_add(va, st.purge_list);
  } else {
    llist_add_racy(va, st.purge_list);
  }
  on_listed(st, va);  // after this point the area may be purged and freed at any time
  if (!st.cfg.count_first) nr_lazy = atomic_add_return(pages, st.vmap_lazy_nr);
  if (nr_lazy > st.lazy_max) try_purge_vmap_area_lazy(st);
}

void try_purge_vmap_area_lazy(PurgeState& st) {
  trace_note("try_purge_vmap_area_lazy");
  purge(st, false);
}

void purge_vmap_area_lazy(PurgeState& st) { sync_purge(st, "purge_vmap_area_lazy"); }

void vm_unmap_aliases(PurgeState& st) { sync_purge(st, "vm_unmap_aliases"); }

Area* alloc_vmap_area(PurgeState& st) {
  static const char* const kNote[kAreas] = {"alloc_vmap_area: va0", "alloc_vmap_area: va1", "alloc_vmap_area: va2"};
  trace_note("alloc_vmap_area");
  for (bool purged = false;; purged = true) {
    spin_lock(st.vmap_area_lock);
    unsigned m = st.free_map.load();
    if (m) {
      uint32_t i = static_cast<uint32_t>(__builtin_ctz(m));
      st.free_map.store(m & ~(1u << i));
      Area* va = st.va[i];
      on_alloc(st, va);
      trace_note(kNote[i]);
      spin_unlock(st.vmap_area_lock);
      return va;  // the caller maps its pages
    }
    spin_unlock(st.vmap_area_lock);
    if (purged) return nullptr;
    purge_vmap_area_lazy(st);
  }
}

}  // namespace sf::models::vmap_purge
