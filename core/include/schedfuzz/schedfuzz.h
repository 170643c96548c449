// schedfuzz/schedfuzz.h: the public facade a model is written against, with kernel names.
//
// Every operation here is a schedule point: before it runs, the scheduler may switch threads.
// Beside each primitive: its LKMM ordering, and what the engine models (see also README,
// "What the memory model does not cover").
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <source_location>
#include <type_traits>
#include <utility>

#include "schedfuzz/limits.h"
#include "schedfuzz/runtime.h"

namespace sf {

using Where = std::source_location;

namespace detail {
template <class T>
uint64_t to_bits(T v) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shared<T>: T must fit in 8 bytes");
  uint64_t b = 0;
  std::memcpy(&b, &v, sizeof(T));
  return b;
}
template <class T>
T from_bits(uint64_t b) {
  T v;
  std::memcpy(&v, &b, sizeof(T));
  return v;
}
template <class... A>
[[noreturn]] void fail_fmt(bool oracle, const char* name, const Where& w, const char* fmt, A... a) {
  if constexpr (sizeof...(A) == 0) {
    rt::fail(oracle, name, fmt, w);  // no arguments: the text as written, '%' included
  } else {
    rt::fail_format(oracle, name, w, fmt, a...);
  }
}
}  // namespace detail

// A shared memory location accessed with marked (atomic) operations. Its stores are kept in
// modification order; under a weak memory mode a load may read an older store (see Fence below).
template <class T>
class shared {
 public:
  explicit shared(T init = T{}, const char* name = nullptr)
      : id_(rt::new_location(name, detail::to_bits(init),
                             std::is_pointer_v<T> ? rt::LocKind::pointer : rt::LocKind::value)) {}
  shared(const shared&) = delete;
  shared& operator=(const shared&) = delete;
  uint32_t id() const { return id_; }
  // For oracles and final checks only: the newest value (under tso the caller's own buffered store
  // first, as its load would see), with no schedule point and no ordering.
  T peek() const { return detail::from_bits<T>(rt::peek(id_)); }

 private:
  uint32_t id_;
};

// READ_ONCE: single-copy atomic load, no ordering with other locations (C11 relaxed).
template <class T>
T READ_ONCE(const shared<T>& x, const Where& w = Where::current()) {
  return detail::from_bits<T>(rt::load(x.id(), rt::Order::relaxed, w));
}
// WRITE_ONCE: single-copy atomic store, no ordering with other locations (C11 relaxed).
template <class T>
void WRITE_ONCE(shared<T>& x, std::type_identity_t<T> v, const Where& w = Where::current()) {
  rt::store(x.id(), detail::to_bits(v), rt::Order::relaxed, w);
}
// smp_load_acquire: acquire load; later accesses of this thread are ordered after it.
template <class T>
T smp_load_acquire(const shared<T>& x, const Where& w = Where::current()) {
  return detail::from_bits<T>(rt::load(x.id(), rt::Order::acquire, w));
}
// smp_store_release: release store; earlier accesses of this thread are ordered before it.
template <class T>
void smp_store_release(shared<T>& x, std::type_identity_t<T> v, const Where& w = Where::current()) {
  rt::store(x.id(), detail::to_bits(v), rt::Order::release, w);
}
// rcu_dereference / rcu_assign_pointer: modelled as acquire load / release store (the address
// dependency LKMM relies on is stronger than relaxed; acquire avoids false alarms).
template <class T>
T rcu_dereference(const shared<T>& x, const Where& w = Where::current()) {
  return smp_load_acquire(x, w);
}
template <class T>
void rcu_assign_pointer(shared<T>& x, std::type_identity_t<T> v, const Where& w = Where::current()) {
  smp_store_release(x, v, w);
}
// xchg: fully ordered exchange (as if smp_mb() before and after). Returns the old value.
template <class T>
T xchg(shared<T>& x, std::type_identity_t<T> v, const Where& w = Where::current()) {
  return detail::from_bits<T>(rt::rmw(x.id(), rt::RmwOp::xchg, detail::to_bits(v), rt::Order::full, w));
}
// cmpxchg: fully ordered when it succeeds; a failed cmpxchg gives no ordering. Returns the old value.
template <class T>
T cmpxchg(shared<T>& x, std::type_identity_t<T> old, std::type_identity_t<T> nv,
          const Where& w = Where::current()) {
  uint64_t exp = detail::to_bits(old);
  rt::cmpxchg(x.id(), &exp, detail::to_bits(nv), rt::Order::full, w);
  return detail::from_bits<T>(exp);
}

