// schedfuzz/engine.h: Engine, runs one execution of a model body under a ChoiceSource.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "schedfuzz/choice.h"
#include "schedfuzz/limits.h"
#include "schedfuzz/outcome.h"
#include "schedfuzz/trace.h"

namespace sf {

struct RunOptions {
  MemoryMode memory = MemoryMode::sc;
  uint32_t max_steps = kDefaultMaxSteps;
  bool record_events = true;  // off: no trace (faster)
  // Off: Engine::decisions() stays empty (Outcome::decisions still counts them). The search loop
  // (explore()) turns it off for a source that can repeat an execution (ChoiceSource::rewindable)
  // and runs a failing execution once more to record them.
  bool record_decisions = true;
  // Interleaving feedback for a coverage-guided fuzzer: each load bumps the counter of its
  // (store site, load site, stale?) pair, so new reads-from pairs count as new coverage.
  // `feedback_size` must be a power of two. nullptr: off.
  uint8_t* feedback = nullptr;
  uint32_t feedback_size = 0;
  // Plain data (var<T>) accesses are not schedule points: they are race-checked against the
  // happens-before order instead, and in a race-free execution no other thread can tell when they
  // ran. Set, they are points again, as in schedule files v1, which replay only that way.
  bool plain_accesses_are_points = false;
  // A join is not a schedule point: it has no effect another thread can see until the joined
  // thread has ended, and whatever could run at such a point can run as well while the joiner
  // waits (or, if the joined thread has ended, at the joiner's next point), so a decision there
  // only repeated executions that other decisions reach. Set, joins are points again, as in
  // schedule files v1 and v2, which replay only that way.
  bool joins_are_points = false;
  // A thread that blocks joining a thread that has not started yet runs it as a call on its own
  // stack instead of switching to a fresh fiber (two context switches fewer per such join). The
  // execution is the same either way (same decisions, steps and trace; tests compare them); off
  // is there to show that, and to rule the engine out when a model behaves strangely.
  bool inline_joins = true;
  // Vector clocks (happens-before, which orders var<T> accesses and ghost stamps) are kept from
  // the first var<T> or ghost stamp of an execution, as nothing before it can order what comes
  // after it: an execution with neither pays nothing for them. Set, they are kept from the start;
  // every outcome is the same either way (tests compare them).
  bool eager_happens_before = false;
};

using Body = void (*)(void* arg);

// What Engine::run_many() ran: executions, and their steps and schedule points (Outcome's).
struct RunTotals {
  uint64_t executions = 0;
  uint64_t steps = 0;
  uint64_t points = 0;
};

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs body(arg) as thread 0 of a fresh execution. Deterministic: the same choices from `source`
  // give the same execution. Only one Engine may run at a time in a process. The outcome stays
  // valid until the next run.
  const Outcome& run(Body body, void* arg, ChoiceSource& source, const RunOptions& options = {});

  // Up to `max_executions` executions one after another with the same options, as that many run()
  // calls would make them, stopping after the first that fails; adds what ran to `totals` and
  // returns the last one's outcome (with max_executions 0: runs nothing, returns the outcome of
  // the last run, if any). Nothing is called between executions, so it suits a source that keeps
  // ChoiceSource's loop hooks at their defaults (loop_hooks false). The loop of explore().
  const Outcome& run_many(Body body, void* arg, ChoiceSource& source, const RunOptions& options,
                          uint64_t max_executions, RunTotals& totals);

  // The record of the last execution.
  const Trace& trace() const;
  const std::vector<Decision>& decisions() const;

  struct Impl;  // core/src/engine_impl.h

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sf
