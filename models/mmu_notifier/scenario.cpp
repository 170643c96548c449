// models/mmu_notifier/scenario.cpp: the threads of research/algorithms.md 4c.
#include "models/mmu_notifier/scenario.h"

#include "models/mmu_notifier/notifier.h"

namespace sf::models::mmu_notifier {

void run_mmu_notifier(const Config& cfg) {
  MmuState st(cfg);
  thread t1 = spawn([&] {
    if (cfg.young_reader) {
      clear_flush_young(st);
    } else {
      invalidate_range(st);
    }
  });
  thread t2 = spawn([&] {
    Notifier* n = kalloc<Notifier>("mmu_notifier");
    WRITE_ONCE(n->ops, &kKvmOps);
    mmu_notifier_register(st, n);
    kvm_fault(st);
    mmu_notifier_unregister(st, n);
    kfree(n);
  });
  join(t1);
  join(t2);
}

}  // namespace sf::models::mmu_notifier
