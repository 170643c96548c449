// tests/minimize_test.cpp: minimization keeps the failure, never adds preemptions, and its result
// replays strictly; on the bundled bug variants it removes most of what random search added.
#include <gtest/gtest.h>

#include <cstdio>

#include "models/registry.h"
#include "schedfuzz/random_source.h"
#include "schedules/explore.h"
#include "schedules/minimize.h"

using namespace sf;

namespace {

TEST(Minimize, KeepsTheFailureAndNeverAddsPreemptions) {
  uint32_t before_total = 0, after_total = 0;
  for (uint64_t seed : {7, 8, 9}) {
    for (const models::Target& t : models::targets()) {
      for (size_t v = 0; v < t.variants.size(); ++v) {
        const models::Variant& var = t.variants[v];
        if (std::string(var.expect) == "pass") continue;
        models::TargetCall call{&t, static_cast<int>(v)};
        Engine engine;
        RandomSource src(seed);
        RunOptions opts;
        opts.memory = var.memory;
        ExploreResult r = explore(engine, &models::TargetCall::body, &call, src, opts, ExploreBudget{t.default_budget, 0});
        ASSERT_TRUE(r.found) << var.name;
        MinimizeResult m = minimize(engine, &models::TargetCall::body, &call, r.decisions, opts);
        EXPECT_EQ(m.outcome.failure_name(), r.outcome.failure_name()) << var.name;
        EXPECT_LE(m.preemptions_after, m.preemptions_before) << var.name;
        EXPECT_EQ(m.preemptions_after, count_preemptions(m.decisions)) << var.name;
        ReplayResult again = replay(engine, &models::TargetCall::body, &call, m.decisions, opts);
        EXPECT_TRUE(again.divergence.empty()) << var.name << ": " << again.divergence;
        EXPECT_EQ(again.outcome.failure_name(), r.outcome.failure_name()) << var.name;
        EXPECT_EQ(again.outcome.trace_hash, m.outcome.trace_hash) << var.name;
        before_total += m.preemptions_before;
        after_total += m.preemptions_after;
      }
    }
  }
  // Over all bug variants and three seeds the minimized schedules have clearly fewer preemptions
  // (most bug schedules need two or three, which minimization keeps).
  EXPECT_LT(after_total * 5, before_total * 4) << after_total << " of " << before_total;
  std::printf("minimized schedules keep %u of %u preemptions\n", after_total, before_total);
}

}  // namespace