// Fences. smp_mb: full barrier (store->load too), cumulative, totally ordered with every other
// smp_mb and fully ordered RMW. smp_rmb: earlier loads before later loads, modelled as a C11 acquire
// fence (it also orders load->store, which LKMM does not promise). smp_wmb: earlier stores before
// later stores, modelled as a C11 release fence (also orders load->store).
inline void smp_mb(const Where& w = Where::current()) { rt::fence(rt::Fence::mb, w); }
inline void smp_rmb(const Where& w = Where::current()) { rt::fence(rt::Fence::rmb, w); }
inline void smp_wmb(const Where& w = Where::current()) { rt::fence(rt::Fence::wmb, w); }
// smp_mb__before_atomic / __after_atomic: upgrade the next/previous unordered RMW to a full barrier.
inline void smp_mb__before_atomic(const Where& w = Where::current()) { rt::fence(rt::Fence::mb, w); }
inline void smp_mb__after_atomic(const Where& w = Where::current()) { rt::fence(rt::Fence::mb, w); }

// atomic_t: atomic_read/atomic_set are READ_ONCE/WRITE_ONCE; atomic_inc/dec/add/sub are unordered
// RMWs; the *_return, fetch_* and xchg/cmpxchg forms are fully ordered.
class atomic_t {
 public:
  explicit atomic_t(int init = 0, const char* name = nullptr) : v_(init, name) {}
  shared<int>& raw() { return v_; }
  const shared<int>& raw() const { return v_; }
  int peek() const { return v_.peek(); }

 private:
  shared<int> v_;
};
inline int atomic_read(const atomic_t& a, const Where& w = Where::current()) { return READ_ONCE(a.raw(), w); }
inline void atomic_set(atomic_t& a, int v, const Where& w = Where::current()) { WRITE_ONCE(a.raw(), v, w); }
inline int atomic_rmw_(atomic_t& a, rt::RmwOp op, int v, rt::Order o, const Where& w) {
  return detail::from_bits<int>(rt::rmw(a.raw().id(), op, detail::to_bits(v), o, w));
}
inline void atomic_add(int i, atomic_t& a, const Where& w = Where::current()) {
  atomic_rmw_(a, rt::RmwOp::add, i, rt::Order::relaxed, w);
}
inline void atomic_sub(int i, atomic_t& a, const Where& w = Where::current()) {
  atomic_rmw_(a, rt::RmwOp::sub, i, rt::Order::relaxed, w);
}
inline void atomic_inc(atomic_t& a, const Where& w = Where::current()) { atomic_add(1, a, w); }
inline void atomic_dec(atomic_t& a, const Where& w = Where::current()) { atomic_sub(1, a, w); }
inline int atomic_fetch_add(int i, atomic_t& a, const Where& w = Where::current()) {
  return atomic_rmw_(a, rt::RmwOp::add, i, rt::Order::full, w);
}
inline int atomic_add_return(int i, atomic_t& a, const Where& w = Where::current()) {
  return atomic_fetch_add(i, a, w) + i;
}
inline int atomic_sub_return(int i, atomic_t& a, const Where& w = Where::current()) {
  return atomic_rmw_(a, rt::RmwOp::sub, i, rt::Order::full, w) - i;
}
inline int atomic_inc_return(atomic_t& a, const Where& w = Where::current()) { return atomic_add_return(1, a, w); }
inline int atomic_dec_return(atomic_t& a, const Where& w = Where::current()) { return atomic_sub_return(1, a, w); }
inline int atomic_xchg(atomic_t& a, int v, const Where& w = Where::current()) { return xchg(a.raw(), v, w); }
inline int atomic_cmpxchg(atomic_t& a, int old, int nv, const Where& w = Where::current()) {
  return cmpxchg(a.raw(), old, nv, w);
}

