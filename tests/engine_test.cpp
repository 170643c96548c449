// tests/engine_test.cpp: the engine's checkers and determinism, on small models written here.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "schedfuzz/bounded_source.h"
#include "schedfuzz/fuzz_bytes_source.h"
#include "schedfuzz/replay_source.h"
#include "schedfuzz/schedfuzz.h"
#include "tests/test_support.h"

using namespace sf;
using sf::test::explore_fn;

namespace {

// Two threads increment a counter with READ_ONCE + WRITE_ONCE: the lost update needs a preemption
// between the load and the store.
void lost_update_body() {
  shared<int> counter{0, "counter"};
  auto inc = [&] {
    int v = READ_ONCE(counter);
    WRITE_ONCE(counter, v + 1);
  };
  thread a = spawn(inc);
  thread b = spawn(inc);
  join(a);
  join(b);
  check(counter.peek() == 2, "lost update: counter is %d", counter.peek());
}

TEST(Engine, SequentialRunIsTheEmptyInput) {
  Engine e;
  test::FnBody b{lost_update_body};
  FuzzBytesSource empty(nullptr, 0);
  Outcome o = e.run(&test::FnBody::call, &b, empty);
  EXPECT_FALSE(o.failed()) << o.message;
  EXPECT_EQ(o.steps, 4u);  // each thread's load and store (a join is not a point)
}

TEST(Engine, FindsLostUpdateAndReplaysItExactly) {
  ExploreResult r = explore_fn(lost_update_body, 10000);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::assertion);
  Engine e;
  test::FnBody b{lost_update_body};
  for (int i = 0; i < 3; ++i) {
    ReplayResult again = replay(e, &test::FnBody::call, &b, r.decisions, RunOptions{});
    EXPECT_TRUE(again.divergence.empty()) << again.divergence;
    EXPECT_EQ(again.outcome.kind, FailureKind::assertion);
    EXPECT_EQ(again.outcome.trace_hash, r.outcome.trace_hash);
    EXPECT_EQ(again.outcome.step, r.outcome.step);
  }
}

TEST(Engine, SameChoicesSameTraceHash) {
  Engine e;
  test::FnBody b{lost_update_body};
  const uint8_t bytes[] = {0, 1, 0, 2, 1, 1, 0, 3, 1, 0, 1, 1, 2};
  FuzzBytesSource s1(bytes, sizeof bytes);
  Outcome o1 = e.run(&test::FnBody::call, &b, s1);
  std::vector<Decision> d1 = e.decisions();
  FuzzBytesSource s2(bytes, sizeof bytes);
  Engine other;
  Outcome o2 = other.run(&test::FnBody::call, &b, s2);
  EXPECT_EQ(o1.trace_hash, o2.trace_hash);
  EXPECT_EQ(d1.size(), other.decisions().size());
  // A different choice gives a different execution.
  const uint8_t other_bytes[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  FuzzBytesSource s3(other_bytes, sizeof other_bytes);
  Outcome o3 = e.run(&test::FnBody::call, &b, s3);
  EXPECT_NE(o1.trace_hash, o3.trace_hash);
}

TEST(Engine, SpinlockPreventsLostUpdate) {
  ExploreResult r = explore_fn([] {
    shared<int> counter{0};
    spinlock_t lock;
    auto inc = [&] {
      spin_lock(lock);
      WRITE_ONCE(counter, READ_ONCE(counter) + 1);
      spin_unlock(lock);
    };
    thread a = spawn(inc), b = spawn(inc), c = spawn(inc);
    join(a), join(b), join(c);
    check(counter.peek() == 3, "counter %d", counter.peek());
  }, test::budget(50000));
  EXPECT_FALSE(r.found) << r.outcome.message;
  EXPECT_EQ(r.executions, test::budget(50000));
}

TEST(Engine, DetectsDeadlockFromLockOrderInversion) {
  ExploreResult r = explore_fn([] {
    spinlock_t a{"A"}, b{"B"};
    thread t1 = spawn([&] { spin_lock(a); spin_lock(b); spin_unlock(b); spin_unlock(a); });
    thread t2 = spawn([&] { spin_lock(b); spin_lock(a); spin_unlock(a); spin_unlock(b); });
    join(t1);
    join(t2);
  }, 10000);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::deadlock);
}

TEST(Engine, DetectsLivelockOfASpinLoop) {
  ExploreResult r = explore_fn([] {
    shared<int> flag{0};
    thread t = spawn([&] {
      while (READ_ONCE(flag) == 0) cpu_relax();  // nobody ever sets it
    });
    join(t);
  }, 10);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::livelock);
}

TEST(Engine, SpinLoopWithCpuRelaxMakesProgress) {
  ExploreResult r = explore_fn([] {
    shared<int> flag{0};
    thread waiter = spawn([&] {
      while (READ_ONCE(flag) == 0) cpu_relax();
    });
    thread setter = spawn([&] { WRITE_ONCE(flag, 1); });
    join(waiter);
    join(setter);
  }, test::budget(20000));
  EXPECT_FALSE(r.found) << r.outcome.message;
}

TEST(Engine, DetectsDataRaceOnPlainData) {
  ExploreResult r = explore_fn([] {
    var<int> data{0, "data"};
    shared<int> flag{0, "flag"};
    thread w = spawn([&] {
      data.store(42);
      WRITE_ONCE(flag, 1);  // no release: the read below is not ordered after the write
    });
    thread rd = spawn([&] {
      if (READ_ONCE(flag)) (void)data.load();
    });
    join(w);
    join(rd);
  }, 10000);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::data_race);
}

