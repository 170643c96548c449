// models/mmu_notifier/state.h: the knobs that make each form and bug variant of the 2.6.27 mmu
// notifier (seed 003), and MmuState: one mm (mmap_sem, one vma lock, the primary pte of one
// address), its notifier list (mmu_notifier_mm), and one KVM-like consumer with a secondary MMU.
#pragma once
#include <cstdint>

#include "schedfuzz/schedfuzz.h"

namespace sf::models::mmu_notifier {

inline constexpr int kOldPage = 1;  // what the address maps before the invalidation
inline constexpr int kNewPage = 2;  // after it
inline constexpr int kNoPage = 0;

// Which lock the invalidating thread holds around invalidate_range_start/end.
enum class InvalidatorLock : uint8_t {
  mmap_sem,  // munmap/madvise: mmap_sem (taken by mm_take_all_locks too)
  vma_lock,  // truncate: the vma's i_mmap_lock (taken by mm_take_all_locks too)
  ptl_only,  // a path under the page-table lock only, which mm_take_all_locks does not take
};

struct Config {
  bool register_takes_all_locks = true;   // mm_take_all_locks around the list insertion (bug: EMM's register)
  bool add_rcu = true;                    // hlist_add_head_rcu (2018 fix); false: 2.6.27's plain hlist_add_head
  bool unregister_syncs_rcu = true;       // synchronize_rcu before the caller frees the notifier
  bool end_wmb = true;                    // the consumer's end(): smp_wmb() between seq++ and count--
  bool lockless_retry = false;            // the consumer's fault checks count and seq without kvm_lock (PPC)
  InvalidatorLock invalidator = InvalidatorLock::mmap_sem;
  bool young_reader = false;  // T1 runs clear_flush_young (under the ptl only) instead of an invalidation
};

struct Ops {
  const char* name;
};
inline constexpr Ops kKvmOps{"kvm_mmu_notifier_ops"};

// An mmu_notifier, allocated by the driver (a model heap block: freed after unregister).
struct Notifier {
  shared<const Ops*> ops{nullptr, "mn.ops"};  // set by the driver before register
  shared<Notifier*> next{nullptr, "mn.hlist.next"};
  bool hashed = false;  // ghost: on the list
};

// The consumer (KVM): in-flight invalidations, a sequence count, and its secondary MMU's mapping.
struct Kvm {
  spinlock_t mmu_lock{"kvm->mmu_lock"};
  spinlock_t hpte_lock{"hpte_lock"};  // the lockless-retry consumer's own lock (PPC's HPTE lock)
  shared<int> count{0, "mmu_notifier_count"};
  shared<int> seq{0, "mmu_notifier_seq"};
  var<int> spte{kNoPage, "spte"};  // the secondary mapping of the address (hpte_lock or mmu_lock)
  bool end_seen = false;           // ghost: an end() of the invalidation that removed kOldPage ran
};

struct MmuState {
  explicit MmuState(const Config& c) : cfg(c) {}
  const Config& cfg;
  spinlock_t mmap_sem{"mmap_sem"};   // a rwsem in the kernel; one reader here, so a lock serves
  spinlock_t vma_lock{"i_mmap_lock"};
  spinlock_t ptl{"page_table_lock"};
  spinlock_t mnm_lock{"mmu_notifier_mm.lock"};
  shared<Notifier*> head{nullptr, "mmu_notifier_mm.list"};
  shared<int> pte{kOldPage, "pte"};
  Kvm kvm;
};

}  // namespace sf::models::mmu_notifier
