// core/src/engine_impl.h: Engine::Impl, the state of one execution shared by the engine's files
// (scheduler in engine.cpp, memory model in memory.cpp, locks/RCU/plain data in sync.cpp, the model
// heap in heap.cpp). Internal: nothing outside core/src includes it.
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <source_location>
#include <string>
#include <vector>

#include "fiber.h"
#include "nth_set_bit.h"
#include "view_table.h"
#include "schedfuzz/choice.h"
#include "schedfuzz/clock.h"
#include "schedfuzz/engine.h"
#include "schedfuzz/limits.h"
#include "schedfuzz/outcome.h"
#include "schedfuzz/runtime.h"
#include "schedfuzz/trace.h"

namespace sf {

inline constexpr uint32_t kNone = 0xffffffffu;
// Locations per execution under weak memory (every view holds an entry for each; view_table.h).
inline constexpr uint32_t kMaxWeakLocations = 128;
// Distance between appended stores' modification-order stamps: room to insert 8 levels deep.
inline constexpr uint32_t kTsStep = 256;

enum class ThreadState : uint8_t { free, runnable, blocked, finished };
enum class WaitKind : uint8_t { none, lock, join, rcu, park };

// Slots of the thread/global view table: four per thread slot (current, what an acquire fence would
// add, what a release fence published, the newest store the thread itself made to each location),
// then the execution's global views (what smp_mb()s published, what grace periods published at
// their start, what ended reader sections published, and a work view). The acquire view is only
// ever joined into the current one, and the current view only grows: what the current view holds
// when something would go into the acquire view need not go there.
inline constexpr uint32_t kViewsPerThread = 4;
inline constexpr uint32_t kGlobalViewSlot = kMaxThreads * kViewsPerThread;
inline constexpr uint32_t kThreadViewSlots = kGlobalViewSlot + 4;

// A store waiting in a thread's TSO store buffer: visible to its own loads, not yet to others.
struct PendingStore {
  uint32_t loc = 0;
  uint32_t step = 0;
  uint32_t site = 0;
  uint64_t value = 0;
  VClock rel;
};

struct ThreadSlot {
  Fiber fiber;
  ThreadState state = ThreadState::free;
  bool has_task = false;
  bool started = false;
  WaitKind wait = WaitKind::none;
  uint32_t wait_id = 0;
  rt::TaskFn invoke = nullptr;
  rt::TaskFn destroy = nullptr;
  unsigned char* task = nullptr;  // kTaskBytes in Engine::Impl::tasks, set once by Impl()
  // happens-before (race detection, and the only ordering under sc)
  VClock clock, acq_pending, fence_rel;
  // weak memory: this slot's four views in Engine::Impl::thread_views (set by place_views())
  uint32_t* views = nullptr;
  uint32_t view_stride = 0;
  View cur() { return View{views}; }
  View acq() { return View{views + view_stride}; }
  View rel() { return View{views + 2 * view_stride}; }
  View own() { return View{views + 3 * view_stride}; }
  // The same four under small views (Lane::lkmm_small), whose stride is one chunk: offsets known to
  // the compiler. Load `views` once into a SmallViews: a chunk stored into a view may alias it.
  struct SmallViews {
    uint32_t* at;
    uint32_t* cur() const { return at; }
    uint32_t* acq() const { return at + kViewChunk; }
    uint32_t* rel() const { return at + 2 * kViewChunk; }
    uint32_t* own() const { return at + 3 * kViewChunk; }
  };
  SmallViews small() const { return SmallViews{views}; }
  // tso: the store buffer, a FIFO ring
  PendingStore* sb = nullptr;  // kStoreBuffer entries in Engine::Impl::store_buffers, set by Impl()
  uint32_t sb_head = 0, sb_count = 0;
  bool unlocked_before = false;  // an unlock earlier in program order (for unlock+lock ordering)
  // RCU
  uint32_t rcu_depth = 0;
  uint32_t rcu_section = 0;
  // The thread whose stack this one runs on: 0 for the host's (thread 0's) stack, its own id for
  // its own fiber's; a thread run by its joiner as a call (run_nested) shares the joiner's.
  uint32_t root = 0;
};

struct StoreRecord {
  uint64_t value = 0;
  uint32_t ts = 0;          // position in modification order (views hold these); gaps allow insertion
  uint32_t step = kNoStep;  // kNoStep: the initial value
  uint32_t site = 0;        // where it was written (for interleaving feedback)
  VClock rel;               // what an acquirer of this store synchronizes with
};

struct Location {
  const char* name = nullptr;
  rt::LocKind kind = rt::LocKind::value;
  uint32_t owner_block = kNone;
  uint32_t count = 0;   // stores so far; the i-th created lives in hist[i % kHistory]
  uint32_t newest = 0;  // slot of the store last in modification order
  uint32_t max_ts = 0;
  StoreRecord hist[kHistory];
};

struct VarMeta {
  const char* name = nullptr;
  rt::LocKind kind = rt::LocKind::value;  // pointer: traced as the heap block it points into
  uint32_t owner_block = kNone;
  uint32_t w_tid = 0, w_epoch = 0, w_step = kNoStep;
  std::source_location w_where;
  VClock reads;  // per thread: epoch of its last read (0: none since the last write)
  // Bit t: thread t read since the last write. A write by a thread that alone read needs no look at
  // `reads` (its own reads precede it): a whole-clock load right after the read's one-entry store
  // waits for that store to leave the store buffer (perf: 16% of var_access's samples there).
  uint32_t read_by = 0;
  uint32_t r_step[kMaxThreads] = {};
  std::source_location r_where[kMaxThreads];
};

struct LockMeta {
  const char* name = nullptr;
  uint32_t owner = kNone;
  VClock clock;
  uint32_t view_slot = kNone;  // weak memory: index into lock_views
};

struct Block {
  void* mem = nullptr;
  uint32_t size = 0;
  uint32_t align = 1;
  const char* name = nullptr;
  void (*destroy)(void*) = nullptr;
  bool alive = false;
  bool constructed = false;
  bool released = false;  // memory returned at the end of the execution
  uint32_t free_step = kNoStep;
  std::source_location free_where;
};

struct Engine::Impl {
  Impl();
  ~Impl();