// Vector clocks start with the first var<T> (RunOptions::eager_happens_before: at the start). A var
// created after the threads synchronized once: a release/acquire pair after it orders its accesses,
// a relaxed flag does not (except under tso, where every store is a release and every load an
// acquire), whatever came before. Every execution of the exhaustive search, in every
// mode, ends the same way as with clocks from the start, even right after an execution that left
// large clocks in the same threads, store slots, lock and smp_mb order.
void clock_polluter_body() {
  spinlock_t lock{"lock"};
  shared<int> a{0, "a"}, b{0, "b"};
  var<int> v{0, "v"};  // clocks from the start
  auto many_releases = [&](shared<int>& x, shared<int>& other) {
    for (int i = 1; i <= 20; ++i) {
      smp_store_release(x, i);
      (void)READ_ONCE(other);  // a relaxed read of the other's releases: what a later fence would take
      smp_mb();
      spin_lock(lock);
      spin_unlock(lock);
    }
  };
  thread t1 = spawn([&] { many_releases(a, b); });
  thread t2 = spawn([&] { many_releases(b, a); });
  join(t1);
  join(t2);
}

void late_var_body(bool ordered) {
  spinlock_t lock{"lock"};  // taken by both before the var exists: no edge to its accesses
  shared<int> ready{0, "ready"}, published{0, "published"};
  std::optional<var<int>> data;  // created by the writer, after its first release
  thread w = spawn([&] {
    spin_lock(lock);
    spin_unlock(lock);
    smp_store_release(ready, 1);
    data.emplace(0, "data");
    data->store(42);
    if (ordered) {
      smp_store_release(published, 1);
    } else {
      WRITE_ONCE(published, 1);
    }
  });
  thread r = spawn([&] {
    if (smp_load_acquire(ready) != 1) return;
    spin_lock(lock);
    spin_unlock(lock);
    smp_mb();
    int p = ordered ? smp_load_acquire(published) : READ_ONCE(published);
    smp_rmb();  // orders nothing here: the writer published `published` without a release
    if (p == 1) (void)data->load();
  });
  join(w);
  join(r);
}

TEST(Engine, HappensBeforeFromTheFirstVarOrdersWhatFollows) {
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    for (bool ordered : {false, true}) {
      test::FnBody b{[ordered] { late_var_body(ordered); }};
      BoundedSource lazy_src(BoundedSource::kUnbounded, BoundedSource::kUnbounded);
      BoundedSource eager_src(BoundedSource::kUnbounded, BoundedSource::kUnbounded);
      Engine lazy, eager;
      test::FnBody polluter{clock_polluter_body};
      test::FnBody unclocked{[] {}};
      RandomSource polluter_src(5);
      RunOptions lo;
      lo.memory = mode;
      lo.record_events = false;
      RunOptions eo = lo;
      eo.eager_happens_before = true;
      uint64_t executions = 0, races = 0;
      while (!lazy_src.exhausted()) {
        ASSERT_FALSE(eager_src.exhausted());
        // The polluter keeps clocks (it has a var); an empty execution after it (with clocks from its
        // start, as the one before asked for them) leaves them as they were, and lets the next one
        // start without clocks again.
        lazy.run(&test::FnBody::call, &polluter, polluter_src, lo);
        lazy.run(&test::FnBody::call, &unclocked, polluter_src, lo);
        Outcome x = lazy.run(&test::FnBody::call, &b, lazy_src, lo);
        lazy_src.end_execution();
        Outcome y = eager.run(&test::FnBody::call, &b, eager_src, eo);
        eager_src.end_execution();
        ASSERT_EQ(x.kind, y.kind) << memory_mode_name(mode) << ", execution " << executions << ": " << x.message;
        ASSERT_EQ(x.message, y.message);
        ASSERT_EQ(x.steps, y.steps);
        ++executions;
        races += x.kind == FailureKind::data_race;
        bool may_race = !ordered && mode != MemoryMode::tso;
        if (!may_race) ASSERT_FALSE(x.failed()) << memory_mode_name(mode) << ": " << x.message;
      }
      EXPECT_GT(executions, 10u) << memory_mode_name(mode);
      if (!ordered && mode != MemoryMode::tso) EXPECT_GT(races, 0u) << memory_mode_name(mode);
    }
  }
}

// Both orders of a racing pair are reported, each naming the two accesses, their threads and the
// earlier one's place; a var without a name is called by its id.
TEST(Engine, DataRaceMessagesNameBothAccesses) {
  std::set<std::string> seen;
  test::FnBody b{[] {
    var<int> first{0};  // var#0: never raced on
    var<int> data{0, "data"};
    shared<int> x{0, "x"};
    thread w = spawn([&] { data.store(1); });
    (void)READ_ONCE(x);  // a schedule point: the write may come before the read, or after
    (void)data.load();
    join(w);
    (void)first.load();
  }};
  BoundedSource all(BoundedSource::kUnbounded, BoundedSource::kUnbounded);
  Engine e;
  while (!all.exhausted()) {
    const Outcome& o = e.run(&test::FnBody::call, &b, all);
    all.end_execution();
    if (!o.failed()) continue;
    EXPECT_EQ(o.kind, FailureKind::data_race);
    std::string m = o.message;
    seen.insert(m.substr(0, m.find(" at step")));
    EXPECT_NE(m.find("(engine_test.cpp:"), std::string::npos) << m;
  }
  EXPECT_EQ(seen, (std::set<std::string>{"data race on data: read by T0 and write by T1",
                                         "data race on data: write by T1 and read by T0"}));
  test::FnBody unnamed{[] {
    var<int> anon{0};
    thread w = spawn([&] { anon.store(1); });
    anon.store(2);
    join(w);
  }};
  RandomSource rs(3);
  ExploreResult r = explore(e, &test::FnBody::call, &unnamed, rs, RunOptions{}, ExploreBudget{10000, 0});
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.message.rfind("data race on var#0: write by T", 0), 0u) << r.outcome.message;
}

