// schedules/explore.cpp: the exploration loop (no trace recording until a failure is found).
#include "schedules/explore.h"

#include <chrono>

#include "schedfuzz/replay_source.h"

namespace sf {

ExploreResult explore(Engine& engine, Body body, void* arg, ChoiceSource& source, const RunOptions& opts,
                      const ExploreBudget& budget) {
  ExploreResult r;
  RunOptions fast = opts;
  fast.record_events = false;
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  double next_progress = budget.progress_seconds;
  while (r.executions < budget.executions && !source.exhausted()) {
    const Outcome& o = engine.run(body, arg, source, fast);
    source.end_execution();
    ++r.executions;
    r.steps += o.steps;
    r.points += o.points;
    if (const char* d = source.divergence()) {
      r.divergence = d;
      break;
    }
    if (o.failed()) {
      r.found = true;
      r.decisions = engine.decisions();
      r.outcome = o;
      break;
    }
    if ((r.executions & 255) == 0 && (budget.seconds > 0 || budget.progress)) {
      double now = elapsed();
      if (budget.seconds > 0 && now > budget.seconds) break;
      if (budget.progress && now >= next_progress) {
        next_progress = now + budget.progress(budget.progress_arg, r.executions, now);
      }
    }
  }
  r.seconds = elapsed();
  r.exhausted = source.exhausted() && r.divergence.empty();
  if (r.found) {
    // Run the failing schedule once more with the trace on: it fills in the trace hash and
    // checks on the spot that the failure replays.
    ReplayResult again = replay(engine, body, arg, r.decisions, opts);
    r.outcome.trace_hash = again.outcome.trace_hash;
  }
  return r;
}

ReplayResult replay(Engine& engine, Body body, void* arg, const std::vector<Decision>& decisions,
                    const RunOptions& opts, bool lenient) {
  ReplaySource src(decisions, lenient);
  ReplayResult r;
  r.outcome = engine.run(body, arg, src, opts);
  if (const char* d = src.divergence()) r.divergence = d;
  return r;
}

}  // namespace sf
