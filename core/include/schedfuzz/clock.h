// schedfuzz/clock.h: VClock, the fixed-width vector clock behind happens-before.
#pragma once
#include <algorithm>
#include <cstdint>

#include "schedfuzz/limits.h"

namespace sf {

// One entry per thread slot. Each thread ticks its own entry after every release-like event, so an
// access at epoch e of thread t happens-before u exactly when u's clock holds t >= e.
struct VClock {
  uint32_t c[kMaxThreads] = {};

  void join(const VClock& o) {
    for (uint32_t i = 0; i < kMaxThreads; ++i) c[i] = std::max(c[i], o.c[i]);
  }
  void clear() { *this = VClock{}; }
  bool covers(uint32_t tid, uint32_t epoch) const { return c[tid] >= epoch; }
};

}  // namespace sf
