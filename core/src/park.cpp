// core/src/park.cpp: park() and unpark(), a model thread's sleep and wakeup (a task in schedule()
// and wake_up_process()). Each thread has a wake token: a hidden location "Tn.wake", created on
// first use in an execution. unpark(t) sets it with a fully ordered xchg (wake_up_process() is a
// full barrier when it wakes a task) and makes t runnable if it is parked; park() takes the token
// with an acquire xchg, and blocks while there is none. The token makes the primitive itself free
// of lost wakeups: an unpark() before the park() is kept. A thread parked for good while every
// other thread is done or blocked is a deadlock.
#include "engine_impl.h"

namespace sf {

uint32_t Engine::Impl::wake_token(uint32_t tid) {
  static const char* const kNames[kMaxThreads] = {"T0.wake", "T1.wake", "T2.wake", "T3.wake",
                                                  "T4.wake", "T5.wake", "T6.wake", "T7.wake"};
  if (!tokens_used) {
    std::fill(std::begin(wake_tokens), std::end(wake_tokens), kNone);
    tokens_used = true;
  }
  if (wake_tokens[tid] == kNone) wake_tokens[tid] = new_location(kNames[tid], 0, rt::LocKind::value);
  return wake_tokens[tid];
}

void Engine::Impl::park(const std::source_location& w) {
  uint32_t token = wake_token(current);
  while (rmw(token, rt::RmwOp::xchg, 0, rt::Order::acquire, w) == 0) {
    record(Op::block, token, w);
    block_current(WaitKind::park, current);
  }
}

void Engine::Impl::unpark(uint32_t tid, const std::source_location& w) {
  if (tid >= nthreads) fail(FailureKind::assertion, nullptr, "unpark of a thread that does not exist", &w);
  rmw(wake_token(tid), rt::RmwOp::xchg, 1, rt::Order::full, w);
  wake(WaitKind::park, tid);
}

namespace rt {
void park(const Where& w) { g_engine->park(w); }
void unpark(uint32_t tid, const Where& w) { g_engine->unpark(tid, w); }
}  // namespace rt
}  // namespace sf
