// core/src/engine.cpp: the scheduler: threads on fibers, schedule points, blocking, failures,
// and the run loop of one execution.
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

#include "engine_impl.h"
#ifdef SF_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace sf {

Engine::Impl* g_engine = nullptr;

Engine::Impl::Impl() {
  for (uint32_t t = 0; t < kMaxThreads; ++t) {
    threads[t].task = tasks[t];
    threads[t].sb = reinterpret_cast<PendingStore*>(store_buffers[t]);
  }
  // The object tables start empty and grow (doubling) to what the model uses, and events are
  // recorded only when a trace is asked for (a replay): a new Engine touches little memory.
  grow_kept();
}

Engine::Impl::~Impl() { release_all_blocks(); }

void Engine::Impl::grow_kept() {
  uint32_t capacity = kept_capacity ? 2 * kept_capacity : 64;
  auto bigger = std::make_unique<Decision[]>(capacity);
  std::copy(kept.get(), kept.get() + nkept, bigger.get());
  kept = std::move(bigger);
  kept_capacity = capacity;
}

Engine::Engine() : impl_(std::make_unique<Impl>()) {}
Engine::~Engine() = default;

const Outcome& Engine::run(Body body, void* arg, ChoiceSource& source, const RunOptions& options) {
  return impl_->run(body, arg, source, options);
}
const Outcome& Engine::run_many(Body body, void* arg, ChoiceSource& source, const RunOptions& options,
                                uint64_t max_executions, RunTotals& totals) {
  if (max_executions == 0) return impl_->outcome;
  return impl_->run_many(body, arg, source, options, max_executions, totals);
}
const Trace& Engine::trace() const { return impl_->build_trace(); }
const std::vector<Decision>& Engine::decisions() const { return impl_->decisions; }

void Engine::Impl::reset() {
  // A thread's slot is set up when the thread is created (begin_thread); only its weak-memory
  // views are zeroed here, if the last execution used them, and only as far as it did.
  if (weak && nlocs) {
    if (thread_views.stride() == kViewChunk) {
      // One chunk per view, and the threads' views one after the other from slot 0: a run of chunks,
      // without a thread's pointer and stride to load for each.
      uint32_t* v = thread_views.small_at(0);
      for (uint32_t t = 0; t < nthreads; ++t, v += kViewsPerThread * kViewChunk) {
        zero_entries_of(kViewChunk, View{v}, View{v + kViewChunk}, View{v + 2 * kViewChunk}, View{v + 3 * kViewChunk});
      }
      uint32_t* g = thread_views.small_at(kGlobalViewSlot);
      zero_entries_of(kViewChunk, View{g}, View{g + kViewChunk}, View{g + 2 * kViewChunk});
    } else {
      uint32_t used = nlocs < kMaxWeakLocations ? nlocs : kMaxWeakLocations;
      for (uint32_t t = 0; t < nthreads; ++t) {
        ThreadSlot& th = threads[t];
        zero_entries_of(used, th.cur(), th.acq(), th.rel(), th.own());
      }
      zero_entries_of(used, mb_view(), rcu_start_view(), rcu_done_view());
    }
  }
  nthreads = 0;
  host_top = 0;
  nlocs = nvars = nlocks = 0;
  runnable = 0;
  blocked = 0;
  buffered = 0;
  steps = 0;
  plain_steps = 0;
  aborting = false;
  constructing_block = kNone;
  tokens_used = false;
  blocks.clear();  // their memory went back at the end of the last run()
  if (outcome.failed()) {
    outcome = Outcome{};
  } else {  // its strings are still empty
    outcome.step = outcome.thread = 0;
    outcome.trace_hash = 0;
  }
  if (opts.record_events) {  // the last execution's options: without events it added none, nor notes
    events.clear();
    notes.clear();
  }
  if (keep_decisions) decisions.clear();  // else the last execution left it as it found it
  nkept = 0;
  decision_count = 0;
  trace_built = false;
}

