// models/futex_vcache/state.h: the knobs that make each form and bug variant of the 2.5.38 futex
// vcache (seed 004), and FutexState: one mm's page-table entry for the futex address A, the two
// pages A can map (P from the fork, P' its copy-on-write copy), the futex hash, the vcache and
// their locks, and the ghost state of the harness.
#pragma once
#include <cstdint>

#include "schedfuzz/schedfuzz.h"

namespace sf::models::futex_vcache {

inline constexpr int kOld = 0;  // P: the page A maps at the start, write-protected (shared with a fork child)
inline constexpr int kNew = 1;  // P': the private copy the COW fault installs
inline constexpr uint32_t kMaxWaiters = 2;

// How a waiter gets hashed, and how a COW fault finds the waiters of the page it replaces.
enum class Form : uint8_t {
  c4,         // Ingo's vcache-2.5.38-C4: queue and attach under vcache_lock, futex_lock and the ptl
  linus,      // Linus (seed 004): attach the vcache entry first, smp_mb(), then look up and hash;
              // the COW fault changes the pte, then invalidates (lockless list_empty check first)
  no_vcache,  // the original pin-and-hash-by-page futex: nothing tells a waiter its page was replaced
  lokier,     // Jamie Lokier's 2.6.0 fix: private futexes keyed by (mm, vaddr), no vcache, no callback
};

// The threads (scenario.cpp).
enum class Scenario : uint8_t {
  cow,           // T1 waits while A reads 0; T2 stores 1 to A (a COW fault), then wakes all
  two_waiters,   // the same with two waiters
  timeout,       // T1 waits; T3 waits with a timeout (queues, then unqueues at once); T2 as in cow
  child_wake,    // T1 waits; T2 stores 1 to A (the COW fault) and wakes nobody; T3, in the fork
                 // child whose A still maps P, wakes A: after the COW it must not reach T1
};

struct Config {
  Form form = Form::c4;
  bool waiter_mb = true;             // linus: smp_mb() after attaching the vcache entry
  bool cow_mb = true;                // linus: smp_mb() between the pte store and the list_empty check
  bool invalidate_before_pte = false;  // linus: call invalidate_vcache before establish_pte (C4's place)
  bool walk_snapshot = false;        // the COW walks the vcache chain it read before taking vcache_lock
  bool callback_moves_bucket = true; // the callback rehashes q on the new page (bug: only sets q.page)
  bool unqueue_takes_vcache_lock = true;  // bug: detaches its vcache entry without vcache_lock
  bool ptl_last = false;             // c4: queue takes vcache_lock, futex_lock, then the ptl (ABBA with the COW)
  Scenario scenario = Scenario::cow;
};

// A futex_q with its vcache entry. It lives in the waiter's stack frame: a model heap block, freed
// when futex_wait returns, so a callback that reaches it later is a use after free.
struct Q {
  explicit Q(uint32_t t) : tid(t) {}
  const uint32_t tid;                            // the waiting thread (what futex_wake unparks)
  var<int> page{kOld, "q.page"};                 // the page q is hashed on (futex_lock)
  var<Q*> next{nullptr, "q.list.next"};          // the futex hash chain (futex_lock)
  shared<Q*> vc_next{nullptr, "q.vcache.next"};  // the vcache chain (vcache_lock; its head is read locklessly)
  shared<int> woken{0, "q.woken"};               // set by futex_wake before it unparks the waiter
  // Ghost: where q is, as the waiter's own bookkeeping sees it.
  int bucket = -1;        // the futex hash chain holding q (-1: not hashed)
  bool attached = false;  // on the vcache chain
};

struct FutexState {
  explicit FutexState(const Config& c) : cfg(c) {}

  const Config& cfg;
  shared<int> pte{kOld, "pte[A]"};  // the waiters' and the COW thread's mm: A -> page
  shared<int> child_pte{kOld, "child pte[A]"};  // the fork child's mm: A keeps mapping P
  shared<int> word_old{0, "P[A]"};  // the futex word in P
  shared<int> word_new{0, "P'[A]"};  // the futex word in P' (written by the COW copy)
  shared<int>& word(int page) { return page == kOld ? word_old : word_new; }
  spinlock_t ptl{"page_table_lock"};
  spinlock_t futex_lock{"futex_lock"};
  spinlock_t vcache_lock{"vcache_lock"};
  var<Q*> bucket_old{nullptr, "futex_hash[P]"};
  var<Q*> bucket_new{nullptr, "futex_hash[P']"};
  var<Q*>& bucket(int page) { return page == kOld ? bucket_old : bucket_new; }
  shared<Q*> vcache_head{nullptr, "vcache_hash[mm,A]"};

  // Ghost state of the harness (no schedule points).
  uint32_t waiters = 0;
  uint32_t tid[kMaxWaiters] = {};  // each waiter's thread
  Q* q[kMaxWaiters] = {};          // a waiter's q while it is inside futex_wait
  bool asleep[kMaxWaiters] = {};   // in the sleep loop (queued, saw the expected value)
  bool done[kMaxWaiters] = {};     // saw A != 0: returned for good
  bool give_up = false;            // the harness ends the sleep of a waiter nobody will wake
  bool cow_done = false;           // the COW fault has released the ptl: A maps P' in the parent
};

}  // namespace sf::models::futex_vcache