// A release orders what came before it, not what comes after: a write after the release races
// with a reader that acquired it (the release starts a new epoch of the writer).
TEST(Engine, AWriteAfterAReleaseIsNotOrderedByIt) {
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    ExploreResult r = explore_fn(
        [] {
          var<int> data{0, "data"};
          shared<int> flag{0, "flag"};
          thread w = spawn([&] {
            data.store(1);
            smp_store_release(flag, 1);
            data.store(2);
          });
          if (smp_load_acquire(flag)) (void)data.load();
          join(w);
        },
        test::budget(10000), 1, mode);
    ASSERT_TRUE(r.found) << memory_mode_name(mode);
    EXPECT_EQ(r.outcome.kind, FailureKind::data_race) << r.outcome.message;
  }
}

TEST(Engine, ReleaseAcquireOrdersPlainData) {
  ExploreResult r = explore_fn([] {
    var<int> data{0, "data"};
    shared<int> flag{0, "flag"};
    thread w = spawn([&] {
      data.store(42);
      smp_store_release(flag, 1);
    });
    thread rd = spawn([&] {
      if (smp_load_acquire(flag)) check(data.load() == 42, "data not published");
    });
    join(w);
    join(rd);
  }, test::budget(50000));
  EXPECT_FALSE(r.found) << r.outcome.message;
}

TEST(Engine, HeapChecks) {
  struct Obj {
    shared<int> x{0, "obj.x"};
  };
  ExploreResult dbl = explore_fn([] {
    Obj* o = kalloc<Obj>("obj");
    kfree(o);
    kfree(o);
  }, 1);
  ASSERT_TRUE(dbl.found);
  EXPECT_EQ(dbl.outcome.kind, FailureKind::double_free);

  ExploreResult uaf = explore_fn([] {
    Obj* o = kalloc<Obj>("obj");
    kfree(o);
    WRITE_ONCE(o->x, 1);
  }, 1);
  ASSERT_TRUE(uaf.found);
  EXPECT_EQ(uaf.outcome.kind, FailureKind::use_after_free);

  ExploreResult leak = explore_fn([] { (void)kalloc<Obj>("obj"); }, 1);
  ASSERT_TRUE(leak.found);
  EXPECT_EQ(leak.outcome.kind, FailureKind::leak);

  ExploreResult ok = explore_fn([] {
    Obj* o = kalloc<Obj>("obj");
    WRITE_ONCE(o->x, 1);
    kfree(o);
  }, 1);
  EXPECT_FALSE(ok.found) << ok.outcome.message;
}

TEST(Engine, ModelExceptionIsReported) {
  ExploreResult r = explore_fn([] {
    thread t = spawn([] { throw std::runtime_error("boom"); });
    join(t);
  }, 1);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::model_exception);
}


// A failed execution is abandoned, not unwound: no model code runs after the failure. Neither a
// catch (...) around the failing check nor a destructor runs, on the failing thread or on one that
// is suspended; an exception a spawned thread throws ends the execution before thread 0 runs on.
TEST(Engine, AFailedExecutionIsAbandonedNotUnwound) {
  static int ran_after = 0;
  static bool failing = false;
  struct Guard {
    ~Guard() { ran_after += failing; }
  };
  test::FnBody checks{[] {
    Guard g0;
    shared<int> x{0, "x"};
    thread t = spawn([&] {
      Guard gt;
      WRITE_ONCE(x, 1);
      try {
        failing = READ_ONCE(x) == 2;
        check(!failing, "t saw 2");
      } catch (...) {
        ++ran_after;
      }
    });
    Guard g1;
    try {
      WRITE_ONCE(x, 2);
      failing = READ_ONCE(x) == 1;
      check(!failing, "thread 0 saw 1");
    } catch (...) {
      ++ran_after;
    }
    join(t);
  }};
  test::FnBody throws{[] {
    shared<int> x{0, "x"};
    thread t = spawn([&] {
      WRITE_ONCE(x, 1);
      failing = true;
      throw std::runtime_error("boom");
    });
    for (int i = 0; i < 4; ++i) {
      ran_after += failing;
      WRITE_ONCE(x, 2);
    }
    ran_after += failing;
    join(t);
  }};
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    Engine e;
    RandomSource src(3);
    RunOptions o;
    o.memory = mode;
    std::set<std::string> messages;
    for (int i = 0; i < 3000; ++i) {  // not scaled down: both failures must show in every mode
      ran_after = 0;
      failing = false;
      Outcome r = e.run(&test::FnBody::call, &checks, src, o);
      ASSERT_EQ(ran_after, 0) << memory_mode_name(mode) << ", execution " << i << ": " << r.message;
      if (r.failed()) messages.insert(r.message.substr(0, r.message.find(" (")));
      ran_after = 0;
      failing = false;
      r = e.run(&test::FnBody::call, &throws, src, o);
      ASSERT_EQ(r.kind, FailureKind::model_exception);
      EXPECT_EQ(r.message, "model code threw: boom");
      EXPECT_EQ(r.thread, 1u);
      ASSERT_EQ(ran_after, 0) << memory_mode_name(mode) << ", execution " << i;
    }
    EXPECT_EQ(messages, (std::set<std::string>{"t saw 2", "thread 0 saw 1"})) << memory_mode_name(mode);
  }
}

// Objects left on the model heap and spawned callables are destroyed after the threads end; their
// destructors must not call primitives. One that fails there ends the process with a one-line
// error, not a jump into an execution that is over.
TEST(EngineDeathTest, APrimitiveFailingInADestructorAfterTheEndIsAnError) {
  struct Bad {
    ~Bad() { check(false, "checked in a destructor"); }
  };
  EXPECT_DEATH(explore_fn([] { (void)kalloc<Bad>("bad"); }, 1),
               "failed in a destructor that ran after the execution's threads ended.*checked in a destructor");
}