void Engine::Impl::set_options(const RunOptions& o) {
  opts = o;
  weak = o.memory == MemoryMode::lkmm;
  tso = o.memory == MemoryMode::tso;
  run_lane = o.record_events || o.feedback     ? Lane::general
             : o.memory == MemoryMode::sc        ? Lane::sc_unclocked
             : weak && !o.record_decisions       ? (views_fit_small() ? Lane::lkmm_small  // until a fifth location
                                                                      : Lane::lkmm)
             : tso && !o.record_decisions        ? Lane::tso
                                                 : Lane::general;
  run_entries = entries_of(run_lane);
  plain_lane = !o.record_events && !o.plain_accesses_are_points;
  keep_decisions = o.record_decisions;
}

// One execution with the options set_options() set, after reset(). Not instrumented by AddressSanitizer (nor are
// its callers, which inline it): its frame bookkeeping does not survive the longjmp back into
// run_threads (inlined here); the model's code it calls is instrumented.
// Before the first of a series of executions of one body with one source (run: one; run_many: the
// loop), and after the last: between two of run_many's, no model code runs that could use the engine.
[[gnu::always_inline]] inline void Engine::Impl::begin_series(Body b, void* arg, ChoiceSource& src) {
  source = &src;
  trials = src.random_trials;
  body = b;
  body_arg = arg;
  g_engine = this;
}
[[gnu::always_inline]] inline void Engine::Impl::end_series() {
  g_engine = nullptr;
  rt::access_entries = &rt::kNoExecutionEntries;
}

[[gnu::always_inline]] inline const Outcome& Engine::Impl::execute() {
  // The last execution may have moved its lane (start_hb, a fifth location): set_lane(run_lane),
  // without the lookup.
  lane = run_lane;
  rt::access_entries = run_entries;
  hb = false;  // the clocks start with the first var<T> or ghost stamp (start_hb), or right below
  bool eager_hb = opts.eager_happens_before || hb_wanted;
  hb_wanted = false;
  source->begin_execution();

  // Thread 0 runs the body right here, on the caller's stack (its clock is set by start_hb()).
  ThreadSlot& t0 = threads[0];
  nthreads = 1;
  begin_thread(t0, 0);
  t0.started = true;
  if (eager_hb) start_hb();
  if (weak && !thread_views.slots()) reserve_views(0, 0);
  runnable = 1;
  set_current(0);
  threads_running = true;
  run_threads();
  threads_running = false;

  // Every thread finished, or the execution failed and was abandoned: the threads that had not
  // finished keep their frames where they were (a fiber's stack is laid out afresh when it next
  // starts a thread); what the engine holds for them, their callables, is destroyed here.
  if (outcome.failed()) {
    aborting = true;
    for (uint32_t t = 1; t < nthreads; ++t) {
      ThreadSlot& th = threads[t];
      if (th.has_task) {
        if (th.destroy) th.destroy(th.task);
        th.has_task = false;
      }
      th.state = ThreadState::finished;
    }
  }
  if (!blocks.empty()) end_blocks();
  outcome.steps = steps;
  outcome.points = steps - plain_steps;
  outcome.decisions = decision_count;
  if (keep_decisions) decisions.assign(kept.get(), kept.get() + nkept);
  if (opts.record_events) outcome.trace_hash = trace_hash(build_trace());
  return outcome;
}

[[clang::no_sanitize("address")]] const Outcome& Engine::Impl::run(Body b, void* arg, ChoiceSource& src,
                                                                 const RunOptions& o) {
  reset();  // before the new options: it clears what the last execution's left
  set_options(o);
  begin_series(b, arg, src);
  const Outcome& out = execute();
  end_series();
  return out;
}

// The options are set once, and the loop around the executions is here: per execution this spares
// what run() does beside it (its frame, the options, the caller's loop and its calls).
[[clang::no_sanitize("address")]] const Outcome& Engine::Impl::run_many(Body b, void* arg, ChoiceSource& src,
                                                                      const RunOptions& o, uint64_t max,
                                                                      RunTotals& totals) {
  reset();
  set_options(o);
  begin_series(b, arg, src);
  for (;;) {
    const Outcome& out = execute();
    ++totals.executions;
    totals.steps += out.steps;
    totals.points += out.points;
    if (out.failed() || --max == 0) {
      end_series();
      return out;
    }
    reset();
  }
}