// Bit operations on a word. set_bit/clear_bit: unordered atomic RMW. test_bit: READ_ONCE.
// test_and_set_bit/test_and_clear_bit: fully ordered.
using bitword = shared<unsigned long>;
inline void set_bit(unsigned nr, bitword& x, const Where& w = Where::current()) {
  rt::rmw(x.id(), rt::RmwOp::bit_or, 1ul << nr, rt::Order::relaxed, w);
}
inline void clear_bit(unsigned nr, bitword& x, const Where& w = Where::current()) {
  rt::rmw(x.id(), rt::RmwOp::bit_and, ~(1ul << nr), rt::Order::relaxed, w);
}
inline bool test_bit(unsigned nr, const bitword& x, const Where& w = Where::current()) {
  return (READ_ONCE(x, w) >> nr) & 1ul;
}
inline bool test_and_set_bit(unsigned nr, bitword& x, const Where& w = Where::current()) {
  return (rt::rmw(x.id(), rt::RmwOp::bit_or, 1ul << nr, rt::Order::full, w) >> nr) & 1ul;
}
inline bool test_and_clear_bit(unsigned nr, bitword& x, const Where& w = Where::current()) {
  return (rt::rmw(x.id(), rt::RmwOp::bit_and, ~(1ul << nr), rt::Order::full, w) >> nr) & 1ul;
}

// spinlock_t: spin_lock is an acquire, spin_unlock a release; spin_trylock is an acquire when it
// succeeds and gives no ordering when it fails. unlock+lock is not a full barrier (no store->load).
// A waiter blocks instead of spinning, so a held lock never burns the step budget.
class spinlock_t {
 public:
  explicit spinlock_t(const char* name = nullptr) : id_(rt::new_lock(name)) {}
  spinlock_t(const spinlock_t&) = delete;
  uint32_t id() const { return id_; }

 private:
  uint32_t id_;
};
inline void spin_lock(spinlock_t& l, const Where& w = Where::current()) { rt::lock(l.id(), w); }
inline void spin_unlock(spinlock_t& l, const Where& w = Where::current()) { rt::unlock(l.id(), w); }
inline bool spin_trylock(spinlock_t& l, const Where& w = Where::current()) { return rt::trylock(l.id(), w); }
inline bool spin_is_locked(const spinlock_t& l) { return rt::lock_held(l.id()); }

// RCU. rcu_read_lock/unlock give no CPU ordering; synchronize_rcu is a full barrier that returns
// only after every reader section that began before it has ended.
inline void rcu_read_lock(const Where& w = Where::current()) { rt::rcu_read_lock(w); }
inline void rcu_read_unlock(const Where& w = Where::current()) { rt::rcu_read_unlock(w); }
inline void synchronize_rcu(const Where& w = Where::current()) { rt::synchronize_rcu(w); }

// cpu_relax: the body of a spin loop. The scheduler runs another thread if any can run, so a loop
// waiting for another thread always lets it make progress.
inline void cpu_relax(const Where& w = Where::current()) { rt::cpu_relax(w); }

// A thread's sleep and wakeup, as a task in schedule() and wake_up_process(). park() returns at
// once if an unpark() of this thread came since its last park() (a wake token, kept until taken),
// else blocks until one comes: so a sleeper re-checks its condition in a loop, and nothing is lost
// between the check and the park(). LKMM: unpark(t) is fully ordered (an smp_mb() before and after,
// as wake_up_process() when it wakes a task); park() is an acquire of the unpark() it consumes. A
// thread left parked while every other thread is done or blocked is reported as a deadlock.
inline void park(const Where& w = Where::current()) { rt::park(w); }
inline void unpark(uint32_t tid, const Where& w = Where::current()) { rt::unpark(tid, w); }

// Plain shared data, checked for data races (happens-before with vector clocks). Every access is
// a schedule point. Use it for data the algorithm protects by locks or by release/acquire.
template <class T>
class var {
 public:
  explicit var(T init = T{}, const char* name = nullptr)
      : v_(init), id_(rt::new_var(name, std::is_pointer_v<T> ? rt::LocKind::pointer : rt::LocKind::value)) {}
  var(const var&) = delete;
  T load(const Where& w = Where::current()) const {
    rt::var_access(id_, false, shown(v_), w);
    return v_;
  }
  void store(T v, const Where& w = Where::current()) {
    rt::var_access(id_, true, shown(v), w);
    v_ = v;
  }
  // For oracles only: no schedule point, no race check.
  const T& peek() const { return v_; }

 private:
  static uint64_t shown(const T& v) {
    if constexpr (sizeof(T) <= 8 && std::is_trivially_copyable_v<T>) return detail::to_bits(v);
    return 0;
  }
  T v_;
  uint32_t id_;
};