// A marked access with no execution running (a facade object used from plain code) ends the
// process with a one-line error: before any execution, and after executions of every mode (each
// leaves the accesses pointed at its own lane while it runs).
TEST(EngineDeathTest, AnAccessOutsideOfAnExecutionIsAnError) {
  const char* msg = "a model primitive was used outside of an execution";
  EXPECT_DEATH(rt::load(0, rt::Order::relaxed, rt::Where::current()), msg);
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    ASSERT_FALSE(explore_fn([] { shared<int> x{0, "x"}; WRITE_ONCE(x, 1); }, 10, 1, mode).found);
    EXPECT_DEATH(rt::load(0, rt::Order::relaxed, rt::Where::current()), msg) << memory_mode_name(mode);
    EXPECT_DEATH(rt::store(0, 1, rt::Order::release, rt::Where::current()), msg) << memory_mode_name(mode);
    EXPECT_DEATH(rt::rmw(0, rt::RmwOp::add, 1, rt::Order::full, rt::Where::current()), msg) << memory_mode_name(mode);
    EXPECT_DEATH(rt::fence(rt::Fence::mb, rt::Where::current()), msg) << memory_mode_name(mode);
  }
}

// A reader dereferences an RCU-published node; the updater unpublishes it, waits for a grace
// period (or not), and frees it.
void rcu_reader_and_updater(bool grace_period) {
  struct Node {
    shared<int> v{7, "node.v"};
  };
  Node* n = kalloc<Node>("node");
  shared<Node*> head{n, "head"};
  thread reader = spawn([&] {
    rcu_read_lock();
    Node* p = rcu_dereference(head);
    if (p) check(READ_ONCE(p->v) == 7, "bad value");
    rcu_read_unlock();
  });
  thread updater = spawn([&] {
    Node* old = xchg(head, static_cast<Node*>(nullptr));
    if (grace_period) synchronize_rcu();
    kfree(old);
  });
  join(reader);
  join(updater);
}

TEST(Engine, RcuGracePeriodWaitsForReaders) {
  ExploreResult r = explore_fn([] { rcu_reader_and_updater(true); }, test::budget(50000));
  EXPECT_FALSE(r.found) << r.outcome.message;
}

TEST(Engine, FreeWithoutGracePeriodIsUseAfterFree) {
  ExploreResult r = explore_fn([] { rcu_reader_and_updater(false); }, 10000);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::use_after_free);
}

TEST(Engine, TooManyThreadsIsAnEngineLimitNotACrash) {
  ExploreResult r = explore_fn([] {
    thread ts[kMaxThreads + 1];
    for (auto& t : ts) t = spawn([] {});
    for (auto& t : ts) join(t);
  }, 1);
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::too_many);
}

}  // namespace

#include "schedfuzz/pct_source.h"

namespace {
TEST(Engine, PctFindsLostUpdateAndPassesLockedCounter) {
  Engine e;
  test::FnBody b{lost_update_body};
  PctSource pct(1, 2);
  ExploreResult r = explore(e, &test::FnBody::call, &b, pct, RunOptions{}, ExploreBudget{1000, 0});
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.kind, FailureKind::assertion);
  ReplayResult again = replay(e, &test::FnBody::call, &b, r.decisions, RunOptions{});
  EXPECT_EQ(again.outcome.trace_hash, r.outcome.trace_hash);
}
}  // namespace

namespace {
// The README's "write your own model" example, held to what the README says of it.
void readme_mp_model(int variant) {
  shared<int> data{0, "data"}, flag{0, "flag"};
  thread writer = spawn([&] {
    WRITE_ONCE(data, 42);
    if (variant == 0) smp_wmb();
    WRITE_ONCE(flag, 1);
  });
  thread reader = spawn([&] {
    if (READ_ONCE(flag)) {
      smp_rmb();
      oracle(READ_ONCE(data) == 42, "stale_data", "saw the flag but not the data");
    }
  });
  join(writer);
  join(reader);
}

TEST(Readme, MessagePassingExample) {
  for (int variant : {0, 1}) {
    for (MemoryMode m : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
      ExploreResult r = explore_fn([variant] { readme_mp_model(variant); }, test::budget(100000), 1, m);
      bool should_fail = variant == 1 && m == MemoryMode::lkmm;
      EXPECT_EQ(r.found, should_fail) << "variant " << variant << " mode " << memory_mode_name(m);
      if (should_fail) EXPECT_EQ(r.outcome.failure_name(), "stale_data");
    }
  }
}
}  // namespace

namespace {
// The message of a failing oracle, formatted by the engine.
template <class... A>
std::string oracle_message(const char* fmt, A... a) {
  Engine e;
  test::FnBody b{[&] { oracle(false, "o", Fmt(fmt), a...); }};
  FuzzBytesSource empty(nullptr, 0);
  std::string m = e.run(&test::FnBody::call, &b, empty).message;
  return m.substr(0, m.rfind(" ("));  // without " (file:line)"
}
template <class... A>
std::string printf_message(const char* fmt, A... a) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt, a...);
  return buf;
}
}  // namespace

