// schedules/explore.cpp: the exploration loop (no trace recording until a failure is found).
#include "schedules/explore.h"

#include <algorithm>
#include <chrono>

#include "schedfuzz/replay_source.h"

namespace sf {

// Runs the execution the source just made once more, with the caller's options (the trace on, as
// a rule), recording its decisions and trace hash into r. Sets r.divergence if it did not fail the
// same way: the model depends on something outside the engine.
static void record_again(Engine& engine, Body body, void* arg, ChoiceSource& source, RunOptions opts,
                         ExploreResult& r) {
  source.rewind();
  opts.record_decisions = true;
  const Outcome& again = engine.run(body, arg, source, opts);
  source.end_execution();
  r.decisions = engine.decisions();
  r.outcome.trace_hash = again.trace_hash;
  if (again.kind != r.outcome.kind || again.message != r.outcome.message || again.step != r.outcome.step ||
      again.thread != r.outcome.thread) {
    r.divergence = "the failing execution did not fail the same way when run again (" +
                   (again.failed() ? again.failure_name() + ": " + again.message : std::string("it passed")) +
                   "): the model is not deterministic";
  }
}

ExploreResult explore(Engine& engine, Body body, void* arg, ChoiceSource& source, const RunOptions& opts,
                      const ExploreBudget& budget) {
  ExploreResult r;
  RunOptions fast = opts;
  fast.record_events = false;
  // A source that can repeat an execution spares the loop recording decisions: a failing execution
  // is run once more to record them and its trace (record_again()).
  fast.record_decisions = !source.rewindable;
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  double next_progress = budget.progress_seconds;
  const bool hooks = source.loop_hooks;
  while (r.executions < budget.executions && !(hooks && source.exhausted())) {
    const Outcome* last;
    if (hooks) {
      last = &engine.run(body, arg, source, fast);
      source.end_execution();
      ++r.executions;
      r.steps += last->steps;
      r.points += last->points;
      if (const char* d = source.divergence()) {
        r.divergence = d;
        break;
      }
    } else {  // nothing to call between executions: the engine loops, up to the next clock reading
      RunTotals ran;
      uint64_t to_check = 256 - (r.executions & 255);
      last = &engine.run_many(body, arg, source, fast, std::min(budget.executions - r.executions, to_check), ran);
      r.executions += ran.executions;
      r.steps += ran.steps;
      r.points += ran.points;
    }
    const Outcome& o = *last;
    if (o.failed()) {
      r.found = true;
      r.outcome = o;
      if (fast.record_decisions) {
        r.decisions = engine.decisions();
      } else {
        record_again(engine, body, arg, source, opts, r);
      }
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
  if (r.found && r.divergence.empty() && fast.record_decisions) {
    // Run the failing schedule once more with the trace on: it fills in the trace hash and checks
    // on the spot that the failure replays. For a rewound source record_again() did both: it ran
    // the failing execution again with the trace on and compared the two failures.
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
