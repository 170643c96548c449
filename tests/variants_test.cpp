// tests/variants_test.cpp: every variant of every bundled target gives the verdict `schedfuzz list`
// promises: each bug variant is found with fixed seeds within its target's budget, with the
// promised failure kind, and its schedule replays exactly; each correct form and control passes
// 1,000,000 executions.
#include <gtest/gtest.h>

#include <string>

#include "models/registry.h"
#include "schedfuzz/random_source.h"
#include "schedules/explore.h"
#include "tests/test_support.h"

using namespace sf;

namespace {

struct Case {
  const models::Target* target;
  int variant;
  MemoryMode memory;
};

std::string case_name(const testing::TestParamInfo<Case>& info) {
  return std::string(info.param.target->name) + "_" + info.param.target->variants[info.param.variant].name + "_" +
         std::string(memory_mode_name(info.param.memory));
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const models::Target& t : models::targets()) {
    for (size_t v = 0; v < t.variants.size(); ++v) cases.push_back(Case{&t, static_cast<int>(v), MemoryMode::sc});
  }
  return cases;
}

struct Call {
  const Case* c;
  static void body(void* self) {
    auto* call = static_cast<Call*>(self);
    call->c->target->body(call->c->variant);
  }
};

class Variants : public testing::TestWithParam<Case> {};

TEST_P(Variants, GivesThePromisedVerdict) {
  const Case& c = GetParam();
  const models::Variant& v = c.target->variants[c.variant];
  Engine engine;
  Call call{&c};
  RunOptions opts;
  opts.memory = c.memory;
  std::string expect = v.expect;
  if (expect == "pass") {
    RandomSource src(1);
    uint64_t n = test::budget(1000000);
    ExploreResult r = explore(engine, &Call::body, &call, src, opts, ExploreBudget{n, 0});
    EXPECT_FALSE(r.found) << v.name << " failed after " << r.executions << " executions: " << r.outcome.message;
    EXPECT_EQ(r.executions, n);
    return;
  }
  // Bug variants: found with each of three fixed seeds, each time with the promised kind.
  for (uint64_t seed : {1, 2, 3}) {
    RandomSource src(seed);
    ExploreResult r = explore(engine, &Call::body, &call, src, opts, ExploreBudget{c.target->default_budget, 0});
    ASSERT_TRUE(r.found) << v.name << " not found with seed " << seed << " in " << r.executions << " executions";
    EXPECT_EQ(r.outcome.failure_name(), expect) << r.outcome.message;
    ReplayResult again = replay(engine, &Call::body, &call, r.decisions, opts);
    EXPECT_TRUE(again.divergence.empty()) << again.divergence;
    EXPECT_EQ(again.outcome.failure_name(), expect);
    EXPECT_EQ(again.outcome.trace_hash, r.outcome.trace_hash);
    EXPECT_EQ(again.outcome.message, r.outcome.message);
  }
}

INSTANTIATE_TEST_SUITE_P(All, Variants, testing::ValuesIn(all_cases()), case_name);

}  // namespace