// Failure messages are formatted by the engine's own formatter for plain conversions and by
// vsnprintf for the rest: both must read exactly as printf would.
TEST(Engine, FailureMessagesFormatLikePrintf) {
  int x = 3;
  EXPECT_EQ(oracle_message("d=%d i=%i u=%u x=%x X=%X c=%c s=%s %%", -42, 7, 4000000000u, 0xbeefu, 0xbeefu, 'q', "str"),
            printf_message("d=%d i=%i u=%u x=%x X=%X c=%c s=%s %%", -42, 7, 4000000000u, 0xbeefu, 0xbeefu, 'q', "str"));
  EXPECT_EQ(oracle_message("%ld %lu %lld %llu %zu %hhd %hu %jd %td", -5L, 6UL, -7LL, 8ULL, size_t{9},
                           static_cast<signed char>(-3), static_cast<unsigned short>(65535), intmax_t{-1}, ptrdiff_t{-2}),
            printf_message("%ld %lu %lld %llu %zu %hhd %hu %jd %td", -5L, 6UL, -7LL, 8ULL, size_t{9},
                           static_cast<signed char>(-3), static_cast<unsigned short>(65535), intmax_t{-1}, ptrdiff_t{-2}));
  EXPECT_EQ(oracle_message("%d %lld", INT32_MIN, static_cast<long long>(INT64_MIN)),
            printf_message("%d %lld", INT32_MIN, static_cast<long long>(INT64_MIN)));
  EXPECT_EQ(oracle_message("p=%p", static_cast<void*>(&x)), printf_message("p=%p", static_cast<void*>(&x)));
  // Width, precision, flags and floating point go to vsnprintf.
  EXPECT_EQ(oracle_message("[%5d] [%-3u] [%.2f] [%08x]", 12, 3u, 1.5, 0xabu),
            printf_message("[%5d] [%-3u] [%.2f] [%08x]", 12, 3u, 1.5, 0xabu));
  // No arguments: the text as written.
  EXPECT_EQ(oracle_message("100% sure"), "100% sure");
  // Long messages are cut, not overrun.
  std::string big(2000, 'a');
  EXPECT_EQ(oracle_message("%s", big.c_str()), std::string(511, 'a'));
}

// park()/unpark(): the sleeper checks a flag and parks while it is clear, the waker sets it and
// unparks: the wakeup is never lost (else the sleeper would be parked for good: a deadlock). And
// the wakeup orders: a thread that parks once, for the one unpark that comes, reads the waker's
// earlier plain and marked writes (no data race, no stale value), under every memory mode.
TEST(Engine, ParkUnparkNeverLosesTheWakeupAndOrders) {
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    ExploreResult r = explore_fn([] {
      shared<int> flag{0, "flag"}, data{0, "data"}, ready{0, "ready"}, ready2{0, "ready2"};
      var<int> plain{0, "plain"};
      uint32_t sleeper_tid = 0, parker_tid = 0;
      thread sleeper = spawn([&] {
        sleeper_tid = current_thread();
        smp_store_release(ready, 1);
        while (!READ_ONCE(flag)) park();
      });
      thread parker = spawn([&] {
        parker_tid = current_thread();
        smp_store_release(ready2, 1);
        park();
        check(READ_ONCE(data) == 1, "data %d after the wakeup", data.peek());
        check(plain.load() == 1, "plain %d after the wakeup", plain.peek());
      });
      thread waker = spawn([&] {
        while (!smp_load_acquire(ready) || !smp_load_acquire(ready2)) cpu_relax();
        plain.store(1);
        WRITE_ONCE(data, 1);
        WRITE_ONCE(flag, 1);
        unpark(sleeper_tid);
        unpark(parker_tid);
      });
      join(sleeper);
      join(parker);
      join(waker);
    }, test::budget(200000), 1, mode);
    EXPECT_FALSE(r.found) << memory_mode_name(mode) << ": " << r.outcome.message;
  }
}

// A sleeper nobody wakes is a deadlock, named as such; an unpark() before the park() is kept.
TEST(Engine, ParkWithoutUnparkIsADeadlockAndEarlyUnparkIsKept) {
  ExploreResult lost = explore_fn([] {
    thread t = spawn([] { park(); });
    join(t);
  }, 10);
  ASSERT_TRUE(lost.found);
  EXPECT_EQ(lost.outcome.kind, FailureKind::deadlock);
  EXPECT_NE(lost.outcome.message.find("T1 waits for an unpark"), std::string::npos) << lost.outcome.message;

  ExploreResult kept = explore_fn([] {
    unpark(current_thread());
    park();  // takes the token: returns at once
    unpark(current_thread());
    unpark(current_thread());
    park();  // one token, however many unparks
  }, 10);
  EXPECT_FALSE(kept.found) << kept.outcome.message;
  ExploreResult one_token = explore_fn([] {
    unpark(current_thread());
    unpark(current_thread());
    park();
    park();  // the second unpark was not a second token
  }, 10);
  ASSERT_TRUE(one_token.found);
  EXPECT_EQ(one_token.outcome.kind, FailureKind::deadlock);
}

// A plain var<T*> holding a model-heap pointer is traced, and hashed, as the block it points into
// (as shared<T*> is): the same choices give the same trace hash wherever the heap puts the blocks.
TEST(Engine, PlainPointerVariablesTraceAsTheirBlock) {
  auto body = [] {
    int* a = kalloc<int>("a", 1);
    int* b = kalloc<int>("b", 2);
    var<int*> p{nullptr, "p"};
    p.store(b);
    (void)p.load();
    kfree(a);
    kfree(b);
  };
  test::FnBody fb{body};
  FuzzBytesSource s1(nullptr, 0);
  Engine e1;
  Outcome o1 = e1.run(&test::FnBody::call, &fb, s1);
  std::string text = render_trace(e1.trace());
  EXPECT_NE(text.find("write p := &b"), std::string::npos) << text;
  auto shift = std::make_unique<char[]>(64);  // the next run's blocks land elsewhere
  Engine e2;
  FuzzBytesSource s2(nullptr, 0);
  Outcome o2 = e2.run(&test::FnBody::call, &fb, s2);
  EXPECT_EQ(o1.trace_hash, o2.trace_hash);
}

