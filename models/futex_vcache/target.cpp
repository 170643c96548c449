// models/futex_vcache/target.cpp: the futex_vcache target: Ingo's C4 form and Linus's order
// (seed 004), the bug variants of research/algorithms.md 3e and Lokier's 2.6.0 design as a control.
#include "models/futex_vcache/scenario.h"
#include "models/variant_table.h"

namespace sf::models {

using namespace futex_vcache;

namespace {

using Entry = VariantEntry<Config>;
constexpr auto with = config_with<Config>;

const Entry kEntries[] = {
    {{"correct", "pass", "vcache-2.5.38-C4: queue and attach under the ptl, vcache_lock and futex_lock; the COW callback runs under the ptl", false, MemoryMode::lkmm},
     Config{}},
    {{"linus_order", "pass", "Linus (seed 004): attach first, smp_mb(), hash; the COW changes the pte, smp_mb(), then checks the vcache without a lock", false, MemoryMode::lkmm},
     with([](Config& c) { c.form = Form::linus; })},
    {{"no_vcache", "lost_wakeup", "the original futex, hashed by page: the waiter sleeps on P, the COW moves A to P' and the wake looks there"},
     with([](Config& c) { c.form = Form::no_vcache; })},
    {{"linus_invalidate_before_pte", "lost_wakeup", "Linus's lockless attach with C4's order (invalidate, then establish_pte): the COW sees no entry, then the waiter hashes on the old page"},
     with([](Config& c) {
       c.form = Form::linus;
       c.invalidate_before_pte = true;
     })},
    {{"linus_no_mb", "lost_wakeup", "Linus's order without either barrier: store buffering (attach; read pte || write pte; read the vcache), both read the old value", false, MemoryMode::lkmm, "lost_wakeup"},
     with([](Config& c) {
       c.form = Form::linus;
       c.waiter_mb = c.cow_mb = false;
     })},
    {{"linus_waiter_mb_only", "lost_wakeup", "Linus's literal suggestion, the barrier after the attach only: the COW side's pte store and list_empty read still reorder (x86 too)", false, MemoryMode::lkmm, "lost_wakeup"},
     with([](Config& c) {
       c.form = Form::linus;
       c.cow_mb = false;
     })},
    {{"linus_cow_mb_only", "lost_wakeup", "only the COW side's barrier: the waiter's attach and pte read reorder (not on x86, where taking futex_lock drains the store buffer)", false, MemoryMode::lkmm, "pass"},
     with([](Config& c) {
       c.form = Form::linus;
       c.waiter_mb = false;
     })},
    {{"walk_snapshot", "lost_wakeup", "the COW reads the vcache chain before its pte store and walks that snapshot under vcache_lock: a waiter attached in between is missed"},
     with([](Config& c) {
       c.form = Form::linus;
       c.walk_snapshot = true;
       c.scenario = Scenario::two_waiters;
     })},
    {{"callback_keeps_bucket", "futex_hash_corrupt", "the callback sets q->page but leaves q on the old page's hash chain"},
     with([](Config& c) { c.callback_moves_bucket = false; })},
    {{"unqueue_without_vcache_lock", "use_after_free", "the Oct-2002 crash: a waiter that times out detaches its vcache entry without vcache_lock while the COW walks the chain, and returns"},
     with([](Config& c) {
       c.unqueue_takes_vcache_lock = false;
       c.scenario = Scenario::timeout;
     })},
    {{"note_lock_order", "deadlock", "C4 queueing under vcache_lock, futex_lock, then the ptl (research/algorithms.md 3b): ABBA with the COW fault, which holds the ptl and takes vcache_lock for a queued waiter"},
     with([](Config& c) {
       c.ptl_last = true;
       c.scenario = Scenario::two_waiters;
     })},
    {{"no_vcache_child_wake", "wrong_wakeup", "the original futex: after the parent's COW fault its waiter still sits on P, where the fork child's FUTEX_WAKE finds it"},
     with([](Config& c) {
       c.form = Form::no_vcache;
       c.scenario = Scenario::child_wake;
     })},
    {{"lokier_keys", "pass", "Lokier's 2.6.0 fix, private futexes keyed by (mm, vaddr): no vcache, no callback, and no lost wakeup", true, MemoryMode::lkmm},
     with([](Config& c) { c.form = Form::lokier; })},
    {{"correct_child_wake", "pass", "C4 with the fork child waking A: once the COW fault is done the parent's waiter is on P', out of the child's reach", true, MemoryMode::lkmm},
     with([](Config& c) { c.scenario = Scenario::child_wake; })},
    {{"linus_child_wake", "pass", "Linus's order with the fork child waking A", true, MemoryMode::lkmm},
     with([](Config& c) {
       c.form = Form::linus;
       c.scenario = Scenario::child_wake;
     })},
    {{"correct_timeout", "pass", "C4 with a second waiter that times out while the COW runs", true, MemoryMode::lkmm},
     with([](Config& c) { c.scenario = Scenario::timeout; })},
};

void body(int variant) { run_futex_vcache(kEntries[variant].cfg); }

}  // namespace

const Target& futex_vcache_target() {
  // The budget: the worst bug needs 3,373 executions (linus_waiter_mb_only under tso, seeds 1..40)
  static const Target t = table_target("futex_vcache",
                                        "the 2.5.38 futex vcache (seed 004): a COW fault must rehash the futex waiters of the page it "
                                        "replaces: no lost wakeup, waiters hashed where they say, no callback on a returned waiter",
                                        kEntries, &body, 40000);
  return t;
}

}  // namespace sf::models
