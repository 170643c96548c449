// tests/bounded_search_test.cpp: BoundedSource, the bounded exhaustive search. On small programs:
// it runs each execution once, misses none that random exploration can reach, grows with its
// bounds and keeps to them, says when it is complete, and catches a model that is not
// deterministic. On the bundled models: every bug variant is found with at most 2 preemptions and
// 2 memory choices, with the promised kind, by the pass with the fewest preemptions (the pass
// before it completes clean), and replays; every correct form and control passes; in the
// optimized build the search of each completes within its budget.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "models/registry.h"
#include "schedfuzz/bounded_source.h"
#include "schedfuzz/random_source.h"
#include "schedfuzz/schedfuzz.h"
#include "schedules/explore.h"
#include "schedules/minimize.h"
#include "tests/test_support.h"

using namespace sf;

namespace {

std::string key(const std::vector<Decision>& d) {
  std::string k;
  for (const Decision& x : d) {
    k += kChoiceLetters[static_cast<int>(x.kind)];
    k += std::to_string(x.chosen) + "/" + std::to_string(x.options) + " ";
  }
  return k;
}

// How many decisions of a key() took a non-default option.
size_t non_default(const std::string& key) {
  size_t n = 0;
  for (size_t at = 0; at < key.size(); at = key.find(' ', at) + 1) n += key.compare(at + 1, 2, "0/") != 0;
  return n;
}

uint32_t thread_preemptions(const std::vector<Decision>& d) {
  uint32_t n = 0;
  for (const Decision& x : d) n += x.kind == ChoiceKind::thread && x.chosen != 0;
  return n;
}

// Every decision list a source produces over at most `limit` executions (the loop explore() runs).
std::vector<std::string> all_schedules(Body body, void* arg, ChoiceSource& src, MemoryMode mode, uint64_t limit,
                                       uint32_t* max_preemptions = nullptr) {
  Engine e;
  RunOptions o;
  o.memory = mode;
  std::vector<std::string> out;
  for (uint64_t i = 0; i < limit && !src.exhausted(); ++i) {
    e.run(body, arg, src, o);
    src.end_execution();
    out.push_back(key(e.decisions()));
    if (max_preemptions) *max_preemptions = std::max(*max_preemptions, thread_preemptions(e.decisions()));
  }
  return out;
}

// Store buffering with a third thread reading x: choices of every kind, few enough to run them all.
void sb3() {
  shared<int> x{0, "x"}, y{0, "y"};
  int r[3] = {};
  thread a = spawn([&] {
    WRITE_ONCE(x, 1);
    r[0] = READ_ONCE(y);
  });
  thread b = spawn([&] {
    WRITE_ONCE(y, 1);
    r[1] = READ_ONCE(x);
  });
  thread c = spawn([&] { r[2] = READ_ONCE(x); });
  join(a);
  join(b);
  join(c);
}

TEST(BoundedSearch, RunsEachScheduleOnceAndMissesNoneRandomFinds) {
  test::FnBody b{sb3};
  // Under tso early flushes multiply the schedules (1.5 million): left to the optimized build.
  std::vector<MemoryMode> modes{MemoryMode::sc, MemoryMode::lkmm};
  if (!test::scaled_down()) modes.push_back(MemoryMode::tso);
  for (MemoryMode mode : modes) {
    BoundedSource all(BoundedSource::kUnbounded, BoundedSource::kUnbounded);
    std::vector<std::string> got = all_schedules(&test::FnBody::call, &b, all, mode, 5000000);
    ASSERT_TRUE(all.exhausted()) << memory_mode_name(mode) << ": not complete after " << got.size();
    EXPECT_EQ(all.divergence(), nullptr);
    EXPECT_FALSE(all.preemption_bound_hit());
    EXPECT_FALSE(all.memory_bound_hit());
    std::set<std::string> distinct(got.begin(), got.end());
    EXPECT_EQ(distinct.size(), got.size()) << memory_mode_name(mode) << ": a schedule ran twice";

    RandomSource rnd(7);
    std::vector<std::string> sampled = all_schedules(&test::FnBody::call, &b, rnd, mode, test::budget(200000));
    size_t missing = 0;
    std::string example;
    for (const std::string& s : sampled) {
      if (!distinct.count(s)) {
        ++missing;
        example = s;
      }
    }
    EXPECT_EQ(missing, 0u) << memory_mode_name(mode) << ": random exploration reached a schedule the exhaustive "
                           << "search did not, e.g. " << example;
    std::printf("[ bounded  ] sb3 under %s: %zu schedules, every one of %zu random ones among them\n",
                std::string(memory_mode_name(mode)).c_str(), got.size(), sampled.size());
  }
}

TEST(BoundedSearch, GrowsWithItsBoundsAndKeepsToThem) {
  test::FnBody b{sb3};
  size_t prev = 0;
  for (uint32_t p = 0; p <= 3; ++p) {
    BoundedSource s(p, 0);
    uint32_t most = 0;
    std::vector<std::string> got = all_schedules(&test::FnBody::call, &b, s, MemoryMode::lkmm, 5000000, &most);
    ASSERT_TRUE(s.exhausted());
    EXPECT_LE(most, p) << "a schedule with more preemptions than the bound ran";
    EXPECT_EQ(most, p) << "the pass with " << p << " preemptions ran none with exactly that many";
    EXPECT_TRUE(s.memory_bound_hit()) << "lkmm loads of sb3 have older stores to read; bound 0 must refuse them";
    EXPECT_GT(got.size(), prev) << "bound " << p << " ran no more executions than bound " << (p - 1);
    // Iterative deepening: pass k runs every schedule of pass k-1 again, then the new ones.
    EXPECT_EQ(s.levels_done(), p + 1);
    prev = got.size();
  }
}

TEST(BoundedSearch, SharesSplitTheSearchWithoutLosingAnExecution) {
  test::FnBody b{sb3};
  for (uint32_t p : {2u, BoundedSource::kUnbounded}) {
    BoundedSource whole(p, 2);
    std::vector<std::string> all = all_schedules(&test::FnBody::call, &b, whole, MemoryMode::lkmm, 5000000);
    ASSERT_TRUE(whole.exhausted());
    std::set<std::string> want(all.begin(), all.end());
    // The executions with fewer non-default decisions than the split's depth (BoundedSource::split)
    // run in every share; every other one in exactly one.
    size_t depth = p == BoundedSource::kUnbounded ? 4 : 2;
    size_t shared = static_cast<size_t>(
        std::count_if(all.begin(), all.end(), [&](const std::string& k) { return non_default(k) < depth; }));
    for (uint32_t shares : {2u, 3u}) {
      std::set<std::string> got;
      size_t runs = 0, most = 0;
      for (uint32_t i = 0; i < shares; ++i) {
        BoundedSource part(p, 2);
        part.split(i, shares);
        std::vector<std::string> mine = all_schedules(&test::FnBody::call, &b, part, MemoryMode::lkmm, 5000000);
        ASSERT_TRUE(part.exhausted());
        got.insert(mine.begin(), mine.end());
        runs += mine.size();
        most = std::max(most, mine.size());
      }
      EXPECT_EQ(got, want) << shares << " shares, bound " << p << ": the union is not the whole search";
      EXPECT_EQ(runs, all.size() + (shares - 1) * shared)
          << shares << " shares ran " << runs << " for " << all.size() << ", " << shared << " of them shared";
      EXPECT_LT(most, all.size() * 3 / (2 * shares)) << "one of " << shares << " shares ran " << most << " of "
                                                     << all.size();
      std::printf("[ bounded  ] sb3, P<=%s: %zu executions; %u shares: %zu in all, the largest share %zu\n",
                  p == BoundedSource::kUnbounded ? "inf" : "2", all.size(), shares, runs, most);
    }
  }
}

// A cmpxchg spinlock with cpu_relax() in its spin loop, three threads; `broken`: taking the lock as
// a load then a store, so two threads can both take it.
void spin_counter(bool broken) {
  shared<int> lock{0, "lock"}, count{0, "count"};
  thread t[3];
  for (thread& th : t) {
    th = spawn([&] {
      for (;;) {
        if (broken ? READ_ONCE(lock) == 0 : cmpxchg(lock, 0, 1) == 0) break;
        cpu_relax();
      }
      if (broken) WRITE_ONCE(lock, 1);
      WRITE_ONCE(count, READ_ONCE(count) + 1);
      smp_store_release(lock, 0);
    });
  }
  for (thread& th : t) join(th);
  check(count.peek() == 3, "lost update: count %d", count.peek());
}

TEST(BoundedSearch, SpinLoopsEndBecauseAYieldToAnyButTheNextThreadIsAPreemption) {
  // Were a yield's other answers free, two spinners could hand over to each other forever while
  // the holder never runs: the search would report a livelock of a correct lock, or never end.
  for (uint32_t p : {1u, 2u, 3u}) {
    test::FnBody ok{[] { spin_counter(false); }};
    Engine e;
    BoundedSource s(p, 2);
    ExploreResult r = explore(e, &test::FnBody::call, &ok, s, RunOptions{}, ExploreBudget{test::budget(5000000), 0});
    EXPECT_FALSE(r.found) << "P<=" << p << ": " << r.outcome.failure_name() << ": " << r.outcome.message;
    if (!test::scaled_down()) EXPECT_TRUE(r.exhausted) << "P<=" << p << " after " << r.executions;
  }
  test::FnBody bad{[] { spin_counter(true); }};
  Engine e;
  BoundedSource s(2, 2);
  ExploreResult r = explore(e, &test::FnBody::call, &bad, s, RunOptions{}, ExploreBudget{1000000, 0});
  ASSERT_TRUE(r.found);
  EXPECT_EQ(r.outcome.failure_name(), "assertion") << r.outcome.message;
}

TEST(BoundedSearch, StopsAtTheBudgetAndSaysItIsIncomplete) {
  test::FnBody b{sb3};
  Engine e;
  BoundedSource s(2, 2);
  RunOptions o;
  o.memory = MemoryMode::lkmm;
  ExploreResult r = explore(e, &test::FnBody::call, &b, s, o, ExploreBudget{10, 0});
  EXPECT_EQ(r.executions, 10u);
  EXPECT_FALSE(r.exhausted);
  // The rest of the search continues where it stopped, and completes.
  ExploreResult rest = explore(e, &test::FnBody::call, &b, s, o, ExploreBudget{5000000, 0});
  EXPECT_TRUE(rest.exhausted);
  EXPECT_FALSE(rest.found);
  ExploreResult after = explore(e, &test::FnBody::call, &b, s, o, ExploreBudget{100, 0});
  EXPECT_EQ(after.executions, 0u);
  EXPECT_TRUE(after.exhausted);
}

TEST(BoundedSearch, ReportsAModelThatIsNotDeterministic) {
  // Spawns one more thread every other execution: the replay of a path asks something else.
  static int calls = 0;
  calls = 0;
  test::FnBody b{[] {
    shared<int> x{0, "x"};
    int n = 1 + (calls++ / 2) % 2;
    thread t[2];
    for (int i = 0; i < n; ++i) t[i] = spawn([&] { WRITE_ONCE(x, READ_ONCE(x) + 1); });
    WRITE_ONCE(x, 5);  // a decision among the caller and 1 or 2 threads
    for (int i = 0; i < n; ++i) join(t[i]);
  }};
  Engine e;
  BoundedSource s(2, 2);
  ExploreResult r = explore(e, &test::FnBody::call, &b, s, RunOptions{}, ExploreBudget{1000, 0});
  EXPECT_FALSE(r.divergence.empty());
  EXPECT_NE(r.divergence.find("not deterministic"), std::string::npos) << r.divergence;
  EXPECT_FALSE(r.exhausted);
  EXPECT_LT(r.executions, 1000u);
}

// --- the bundled models

using Call = models::TargetCall;

std::vector<Call> cases(bool bugs) {
  std::vector<Call> v;
  for (const models::Target& t : models::targets()) {
    for (size_t i = 0; i < t.variants.size(); ++i) {
      bool bug = std::string(t.variants[i].expect) != "pass";
      if (bug == bugs) v.push_back(Call{&t, static_cast<int>(i)});
    }
  }
  return v;
}

std::string call_name(const testing::TestParamInfo<Call>& info) {
  return std::string(info.param.target->name) + "_" + info.param.target->variants[info.param.variant].name;
}

ExploreResult search(Engine& e, Call& call, MemoryMode mode, uint32_t preemptions, uint64_t budget) {
  BoundedSource s(preemptions, 2);
  RunOptions o;
  o.memory = mode;
  return explore(e, &Call::body, &call, s, o, ExploreBudget{budget, 0});
}

class BoundedBugs : public testing::TestWithParam<Call> {};

TEST_P(BoundedBugs, FoundWithTheFewestPreemptions) {
  Call call = GetParam();
  const models::Variant& v = call.target->variants[call.variant];
  Engine e;
  ExploreResult r = search(e, call, v.memory, 2, test::budget(2000000));
  ASSERT_TRUE(r.found) << v.name << " not found within 2 preemptions and 2 memory choices in " << r.executions
                       << " executions" << (r.exhausted ? " (the search completed)" : "");
  EXPECT_EQ(r.outcome.failure_name(), v.expect) << r.outcome.message;
  uint32_t p = thread_preemptions(r.decisions);
  RunOptions o;
  o.memory = v.memory;
  ReplayResult again = replay(e, &Call::body, &call, r.decisions, o);
  EXPECT_TRUE(again.divergence.empty()) << again.divergence;
  EXPECT_EQ(again.outcome.trace_hash, r.outcome.trace_hash);
  // Nothing fails with fewer preemptions: the pass below completes without a failure.
  if (p > 0) {
    ExploreResult below = search(e, call, v.memory, p - 1, test::budget(2000000));
    EXPECT_FALSE(below.found) << "a failure with fewer preemptions: " << below.outcome.message;
    if (!test::scaled_down()) EXPECT_TRUE(below.exhausted) << "the pass below did not complete";
  }
  std::printf("[ bounded  ] %s/%s: found after %llu executions with %u preemptions\n", call.target->name, v.name,
              static_cast<unsigned long long>(r.executions), p);
}

INSTANTIATE_TEST_SUITE_P(Models, BoundedBugs, testing::ValuesIn(cases(true)), call_name);

// The largest search among the correct forms and controls, futex_vcache/correct_timeout, completes
// in about 1.1 million executions (P <= 2, M <= 2). The sanitizer run checks a slice of each.
constexpr uint64_t kCorrectBudget = 3000000;

class BoundedCorrect : public testing::TestWithParam<Call> {};

TEST_P(BoundedCorrect, PassesTheWholeSearch) {
  Call call = GetParam();
  const models::Variant& v = call.target->variants[call.variant];
  Engine e;
  ExploreResult r = search(e, call, v.memory, 2, test::budget(kCorrectBudget) / (test::scaled_down() ? 5 : 1));
  EXPECT_FALSE(r.found) << v.name << " failed after " << r.executions << " executions: " << r.outcome.message;
  EXPECT_TRUE(r.divergence.empty()) << r.divergence;
  if (!test::scaled_down()) {
    EXPECT_TRUE(r.exhausted) << v.name << ": the search did not complete in " << r.executions << " executions";
  }
  std::printf("[ bounded  ] %s/%s: %s after %llu executions\n", call.target->name, v.name,
              r.exhausted ? "complete" : "budget ended", static_cast<unsigned long long>(r.executions));
}

INSTANTIATE_TEST_SUITE_P(Models, BoundedCorrect, testing::ValuesIn(cases(false)), call_name);

}  // namespace