// parallel(f0, f1, ...): f0 on the calling thread, the others on new threads, all finished (and
// ordered before the caller) when it returns.
TEST(Engine, ParallelRunsEachCallableOnceOnItsOwnThread) {
  ExploreResult r = explore_fn(
      [] {
        atomic_t hits{0, "hits"};
        var<int> plain{0, "plain"};  // written by the spawned threads, read after parallel: no race
        uint32_t tid[3] = {99, 99, 99};
        sf::parallel([&] { tid[0] = current_thread(); atomic_inc(hits); },
                     [&] { tid[1] = current_thread(); atomic_inc(hits); plain.store(1); },
                     [&] { tid[2] = current_thread(); atomic_inc(hits); });
        check(tid[0] == 0, "the first callable ran on thread %u, not the caller's", tid[0]);
        check(tid[1] != tid[2] && tid[1] != 0 && tid[2] != 0, "callables shared a thread: %u %u", tid[1], tid[2]);
        check(hits.peek() == 3 && plain.load() == 1, "parallel returned before its threads ended");
      },
      test::budget(20000));
  EXPECT_FALSE(r.found) << r.outcome.message;
}

// Store buffering written with parallel: the exhaustive search sees exactly the sequentially
// consistent outcomes under sc, and also "both read 0" under lkmm unless smp_mb() separates them.
TEST(Engine, ParallelStoreBufferingOutcomesAreExact) {
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::lkmm}) {
    for (bool fenced : {false, true}) {
      std::set<std::pair<int, int>> seen;
      test::FnBody b{[&] {
        shared<int> x{0, "x"}, y{0, "y"};
        int r0 = -1, r1 = -1;
        sf::parallel(
            [&] {
              WRITE_ONCE(x, 1);
              if (fenced) smp_mb();
              r0 = READ_ONCE(y);
            },
            [&] {
              WRITE_ONCE(y, 1);
              if (fenced) smp_mb();
              r1 = READ_ONCE(x);
            });
        seen.insert({r0, r1});
      }};
      BoundedSource all(BoundedSource::kUnbounded, BoundedSource::kUnbounded);
      static Engine engine;
      RunOptions o;
      o.memory = mode;
      ExploreResult r = explore(engine, &test::FnBody::call, &b, all, o, ExploreBudget{1000000, 0});
      ASSERT_TRUE(r.exhausted) << memory_mode_name(mode);
      EXPECT_FALSE(r.found) << r.outcome.message;
      std::set<std::pair<int, int>> expect{{0, 1}, {1, 0}, {1, 1}};
      if (mode == MemoryMode::lkmm && !fenced) expect.insert({0, 0});
      EXPECT_EQ(seen, expect) << memory_mode_name(mode) << (fenced ? " with smp_mb" : " without a fence");
    }
  }
}


// Under tso a thread's stores wait in its store buffer; its own peek(), like its own loads, sees
// them (an oracle after sf::parallel runs on a thread that has just done work).
TEST(Engine, PeekSeesTheCallersOwnBufferedStoreUnderTso) {
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    ExploreResult r = explore_fn(
        [] {
          shared<int> x{0, "x"};
          sf::parallel([&] { WRITE_ONCE(x, READ_ONCE(x) + 1); },
                       [&] { WRITE_ONCE(x, READ_ONCE(x) + 0); });
          WRITE_ONCE(x, 7);
          check(x.peek() == 7, "peek() after the caller's own store saw %d", x.peek());
        },
        test::budget(20000), 1, mode);
    EXPECT_FALSE(r.found) << memory_mode_name(mode) << ": " << r.outcome.message;
  }
}

// Under tso every load is an acquire and every store a release (x86): a plain write published by
// a WRITE_ONCE is no race for a thread whose READ_ONCE saw it, whether the run takes the general
// path (events recorded) or tso's fast lane (no events, no decisions kept). Under sc, where those
// are relaxed, the same shape races: the test can fail.
TEST(Engine, TsoPlainAccessesPublishedByOnceAccessesAreOrderedInEveryLane) {
  uint64_t seen = 0;
  test::FnBody mp{[&seen] {
    shared<int> flag{0, "flag"};
    var<int> data{0, "data"};
    sf::parallel(
        [&] {
          data.store(1);
          WRITE_ONCE(flag, 1);
          smp_mb();  // tso: drains the store buffer, so that a load in the lane (no flush) can see the flag
        },
        [&] {
          if (READ_ONCE(flag) == 1) {
            ++seen;
            check(data.load() == 1, "saw the flag but not the data");
          }
        });
  }};
  for (MemoryMode mode : {MemoryMode::tso, MemoryMode::sc}) {
    for (bool lane : {false, true}) {
      RunOptions o;
      o.memory = mode;
      o.record_events = !lane;
      o.record_decisions = !lane;
      Engine e;
      RandomSource src(3);
      uint64_t races = 0;
      seen = 0;
      uint64_t executions = test::budget(20000);
      for (uint64_t i = 0; i < executions; ++i) {
        Outcome x = e.run(&test::FnBody::call, &mp, src, o);
        if (mode == MemoryMode::tso) ASSERT_FALSE(x.failed()) << (lane ? "lane: " : "general: ") << x.message;
        races += x.kind == FailureKind::data_race;
      }
      EXPECT_GT(seen, executions / 100) << memory_mode_name(mode) << (lane ? ", lane" : ", general");
      if (mode == MemoryMode::sc) EXPECT_GT(races, 0u) << (lane ? "lane" : "general");
    }
  }
}