  // --- configuration of the current execution
  ChoiceSource* source = nullptr;
  RandomTrials* trials = nullptr;  // source->random_trials, one load nearer (preempt_by_trials)
  RunOptions opts;
  bool weak = false;  // lkmm: loads may read older stores
  bool tso = false;   // stores go through per-thread FIFO store buffers
  uint32_t cur_site = 0;  // the source site of the operation in progress (feedback only)

  // --- threads and scheduling. Thread 0 runs the body on the caller's own stack: its fiber is
  // the host context (no stack of its own), so starting and ending an execution costs no switch.
  ThreadSlot threads[kMaxThreads];
  // The thread whose context is the live top of the host's stack: thread 0, or a thread running
  // nested on it (run_nested). Ending or aborting an execution hands over to it.
  uint32_t host_top = 0;
  Fiber& host() { return threads[host_top].fiber; }
  uint32_t nthreads = 0;
  uint32_t current = 0;     // written only by set_current()
  ThreadSlot* cur_slot = threads;  // &threads[current]: me() without a multiply on `current`
  void set_current(uint32_t t) {
    current = t;
    cur_slot = &threads[t];
  }
  uint32_t runnable = 0;  // bit t: thread t can run
  uint32_t blocked = 0;   // bit t: thread t waits (for a lock, a join or a grace period)
  uint32_t buffered = 0;  // tso, bit t: thread t has stores in its buffer
  uint32_t steps = 0;
  uint32_t plain_steps = 0;  // steps that were plain accesses, not schedule points
  bool aborting = false;
  bool threads_running = false;  // run_threads() is on the stack: a failure can abandon the execution
  // Where a failed execution is abandoned to (run_threads, __builtin_setjmp's five words): the
  // failing thread's frames and every suspended thread's are dropped, not unwound (abort_to_run).
  void* abort_point[5] = {};
  Body body = nullptr;
  void* body_arg = nullptr;

