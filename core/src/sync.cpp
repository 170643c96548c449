// core/src/sync.cpp: spinlocks (acquire/release, blocking waiters), RCU (read sections and grace
// periods) and plain shared data checked for data races with vector clocks.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "engine_impl.h"

namespace sf {

namespace {
const char* short_file(const std::source_location& w) {
  const char* f = w.file_name();
  const char* s = std::strrchr(f, '/');
  return s ? s + 1 : f;
}
}  // namespace

// ---- plain data
uint32_t Engine::Impl::new_var(const char* name, rt::LocKind kind) {
  if (nvars >= kMaxLocations) fail(FailureKind::too_many, nullptr, "too many var<T> in one execution", nullptr);
  uint32_t id = nvars++;
  if (id >= vars.size()) vars.resize(std::max<size_t>(4, vars.size() * 2));
  need_hb();
  VarMeta& v = vars[id];
  v.name = name;
  v.kind = kind;
  v.owner_block = constructing_block;
  v.w_tid = current;
  v.w_epoch = me().clock.c[current];  // construction is a write by the creating thread
  v.w_step = kNoStep;
  v.reads.clear();
  v.read_by = 0;
  return id;
}

// What a plain access leaves for the race checks of later ones: the last write (and no reads since),
// or this thread's last read. `epoch`: the thread's own clock entry; `step`: the access's step.
[[gnu::always_inline]] static inline void note_plain_access(VarMeta& v, bool is_write, uint32_t tid, uint32_t epoch,
                                                            uint32_t step, const std::source_location& w) {
  if (is_write) {
    v.w_tid = tid;
    v.w_epoch = epoch;
    v.w_step = step;
    v.w_where = w;
    v.reads.clear();
    v.read_by = 0;
  } else {
    v.reads.set(tid, epoch);
    v.read_by |= 1u << tid;
    v.r_step[tid] = step;
    v.r_where[tid] = w;
  }
}

// Not a schedule point (unless opts.plain_accesses_are_points): no other thread can observe a plain
// access without a race, which is reported in whatever order the two run, so a preemption just
// before it shows nothing that one at the thread's previous schedule point does not. It still
// counts a step, for the trace and the livelock limit.
void Engine::Impl::var_access(uint32_t id, bool is_write, uint64_t shown, const std::source_location& w) {
  if (opts.plain_accesses_are_points) {
    plain_point();
  } else {
    ++plain_steps;
    if (++steps > opts.max_steps) step_limit_reached();
  }
  VarMeta& v = vars[id];
  check_owner(v.owner_block, "variable", w);
  ThreadSlot& th = me();
  if (!th.clock.covers(v.w_tid, v.w_epoch) && v.w_tid != current) report_race(id, is_write, v.w_tid, true, w);
  if (is_write) {
    // A read by thread t at epoch e is ordered before this write when our clock holds t >= e; our
    // own reads always are, and threads that never read hold 0.
    if ((v.read_by & ~(1u << current)) && v.reads.exceeds(th.clock)) {
      for (uint32_t t = 0; t < kMaxThreads; ++t) {
        if (!th.clock.covers(t, v.reads.c[t])) report_race(id, true, t, false, w);
      }
    }
  }
  note_plain_access(v, is_write, current, th.clock.c[current], steps, w);
  if (Event* e = record(is_write ? Op::plain_write : Op::plain_read, id, w)) {
    e->value = shown;
    e->is_pointer = v.kind == rt::LocKind::pointer;
  }
}

// var_access's usual case, without a call, so that it saves no registers: the same effects.
[[gnu::always_inline]] inline bool Engine::Impl::var_access_lane(uint32_t id, bool is_write,
                                                               const std::source_location& w) {
  uint32_t step = steps;
  uint32_t tid = current;
  if (!plain_lane || step >= opts.max_steps) return false;
  VarMeta& v = vars[id];
  if (!owner_alive(v.owner_block)) return false;
  ThreadSlot& th = threads[tid];
  if (v.w_tid != tid && !th.clock.covers(v.w_tid, v.w_epoch)) return false;
  if (is_write && (v.read_by & ~(1u << tid)) && v.reads.exceeds(th.clock)) return false;
  ++plain_steps;
  steps = ++step;
  note_plain_access(v, is_write, tid, th.clock.c[tid], step, w);
  return true;
}

// Schedule files v1 replay with a schedule point at every plain access; out of line, so that the
// common case keeps a light stack frame.
void Engine::Impl::plain_point() { schedule_point(); }

// The message of a race on var `id` between the current thread's access and thread `other`'s last
// write (`with_write`) or last read. Out of line: it needs a buffer and printf, the common path not.
void Engine::Impl::report_race(uint32_t id, bool is_write, uint32_t other, bool with_write,
                               const std::source_location& w) {
  const VarMeta& v = vars[id];
  char unnamed[24];
  std::snprintf(unnamed, sizeof unnamed, "var#%u", id);
  const char* name = v.name ? v.name : unnamed;
  char buf[400];
  if (with_write) {
    std::snprintf(buf, sizeof buf, "data race on %s: %s by T%u and write by T%u at step %u (%s:%u) are not ordered",
                  name, is_write ? "write" : "read", current, other, v.w_step, short_file(v.w_where),
                  static_cast<unsigned>(v.w_where.line()));
  } else {
    std::snprintf(buf, sizeof buf, "data race on %s: write by T%u and read by T%u at step %u (%s:%u) are not ordered",
                  name, current, other, v.r_step[other], short_file(v.r_where[other]),
                  static_cast<unsigned>(v.r_where[other].line()));
  }
  fail(FailureKind::data_race, nullptr, buf, &w);
}

// ---- spinlocks
uint32_t Engine::Impl::new_lock(const char* name) {
  if (nlocks >= kMaxLocks) fail(FailureKind::too_many, nullptr, "too many locks in one execution", nullptr);
  uint32_t id = nlocks++;
  if (id >= locks.size()) {
    locks.resize(std::max<size_t>(2, locks.size() * 2));
    lock_view_len.resize(locks.size());
  }
  if (weak && id >= lock_views.slots()) lock_views.reserve(id + 1, nlocs);
  LockMeta& l = locks[id];
  l.name = name;
  l.owner = kNone;
  l.clock.clear();
  lock_view_len[id] = 0;
  if (weak) zero_entries_of(kViewChunk, lock_views.at(id));  // an empty view, whole for small views
  return id;
}

// Taking a lock: an acquire of what the last holder published. Two LKMM rules beyond a plain
// acquire: critical sections of one lock are ordered for every observer (the stores of this
// section carry what the previous holders published), and an unlock followed by a lock in program
// order orders everything before it against everything after it except store->load.
void Engine::Impl::acquire_lock_effects(LockMeta& l, bool small) {
  if (tso) drain(current);  // x86 takes a lock with a locked RMW
  ThreadSlot& th = me();
  l.owner = current;
  uint32_t id = static_cast<uint32_t>(&l - locks.data());
  if (hb) {
    th.clock.join(l.clock);
    th.fence_rel.join(l.clock);
  }
  if (small) {  // the views below, a chunk each in registers (small views: engine_impl.h)
    ThreadSlot::SmallViews tv = th.small();
    ViewChunk published = load_chunk(lock_views.small_at(id));
    ViewChunk cur = max_chunk(load_chunk(tv.cur()), published);
    ViewChunk rel = max_chunk(load_chunk(tv.rel()), published);
    if (th.unlocked_before) {
      if (hb) {
        th.clock.join(th.acq_pending);
        th.fence_rel = th.clock;
      }
      cur = max_chunk(cur, load_chunk(tv.acq()));
      rel = max_chunk(rel, load_chunk(tv.own()));
    }
    store_chunk(tv.cur(), cur);
    store_chunk(tv.rel(), rel);
    return;
  }
  if (weak) {
    view_join(th.cur(), lock_views.at(id), lock_view_len[id]);
    view_join(th.rel(), lock_views.at(id), lock_view_len[id]);
  }
  if (th.unlocked_before) {
    // Like smp_wmb plus smp_rmb, and (as in LKMM) not A-cumulative: later stores carry this
    // thread's own earlier stores, not the stores it has merely read.
    if (hb) {
      th.clock.join(th.acq_pending);
      th.fence_rel = th.clock;
    }
    if (weak) {
      view_join(th.cur(), th.acq());
      view_join(th.rel(), th.own());
    }
  }
}

void Engine::Impl::lock(uint32_t id, const std::source_location& w) {
  schedule_point();
  LockMeta& l = locks[id];
  if (l.owner == current) fail(FailureKind::deadlock, nullptr, "spin_lock of a lock this thread already holds", &w);
  while (l.owner != kNone) {
    record(Op::block, id, w);
    block_current(WaitKind::lock, id);
  }
  acquire_lock_effects(l, lane == Lane::lkmm_small);
  record(Op::spin_lock, id, w);
}

bool Engine::Impl::trylock(uint32_t id, const std::source_location& w) {
  schedule_point();
  LockMeta& l = locks[id];
  if (l.owner != kNone) {
    record(Op::spin_trylock_fail, id, w);
    return false;  // a failed trylock gives no ordering
  }
  acquire_lock_effects(l, lane == Lane::lkmm_small);
  record(Op::spin_trylock_ok, id, w);
  return true;
}

void Engine::Impl::unlock(uint32_t id, const std::source_location& w) {
  schedule_point();
  LockMeta& l = locks[id];
  if (l.owner != current) {
    fail(FailureKind::bad_unlock, nullptr, "spin_unlock of a lock this thread does not hold", &w);
  }
  if (tso) drain(current);  // earlier stores reach memory before the lock is seen free
  if (weak) publish_lock_view(id, lane == Lane::lkmm_small);
  release_lock(l);
  record(Op::spin_unlock, id, w);
}

// ---- RCU
// A section that begins after a grace period began sees what preceded that grace period (the RCU
// guarantee: a section either ends before the grace period ends, or begins after it began).
void Engine::Impl::rcu_read_lock(const std::source_location& w) {
  schedule_point();
  ThreadSlot& th = me();
  if (th.rcu_depth++ == 0) {
    th.rcu_section++;
    if (hb) th.clock.join(rcu_start_clock);
    if (weak) view_join(th.cur(), rcu_start_view());
  }
  record(Op::rcu_read_lock, kNone, w);
}

void Engine::Impl::rcu_read_unlock(const std::source_location& w) {
  schedule_point();
  ThreadSlot& th = me();
  if (th.rcu_depth == 0) fail(FailureKind::assertion, nullptr, "rcu_read_unlock without rcu_read_lock", &w);
  if (--th.rcu_depth == 0) {
    if (hb) rcu_done_clock.join(th.clock);
    if (weak) view_join(rcu_done_view(), th.cur());
    tick();
    wake(WaitKind::rcu, 0);
  }
  record(Op::rcu_read_unlock, kNone, w);
}

// A grace period: waits until every reader section open at its start has ended; a full barrier on
// both sides, and each such section's end happens-before the return.
void Engine::Impl::synchronize_rcu(const std::source_location& w) {
  schedule_point();
  if (me().rcu_depth) fail(FailureKind::deadlock, nullptr, "synchronize_rcu inside an RCU read section", &w);
  fence_effects(rt::Fence::mb);
  if (hb) rcu_start_clock.join(me().clock);
  if (weak) view_join(rcu_start_view(), me().cur());
  uint32_t waiting_section[kMaxThreads];
  for (uint32_t t = 0; t < nthreads; ++t) waiting_section[t] = threads[t].rcu_depth ? threads[t].rcu_section : 0;
  for (;;) {
    bool pending = false;
    for (uint32_t t = 0; t < nthreads; ++t) {
      if (!waiting_section[t]) continue;
      if (threads[t].rcu_depth == 0 || threads[t].rcu_section != waiting_section[t]) {
        waiting_section[t] = 0;
      } else {
        pending = true;
      }
    }
    if (!pending) break;
    record(Op::block, kNone, w);
    block_current(WaitKind::rcu, 0);
  }
  // Every section that has ended is ordered before the end of this grace period. Under tso every
  // CPU has passed a quiescent state (a full barrier): all store buffers have drained.
  if (hb) me().clock.join(rcu_done_clock);
  if (weak) view_join(me().cur(), rcu_done_view());
  if (tso) {
    for (uint32_t t = 0; t < nthreads; ++t) drain(t);
  }
  fence_effects(rt::Fence::mb);
  record(Op::synchronize_rcu, kNone, w);
}

[[gnu::flatten, gnu::noinline]] void Engine::Impl::var_access_general(uint32_t id, bool is_write, uint64_t shown,
                                                                     const std::source_location& w) {
  var_access(id, is_write, shown, w);
}
[[gnu::flatten, gnu::noinline]] void Engine::Impl::lock_general(uint32_t id, const std::source_location& w) {
  lock(id, w);
}
[[gnu::flatten, gnu::noinline]] void Engine::Impl::unlock_general(uint32_t id, const std::source_location& w) {
  unlock(id, w);
}

namespace rt {
uint32_t new_var(const char* name, LocKind kind) { return g_engine->new_var(name, kind); }
void var_access(uint32_t var, bool is_write, uint64_t shown, const Where& w) {
  Engine::Impl& e = *g_engine;
  if (e.var_access_lane(var, is_write, w)) return;
  e.var_access_general(var, is_write, shown, w);
}
uint32_t new_lock(const char* name) { return g_engine->new_lock(name); }
// spin_lock of a free lock and spin_unlock by its holder take their run's fast lane (engine_impl.h)
// when their schedule point needs no call; anything else the general path.
void lock(uint32_t lk, const Where& w) {
  Engine::Impl& e = *g_engine;
  if (e.lane_takes_locks() && e.locks[lk].owner == kNone && e.point_is_quiet()) {
    e.take_quiet_point();
    e.acquire_lock_effects(e.locks[lk], e.lane == Engine::Impl::Lane::lkmm_small);
    return;
  }
  e.lock_general(lk, w);
}
[[gnu::flatten]] bool trylock(uint32_t lk, const Where& w) { return g_engine->trylock(lk, w); }
void unlock(uint32_t lk, const Where& w) {
  Engine::Impl& e = *g_engine;
  if (e.lane_takes_locks() && e.locks[lk].owner == e.current && e.point_is_quiet()) {
    e.take_quiet_point();
    if (e.weak) e.publish_lock_view(lk, e.lane == Engine::Impl::Lane::lkmm_small);
    e.release_lock(e.locks[lk]);
    return;
  }
  e.unlock_general(lk, w);
}
bool lock_held(uint32_t lk) { return g_engine->locks[lk].owner != kNone; }
[[gnu::flatten]] void rcu_read_lock(const Where& w) { g_engine->rcu_read_lock(w); }
[[gnu::flatten]] void rcu_read_unlock(const Where& w) { g_engine->rcu_read_unlock(w); }
void synchronize_rcu(const Where& w) { g_engine->synchronize_rcu(w); }
}  // namespace rt
}  // namespace sf
