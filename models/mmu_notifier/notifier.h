// models/mmu_notifier/notifier.h: mmu_notifier_register/unregister, an invalidation bracketed by
// invalidate_range_start/end, and the KVM-like consumer's callbacks and secondary-MMU fault.
#pragma once
#include "models/mmu_notifier/state.h"

namespace sf::models::mmu_notifier {

void mmu_notifier_register(MmuState& st, Notifier* n);
// Returns once no invalidation can still reach n (with cfg.unregister_syncs_rcu): the caller frees n.
void mmu_notifier_unregister(MmuState& st, Notifier* n);
// The mm's last user leaves (mmput): exit_mmap's mmu_notifier_release calls every notifier's
// ->release and empties the list; then the mm's own reference goes (mmdrop).
void mmput(MmuState& st);
// A reference to the mm_struct goes; the last one frees mm->mmu_notifier_mm.
void mmdrop(MmuState& st);
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
