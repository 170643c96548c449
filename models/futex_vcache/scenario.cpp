// models/futex_vcache/scenario.cpp: the threads of each scenario (research/algorithms.md 3c) and
// the checks at quiescence (3d: F1 no lost wakeup, F2 hashed on the current page; F3, no wakeup
// of the parent's waiter by the fork child after the COW, is checked in futex_wake; F4, a callback
// reaching a q whose futex_wait has returned, is the engine's use_after_free).
#include "models/futex_vcache/scenario.h"

#include "models/futex_vcache/futex.h"

namespace sf::models::futex_vcache {

namespace {

const char* page_name(int page) { return page == kOld ? "P" : "P'"; }

// A waiter: while *A reads 0, FUTEX_WAIT(A, 0). A timed-out or abandoned wait ends it.
void waiter(FutexState& st, uint32_t w, bool timeout) {
  st.tid[w] = current_thread();
  while (user_read(st) == 0) {
    WaitResult r = futex_wait(st, w, 0, timeout);
    if (r == WaitResult::timed_out || r == WaitResult::given_up) break;
  }
  st.done[w] = true;
}

bool settled(const FutexState& st) {
  for (uint32_t w = 0; w < st.waiters; ++w)
    if (!st.done[w] && !st.asleep[w]) return false;
  return true;
}

// F2: every queued q sits on the chain of the page it says it is hashed on (no lock is held now).
void check_hash(FutexState& st) {
  for (uint32_t w = 0; w < st.waiters; ++w) {
    const Q* q = st.q[w];
    if (!q || q->bucket < 0 || st.cfg.form == Form::lokier) continue;
    oracle(q->bucket == q->page.peek(), "futex_hash_corrupt",
           "T%u's futex_q says page %s but sits on the futex_hash chain of page %s: a wake on %s cannot find it",
           st.tid[w], page_name(q->page.peek()), page_name(q->bucket), page_name(q->page.peek()));
  }
}

// F1: every wake has happened; a waiter still asleep and not woken will sleep forever.
void check_no_lost_wakeup(FutexState& st) {
  for (uint32_t w = 0; w < st.waiters; ++w) {
    const Q* q = st.q[w];
    if (!st.asleep[w] || !q || q->woken.peek()) continue;
    int now = st.pte.peek();
    oracle(false, "lost_wakeup",
           "T%u sleeps in futex_wait, queued on page %s, but A now maps %s and *A is %d: the wake after the COW "
           "fault went to %s and nobody is left to wake it",
           st.tid[w], q->bucket < 0 ? "(none)" : page_name(q->page.peek()), page_name(now),
           st.word(now).peek(), page_name(now));
  }
}

}  // namespace

void run_futex_vcache(const Config& cfg) {
  FutexState st(cfg);
  st.waiters = cfg.scenario == Scenario::two_waiters || cfg.scenario == Scenario::timeout ? 2 : 1;
  bool child = cfg.scenario == Scenario::child_wake;
  thread t1 = spawn([&] { waiter(st, 0, false); });
  thread t2 = spawn([&] {
    user_store_cow(st, 1);
    if (!child) futex_wake(st, kMaxWaiters);
  });
  thread t3{};
  if (st.waiters == 2) t3 = spawn([&] { waiter(st, 1, cfg.scenario == Scenario::timeout); });
  if (child) t3 = spawn([&] { futex_wake(st, 1, true); });
  join(t2);
  if (child) join(t3);
  while (!settled(st)) cpu_relax();
  check_hash(st);
  if (!child) check_no_lost_wakeup(st);  // in child_wake nobody in the parent wakes after the store
  st.give_up = true;  // end the sleep of a waiter nobody will wake, so that it returns
  for (uint32_t w = 0; w < st.waiters; ++w)
    if (st.asleep[w]) unpark(st.tid[w]);
  join(t1);
  if (st.waiters == 2) join(t3);
  oracle(!st.bucket_old.peek() && !st.bucket_new.peek() && !st.vcache_head.peek(), "futex_hash_corrupt",
         "every waiter has returned but the futex hash or the vcache still holds an entry");
}

}  // namespace sf::models::futex_vcache