// Thread 0's body on the caller's stack, then the other threads (if any) until the last one hands
// back to this context. A failure anywhere ends here at once: abort_to_run() returns to the setjmp
// below with every thread's frames abandoned. Dropping them instead of unwinding them costs no
// exception (the first one of a process took tens of microseconds, most of the time to a first
// failure), and no model code runs after its execution has failed: no destructor, and no catch
// (...) that could swallow the abort. Inlined into run() (a call and a frame of its own cost 24
// instructions per execution).
[[gnu::always_inline]] inline bool Engine::Impl::run_threads() {
  if (__builtin_setjmp(abort_point)) return false;
  run_thread_body(0);
  if (outcome.failed()) return false;
  exit_bookkeeping(0);
  if (runnable) {
    set_current(pick_next());
    switch_into(host(), current);  // returns when no thread can run, or a thread failed
  } else if (blocked) {
    report_deadlock_if_blocked(0);
  }
  return !outcome.failed();
}

// On the host's stack (thread 0's, or a thread's nested on it), after a failure.
void Engine::Impl::abort_to_run() {
  aborting = true;
#ifdef SF_ASAN
  __asan_handle_no_return();  // the abandoned frames' redzones
#endif
  __builtin_longjmp(abort_point, 1);
}

// Runs thread `tid`'s code to its end. A failure inside it never returns here (fail() abandons the
// execution); an exception that model code throws and does not catch becomes one.
void Engine::Impl::run_thread_body(uint32_t tid) {
  ThreadSlot* th = &threads[tid];
  try {
    record(Op::thread_start, tid, std::source_location{});
    if (tid == 0) {
      body(body_arg);
    } else {
      th->invoke(th->task);
    }
    // Under tso a thread's last stores may still be buffered: one more schedule point lets other
    // threads run (and read memory) before its exit drains them.
    if (tso && th->sb_count) schedule_point();
  } catch (std::exception& ex) {
    note_failure(FailureKind::model_exception, nullptr, (std::string("model code threw: ") + ex.what()).c_str(), nullptr);
  } catch (...) {
    note_failure(FailureKind::model_exception, nullptr, "model code threw a non-standard exception", nullptr);
  }
  // Out of the handler before abandoning (a handler left by a jump would keep its exception alive).
  if (outcome.failed()) abandon_execution();
  if (tid != 0 && th->has_task) {
    if (th->destroy) th->destroy(th->task);
    th->has_task = false;
  }
  th->state = ThreadState::finished;
  // A whole-word store: for thread 0 (a constant tid) the compiler would store only the byte that
  // changes, and the whole-word load of `runnable` right after could not take its data from that
  // narrower store (it would wait for it to leave the store buffer: 30% of run_many's time samples).
  uint32_t r = runnable;
  __asm__("" : "+r"(r));
  runnable = r & ~(1u << tid);
}

// Every spawned thread's fiber runs this (fiber_enter): a fresh stack starts here. When a thread
// ends and the next one to run has not started yet, that thread runs on here, on the same stack,
// without a context switch (thread_exit hands the stack over). Returns the saved stack pointer of
// the context to resume when the stack's last thread has ended.
void* Engine::Impl::fiber_main(void* arg) {
  auto* th = static_cast<ThreadSlot*>(arg);
  fiber_first_entry(th->fiber);
  Impl* e = g_engine;
  uint32_t tid = static_cast<uint32_t>(th - e->threads);
  for (;;) {
    e->threads[tid].started = true;
    e->run_thread_body(tid);
    if (Fiber* resume = e->thread_exit()) return resume->sp;
    tid = e->current;
  }
}

// Suspends `from` and runs thread t: resumes it, or starts it on its fiber. A spawned thread's stack
// is prepared only when it first runs: spawning costs no stack work, and a thread that starts on a
// handed-over stack needs none.
void Engine::Impl::switch_into(Fiber& from, uint32_t t) {
  ThreadSlot& th = threads[t];
  if (!th.started && t != 0) {
    th.fiber.prepare();
    fiber_enter(from, th.fiber, &Impl::fiber_main, &th);
  } else {
    fiber_switch(from, th.fiber);
  }
}

