// schedules/explore.h: explore(), many executions of one body under one ChoiceSource until the
// first failure or the budget ends; replay(), one execution from a decision list.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "schedfuzz/engine.h"

namespace sf {

struct ExploreBudget {
  uint64_t executions = 100000;
  double seconds = 0;  // 0: no time limit
  // A heartbeat for long runs: called first after about `progress_seconds` of exploring (0: never)
  // with the executions and seconds so far; it returns the seconds until it wants the next call.
  double progress_seconds = 0;
  double (*progress)(void* arg, uint64_t executions, double seconds) = nullptr;
  void* progress_arg = nullptr;
};

struct ExploreResult {
  uint64_t executions = 0;
  uint64_t steps = 0;   // steps over all executions (Outcome::steps)
  uint64_t points = 0;  // of which schedule points
  double seconds = 0;
  bool found = false;
  bool exhausted = false;  // the source had nothing left to try (an exhaustive search is complete)
  std::string divergence;  // non-empty: the source found the model not deterministic, and stopped
  Outcome outcome;                  // of the failing execution
  std::vector<Decision> decisions;  // of the failing execution
};

ExploreResult explore(Engine& engine, Body body, void* arg, ChoiceSource& source, const RunOptions& opts,
                      const ExploreBudget& budget);

struct ReplayResult {
  Outcome outcome;
  std::string divergence;  // non-empty: the schedule does not match the execution
};
ReplayResult replay(Engine& engine, Body body, void* arg, const std::vector<Decision>& decisions,
                    const RunOptions& opts, bool lenient = false);

}  // namespace sf
