// models/mmu_notifier/scenario.cpp: the threads of research/algorithms.md 4c.
#include "models/mmu_notifier/scenario.h"

#include "models/mmu_notifier/notifier.h"

namespace sf::models::mmu_notifier {

namespace {

Notifier* new_notifier() {
  Notifier* n = kalloc<Notifier>("mmu_notifier");
  WRITE_ONCE(n->ops, &kKvmOps);
  return n;
}

// T1 invalidates the address (or walks the list for clear_flush_young) while T2, the driver,
// allocates and initializes a notifier, registers it, faults the address into its secondary MMU,
// unregisters and frees it. Then the process exits.
void invalidate(MmuState& st) {
  thread t1 = spawn([&] {
    if (st.cfg.young_reader) {
      clear_flush_young(st);
    } else {
      invalidate_range(st);
    }
  });
  thread t2 = spawn([&] {
    Notifier* n = new_notifier();
    mmu_notifier_register(st, n);
    kvm_fault(st);
    mmu_notifier_unregister(st, n);
    kfree(n);
  });
  join(t1);
  join(t2);
  mmput(st);
}

// The driver's notifier is registered while the process runs; the driver keeps only an mm_count
// reference (mmgrab). T1, the driver, unregisters and frees its notifier while T2, the process's
// last user, exits (mmput: exit_mmap's mmu_notifier_release, then mmdrop).
void exit_race(MmuState& st) {
  Notifier* n = new_notifier();
  mmu_notifier_register(st, n);
  atomic_inc(st.mm_count);
  thread t1 = spawn([&] {
    mmu_notifier_unregister(st, n);
    mmdrop(st);
    if (st.cfg.driver_frees_notifier) kfree(n);
  });
  thread t2 = spawn([&] { mmput(st); });
  join(t1);
  join(t2);
  if (!st.cfg.driver_frees_notifier) kfree(n);
}

}  // namespace

void run_mmu_notifier(const Config& cfg) {
  MmuState st(cfg);
  switch (cfg.scenario) {
    case Scenario::invalidate: invalidate(st); break;
    case Scenario::exit: exit_race(st); break;
  }
}

}  // namespace sf::models::mmu_notifier