  // --- objects, by id in creation order
  std::vector<Location> locs;
  uint32_t locs_room = 0;  // locs.size(), without the division by sizeof(Location) (480 bytes)
  uint32_t nlocs = 0;
  // Weak memory: the view each kept store published (slot loc * kHistory + ring slot; only the
  // first store_view_len[slot] entries are meaningful), the threads' and global views, and the
  // view each lock's last unlock published (slot: lock id).
  ViewTable store_views;
  std::vector<uint32_t> store_view_len;
  uint32_t* store_view(size_t i) { return store_views.at(i).at; }
  uint32_t* small_store_view(size_t i) { return store_views.small_at(i); }  // under small views
  ViewTable thread_views;
  ViewTable lock_views;
  // Makes room in every view table for `locations` entries (and for `store_slots` store views).
  void reserve_views(uint32_t locations, size_t store_slots);
  void place_views();  // points each thread slot at its views (after thread_views moved)
  // Every view table's stride is one chunk, as small views need (Lane::lkmm_small).
  bool views_fit_small() const {
    return thread_views.stride() == kViewChunk && store_views.stride() == kViewChunk &&
           lock_views.stride() == kViewChunk;
  }
  std::vector<VarMeta> vars;
  uint32_t nvars = 0;
  std::vector<LockMeta> locks;
  uint32_t nlocks = 0;
  std::vector<uint32_t> lock_view_len;
  std::vector<Block> blocks;
  uint32_t constructing_block = kNone;
  // Happens-before is kept from the first thing in an execution that asks about it (a var<T>, a
  // ghost stamp: start_hb()), not from its start: the vector clocks exist to order var<T>
  // accesses and stamps, and every happens-before path between two events after that moment runs
  // through edges after it (an edge orders an event only if it comes after it), so nothing before
  // it can change a verdict. Until then every clock operation is skipped (an atomics-only model
  // never pays for them) and every clock's content is meaningless; start_hb() sets them all as if
  // the execution began there with no ordering yet. They are kept from the start when the last
  // execution asked for them (a model with var<T> does in every execution: it then pays no
  // start_hb() in the middle of one), or with RunOptions::eager_happens_before.
  bool hb = false;
  bool hb_wanted = false;  // this execution asked for happens-before (need_hb)
  [[gnu::noinline]] void start_hb();
  void need_hb() {
    hb_wanted = true;
    if (!hb) start_hb();
  }
  VClock mb_clock;  // smp_mb and fully ordered RMWs are totally ordered through this
  // RCU: what every grace period start published (a reader section that begins later sees it),
  // and what every ended reader section published (a grace period's end sees it).
  VClock rcu_start_clock, rcu_done_clock;
  // Weak memory only: the views beside mb_clock and the RCU clocks, and a work view.
  View mb_view() { return thread_views.at(kGlobalViewSlot); }
  View rcu_start_view() { return thread_views.at(kGlobalViewSlot + 1); }
  View rcu_done_view() { return thread_views.at(kGlobalViewSlot + 2); }
  View scratch() { return thread_views.at(kGlobalViewSlot + 3); }  // no View is built on the stack

  // --- record
  Outcome outcome;
  std::vector<Event> events;
  std::vector<std::string> notes;
  std::vector<Decision> decisions;  // kept only if keep_decisions (RunOptions::record_decisions)
  bool keep_decisions = true;
  // While the execution runs, its kept decisions go to a buffer the hot paths append to without a
  // call (a call in a fast lane makes its entry point save registers on every access); run()
  // copies them into `decisions` at the end.
  std::unique_ptr<Decision[]> kept;
  uint32_t nkept = 0, kept_capacity = 0;
  [[gnu::noinline]] void grow_kept();
  uint32_t decision_count = 0;  // kept or not
  mutable Trace trace_cache;
  mutable bool trace_built = false;

