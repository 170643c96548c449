// cli/search_report.cpp: what the bounded search adds to verdict lines: how far a search went, and
// whether a failing schedule's preemptions are the fewest.
#include <algorithm>
#include <string>

#include "cli/commands.h"
#include "schedfuzz/bounded_source.h"
#include "schedfuzz/target.h"
#include "schedules/explore.h"
#include "schedules/minimize.h"

namespace sf::cli {

SearchState search_state(const BoundedSource& s, bool exhausted) {
  if (!exhausted) return SearchState::incomplete;
  if (s.preemption_bound_hit() || s.memory_bound_hit()) return SearchState::complete_within_bounds;
  return SearchState::complete;
}

std::string search_summary(SearchState st) {
  switch (st) {
    case SearchState::complete:
      return " search=complete (every execution of this scenario: no bound was reached)";
    case SearchState::complete_within_bounds:
      return " search=complete within the bounds (larger bounds would run more executions)";
    case SearchState::incomplete:
      return " search=incomplete (the budget ended first; raise --executions)";
    case SearchState::none:
      break;
  }
  return "";
}

// After minimization: could the same failure (its kind) happen with fewer preemptions? A bounded
// search with one preemption fewer than the schedule has, and at least as many memory choices,
// answers "yes" (it ran out of executions without one: the schedule's preemptions are the
// fewest) or "unknown" (its budget ended first); a failure it finds with fewer replaces the
// schedule, and is the fewest by the search's deepening. Preemptions here count as the search does
// (a yield to any but the next thread is one).
const char* fewest_preemptions(Engine& engine, TargetCall& call, const RunOptions& opts,
                               std::vector<Decision>* decisions, Outcome* outcome) {
  uint32_t preemptions = 0, memory = 0;
  for (const Decision& d : *decisions) {
    if (d.chosen == 0) continue;
    if (d.kind == ChoiceKind::thread) ++preemptions;
    if (d.kind == ChoiceKind::read || d.kind == ChoiceKind::store || d.kind == ChoiceKind::flush) ++memory;
  }
  if (preemptions == 0) return "yes";
  BoundedSource search(preemptions - 1, std::max(memory, 2u));
  std::string kind = outcome->failure_name();
  uint64_t left = 1000000;
  double seconds_left = 10;
  while (left > 0 && seconds_left > 0) {
    ExploreResult s = explore(engine, &TargetCall::body, &call, search, opts, ExploreBudget{left, seconds_left});
    left -= std::min(left, s.executions);
    seconds_left -= s.seconds;
    if (!s.divergence.empty()) return "unknown";
    if (!s.found) return s.exhausted ? "yes" : "unknown";
    if (s.outcome.failure_name() != kind) continue;  // another failure: not the question asked
    MinimizeResult m = minimize(engine, &TargetCall::body, &call, s.decisions, opts);
    *decisions = m.decisions;
    *outcome = m.outcome;
    return "yes";
  }
  return "unknown";
}

}  // namespace sf::cli