// Under tso spin_unlock drains the holder's store buffer: the next holder sees what was written in
// the critical section, in the general path and in tso's lane (which takes a lock only while no
// store is buffered).
TEST(Engine, TsoUnlockDrainsTheStoreBufferInEveryLane) {
  uint64_t after_release = 0;
  test::FnBody body{[&after_release] {
    shared<int> x{0, "x"};
    spinlock_t lock{"lock"};
    bool released = false;  // host-side: set right after the unlock, before T0's next point
    sf::parallel(
        [&] {
          spin_lock(lock);
          WRITE_ONCE(x, 1);
          spin_unlock(lock);
          released = true;
        },
        [&] {
          spin_lock(lock);
          if (released) {
            ++after_release;
            check(READ_ONCE(x) == 1, "the unlock did not drain the store to x");
          }
          spin_unlock(lock);
        });
  }};
  for (bool lane : {false, true}) {
    RunOptions o;
    o.memory = MemoryMode::tso;
    o.record_events = !lane;
    o.record_decisions = !lane;
    Engine e;
    RandomSource src(7);
    after_release = 0;
    uint64_t executions = test::budget(20000);
    for (uint64_t i = 0; i < executions; ++i) {
      Outcome x = e.run(&test::FnBody::call, &body, src, o);
      ASSERT_FALSE(x.failed()) << (lane ? "lane: " : "general: ") << x.message;
    }
    EXPECT_GT(after_release, executions / 10) << (lane ? "lane" : "general");
  }
}

// A plain access is a step (it counts toward the livelock limit and numbers its trace line) but
// not a schedule point, unless the run asks for the v1 choice points.
TEST(Engine, PlainAccessesAreStepsButNotSchedulePoints) {
  test::FnBody b{[] {
    shared<int> x{0, "x"};
    var<int> v{0, "v"};
    thread t = spawn([&] { WRITE_ONCE(x, 1); });
    v.store(READ_ONCE(x));
    v.store(v.load() + 1);
    join(t);
  }};
  Engine e;
  FuzzBytesSource none(nullptr, 0);
  Outcome o = e.run(&test::FnBody::call, &b, none);
  ASSERT_FALSE(o.failed()) << o.message;
  EXPECT_EQ(o.steps - o.points, 3u) << "three var<T> accesses";
  RunOptions v1;
  v1.plain_accesses_are_points = true;
  FuzzBytesSource none_again(nullptr, 0);
  Outcome o1 = e.run(&test::FnBody::call, &b, none_again, v1);
  EXPECT_EQ(o1.points, o1.steps);
  EXPECT_EQ(o1.steps, o.steps);
}

// Joined threads that run as calls on their joiner's stack (RunOptions::inline_joins), in every
// situation the end of an execution must handle: a failure in the inlined thread (on the host's
// stack, and on a spawned thread's), a failure elsewhere while an inlined thread is preempted, a
// chain of them, a deadlock. A passing execution ends with every thread's locals destroyed; a failed
// one is abandoned with the same locals alive as with the switch to a fiber (no destructor runs
// after a failure), and reports the same.
struct LiveCount {
  static inline int live = 0;
  LiveCount() { ++live; }
  ~LiveCount() { --live; }
  LiveCount(const LiveCount&) = delete;
};

void inline_join_shapes_body() {
  LiveCount g0;
  shared<int> x{0, "x"};
  spinlock_t l{"l"};
  thread a = spawn([&] {
    LiveCount ga;
    thread c = spawn([&] {  // joined by a: a chain when a itself runs inlined in thread 0
      LiveCount gc;
      WRITE_ONCE(x, READ_ONCE(x) + 1);
      check(READ_ONCE(x) != 3, "c saw 3");
    });
    WRITE_ONCE(x, READ_ONCE(x) + 1);
    join(c);
  });
  thread b = spawn([&] {
    LiveCount gb;
    spin_lock(l);
    int v = READ_ONCE(x);
    check(v != 2 || READ_ONCE(x) != 2, "b saw 2 twice");
    spin_unlock(l);
  });
  join(a);
  spin_lock(l);
  if (READ_ONCE(x) == 1) {
    spin_lock(l);  // a self-deadlock in some executions, while b may still be running
  }
  spin_unlock(l);
  join(b);
}

TEST(Engine, InlinedJoinsEndAndReportLikeSwitches) {
  std::set<std::string> kinds;
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::lkmm}) {
    BoundedSource all(2, 1), all_again(2, 1);
    Engine e1, e2;
    test::FnBody b{inline_join_shapes_body};
    RunOptions with;
    with.memory = mode;
    RunOptions without = with;
    without.inline_joins = false;
    uint64_t executions = 0;
    while (!all.exhausted() && executions < test::budget(200000)) {
      LiveCount::live = 0;
      Outcome o1 = e1.run(&test::FnBody::call, &b, all, with);
      all.end_execution();
      int live1 = LiveCount::live;
      if (!o1.failed()) ASSERT_EQ(live1, 0) << "execution " << executions;
      LiveCount::live = 0;
      Outcome o2 = e2.run(&test::FnBody::call, &b, all_again, without);
      all_again.end_execution();
      ASSERT_EQ(LiveCount::live, live1) << "execution " << executions << ": " << o1.message;
      if (o1.failed()) ASSERT_GT(live1, 0) << "execution " << executions << ": " << o1.message;
      ASSERT_EQ(o1.trace_hash, o2.trace_hash) << "execution " << executions << ": " << o1.message;
      ASSERT_EQ(o1.message, o2.message);
      ASSERT_EQ(o1.thread, o2.thread);
      if (o1.failed()) kinds.insert(o1.failure_name());
      ++executions;
    }
    EXPECT_TRUE(all.exhausted() || test::scaled_down());
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"assertion", "deadlock"}));
}