  // engine.cpp
  const Outcome& run(Body b, void* arg, ChoiceSource& src, const RunOptions& o);
  const Outcome& run_many(Body b, void* arg, ChoiceSource& src, const RunOptions& o, uint64_t max, RunTotals& totals);
  void set_options(const RunOptions& o);
  [[gnu::always_inline]] inline void begin_series(Body b, void* arg, ChoiceSource& src);
  [[gnu::always_inline]] inline const Outcome& execute();  // one, after reset() and begin_series()
  [[gnu::always_inline]] inline void end_series();
  [[gnu::always_inline]] inline void reset();
  // A choice among n >= 2 options, recorded. The source's default runs (choice.h) are answered here.
  uint32_t decide(ChoiceKind kind, uint32_t n) {
    uint32_t c;
    uint32_t& run = kind == ChoiceKind::thread ? source->stay_run : source->newest_run;
    if (kind != ChoiceKind::next && run) {
      --run;
      c = 0;
    } else {
      c = source->choose(kind, n);
      if (c >= n) c %= n;
    }
    note_decision(Decision{kind, n, c});
    return c;
  }
  [[gnu::always_inline]] void note_decision(const Decision& d) {
    ++decision_count;
    if (keep_decisions) {
      if (nkept == kept_capacity) grow_kept();
      kept[nkept++] = d;
    }
  }
  // Who runs next: the current thread (if `may_stay`) or another runnable one, as a choice.
  // Returns kNone when no thread can run.
  uint32_t pick_thread(bool may_stay);
  // `others` (a set of threads) rotated so that thread current+1 is bit 0: the threads in cyclic
  // order after the current one. Option k of a choice among them is thread
  // (current + 1 + nth_set_bit(rotation, k)) % kMaxThreads.
  uint32_t after_current(uint32_t others) const {
    uint32_t shift = current + 1;
    return ((others >> shift) | (others << (kMaxThreads - shift))) & ((1u << kMaxThreads) - 1);
  }
  // pick_thread(false), with its common cases inline: one candidate, none, or a source whose `next`
  // answers are uniform (choice.h), drawn here.
  uint32_t pick_next() {
    uint32_t others = runnable & ~(1u << current);
    if (std::has_single_bit(others)) return static_cast<uint32_t>(std::countr_zero(others));
    if (!others || !source->uniform_next) return pick_thread(false);
    // Option k is the k-th other runnable thread in cyclic order after the current one.
    uint32_t shift = current + 1;
    uint32_t rot = after_current(others);
    uint32_t n = static_cast<uint32_t>(std::popcount(rot));
    uint32_t c = source->uniform_next->below(n);
    auto tid = static_cast<uint8_t>((shift + nth_set_bit(rot, c)) % kMaxThreads);
    note_decision(Decision{ChoiceKind::next, n, c, tid});
    return tid;
  }
  // Before every visible operation: the step limit, a TSO drain, and perhaps a preemption.
  [[gnu::always_inline]] void schedule_point() {
    if (++steps > opts.max_steps) step_limit_reached();
    if (buffered) maybe_flush();
    uint32_t others = runnable & ~(1u << current);
    if (!others) return;
    if (source->stay_run) {  // the fast path: no preemption here (and no call to the source)
      --source->stay_run;
      note_decision(Decision{ChoiceKind::thread, 1u + static_cast<uint32_t>(std::popcount(others)), 0,
                             static_cast<uint8_t>(current)});
      return;
    }
    switch_to(trials ? preempt_by_trials(others) : pick_thread(true));
  }
  // pick_thread(true) after a run of defaults, for a source with random_trials (choice.h).
  [[gnu::noinline]] uint32_t preempt_by_trials(uint32_t others);
  // The access paths' fast lanes (memory.cpp, sync.cpp): in a run that records no events and no
  // feedback, a schedule point that needs no call (no step limit, no decision to ask the source
  // for, room to record the one it answered in advance) is taken without the machinery of the
  // general path, so that the whole access runs without a call or a stack frame. `lane` says which
  // fast lane the run's accesses take: sc's (the access as sc does it), lkmm's (with views; a load
  // with a read choice asks the source itself, a store whose place in modification order would be
  // a choice takes the general path; only when decisions are not kept), or none; sc_unclocked is sc's until happens-before starts (`hb`; start_hb() moves the
  // run to sc), so that neither lane tests `hb` at each access; lkmm_small is lkmm's while the
  // execution has at most kViewChunk locations ("Small views", below); tso's (a load or a plain
  // store with store buffers, only when decisions are not kept; RMWs and fences take the general
  // path, which drains, and so do locks while a store is buffered). point_is_quiet() changes
  // nothing; take_quiet_point() then does exactly what schedule_point() would.
  // The order matters: the lanes after `tso` take spin_lock and spin_unlock in a lane too
  // (sync.cpp); tso's does while no store is buffered (no flush choice, nothing to drain).
  enum class Lane : uint8_t { general, tso, sc, sc_unclocked, lkmm, lkmm_small };
  bool lane_takes_locks() const { return lane > Lane::tso || (lane == Lane::tso && !buffered); }
  Lane lane = Lane::general;
  Lane run_lane = Lane::general;  // the lane the options give (lane starts each execution there)
  // Each lane's load, store, rmw and fence (memory.cpp), which model code calls through
  // rt::access_entries (runtime.h): one indirect call straight into the lane, for every lane.
  // (Before, rt::load, store and fence held sc's lanes inline and reached the others by a test per
  // lane and an indirect jump: lkmm's accesses paid the tests and the registers sc's lanes saved.)
  static const rt::AccessEntries* entries_of(Lane l);
  const rt::AccessEntries* run_entries = nullptr;  // run_lane's
  void set_lane(Lane l) {  // every change of lane goes through here (or sets both as execute() does)
    lane = l;
    rt::access_entries = entries_of(l);
  }
  // `may_keep`: false in a lane that runs only when decisions are not kept (lkmm's): no test then.
  [[gnu::always_inline]] bool point_is_quiet(bool may_keep = true) const {
    if (steps >= opts.max_steps) return false;
    if (!(runnable & ~(1u << current))) return true;
    return source->stay_run && (!may_keep || !keep_decisions || nkept < kept_capacity);
  }
  [[gnu::always_inline]] void take_quiet_point(bool may_keep = true) {
    ++steps;
    uint32_t others = runnable & ~(1u << current);
    if (!others) return;
    --source->stay_run;
    ++decision_count;
    if (!may_keep || !keep_decisions) return;
    if (nkept == kept_capacity) __builtin_unreachable();  // point_is_quiet() checked
    kept[nkept++] = Decision{ChoiceKind::thread, 1u + static_cast<uint32_t>(std::popcount(others)), 0,
                             static_cast<uint8_t>(current)};
  }
  // tso's lane: the point may also hold a flush choice (a store is buffered), which is quiet when
  // the source answers it from its run of defaults ("flush nothing", as decide() would).
  [[gnu::always_inline]] bool tso_point_is_quiet() const {
    return point_is_quiet(false) && (!buffered || source->newest_run);
  }
  [[gnu::always_inline]] void take_tso_quiet_point() {
    if (buffered) {  // maybe_flush()'s decide(flush) answered from newest_run: option 0
      --source->newest_run;
      ++decision_count;
    }
    take_quiet_point(false);
  }
  bool owner_alive(uint32_t block) const { return block == kNone || blocks[block].alive; }
  // The happens-before part of a store: what it publishes to an acquirer, `rel` (joined with
  // `also`: an RMW continues the release sequence of the store it read), and whether the thread's
  // clock ticks after it (a release).
  struct StoreClock {
    const VClock& rel;
    const VClock* also;
    bool release;
  };
  // The part of a store every mode shares: the record in the location's ring, last in modification
  // order when ts is past every other. `clocks`: hb, or what the caller's lane knows of it. `meta`:
  // the step and the site, which only events and feedback read (a fast lane runs with neither).
  [[gnu::always_inline]] uint32_t append_record(Location& L, uint64_t v, const StoreClock& c, uint32_t ts,
                                                bool clocks, bool meta = true) {
    uint32_t slot = L.count++ % kHistory;
    StoreRecord& s = L.hist[slot];
    s.value = v;
    s.ts = ts;
    if (meta) {
      s.step = steps;
      s.site = cur_site;
    }
    if (clocks) {
      s.rel = c.rel;
      if (c.also) s.rel.join(*c.also);
      if (c.release) me().clock.tick(current);
    }
    if (ts >= L.max_ts) {
      L.max_ts = ts;
      L.newest = slot;
    }
    return slot;
  }
  // The happens-before part of a fence (all a fence does under sc).
  [[gnu::always_inline]] void fence_clocks(rt::Fence f) {
    if (hb) fence_clocks_kept(f);
  }
  [[gnu::always_inline]] void fence_clocks_kept(rt::Fence f) {
    ThreadSlot& th = me();
    switch (f) {
      case rt::Fence::rmb:
        th.clock.join(th.acq_pending);
        break;
      case rt::Fence::wmb:
        th.fence_rel = th.clock;
        tick();
        break;
      case rt::Fence::mb:
        th.clock.join(th.acq_pending);
        th.clock.join(mb_clock);
        mb_clock = th.clock;
        th.fence_rel = th.clock;
        tick();
        break;
    }
  }
  [[noreturn]] void step_limit_reached();
  void cpu_relax();
  [[gnu::noinline]] void switch_to(uint32_t next);
  void block_current(WaitKind w, uint32_t id);
  void mark_blocked(WaitKind w, uint32_t id) {  // the current thread waits for (w, id)
    ThreadSlot& th = me();
    th.state = ThreadState::blocked;
    th.wait = w;
    th.wait_id = id;
    runnable &= ~(1u << current);
    blocked |= 1u << current;
  }
  // Makes the threads blocked on (w, id) runnable (for rcu: every thread waiting for a grace period).
  void wake(WaitKind w, uint32_t id) {
    if (blocked) wake_blocked(w, id);
  }
  void wake_blocked(WaitKind w, uint32_t id);
  void unblock(uint32_t t) {  // blocked thread t can run again
    ThreadSlot& th = threads[t];
    th.state = ThreadState::runnable;
    th.wait = WaitKind::none;
    runnable |= 1u << t;
    blocked &= ~(1u << t);
  }
  void reschedule_after_block();
  [[gnu::always_inline]] inline void run_nested(uint32_t child);
  std::string deadlock_message() const;
  [[gnu::always_inline]] inline void run_thread_body(uint32_t tid);
  // A thread's per-execution state, set as it is created (its clock and views are its creator's
  // business): runnable, not started, on its own stack, nothing pending.
  [[gnu::always_inline]] void begin_thread(ThreadSlot& th, uint32_t tid) {
    th.state = ThreadState::runnable;
    th.started = false;
    th.wait = WaitKind::none;
    if (hb) {
      th.acq_pending.clear();
      th.fence_rel.clear();
    }
    th.sb_head = th.sb_count = 0;
    th.unlocked_before = false;
    th.rcu_depth = 0;
    th.rcu_section = 0;
    th.root = tid;
    th.fiber.borrowed = nullptr;
  }
  // `joiner`: a thread known to be blocked joining tid (run_nested's), woken without a search when
  // it is the only blocked one (engine.cpp).
  [[gnu::always_inline]] inline void exit_bookkeeping(uint32_t tid, uint32_t joiner = kNone);
  void report_deadlock_if_blocked(uint32_t tid);
  Fiber* thread_exit();
  void switch_into(Fiber& from, uint32_t t);
  // A failure: noted (note_failure), then the execution is abandoned (abandon_execution).
  [[noreturn]] void fail(FailureKind k, const char* oracle, const char* msg, const std::source_location* w);
  void note_failure(FailureKind k, const char* oracle, const char* msg, const std::source_location* w);
  [[noreturn]] void abandon_execution();
  [[noreturn, gnu::cold]] void failed_after_the_end(const char* msg);
  bool run_threads();                   // thread 0's body, then the others; false: abandoned
  [[noreturn]] void abort_to_run();     // on the host's stack: back into run_threads, returning false
  // Hot checks stay inline; their rare slow parts are out of line.
  void check_owner(uint32_t block, const char* what, const std::source_location& w) {
    if (block != kNone && !blocks[block].alive) report_use_after_free(block, what, w);
  }
  [[noreturn]] void report_use_after_free(uint32_t block, const char* what, const std::source_location& w);
  [[gnu::always_inline]] Event* record(Op op, uint32_t obj, const std::source_location& w) {
    return opts.record_events ? append_event(op, obj, w) : nullptr;
  }
  Event* append_event(Op op, uint32_t obj, const std::source_location& w);
  ThreadSlot& me() { return *cur_slot; }
  void tick() {
    if (hb) me().clock.tick(current);
  }
  uint32_t spawn_thread(const std::source_location& w);
  void join_thread(uint32_t tid, const std::source_location& w);
  static void* fiber_main(void* arg);
  const Trace& build_trace() const;

