// models/mmu_notifier/notifier.cpp: the operations of research/algorithms.md 4b (2.6.27, with the
// 2018 hlist_add_head_rcu fix as the correct form) and the oracles at their linearization points:
// unpublished_notifier (N3), unmatched_end (N1: KVM's BUG_ON(count < 0)), stale_secondary_mapping
// (N4). A callback that reaches a freed notifier is the engine's use_after_free (N2).
#include "models/mmu_notifier/notifier.h"

namespace sf::models::mmu_notifier {

namespace {

// The ops of a notifier found on the list: the driver's, never the value before its initialization.
void check_ops(Notifier* n) {
  const Ops* ops = READ_ONCE(n->ops);
  oracle(ops == &kKvmOps, "unpublished_notifier",
         "T%u found the notifier on the list but read its ops as NULL: the list store became visible "
         "before the driver's initialization of the notifier",
         current_thread());
}

// ->release: the driver stops using the mm (no callback may follow). Exactly once per notifier.
void release(Notifier* n) {
  check_ops(n);
  ++n->released;
  oracle(n->released == 1, "double_release",
         "->release ran twice on one notifier: mmu_notifier_unregister and the exit's "
         "mmu_notifier_release both took it");
}

// mnm.lock held (or not, in the 2013 bug): hlist_del_rcu / hlist_del_init_rcu.
void unlink(MmuState& st, Notifier* n) {
  shared<Notifier*>* link = &st.mnm->head;
  for (Notifier* p = READ_ONCE(*link); p; p = READ_ONCE(*link)) {
    if (p == n) {
      WRITE_ONCE(*link, READ_ONCE(n->next));
      break;
    }
    link = &p->next;
  }
  n->hashed = false;  // a second unlink finds nothing (the kernel's deleted a NULL pprev here)
}

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
  for (Notifier* n = rcu_dereference(st.mnm->head); n; n = rcu_dereference(n->next)) call(st, n, start);
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
  spin_lock(st.mnm->lock);
  WRITE_ONCE(n->next, READ_ONCE(st.mnm->head));
  if (st.cfg.add_rcu) {
    rcu_assign_pointer(st.mnm->head, n);  // hlist_add_head_rcu: a release
  } else {
    WRITE_ONCE(st.mnm->head, n);  // 2.6.27's hlist_add_head: a plain store
  }
  n->hashed = true;
  spin_unlock(st.mnm->lock);
  if (all) {
    spin_unlock(st.vma_lock);
    spin_unlock(st.mmap_sem);
  }
}

void mmu_notifier_unregister(MmuState& st, Notifier* n) {
  kcheck_alive(st.mnm);  // the lock lives in mm->mmu_notifier_mm
  if (st.cfg.unregister_checks_unlocked) {
    // 2013's bug: hlist_unhashed tested and ->release called outside mnm.lock, then hlist_del_rcu
    if (n->hashed) {
      rcu_read_lock();
      release(n);
      rcu_read_unlock();
      spin_lock(st.mnm->lock);
      unlink(st, n);
      spin_unlock(st.mnm->lock);
    }
  } else {
    spin_lock(st.mnm->lock);
    if (n->hashed) {
      unlink(st, n);
      rcu_read_lock();
      spin_unlock(st.mnm->lock);
      release(n);
      rcu_read_unlock();
    } else {
      spin_unlock(st.mnm->lock);
    }
  }
  if (st.cfg.unregister_syncs_rcu) synchronize_rcu();
}

void mmu_notifier_release(MmuState& st) {
  spin_lock(st.mnm->lock);
  for (Notifier* n = READ_ONCE(st.mnm->head); n; n = READ_ONCE(st.mnm->head)) {
    unlink(st, n);  // hlist_del_init_rcu
    rcu_read_lock();
    spin_unlock(st.mnm->lock);
    release(n);
    rcu_read_unlock();
    spin_lock(st.mnm->lock);
  }
  spin_unlock(st.mnm->lock);
  synchronize_rcu();
}

void mmdrop(MmuState& st) {
  if (atomic_dec_return(st.mm_count) == 0 && !st.cfg.free_mnm_at_exit) kfree(st.mnm);  // mmu_notifier_mm_destroy
}

void mmput(MmuState& st) {
  if (atomic_dec_return(st.mm_users) != 0) return;
  mmu_notifier_release(st);  // exit_mmap
  if (st.cfg.free_mnm_at_exit) kfree(st.mnm);
  mmdrop(st);
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
  for (Notifier* n = rcu_dereference(st.mnm->head); n; n = rcu_dereference(n->next)) check_ops(n);
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
