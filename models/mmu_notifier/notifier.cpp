// models/mmu_notifier/notifier.cpp: the operations of research/algorithms.md 4b (2.6.27, with the
// 2018 hlist_add_head_rcu fix as the correct form) and the oracles at their linearization points:
// unpublished_notifier (N3), unmatched_end (N1: KVM's BUG_ON(count < 0)), stale_secondary_mapping
// (N4). A callback that reaches a freed notifier is the engine's use_after_free (N2).
#include "models/mmu_notifier/notifier.h"

namespace sf::models::mmu_notifier {

namespace {

void kvm_start(MmuState& st) {
  Kvm& k = st.kvm;
  spin_lock(k.mmu_lock);
  WRITE_ONCE(k.count, READ_ONCE(k.count) + 1);
  if (!st.cfg.lockless_retry) k.spte.store(kNoPage);  // zap the secondary mapping
  spin_unlock(k.mmu_lock);
  if (st.cfg.lockless_retry) {
    spin_lock(k.hpte_lock);
    k.spte.store(kNoPage);
    spin_unlock(k.hpte_lock);
  }
}

void kvm_end(MmuState& st) {
  Kvm& k = st.kvm;
  spin_lock(k.mmu_lock);
  WRITE_ONCE(k.seq, READ_ONCE(k.seq) + 1);
  if (st.cfg.end_wmb) smp_wmb();  // pairs with the fault's smp_rmb() between count and seq
  int count = READ_ONCE(k.count) - 1;
  WRITE_ONCE(k.count, count);
  k.end_seen = true;
  spin_unlock(k.mmu_lock);
  oracle(count >= 0, "unmatched_end",
         "invalidate_range_end reached the notifier without its start: mmu_notifier_count is %d "
         "(KVM's BUG_ON(kvm->mmu_notifier_count < 0))",
         count);
}

// The ops of a notifier found on the list: the driver's, never the value before its initialization.
void check_ops(Notifier* n) {
  const Ops* ops = READ_ONCE(n->ops);
  oracle(ops == &kKvmOps, "unpublished_notifier",
         "T%u found the notifier on the list but read its ops as NULL: the list store became visible "
         "before the driver's initialization of the notifier",
         current_thread());
}

// One callback, through the ops the notifier was published with.
void call(MmuState& st, Notifier* n, bool start) {
  check_ops(n);
  if (start) {
    kvm_start(st);
  } else {
    kvm_end(st);
  }
}

void for_each_notifier(MmuState& st, bool start) {
  bool ptl_only = st.cfg.invalidator == InvalidatorLock::ptl_only;
  if (ptl_only) spin_lock(st.ptl);
  rcu_read_lock();
  for (Notifier* n = rcu_dereference(st.head); n; n = rcu_dereference(n->next)) call(st, n, start);
  rcu_read_unlock();
  if (ptl_only) spin_unlock(st.ptl);
}

spinlock_t* invalidator_lock(MmuState& st) {
  switch (st.cfg.invalidator) {
    case InvalidatorLock::mmap_sem: return &st.mmap_sem;
    case InvalidatorLock::vma_lock: return &st.vma_lock;
    case InvalidatorLock::ptl_only: return nullptr;
  }
  return nullptr;
}

}  // namespace

void mmu_notifier_register(MmuState& st, Notifier* n) {
  bool all = st.cfg.register_takes_all_locks;
  if (all) {  // mm_take_all_locks: mmap_sem for write, then every vma lock
    spin_lock(st.mmap_sem);
    spin_lock(st.vma_lock);
  }
  spin_lock(st.mnm_lock);
  WRITE_ONCE(n->next, READ_ONCE(st.head));
  if (st.cfg.add_rcu) {
    rcu_assign_pointer(st.head, n);  // hlist_add_head_rcu: a release
  } else {
    WRITE_ONCE(st.head, n);  // 2.6.27's hlist_add_head: a plain store
  }
  n->hashed = true;
  spin_unlock(st.mnm_lock);
  if (all) {
    spin_unlock(st.vma_lock);
    spin_unlock(st.mmap_sem);
  }
}

void mmu_notifier_unregister(MmuState& st, Notifier* n) {
  spin_lock(st.mnm_lock);
  if (n->hashed) {  // hlist_del_rcu
    shared<Notifier*>* link = &st.head;
    for (Notifier* p = READ_ONCE(*link); p; p = READ_ONCE(*link)) {
      if (p == n) {
        WRITE_ONCE(*link, READ_ONCE(n->next));
        break;
      }
      link = &p->next;
    }
    n->hashed = false;
  }
  spin_unlock(st.mnm_lock);
  if (st.cfg.unregister_syncs_rcu) synchronize_rcu();
}

void invalidate_range(MmuState& st) {
  spinlock_t* lock = invalidator_lock(st);
  if (lock) spin_lock(*lock);
  for_each_notifier(st, true);
  spin_lock(st.ptl);
  WRITE_ONCE(st.pte, kNewPage);  // the old page is unmapped (and freed after end)
  spin_unlock(st.ptl);
  for_each_notifier(st, false);
  if (lock) spin_unlock(*lock);
}

void clear_flush_young(MmuState& st) {
  spin_lock(st.ptl);
  rcu_read_lock();
  for (Notifier* n = rcu_dereference(st.head); n; n = rcu_dereference(n->next)) check_ops(n);
  rcu_read_unlock();
  spin_unlock(st.ptl);
}

bool kvm_fault(MmuState& st) {
  Kvm& k = st.kvm;
  for (int attempt = 0; attempt < 3; ++attempt) {
    int seq = READ_ONCE(k.seq);
    smp_rmb();
    int page = READ_ONCE(st.pte);  // gfn_to_pfn
    spinlock_t& lock = st.cfg.lockless_retry ? k.hpte_lock : k.mmu_lock;
    spin_lock(lock);
    bool retry;
    if (st.cfg.lockless_retry) {  // mmu_notifier_retry without mmu_lock: count, smp_rmb(), seq
      int count = READ_ONCE(k.count);
      smp_rmb();
      retry = count != 0 || READ_ONCE(k.seq) != seq;
    } else {
      retry = READ_ONCE(k.count) != 0 || READ_ONCE(k.seq) != seq;
    }
    if (!retry) {
      oracle(!(page == kOldPage && k.end_seen), "stale_secondary_mapping",
             "the secondary MMU maps the old page after invalidate_range_end removed it: the fault's retry "
             "check saw mmu_notifier_count 0 but not the new mmu_notifier_seq");
      k.spte.store(page);
    }
    spin_unlock(lock);
    if (!retry) return true;
  }
  return false;
}

}  // namespace sf::models::mmu_notifier