  // memory.cpp
  void begin_op(const std::source_location& w) {
    if (opts.feedback) cur_site = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(w.file_name())) * 31u + w.line();
  }
  void feedback_rf(uint32_t store_site, bool stale) {
    uint32_t h = (store_site * 0x9e3779b1u) ^ (cur_site * 0x85ebca6bu) ^ (stale ? 0x5bd1e995u : 0u);
    h ^= h >> 15;
    uint8_t& c = opts.feedback[h & (opts.feedback_size - 1)];
    if (c != 255) ++c;
  }
  uint32_t new_location(const char* name, uint64_t init, rt::LocKind kind);
  uint32_t new_location_general(const char* name, uint64_t init, rt::LocKind kind);  // out of line
  // A location holding only its initial value (the rest of the record is written before it is read).
  [[gnu::always_inline]] void init_location(Location& L, const char* name, uint64_t init, rt::LocKind kind) {
    L.name = name;
    L.kind = kind;
    L.owner_block = constructing_block;
    L.count = 1;
    L.newest = 0;
    L.max_ts = 0;
    L.hist[0].value = init;
    L.hist[0].ts = 0;
    L.hist[0].step = kNoStep;
    L.hist[0].site = 0;
    if (hb) L.hist[0].rel.clear();
  }
  uint64_t load(uint32_t loc, rt::Order o, const std::source_location& w);
  void store(uint32_t loc, uint64_t v, rt::Order o, const std::source_location& w);
  uint64_t rmw(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const std::source_location& w);
  bool cmpxchg(uint32_t loc, uint64_t* expected, uint64_t desired, rt::Order o, const std::source_location& w);
  void fence(rt::Fence f, const std::source_location& w);
  // The same, as the rt:: entry points call them when the fast lane does not apply.
  uint64_t load_general(uint32_t loc, rt::Order o, const std::source_location& w);
  void store_general(uint32_t loc, uint64_t v, rt::Order o, const std::source_location& w);
  uint64_t rmw_general(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const std::source_location& w);
  void fence_general(rt::Fence f, const std::source_location& w);
  void fence_effects(rt::Fence f);
  void fence_views(rt::Fence f, bool small = false);  // lkmm: the views' part of fence_effects
  // lkmm: the views' part of a load that reads ring slot `chosen`
  void read_views(const Location& L, uint32_t loc, uint32_t chosen, uint32_t view, rt::Order o, bool small = false,
                  bool seen = false);
  // tso
  // A store into the current thread's buffer (which has room): a release, as on x86.
  [[gnu::always_inline]] void buffer_store(uint32_t loc, uint64_t v) {
    ThreadSlot& th = me();
    PendingStore& p = th.sb[(th.sb_head + th.sb_count++) % kStoreBuffer];
    p.loc = loc;
    p.step = steps;
    p.site = cur_site;
    p.value = v;
    if (hb) {
      p.rel = th.clock;
      th.clock.tick(current);
    }
    buffered |= 1u << current;
  }
  void maybe_flush();                    // at a schedule point: perhaps drain one buffered store
  void flush_one(uint32_t tid);          // the oldest store of thread tid reaches memory
  void drain(uint32_t tid);              // all of them (fences, RMWs, locks, thread exit)
  // The current thread's own newest buffered store to loc, if any (store-to-load forwarding).
  [[gnu::always_inline]] bool forwarded(uint32_t loc, uint64_t* value, uint32_t* step) const {
    const ThreadSlot& th = *cur_slot;
    for (uint32_t i = th.sb_count; i > 0; --i) {
      const PendingStore& p = th.sb[(th.sb_head + i - 1) % kStoreBuffer];
      if (p.loc == loc) {
        *value = p.value;
        *step = p.step;
        return true;
      }
    }
    return false;
  }
  // Joins the first `len` entries of `from` (default: every location of this execution).
  void view_join(View into, const uint32_t* from, uint32_t len) const {
    join_entries(into.at, from, std::min({nlocs, kMaxWeakLocations, len}));
  }
  void view_join(View into, View from, uint32_t len = kNone) const { view_join(into, from.at, len); }
  // Small views: while an execution has at most kViewChunk locations, every view it reads has a
  // whole first chunk (zero past the locations), so that view operations take one chunk without
  // counting entries: thread and global views are zero past the locations (reset() clears whole
  // chunks), a store's or an unlock's view is a whole-chunk copy of such a view, and an initial
  // store's view and a new lock's are zero chunks (new_location and new_lock write them beside their
  // length 0, which the general path reads). A fifth location moves the run to Lane::lkmm. The
  // lkmm_small lane passes `small` to what it shares with the others (always inline: the tests fold),
  // which then takes each view as one chunk in a register, loaded once and stored once (no scalar
  // store into a chunk that a whole-chunk load could soon read: such a load waits for the store).
  //
  // Adds a store at modification-order position `ts` (append: L.max_ts + kTsStep).
  // `small`: the run has small views; `meta`: the record gets its step and site (not on a lane).
  void insert_store(Location& L, uint32_t loc, uint64_t v, const StoreClock& c, const uint32_t* view_base, uint32_t ts,
                    bool small = false, bool meta = true);
  uint32_t store_position(const Location& L, uint32_t loc);  // lkmm: where a plain store goes

