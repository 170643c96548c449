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

// The threads (scenario.cpp).
enum class Scenario : uint8_t {
  invalidate,  // T1 invalidates (or walks for clear_flush_young); T2 registers, faults, unregisters
  exit,        // T1, the driver, unregisters holding only an mm_count reference; T2 exits the mm
};

struct Config {
  bool register_takes_all_locks = true;   // mm_take_all_locks around the list insertion (bug: EMM's register)
  bool add_rcu = true;                    // hlist_add_head_rcu (2018 fix); false: 2.6.27's plain hlist_add_head
  bool unregister_syncs_rcu = true;       // synchronize_rcu before the caller frees the notifier
  bool end_wmb = true;                    // the consumer's end(): smp_wmb() between seq++ and count--
  bool lockless_retry = false;            // the consumer's fault checks count and seq without kvm_lock (PPC)
  InvalidatorLock invalidator = InvalidatorLock::mmap_sem;
  bool young_reader = false;  // T1 runs clear_flush_young (under the ptl only) instead of an invalidation
  bool unregister_checks_unlocked = false;  // the 2013 bug: hashed? tested, ->release run, outside mnm.lock
  bool free_mnm_at_exit = false;            // mmu_notifier_mm freed at mm_users == 0, not at mmdrop
  bool driver_frees_notifier = true;        // exit: the driver frees its notifier after unregister
  Scenario scenario = Scenario::invalidate;
};

struct Ops {
  const char* name;
};
inline constexpr Ops kKvmOps{"kvm_mmu_notifier_ops"};

// An mmu_notifier, allocated by the driver (a model heap block: freed after unregister).
struct Notifier {
  shared<const Ops*> ops{nullptr, "mn.ops"};  // set by the driver before register
  shared<Notifier*> next{nullptr, "mn.hlist.next"};
  bool hashed = false;  // on the list (hlist_unhashed, under mnm.lock)
  int released = 0;     // ghost: ->release calls
};

// mm->mmu_notifier_mm: allocated at the first register, freed with the mm (a model heap block).
struct NotifierMm {
  spinlock_t lock{"mmu_notifier_mm.lock"};
  shared<Notifier*> head{nullptr, "mmu_notifier_mm.list"};
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
  explicit MmuState(const Config& c) : cfg(c), mnm(kalloc<NotifierMm>("mmu_notifier_mm")) {}
  const Config& cfg;
  spinlock_t mmap_sem{"mmap_sem"};   // a rwsem in the kernel; one reader here, so a lock serves
  spinlock_t vma_lock{"i_mmap_lock"};
  spinlock_t ptl{"page_table_lock"};
  NotifierMm* mnm;
  atomic_t mm_users{1, "mm_users"};  // address-space users (the process)
  atomic_t mm_count{1, "mm_count"};  // references to the mm_struct (one for all its users)
  shared<int> pte{kOldPage, "pte"};
  Kvm kvm;
};

}  // namespace sf::models::mmu_notifier
