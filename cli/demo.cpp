// cli/demo.cpp: `schedfuzz demo`, a short fuzz of every target and variant, then the bounded
// exhaustive search of each (at most 2 preemptions and 2 memory choices), as a table.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/catalogue.h"
#include "schedfuzz/bounded_source.h"
#include "schedfuzz/random_source.h"
#include "schedules/explore.h"
#include "schedules/minimize.h"

namespace sf::cli {

namespace {
// The bounded search's cell: "FAIL kind, 1 preemption, after 38", "complete, 10,722 executions" or
// "incomplete after N (the time cap)"; `ok` says whether it agrees with the promise.
std::string bounded_cell(Engine& engine, TargetCall& call, const Variant& var, const RunOptions& opts,
                         double seconds, bool* ok) {
  BoundedSource search(2, 2);
  ExploreResult r = explore(engine, &TargetCall::body, &call, search, opts, ExploreBudget{10000000, seconds});
  char buf[160];
  std::string expect = var.expect;
  if (r.found) {
    *ok = expect == r.outcome.failure_name();
    uint32_t p = 0;
    for (const Decision& d : r.decisions) p += d.kind == ChoiceKind::thread && d.chosen != 0;
    std::snprintf(buf, sizeof buf, "FAIL %s, %u preemption%s, after %" PRIu64, r.outcome.failure_name().c_str(), p,
                  p == 1 ? "" : "s", r.executions);
  } else if (r.exhausted) {
    *ok = expect == "pass";
    std::snprintf(buf, sizeof buf, "complete, %" PRIu64 " executions", r.executions);
  } else {
    *ok = expect == "pass";  // not disproved within the time cap
    std::snprintf(buf, sizeof buf, "incomplete after %" PRIu64 " (time cap)", r.executions);
  }
  return buf;
}
}  // namespace

int cmd_demo(const DemoArgs& a) {
  Engine engine;
  int mismatches = 0;
  std::printf("| target | variant | memory | expect | verdict | executions | time to first failure | "
              "bounded search (P<=2, M<=2) | replay |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const Target& t : catalogue()) {
    for (size_t v = 0; v < t.variants.size(); ++v) {
      const Variant& var = t.variants[v];
      RunOptions opts;
      opts.memory = var.memory;
      TargetCall call{&t, static_cast<int>(v)};
      RandomSource source(1);
      // Bug variants stop at their first failure; correct forms and controls get a real budget.
      uint64_t n = a.executions ? a.executions : std::string(var.expect) == "pass" ? 1000000 : t.default_budget;
      ExploreBudget budget{n, a.seconds_per_variant};
      ExploreResult r = explore(engine, &TargetCall::body, &call, source, opts, budget);
      std::string expect = var.expect;
      std::string verdict = r.found ? "FAIL " + r.outcome.failure_name() : "pass";
      bool ok = r.found ? expect == r.outcome.failure_name() : expect == "pass";
      if (!ok) ++mismatches;
      std::string ttf = "-";
      std::string replay_cmd = "-";
      if (r.found) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.3f s", r.seconds);
        ttf = buf;
        MinimizeResult m = minimize(engine, &TargetCall::body, &call, r.decisions, opts);
        r.decisions = m.decisions;
        r.outcome = m.outcome;
        std::string error;
        std::string path = save_failure(a.out_dir, t.name, var.name, opts, r.outcome,
                                        r.decisions, &error);
        replay_cmd = path.empty() ? error : std::string("`") + program_path() + " replay " + path + "`";
      }
      bool bounded_ok = true;
      std::string bounded = bounded_cell(engine, call, var, opts, a.seconds_per_variant, &bounded_ok);
      if (!bounded_ok) ++mismatches;
      std::printf("| %s | %s | %s | %s | %s%s | %" PRIu64 " | %s | %s%s | %s |\n", t.name, var.name,
                  std::string(memory_mode_name(var.memory)).c_str(), var.expect, verdict.c_str(),
                  ok ? "" : " (UNEXPECTED)", r.executions, ttf.c_str(), bounded.c_str(),
                  bounded_ok ? "" : " (UNEXPECTED)", replay_cmd.c_str());
      std::fflush(stdout);
    }
  }
  std::printf("\n%s\n", mismatches ? "Some variants did not give the verdict they promise." : "Every variant gave the verdict it promises.");
  return mismatches ? kExitFailure : kExitPass;
}

}  // namespace sf::cli