  // sync.cpp
  uint32_t new_var(const char* name, rt::LocKind kind);
  void var_access(uint32_t id, bool is_write, uint64_t shown, const std::source_location& w);
  // A plain access that needs no call (no race to report, nothing to record, no point, the step
  // limit not reached): done here, or false having changed nothing (sync.cpp).
  [[gnu::always_inline]] bool var_access_lane(uint32_t id, bool is_write, const std::source_location& w);
  bool plain_lane = false;  // the options let plain accesses take var_access_lane
  void var_access_general(uint32_t id, bool is_write, uint64_t shown, const std::source_location& w);
  [[gnu::noinline]] void plain_point();
  [[noreturn, gnu::noinline, gnu::cold]] void report_race(uint32_t id, bool is_write, uint32_t other,
                                                         bool with_write, const std::source_location& w);
  uint32_t new_lock(const char* name);
  void lock(uint32_t id, const std::source_location& w);
  bool trylock(uint32_t id, const std::source_location& w);
  void unlock(uint32_t id, const std::source_location& w);
  void acquire_lock_effects(LockMeta& l, bool small = false);  // small: small views (the lane's)
  // What every unlock does after the views (weak) and before its event: publish, free, wake.
  void release_lock(LockMeta& l) {
    ThreadSlot& th = me();
    if (hb) {
      l.clock = th.clock;
      th.clock.tick(current);
    }
    l.owner = kNone;
    th.unlocked_before = true;
    wake(WaitKind::lock, static_cast<uint32_t>(&l - locks.data()));
  }
  // Weak memory: what an unlock publishes for the next holder (its current view).
  void publish_lock_view(uint32_t id, bool small = false) {
    if (small) {
      lock_view_len[id] = kViewChunk;
      store_chunk(lock_views.small_at(id), load_chunk(me().views));
      return;
    }
    lock_view_len[id] = std::min(nlocs, kMaxWeakLocations);
    copy_entries(lock_views.at(id), me().cur(), lock_view_len[id]);
  }
  void lock_general(uint32_t id, const std::source_location& w);    // out of line, for the fast lane
  void unlock_general(uint32_t id, const std::source_location& w);
  void rcu_read_lock(const std::source_location& w);
  void rcu_read_unlock(const std::source_location& w);
  void synchronize_rcu(const std::source_location& w);

