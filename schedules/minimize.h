// schedules/minimize.h: minimize(), a smaller schedule with the same failure: fewer preemptions,
// fewer stale reads and delayed flushes, no trailing decisions.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "schedfuzz/engine.h"

namespace sf {

struct MinimizeResult {
  std::vector<Decision> decisions;  // canonical: as the engine recorded them on the final run
  Outcome outcome;
  uint32_t preemptions_before = 0, preemptions_after = 0;
  uint32_t runs = 0;  // executions spent
};

// Non-default choices: preemptions (T), stale reads (R) and early flushes (F). Picks made when the
// current thread cannot go on (N) are not preemptions.
uint32_t count_preemptions(const std::vector<Decision>& d);

// Keeps any candidate whose execution fails with the same failure name (the dedup token).
MinimizeResult minimize(Engine& engine, Body body, void* arg, const std::vector<Decision>& failing,
                        const RunOptions& opts, uint32_t max_runs = 20000);

}  // namespace sf
