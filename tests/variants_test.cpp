// tests/variants_test.cpp: every variant of every bundled target gives the verdict `schedfuzz list`
// promises: each bug variant is found with fixed seeds within its target's budget, with the
// promised failure kind, in its promised memory mode, and its schedule replays exactly; a
// weak-memory bug passes under sc and gives what x86 allows under tso; each correct form and
// control passes 1,000,000 executions in its promised mode (the weakest for every correct form).
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "models/registry.h"
#include "schedfuzz/random_source.h"
#include "schedules/explore.h"
#include "tests/test_support.h"

using namespace sf;

namespace sf::models {
// How gtest and ctest name a case: target/variant, not a byte dump.
inline void PrintTo(const TargetCall& c, std::ostream* os) {
  *os << c.target->name << "/" << c.target->variants[c.variant].name;
}
}  // namespace sf::models

namespace {

using Case = models::TargetCall;

std::string case_name(const testing::TestParamInfo<Case>& info) {
  return std::string(info.param.target->name) + "_" + info.param.target->variants[info.param.variant].name;
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const models::Target& t : models::targets()) {
    for (size_t v = 0; v < t.variants.size(); ++v) cases.push_back(Case{&t, static_cast<int>(v)});
  }
  return cases;
}

using Call = models::TargetCall;

class Variants : public testing::TestWithParam<Case> {};

// Explores `call` in `mode`; returns the result (first failure or the whole budget).
ExploreResult explore_in(Engine& engine, Call& call, MemoryMode mode, uint64_t seed, uint64_t executions) {
  RandomSource src(seed);
  RunOptions opts;
  opts.memory = mode;
  return explore(engine, &Call::body, &call, src, opts, ExploreBudget{executions, 0});
}

void expect_pass(Engine& engine, Call& call, MemoryMode mode, uint64_t executions, const char* why) {
  ExploreResult r = explore_in(engine, call, mode, 1, executions);
  EXPECT_FALSE(r.found) << call.target->variants[call.variant].name << " under "
                        << memory_mode_name(mode) << " (" << why << ") failed after " << r.executions
                        << " executions: " << r.outcome.message;
  EXPECT_EQ(r.executions, executions);
}

// Found with each of three fixed seeds, each time with the promised kind, and replays exactly.
void expect_found(Engine& engine, Call& call, MemoryMode mode, const std::string& kind) {
  const models::Variant& v = call.target->variants[call.variant];
  RunOptions opts;
  opts.memory = mode;
  for (uint64_t seed : {1, 2, 3}) {
    ExploreResult r = explore_in(engine, call, mode, seed, call.target->default_budget);
    ASSERT_TRUE(r.found) << v.name << " under " << memory_mode_name(mode) << " not found with seed " << seed
                         << " in " << r.executions << " executions";
    EXPECT_EQ(r.outcome.failure_name(), kind) << r.outcome.message;
    ReplayResult again = replay(engine, &Call::body, &call, r.decisions, opts);
    EXPECT_TRUE(again.divergence.empty()) << again.divergence;
    EXPECT_EQ(again.outcome.failure_name(), kind);
    EXPECT_EQ(again.outcome.trace_hash, r.outcome.trace_hash);
    EXPECT_EQ(again.outcome.message, r.outcome.message);
  }
}

TEST_P(Variants, GivesThePromisedVerdict) {
  const Case& c = GetParam();
  const models::Variant& v = c.target->variants[c.variant];
  Engine engine;
  Call call = c;
  std::string expect = v.expect;
  if (expect == "pass") {
    // The promised mode with the full budget; the other modes with a tenth of it.
    expect_pass(engine, call, v.memory, test::budget(1000000), "the promised mode");
    for (MemoryMode m : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
      if (m != v.memory) expect_pass(engine, call, m, test::budget(100000), "a stronger or other mode");
    }
    return;
  }
  expect_found(engine, call, v.memory, expect);
  if (v.memory == MemoryMode::lkmm) {
    // A weak-memory bug: never reported under sc, which proves it needs the weak behaviour; under
    // tso it gives exactly what x86 allows.
    expect_pass(engine, call, MemoryMode::sc, test::budget(200000), "a weak-memory bug must not show under sc");
    std::string tso = v.expect_tso ? v.expect_tso : expect;
    if (tso == "pass") {
      expect_pass(engine, call, MemoryMode::tso, test::budget(200000), "x86 forbids this reordering");
    } else {
      expect_found(engine, call, MemoryMode::tso, tso);
    }
  }
}