// Threads. spawn() starts a model thread (a happens-before edge from the parent); join() waits for
// it (an edge back). Neither is a schedule point (RunOptions::joins_are_points says why for join).
// The callable is stored inline: at most kTaskBytes of captures.
struct thread {
  uint32_t tid = 0;
};
template <class F>
thread spawn(F f, const Where& w = Where::current()) {
  static_assert(sizeof(F) <= kTaskBytes, "spawn: captures too large; capture by reference");
  rt::TaskFn destroy = nullptr;  // a callable with nothing to destroy costs no call at its thread's end
  if constexpr (!std::is_trivially_destructible_v<F>) destroy = [](void* s) { static_cast<F*>(s)->~F(); };
  void* storage = rt::prepare_spawn([](void* s) { (*static_cast<F*>(s))(); }, destroy);
  ::new (storage) F(std::move(f));
  return thread{rt::commit_spawn(w)};
}
inline void join(thread t, const Where& w = Where::current()) { rt::join(t.tid, w); }
inline uint32_t current_thread() { return rt::self(); }

// parallel(f0, f1, ..., fn): the shape of a litmus test or of Relacy's test_suite. Spawns f1..fn,
// runs f0 on the calling thread, then joins them all: n+1 threads of which only n are new, so a
// two-thread test costs one spawn, not two (and its calling thread has no idle turn in between).
// Written `sf::parallel(a, b);` (a class so that the call site's location follows the callables).
template <class F0, class... Fs>
struct parallel {
  static_assert(sizeof...(Fs) >= 1, "parallel: at least two callables");
  parallel(F0 first, Fs... rest, const Where& w = Where::current()) {
    thread spawned[] = {spawn(std::move(rest), w)...};
    first();
    for (thread t : spawned) join(t, w);
  }
};
template <class F0, class... Fs>
parallel(F0, Fs...) -> parallel<F0, Fs...>;

// The model heap: objects whose lifetime the engine checks (double free, use after free, leaks).
// Memory is really released only at the end of the execution, so a use after free is reported,
// never undefined behaviour of the fuzzer itself.
// A block's name, remembering where kalloc was called.
struct BlockName {
  const char* name;
  Where where;
  BlockName(const char* n, const Where& w = Where::current()) : name(n), where(w) {}  // NOLINT: implicit
};
template <class T, class... A>
T* kalloc(BlockName name, A&&... args) {
  void* p = rt::alloc_block(sizeof(T), alignof(T), name.name, [](void* q) { static_cast<T*>(q)->~T(); },
                            name.where);
  T* obj = ::new (p) T(std::forward<A>(args)...);
  rt::block_constructed();
  return obj;
}
inline void kfree(const void* p, const Where& w = Where::current()) { rt::free_block(const_cast<void*>(p), w); }
// Report a use after free if `p` was freed (call before using an object found through a pointer).
inline void kcheck_alive(const void* p, const Where& w = Where::current()) { rt::touch_block(p, w); }

// Ghost state for oracles. A model marks a linearization point with ghost_now() and later asks
// whether it happened before the current point. Under sc that is the global order of steps; under
// tso and lkmm only real synchronization counts (spawn/join, release/acquire, locks, fences), so an
// oracle built on it raises no false alarm under weak memory. Neither call is a schedule point.
using ghost_stamp = rt::Stamp;
inline ghost_stamp ghost_now() { return rt::ghost_now(); }
inline bool happened_before(const ghost_stamp& s) { return rt::ghost_happened_before(s); }

// A printf format that remembers where it was written (the call site of check/oracle).
struct Fmt {
  const char* text;
  Where where;
  Fmt(const char* t, const Where& w = Where::current()) : text(t), where(w) {}  // NOLINT: implicit
};

// Assertions. check(): a generic model assertion. oracle(): a named oracle (its name is the failure
// kind that `schedfuzz list` promises, e.g. "stale_info"). Messages are printf formats.
template <class... A>
void check(bool ok, Fmt fmt, A... a) {
  if (!ok) detail::fail_fmt(false, nullptr, fmt.where, fmt.text, a...);
}
template <class... A>
void oracle(bool ok, const char* name, Fmt fmt, A... a) {
  if (!ok) detail::fail_fmt(true, name, fmt.where, fmt.text, a...);
}
inline void trace_note(const char* text) { rt::note(text); }

}  // namespace sf