// What a normal thread exit does besides leaving the runnable set: its buffered stores reach
// memory and its joiners wake.
void Engine::Impl::exit_bookkeeping(uint32_t tid, uint32_t joiner) {
  if (tso) drain(tid);
  record(Op::thread_exit, tid, std::source_location{});
  if (joiner < kMaxThreads && blocked == 1u << joiner) {
    unblock(joiner);  // the only blocked thread, and it waits for this one: no search
  } else {
    wake(WaitKind::join, tid);
  }
}

// No thread can run: if some are blocked, that is a deadlock.
void Engine::Impl::report_deadlock_if_blocked(uint32_t tid) {
  if (blocked) {
    outcome.kind = FailureKind::deadlock;
    outcome.message = deadlock_message();
    outcome.step = steps;
    outcome.thread = tid;
    aborting = true;
  }
}

// The end of a spawned thread: hand over to the next runnable thread, or back to thread 0's
// context when no thread can run (the execution is over, or deadlocked). Returns nullptr when the
// next thread (current) has not started: it then runs on this stack (see fiber_main); else the fiber
// to resume, which fiber_main returns to the fiber's start (fiber_enter). Under AddressSanitizer it
// switches there itself: the sanitizer is told of a switch right before it happens.
Fiber* Engine::Impl::thread_exit() {
  ThreadSlot& th = me();
  uint32_t tid = current;
  uint32_t next = host_top;
  if (!aborting && !outcome.failed()) {
    exit_bookkeeping(tid);
    if (runnable == 0) {
      report_deadlock_if_blocked(tid);  // thread 0 resumes and abandons the execution if it is blocked
    } else {
      next = pick_next();
    }
    set_current(next);
    if (next != 0 && !threads[next].started) {
      th.fiber.swap_stacks(threads[next].fiber);  // this stack is free now; the next one is unused
      return nullptr;
    }
  }
#ifdef SF_ASAN
  fiber_switch(th.fiber, threads[next].fiber, true);
  __builtin_unreachable();
#else
  return &threads[next].fiber;
#endif
}

void Engine::Impl::step_limit_reached() {
  char buf[160];
  std::snprintf(buf, sizeof buf,
                "step limit of %u reached: a spin loop without progress (add cpu_relax() to spin loops)",
                opts.max_steps);
  fail(FailureKind::livelock, nullptr, buf, nullptr);
}

uint32_t Engine::Impl::pick_thread(bool may_stay) {
  static_assert(kMaxThreads <= 16, "the rotation below works on 16 bits");
  uint32_t others = runnable & ~(1u << current);
  if (!may_stay && std::has_single_bit(others)) return static_cast<uint32_t>(std::countr_zero(others));
  if (!others) return may_stay ? current : kNone;
  // The other runnable threads in cyclic order after the current one: rotate the mask so that
  // thread current+1 is bit 0; option k is its k-th set bit (after the current thread, if it may stay).
  uint32_t shift = current + 1;
  uint32_t rot = after_current(others);
  ChoiceKind kind = may_stay ? ChoiceKind::thread : ChoiceKind::next;
  uint32_t tid;
  if (!source->wants_option_tids) {
    uint32_t n = static_cast<uint32_t>(std::popcount(rot)) + (may_stay ? 1 : 0);
    uint32_t c = decide(kind, n);
    if (may_stay && c == 0) {
      tid = current;
    } else {
      tid = (shift + nth_set_bit(rot, c - (may_stay ? 1 : 0))) % kMaxThreads;
    }
  } else {
    uint8_t options[kMaxThreads];
    uint32_t n = 0;
    if (may_stay) options[n++] = static_cast<uint8_t>(current);
    while (rot) {
      uint32_t b = static_cast<uint32_t>(std::countr_zero(rot));
      options[n++] = static_cast<uint8_t>((shift + b) % kMaxThreads);
      rot &= rot - 1;
    }
    source->set_options(options, n);
    uint32_t c = decide(kind, n);
    source->set_options(nullptr, 0);
    tid = options[c];
  }
  if (keep_decisions) kept[nkept - 1].tid = static_cast<uint8_t>(tid);
  return tid;
}