// The engine's shortcuts are not different executions. Running a joined thread as a call on its
// joiner's stack (RunOptions::inline_joins): execution by execution, with the trace on, the same
// outcome, step, decisions and trace hash as with a fiber switch, in every mode (failing executions
// included: they end from another stack). The fast lanes of sc and lkmm accesses in a run without
// events (the exploration loop's): the same outcome, step and decisions as with events. A run that
// does not record its decisions (the exploration loop's, with a source that can rewind; the only
// runs that take lkmm's lane): the same outcome, steps and count of decisions. Vector clocks kept
// from the start (RunOptions::eager_happens_before) instead of from the first var<T> or ghost
// stamp: the same outcome (races, ghost-stamp oracles), steps and decisions.
TEST_P(Variants, EngineShortcutsChangeNothing) {
  Call call = GetParam();
  for (MemoryMode mode : {MemoryMode::sc, MemoryMode::tso, MemoryMode::lkmm}) {
    Engine inline_engine, switch_engine, quiet_engine, unrecorded_engine, eager_engine;
    RandomSource a(11), b(11), c(11), d(11), e(11);
    RunOptions with;
    with.memory = mode;
    RunOptions without = with;
    without.inline_joins = false;
    RunOptions no_events = with;
    no_events.record_events = false;
    RunOptions unrecorded = no_events;
    unrecorded.record_decisions = false;
    RunOptions eager = unrecorded;
    eager.eager_happens_before = true;
    uint64_t failures = 0;
    for (int i = 0; i < static_cast<int>(test::budget(2000)); ++i) {
      Outcome x = inline_engine.run(&Call::body, &call, a, with);
      Outcome y = switch_engine.run(&Call::body, &call, b, without);
      Outcome z = quiet_engine.run(&Call::body, &call, c, no_events);
      Outcome u = unrecorded_engine.run(&Call::body, &call, d, unrecorded);
      ASSERT_EQ(x.trace_hash, y.trace_hash) << memory_mode_name(mode) << ", execution " << i;
      ASSERT_EQ(x.kind, y.kind) << memory_mode_name(mode) << ", execution " << i << ": " << x.message;
      ASSERT_EQ(x.message, y.message);
      ASSERT_EQ(x.step, y.step);
      ASSERT_EQ(x.thread, y.thread);
      ASSERT_EQ(inline_engine.decisions().size(), switch_engine.decisions().size());
      ASSERT_EQ(x.kind, z.kind) << memory_mode_name(mode) << ", execution " << i << ": " << z.message;
      ASSERT_EQ(x.message, z.message);
      ASSERT_EQ(x.step, z.step);
      ASSERT_EQ(x.steps, z.steps);
      ASSERT_EQ(x.thread, z.thread);
      const std::vector<Decision>& dx = inline_engine.decisions();
      const std::vector<Decision>& dz = quiet_engine.decisions();
      ASSERT_EQ(dx.size(), dz.size());
      for (size_t k = 0; k < dx.size(); ++k) {
        ASSERT_TRUE(dx[k].kind == dz[k].kind && dx[k].options == dz[k].options && dx[k].chosen == dz[k].chosen &&
                    dx[k].tid == dz[k].tid)
            << memory_mode_name(mode) << ", execution " << i << ", decision " << k;
      }
      ASSERT_EQ(x.kind, u.kind) << memory_mode_name(mode) << ", execution " << i << ": " << u.message;
      ASSERT_EQ(x.message, u.message);
      ASSERT_EQ(x.steps, u.steps);
      ASSERT_EQ(x.decisions, u.decisions);
      ASSERT_EQ(u.decisions, dx.size());
      ASSERT_TRUE(unrecorded_engine.decisions().empty());
      Outcome h = eager_engine.run(&Call::body, &call, e, eager);
      ASSERT_EQ(u.kind, h.kind) << memory_mode_name(mode) << ", execution " << i << ": " << h.message;
      ASSERT_EQ(u.message, h.message);
      ASSERT_EQ(u.steps, h.steps);
      ASSERT_EQ(u.decisions, h.decisions);
      failures += x.failed();
    }
    if (std::string(call.target->variants[call.variant].expect) == "pass") {
      EXPECT_EQ(failures, 0u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, Variants, testing::ValuesIn(all_cases()), case_name);

}  // namespace
