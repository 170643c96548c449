// models/vmap_purge/target.cpp: the vmap_purge target: the v4.8 and v4.10 correct forms, the bug
// variants of the v4.9 purge_lock discussion (seed 002) and the controls, as `schedfuzz list` shows them.
#include "models/variant_table.h"
#include "models/vmap_purge/scenario.h"

namespace sf::models {

using namespace vmap_purge;

namespace {

using Entry = VariantEntry<Config>;
constexpr auto with = config_with<Config>;

// Each variant is one switch away from v4.8 (purge_lock inside __purge_vmap_area_lazy).
const Entry kEntries[] = {
    {{"correct", "pass", "v4.8: purge_lock in __purge_vmap_area_lazy (trylock when !sync), atomic_sub before the flush", false, MemoryMode::lkmm},
     Config{}},
    {{"merged_4_10", "pass", "v4.10: vmap_purge_lock taken by the callers, flush, then free and atomic_sub per area", false, MemoryMode::lkmm},
     with([](Config& c) { c.lock = PurgeLock::callers; c.sub_before_flush = false; })},
    {{"seed_patch_as_posted", "tlb_not_flushed", "Hellwig's sketch (seed 002) as posted: no purge lock and no TLB flush: one thread frees an area to the allocator with its stale TLB entry"},
     with([](Config& c) { c.lock = PurgeLock::none; c.flush = false; c.scenario = Scenario::one_thread; })},
    {{"seed_patch_flush_restored", "sync_purge_incomplete", "seed 002 with the flush restored but no lock: vm_unmap_aliases finds the list empty while another purger has not flushed yet"},
     with([](Config& c) { c.lock = PurgeLock::none; })},
    {{"joel_atomic_refcount", "sync_purge_incomplete", "Joel Fernandes: purge_lock as an atomic_t; the sync path's atomic_inc waits for nobody"},
     with([](Config& c) { c.lock = PurgeLock::refcount; })},
    {{"del_all_not_atomic", "area_leak", "llist_del_all as READ_ONCE(head) then WRITE_ONCE(head, NULL): an llist_add in between is lost"},
     with([](Config& c) { c.atomic_del_all = false; })},
    {{"del_all_not_atomic_lockless", "area_double_free", "seed 002 (flush restored) with a read-then-clear llist_del_all: two purgers take the same areas"},
     with([](Config& c) { c.lock = PurgeLock::none; c.atomic_del_all = false; c.scenario = Scenario::purge_race; })},
    {{"llist_add_not_atomic", "area_leak", "llist_add as read head, link, store head: a concurrent llist_add is overwritten and lost"},
     with([](Config& c) { c.atomic_add = false; c.scenario = Scenario::concurrent_frees; })},
    {{"llist_add_not_atomic_vs_purge", "llist_corrupt", "llist_add as read head, link, store head, racing with llist_del_all: a purged area is linked back onto the list"},
     with([](Config& c) { c.atomic_add = false; c.scenario = Scenario::add_vs_purge; })},
    {{"count_after_llist_add", "lazy_count", "vfree adds to vmap_lazy_nr after its llist_add: a purger subtracts the pages before they are counted"},
     with([](Config& c) { c.count_first = false; })},
    {{"free_before_flush", "tlb_not_flushed", "the flush moved after the vmap_area_lock loop: areas go back to the allocator before their range is flushed"},
     with([](Config& c) { c.free_before_flush = true; })},
    {{"atomic_sub_before_flush", "pass", "v4.10 with v4.8's order (atomic_sub of the total before the flush): vmap_lazy_nr under-counts for a while, nothing breaks", true, MemoryMode::lkmm},
     with([](Config& c) { c.lock = PurgeLock::callers; })},
    {{"trylock_leaves_for_sync", "pass", "v4.8, every vfree purges: a failed trylock leaves areas listed, and the final synchronous purge takes them", true, MemoryMode::lkmm},
     with([](Config& c) { c.scenario = Scenario::trylock_race; })},
};

void body(int variant) { run_vmap_purge(kEntries[variant].cfg); }

}  // namespace

const Target& vmap_purge_target() {
  // The budget: the worst bug needs 81 executions (seeds 1..300, sc): a 12x margin
  static const Target t = table_target("vmap_purge",
                                        "the lazy vmap purge (seed 002): no area freed twice or leaked, TLB flushed before reuse, "
                                        "vm_unmap_aliases returns only once earlier lazy frees are flushed",
                                        kEntries, &body, 1000);
  return t;
}

}  // namespace sf::models