  // park.cpp
  uint32_t wake_tokens[kMaxThreads];  // each thread's wake token location (kNone: none yet)
  bool tokens_used = false;           // wake_tokens holds this execution's (reset() clears it)
  uint32_t wake_token(uint32_t tid);
  void park(const std::source_location& w);
  void unpark(uint32_t tid, const std::source_location& w);

  // heap.cpp
  void* alloc_block(std::size_t size, std::size_t align, const char* name, void (*destroy)(void*),
                    const std::source_location& w);
  void block_constructed();
  void free_block(void* p, const std::source_location& w);
  uint32_t find_block(const void* p) const;
  void touch_block(const void* p, const std::source_location& w);
  void release_all_blocks();
  void end_blocks();  // at the end of an execution that allocated: the leak check (if it passed), then release
  void check_leaks();

  // Weak memory (memory.cpp): the location ids below which the view tables have room (a store view
  // slot per ring slot, an entry in every view) and below kMaxWeakLocations; reserve_views sets it.
  // Here, not beside locs_room: inserted there, it moved every later field and cost the vmalloc
  // cache 12 instructions per execution elsewhere.
  uint32_t weak_locs_room = 0;

  // --- raw storage, last: a new Engine touches only the pages in front of it
  // Spawned threads' callables, and TSO store buffers (every entry is written before it is read;
  // PendingStore is an aggregate, so the bytes hold one as soon as it is assigned).
  alignas(16) unsigned char tasks[kMaxThreads][kTaskBytes];
  alignas(PendingStore) unsigned char store_buffers[kMaxThreads][kStoreBuffer * sizeof(PendingStore)];
};

// The engine running right now (one per process at a time).
extern Engine::Impl* g_engine;
namespace rt {
// What rt::access_entries points at while no execution runs: entries that abort with a message.
extern const AccessEntries kNoExecutionEntries;
}  // namespace rt

}  // namespace sf