// The search loop records no decisions when its source can rewind (RandomSource, PctSource): it
// runs the failing execution once more to record them. What it returns is what a loop that records
// every execution returns: the same execution count, outcome and decisions, for both sources and
// in every mode.
TEST(Engine, TheSearchLoopRecordsAFailureByRunningItAgain) {
  test::FnBody lost{[] {
    shared<int> x{0, "x"};
    auto inc = [&] {
      int v = READ_ONCE(x);
      WRITE_ONCE(x, v + 1);
    };
    parallel(inc, inc, inc);
    sf::oracle(x.peek() == 3, "lost", "x is %d", x.peek());
  }};
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    for (uint64_t seed : {1, 2, 3, 4}) {
      RunOptions o;
      o.memory = mode;
      Engine e1, e2;
      RandomSource r1(seed), r2(seed);
      PctSource p1(seed, 2), p2(seed, 2);
      r2.rewindable = p2.rewindable = false;  // recorded in the loop, as before
      std::pair<ChoiceSource*, ChoiceSource*> pairs[] = {{&r1, &r2}, {&p1, &p2}};
      for (auto [fast, slow] : pairs) {
        ExploreResult a = explore(e1, &test::FnBody::call, &lost, *fast, o, ExploreBudget{100000, 0});
        ExploreResult b = explore(e2, &test::FnBody::call, &lost, *slow, o, ExploreBudget{100000, 0});
        ASSERT_TRUE(a.found);
        EXPECT_TRUE(a.divergence.empty()) << a.divergence;
        EXPECT_EQ(a.executions, b.executions);
        EXPECT_EQ(a.outcome.message, b.outcome.message);
        EXPECT_EQ(a.outcome.trace_hash, b.outcome.trace_hash);
        EXPECT_EQ(a.outcome.decisions, a.decisions.size());
        ASSERT_EQ(a.decisions.size(), b.decisions.size());
        for (size_t k = 0; k < a.decisions.size(); ++k) {
          EXPECT_TRUE(a.decisions[k].kind == b.decisions[k].kind && a.decisions[k].chosen == b.decisions[k].chosen &&
                      a.decisions[k].options == b.decisions[k].options && a.decisions[k].tid == b.decisions[k].tid)
              << "decision " << k;
        }
      }
    }
  }
}

// Engine::run_many() is run() in a loop: the same executions, steps and points, and the same first
// failure, whatever the chunks it is called in; it stops right after a failure.
TEST(Engine, RunManyIsRunInALoop) {
  test::FnBody racy{[] {
    shared<int> x{0, "x"};
    var<int> seen{0, "seen"};
    auto inc = [&] {
      int v = READ_ONCE(x);
      WRITE_ONCE(x, v + 1);
    };
    parallel(inc, inc, inc);
    seen.store(READ_ONCE(x));
    sf::oracle(seen.load() == 3, "lost", "x is %d", seen.load());
  }};
  test::FnBody locked{[] {
    shared<int> x{0, "x"};
    spinlock_t l{"l"};
    auto inc = [&] {
      spin_lock(l);
      WRITE_ONCE(x, READ_ONCE(x) + 1);
      spin_unlock(l);
    };
    parallel(inc, inc);
    sf::oracle(x.peek() == 2, "lost", "x is %d", x.peek());
  }};
  for (test::FnBody* body : {&racy, &locked}) {
    for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
      for (uint64_t seed : {1, 2, 3}) {
        RunOptions o;
        o.memory = mode;
        o.record_events = false;
        o.record_decisions = false;
        const uint64_t budget = 3000;
        Engine one;
        RandomSource s1(seed);
        RunTotals looped;
        Outcome first_failure;
        while (looped.executions < budget) {
          const Outcome& out = one.run(&test::FnBody::call, body, s1, o);
          ++looped.executions;
          looped.steps += out.steps;
          looped.points += out.points;
          if (out.failed()) {
            first_failure = out;
            break;
          }
        }
        for (uint64_t chunk : {1, 7, 1000}) {
          Engine many;
          RandomSource s2(seed);
          RunTotals totals;
          const Outcome* last = nullptr;
          while (totals.executions < budget) {
            last = &many.run_many(&test::FnBody::call, body, s2, o, std::min(chunk, budget - totals.executions), totals);
            if (last->failed()) break;
          }
          EXPECT_EQ(totals.executions, looped.executions) << "chunk " << chunk;
          EXPECT_EQ(totals.steps, looped.steps);
          EXPECT_EQ(totals.points, looped.points);
          ASSERT_NE(last, nullptr);
          EXPECT_EQ(last->failed(), first_failure.failed());
          EXPECT_EQ(last->message, first_failure.message);
          EXPECT_EQ(last->step, first_failure.step);
          RunTotals none;
          many.run_many(&test::FnBody::call, body, s2, o, 0, none);
          EXPECT_EQ(none.executions, 0u);
        }
        EXPECT_EQ(body == &racy, first_failure.failed()) << "seed " << seed;
      }
    }
  }
}

// A model whose failure does not repeat (it depends on state outside the engine) is reported as
// not deterministic, not as a failure with a schedule that would not replay.
TEST(Engine, AFailureThatDoesNotRepeatIsReportedAsNondeterminism) {
  int calls = 0;
  test::FnBody flaky{[&] {
    shared<int> x{0, "x"};
    thread t = spawn([&] { WRITE_ONCE(x, 1); });
    READ_ONCE(x);
    join(t);
    sf::oracle(++calls != 3, "third", "the third call fails");
  }};
  Engine e;
  RandomSource src(1);
  ExploreResult r = explore(e, &test::FnBody::call, &flaky, src, RunOptions{}, ExploreBudget{100, 0});
  EXPECT_EQ(r.executions, 3u);
  EXPECT_NE(r.divergence.find("not deterministic"), std::string::npos) << r.divergence;
  EXPECT_NE(r.divergence.find("it passed"), std::string::npos) << r.divergence;
}