uint32_t Engine::Impl::preempt_by_trials(uint32_t others) {
  // As pick_thread(true) with decide(): option 0 keeps the current thread, option k runs the k-th
  // other runnable thread in cyclic order after it.
  uint32_t shift = current + 1;
  uint32_t rot = after_current(others);
  uint32_t n = static_cast<uint32_t>(std::popcount(rot)) + 1;
  uint32_t c = trials->preempt.choose(trials->rng, n, source->stay_run);
  uint32_t tid = c == 0 ? current : (shift + nth_set_bit(rot, c - 1)) % kMaxThreads;
  note_decision(Decision{ChoiceKind::thread, n, c, static_cast<uint8_t>(tid)});
  return tid;
}

void Engine::Impl::cpu_relax() {
  if (++steps > opts.max_steps) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "step limit of %u reached in a spin loop that never sees progress",
                  opts.max_steps);
    fail(FailureKind::livelock, nullptr, buf, nullptr);
  }
  if (runnable & ~(1u << current)) {
    source->at_yield = true;
    uint32_t next = pick_next();
    source->at_yield = false;
    switch_to(next);
  }
}

void Engine::Impl::switch_to(uint32_t next) {
  if (next == current) return;
  uint32_t prev = current;
  set_current(next);
  switch_into(threads[prev].fiber, next);
  // Resumed: `current` is us again (whoever switched here set it), or the execution failed (only
  // the host's context is resumed then).
  if (aborting) abort_to_run();
}

void Engine::Impl::block_current(WaitKind w, uint32_t id) {
  mark_blocked(w, id);
  reschedule_after_block();
}

// "deadlock: no thread can run (T1 waits for a lock, T2 waits for a join)".
std::string Engine::Impl::deadlock_message() const {
  static const char* kWaits[] = {"?", "a lock", "a join", "an RCU grace period", "an unpark (parked)"};
  std::string who;
  for (uint32_t t = 0; t < nthreads; ++t) {
    if (threads[t].state != ThreadState::blocked) continue;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%sT%u waits for %s", who.empty() ? "" : ", ", t,
                  kWaits[static_cast<int>(threads[t].wait)]);
    who += buf;
  }
  return "deadlock: no thread can run (" + who + ")";
}

// The current thread cannot run: hand over to another, or report a deadlock.
void Engine::Impl::reschedule_after_block() {
  uint32_t others = runnable & ~(1u << current);
  if (!others) {
    note_failure(FailureKind::deadlock, nullptr, deadlock_message().c_str(), nullptr);
    abandon_execution();
  }
  uint32_t next = pick_next();
  const ThreadSlot& th = me();
  if (th.wait == WaitKind::join && th.wait_id == next && !threads[next].started && opts.inline_joins) {
    run_nested(next);
    return;
  }
  switch_to(next);
}

// A thread that blocks joining a thread that has not started yet runs it as a call, here on its
// own stack: the joiner cannot run again before the child ends, so the child's frames never lie
// over a context that could be resumed. It saves the two context switches and the stack set-up of
// the common "spawn, then join" shape; decisions, steps and trace are exactly those of a switch.
// The child may still be preempted (its context is then saved on this stack) and may run further
// nested calls of its own.
void Engine::Impl::run_nested(uint32_t child) {
  uint32_t parent = current;
  ThreadSlot& p = threads[parent];
  ThreadSlot& c = threads[child];
  c.started = true;
  c.root = p.root;
  c.fiber.borrowed = &threads[p.root].fiber;
  if (host_top == parent) host_top = child;
  set_current(child);
  run_thread_body(child);
  if (host_top == child) host_top = parent;  // (a failure in the child never returns here)
  // The child's exit, as thread_exit does it; the joiner (blocked joining the child) wakes, so
  // someone can run.
  exit_bookkeeping(child, parent);
  // Usually the joiner is the only thread that can run: it runs on, with no decision and no call.
  uint32_t next = (runnable & ~(1u << child)) == 1u << parent ? parent : pick_next();
  set_current(parent);
  if (next != parent) switch_to(next);
}

