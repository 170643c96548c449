// models/vmap_purge/purge.h: the operations of the lazy vmap purge (mm/vmalloc.c, v4.8 -> v4.10),
// each form and bug variant selected by PurgeState::cfg.
#pragma once
#include "models/vmap_purge/state.h"

namespace sf::models::vmap_purge {

// free_unmap_vmap_area + free_vmap_area_noflush: unmap lazily (a stale TLB entry remains), count
// the pages, put the area on vmap_purge_list, and purge opportunistically above lazy_max.
void vfree(PurgeState& st, Area* va);

// try_purge_vmap_area_lazy: purge unless somebody else is purging.
void try_purge_vmap_area_lazy(PurgeState& st);

// purge_vmap_area_lazy: the synchronous purge. Contract (P3): every area lazily freed before the
// call is flushed when it returns.
void purge_vmap_area_lazy(PurgeState& st);

// vm_unmap_aliases: the same contract, for the callers outside mm/ (no vmap blocks are modelled,
// so its own dirty range is empty).
void vm_unmap_aliases(PurgeState& st);

// alloc_vmap_area: a free area under vmap_area_lock; if none, purge synchronously and retry once.
// Returns nullptr if there is still none.
Area* alloc_vmap_area(PurgeState& st);

}  // namespace sf::models::vmap_purge
