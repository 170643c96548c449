// models/mmu_notifier/notifier.h: mmu_notifier_register/unregister, an invalidation bracketed by
// invalidate_range_start/end, and the KVM-like consumer's callbacks and secondary-MMU fault.
#pragma once
#include "models/mmu_notifier/state.h"

namespace sf::models::mmu_notifier {

void mmu_notifier_register(MmuState& st, Notifier* n);
// Returns once no invalidation can still reach n (with cfg.unregister_syncs_rcu): the caller frees n.
void mmu_notifier_unregister(MmuState& st, Notifier* n);
// munmap-like: under the invalidator's lock, start() to every notifier, the pte moves from the
// old page to the new one, end() to every notifier.
void invalidate_range(MmuState& st);
// page_referenced_one's mmu_notifier_clear_flush_young: one walk of the list under the page-table
// lock only (a reader that holds no lock of mm_take_all_locks).
void clear_flush_young(MmuState& st);
// The consumer maps the address in its secondary MMU, retrying while an invalidation is in flight
// (at most three tries). Returns whether it mapped it.
bool kvm_fault(MmuState& st);

}  // namespace sf::models::mmu_notifier