// Happens-before starts here (see `hb`): every clock is set as at the start of an execution with
// these threads, locations and locks and no ordering between them yet, epochs starting over at 1.
// (A lock's clock needs nothing: new_lock() clears it and only an unlock with clocks writes it.)
void Engine::Impl::start_hb() {
  hb = true;
  if (lane == Lane::sc_unclocked) set_lane(Lane::sc);
  for (uint32_t t = 0; t < nthreads; ++t) {
    ThreadSlot& th = threads[t];
    th.clock.clear();
    th.clock.set(t, 1);
    th.acq_pending.clear();
    th.fence_rel.clear();
    for (uint32_t i = 0; i < th.sb_count; ++i) th.sb[(th.sb_head + i) % kStoreBuffer].rel.clear();
  }
  for (uint32_t l = 0; l < nlocs; ++l) {
    Location& L = locs[l];
    for (uint32_t i = 0, kept = std::min(L.count, kHistory); i < kept; ++i) L.hist[i].rel.clear();
  }
  mb_clock.clear();
  rcu_start_clock.clear();
  rcu_done_clock.clear();
}

void Engine::Impl::wake_blocked(WaitKind w, uint32_t id) {
  for (uint32_t m = blocked; m; m &= m - 1) {
    uint32_t t = static_cast<uint32_t>(std::countr_zero(m));
    ThreadSlot& th = threads[t];
    if (th.wait == w && (w == WaitKind::rcu || th.wait_id == id)) unblock(t);
  }
}

// Records the first failure of the execution (a later one, while it ends, changes nothing).
void Engine::Impl::note_failure(FailureKind k, const char* oracle_name, const char* msg, const std::source_location* w) {
  if (outcome.failed()) return;
  outcome.kind = k;
  if (oracle_name) outcome.oracle = oracle_name;
  outcome.message = msg;
  if (w) {
    // " (file:line)", without snprintf or strrchr (see message_format.cpp for why)
    const char* base = w->file_name();
    for (const char* c = base; *c; ++c)
      if (*c == '/') base = c + 1;
    outcome.message += " (";
    outcome.message += base;
    outcome.message += ':';
    outcome.message += std::to_string(w->line());
    outcome.message += ')';
  }
  outcome.step = steps;
  outcome.thread = current;
}

void Engine::Impl::fail(FailureKind k, const char* oracle_name, const char* msg, const std::source_location* w) {
  if (!threads_running) failed_after_the_end(msg);
  note_failure(k, oracle_name, msg, w);
  abandon_execution();
}

// A destructor the engine runs after the threads ended (of an object left on the model heap, of a
// spawned callable) used a primitive, and it failed: there is no execution left to abandon.
void Engine::Impl::failed_after_the_end(const char* msg) {
  std::fprintf(stderr,
               "schedfuzz: a primitive failed in a destructor that ran after the execution's threads ended "
               "(destructors of objects on the model heap and of spawned callables must not call primitives): %s\n",
               msg);
  std::abort();
}

// The execution ends here: on the host's stack at once, from a fiber by handing over to the host's
// context first (this fiber is never resumed). Nothing that owns memory may live in the frames
// left behind (the engine's own callers pass the message as characters, not as a std::string).
void Engine::Impl::abandon_execution() {
  if (!threads_running) failed_after_the_end(outcome.message.c_str());
  aborting = true;
  if (me().root != 0) fiber_switch(me().fiber, host(), true);
  abort_to_run();
}

void Engine::Impl::report_use_after_free(uint32_t block, const char* what, const std::source_location& w) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s inside block #%u (%s) used after it was freed at step %u", what, block,
                blocks[block].name ? blocks[block].name : "?", blocks[block].free_step);
  fail(FailureKind::use_after_free, nullptr, buf, &w);
}

Event* Engine::Impl::append_event(Op op, uint32_t obj, const std::source_location& w) {
  Event& e = events.emplace_back();
  e.step = steps;
  e.obj = obj;
  e.tid = static_cast<uint8_t>(current);
  e.op = op;
  e.where = w;
  return &e;
}

