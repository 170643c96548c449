// examples/ticket_lock/ticket_lock.cpp: a model of your own, fuzzed by the schedfuzz command line
// (main.cpp) and by libFuzzer (fuzz.cpp) without touching schedfuzz's sources. A ticket spinlock,
// as in the kernel's arch_spinlock_t of old: take a ticket with an atomic fetch-and-add on `next`,
// wait until `owner` reaches it, release by publishing owner + 1. Two threads each increment a
// counter twice under the lock; the oracle checks that no increment was lost.
#include "ticket_lock.h"

#include "schedfuzz/schedfuzz.h"

using namespace sf;

namespace {

enum Variant { kCorrect, kUnlockEarly, kRelaxedUnlock, kRelaxedWait };

struct TicketLock {
  atomic_t next{0, "next"};
  shared<int> owner{0, "owner"};
  int variant;

  void lock() {
    int ticket = atomic_fetch_add(1, next);
    // The holder's stores must be visible once we see our turn: an acquire load.
    while ((variant == kRelaxedWait ? READ_ONCE(owner) : smp_load_acquire(owner)) != ticket) cpu_relax();
  }
  void unlock() {
    int o = READ_ONCE(owner);  // only the holder writes owner
    if (variant == kRelaxedUnlock) {
      WRITE_ONCE(owner, o + 1);  // the bug: the critical section's stores may follow the release
    } else {
      smp_store_release(owner, o + 1);
    }
  }
};

void ticket_lock_body(int variant) {
  TicketLock lock;
  lock.variant = variant;
  shared<int> counter{0, "counter"};
  auto worker = [&] {
    for (int i = 0; i < 2; ++i) {
      lock.lock();
      int v = READ_ONCE(counter);
      if (lock.variant == kUnlockEarly) {  // the bug: the release moved above the last store
        lock.unlock();
        WRITE_ONCE(counter, v + 1);
      } else {
        WRITE_ONCE(counter, v + 1);
        lock.unlock();
      }
    }
  };
  parallel(worker, worker);
  oracle(counter.peek() == 4, "lost_update", "counter is %d after four locked increments", counter.peek());
}

}  // namespace

const Target& ticket_lock_target() {
  static const Target target = {
      "ticket_lock",
      "ticket spinlock: two threads, two locked increments each; no increment may be lost",
      {
          {"correct", "pass", "fetch-and-add ticket, acquire wait, release unlock", false, MemoryMode::lkmm},
          {"unlock_early", "lost_update", "the unlock moved above the critical section's last store"},
          {"relaxed_unlock", "lost_update", "unlock with WRITE_ONCE instead of smp_store_release", false,
           MemoryMode::lkmm, "pass"},
          {"relaxed_wait", "lost_update", "wait for the turn with READ_ONCE instead of smp_load_acquire", false,
           MemoryMode::lkmm, "pass"},
      },
      ticket_lock_body,
      100000};
  return target;
}
