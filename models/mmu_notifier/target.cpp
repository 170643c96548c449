// models/mmu_notifier/target.cpp: the mmu_notifier target: 2.6.27's register/unregister against
// invalidate_range_start/end (seed 003), with a KVM-like consumer, its bug variants (research/
// algorithms.md 4e) and the controls of Andrea Arcangeli's claim in the seed.
#include "models/mmu_notifier/scenario.h"
#include "models/variant_table.h"

namespace sf::models {

using namespace mmu_notifier;

namespace {

using Entry = VariantEntry<Config>;
constexpr auto with = config_with<Config>;

const Entry kEntries[] = {
    {{"correct", "pass", "2.6.27 with the 2018 hlist_add_head_rcu: register under mm_take_all_locks, unregister then synchronize_rcu, KVM's locked retry check", false, MemoryMode::lkmm},
     Config{}},
    {{"lockless_retry", "pass", "the consumer's retry check without mmu_lock (PPC), paired with the smp_wmb() between seq++ and count-- in end()", false, MemoryMode::lkmm},
     with([](Config& c) { c.lockless_retry = true; })},
    {{"register_without_all_locks", "unmatched_end", "Lameter's EMM register (no mm_lock): the notifier joins between an invalidation's start and end loops and gets end() alone"},
     with([](Config& c) { c.register_takes_all_locks = false; })},
    {{"unregister_without_sync_rcu", "use_after_free", "unregister returns without a grace period: the driver frees the notifier while the invalidation's RCU walk still holds it"},
     with([](Config& c) { c.unregister_syncs_rcu = false; })},
    {{"plain_add_ptl_reader", "unpublished_notifier", "2.6.27's plain hlist_add_head, and clear_flush_young walking the list under the page-table lock only: it sees the notifier before its ops (fixed by 543bdb2d825f, 2018)", false, MemoryMode::lkmm, "pass"},
     with([](Config& c) {
       c.add_rcu = false;
       c.young_reader = true;
     })},
    {{"ptl_only_invalidator", "unmatched_end", "start/end called under the page-table lock only: register (which takes mmap_sem and the vma locks, not the ptl) slips between them"},
     with([](Config& c) { c.invalidator = InvalidatorLock::ptl_only; })},
    {{"end_without_wmb", "stale_secondary_mapping", "end() without the smp_wmb() between seq++ and count--, with the lockless retry check: a fault sees count 0 and the old seq, and maps the freed page", false, MemoryMode::lkmm, "pass"},
     with([](Config& c) {
       c.lockless_retry = true;
       c.end_wmb = false;
     })},
    {{"unregister_unlocked_check", "double_release", "the 2013 bug (751efd8610d3): unregister tests hlist_unhashed and calls ->release outside mmu_notifier_mm.lock while the exit's mmu_notifier_release takes the same notifier (the driver keeps the notifier: freeing it also gives use_after_free)"},
     with([](Config& c) {
       c.unregister_checks_unlocked = true;
       c.driver_frees_notifier = false;
       c.scenario = Scenario::exit;
     })},
    {{"mnm_freed_at_exit", "use_after_free", "mmu_notifier_mm freed when mm_users reaches 0 (seed 003: unregister \"can't run after mm_users == 0\"): an unregister holding only mm_count takes a freed lock"},
     with([](Config& c) {
       c.free_mnm_at_exit = true;
       c.scenario = Scenario::exit;
     })},
    {{"plain_add_mmap_sem_reader", "pass", "Andrea's claim (seed 003): with the reader under mmap_sem, which mm_take_all_locks also takes, the plain hlist_add_head is ordered by the lock", true, MemoryMode::lkmm},
     with([](Config& c) { c.add_rcu = false; })},
    {{"plain_add_vma_lock_reader", "pass", "the same with a truncate-like reader under the vma lock only: mm_take_all_locks takes every vma lock", true, MemoryMode::lkmm},
     with([](Config& c) {
       c.add_rcu = false;
       c.invalidator = InvalidatorLock::vma_lock;
     })},
    {{"rcu_add_ptl_reader", "pass", "clear_flush_young under the page-table lock only, with hlist_add_head_rcu: the release publishes the ops", true, MemoryMode::lkmm},
     with([](Config& c) { c.young_reader = true; })},
    {{"unregister_vs_exit", "pass", "2.6.27's unregister (under mmu_notifier_mm.lock, then synchronize_rcu) racing the exit, mmu_notifier_mm freed at mmdrop", true, MemoryMode::lkmm},
     with([](Config& c) { c.scenario = Scenario::exit; })},
    {{"end_wmb_locked_retry", "pass", "end() without the smp_wmb(), but the retry check under mmu_lock: the lock orders it (the early kvm_main.c argument)", true, MemoryMode::lkmm},
     with([](Config& c) { c.end_wmb = false; })},
};

void body(int variant) { run_mmu_notifier(kEntries[variant].cfg); }

}  // namespace

const Target& mmu_notifier_target() {
  // The budget: the worst bug needs 1,072 executions (end_without_wmb, lkmm, seeds 1..40)
  static const Target t = table_target("mmu_notifier",
                                        "the 2.6.27 mmu notifier (seed 003): every end() follows its start(), no callback after "
                                        "unregister, notifiers published with their ops, no secondary mapping of a page an "
                                        "invalidation removed",
                                        kEntries, &body, 20000);
  return t;
}

}  // namespace sf::models