uint32_t Engine::Impl::spawn_thread(const std::source_location& w) {
  // prepare_spawn has filled the slot at index nthreads
  if (tso) drain(current);
  uint32_t tid = nthreads++;
  ThreadSlot& th = threads[tid];
  ThreadSlot& parent = me();
  if (hb) {
    th.clock = parent.clock;
    th.clock.set(tid, 1);
  }
  // Its current and release views start as its parent's current view; its acquire view stays
  // empty (reset() cleared it): what it would add, the current view holds.
  if (lane == Lane::lkmm_small) {  // one chunk each, found from the thread ids
    ViewChunk c = load_chunk(thread_views.small_at(current * kViewsPerThread));
    ThreadSlot::SmallViews tv{thread_views.small_at(tid * kViewsPerThread)};
    store_chunk(tv.cur(), c);
    store_chunk(tv.rel(), c);
  } else if (weak) {
    uint32_t used = nlocs < kMaxWeakLocations ? nlocs : kMaxWeakLocations;
    copy_entries_to(used, parent.cur(), th.cur(), th.rel());
  }
  tick();
  begin_thread(th, tid);
  runnable |= 1u << tid;
  if (Event* e = record(Op::spawn, tid, w)) e->value = tid;
  return tid;
}

void Engine::Impl::join_thread(uint32_t tid, const std::source_location& w) {
  if (opts.joins_are_points) schedule_point();  // not a point (RunOptions::joins_are_points)
  if (tid >= nthreads || tid == current) fail(FailureKind::assertion, nullptr, "join of an invalid thread", &w);
  // The usual case, shortened: the joined thread has not started and is the only other one that
  // can run, so blocking would pick it without a decision and run it inline (run_nested).
  if (!threads[tid].started && (runnable & ~(1u << current)) == 1u << tid && opts.inline_joins) {
    mark_blocked(WaitKind::join, tid);
    run_nested(tid);
  }
  while (threads[tid].state != ThreadState::finished) block_current(WaitKind::join, tid);
  ThreadSlot& th = me();
  if (hb) th.clock.join(threads[tid].clock);
  if (lane == Lane::lkmm_small) {  // one chunk each, found from the thread ids
    uint32_t* mine = thread_views.small_at(current * kViewsPerThread);
    store_chunk(mine, max_chunk(load_chunk(mine), load_chunk(thread_views.small_at(tid * kViewsPerThread))));
  } else if (weak) {
    view_join(th.cur(), threads[tid].cur());
  }
  if (Event* e = record(Op::join, tid, w)) e->value = tid;
}

// ---- rt:: entry points for threads, scheduling and failures
namespace rt {

static Engine::Impl& E() {
  if (!g_engine) {
    std::fprintf(stderr, "schedfuzz: a model primitive was used outside of an execution\n");
    std::abort();
  }
  return *g_engine;
}

void* prepare_spawn(TaskFn invoke, TaskFn destroy) {
  Engine::Impl& e = E();
  if (e.nthreads >= kMaxThreads) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "more than %u threads in one execution", kMaxThreads);
    e.fail(FailureKind::too_many, nullptr, buf, nullptr);
  }
  ThreadSlot& th = e.threads[e.nthreads];
  th.invoke = invoke;
  th.destroy = destroy;
  th.has_task = true;
  return th.task;
}
[[gnu::flatten]] uint32_t commit_spawn(const Where& w) { return E().spawn_thread(w); }
[[gnu::flatten]] void join(uint32_t tid, const Where& w) { E().join_thread(tid, w); }
uint32_t self() { return E().current; }
void cpu_relax(const Where& w) {
  Engine::Impl& e = E();
  e.record(Op::cpu_relax, kNone, w);
  e.cpu_relax();
}
void fail(bool is_oracle, const char* oracle_name, const char* message, const Where& w) {
  E().fail(is_oracle ? FailureKind::oracle : FailureKind::assertion, oracle_name, message, &w);
}
Stamp ghost_now() {
  Engine::Impl& e = E();
  e.need_hb();
  return Stamp{e.current, e.me().clock.c[e.current], e.steps};
}
bool ghost_happened_before(const Stamp& s) {
  Engine::Impl& e = E();
  if (!e.weak && e.opts.memory == MemoryMode::sc) return s.step <= e.steps;
  return e.me().clock.covers(s.tid, s.epoch);
}
bool weak_memory() { return E().opts.memory != MemoryMode::sc; }
void note(const char* text) {
  Engine::Impl& e = E();
  if (Event* ev = e.record(Op::note, kNone, std::source_location::current())) {
    ev->note = static_cast<uint32_t>(e.notes.size());
    e.notes.emplace_back(text);
  }
}

}  // namespace rt
}  // namespace sf
