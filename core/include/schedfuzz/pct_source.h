// schedfuzz/pct_source.h: PctSource, probabilistic concurrency testing (Burckhardt et al., ASPLOS'10)
// over the engine's thread choices: the runnable thread with the highest priority runs; at d-1
// random points the running thread drops below every other.
#pragma once
#include <cstdint>

#include "schedfuzz/random_source.h"

namespace sf {

// A bug of depth d among n threads and k scheduling decisions is found by one execution with
// probability at least 1/(n k^(d-1)). k is learned: the most decisions any execution made so far.
class PctSource final : public ChoiceSource {
 public:
  PctSource(uint64_t seed, uint32_t depth) : rng_{seed}, depth_(depth < 1 ? 1 : depth) {
    rewindable = true;
    loop_hooks = false;
  }

  void begin_execution() override {
    start_ = Start{rng_.position(), decisions_, max_decisions_};  // what the execution follows from (rewind)
    if (decisions_ > max_decisions_) max_decisions_ = decisions_;
    decisions_ = 0;
    for (uint32_t t = 0; t < kSlots; ++t) priority_[t] = 0;  // 0: not seen yet
    next_low_ = depth_;
    uint32_t k = max_decisions_ < 8 ? 8 : max_decisions_;
    for (uint32_t i = 0; i + 1 < depth_ && i < kMaxChanges; ++i) change_at_[i] = 1 + rng_.below(k);
    stale_shift_ = 1 + rng_.below(3);
  }

  void rewind() override {
    rng_.seek(start_.rng);
    decisions_ = start_.decisions;
    max_decisions_ = start_.max_decisions;
  }

  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    if (kind == ChoiceKind::read || kind == ChoiceKind::flush || kind == ChoiceKind::store) {
      if (rng_.next() & ((1ull << stale_shift_) - 1)) return 0;
      return 1 + rng_.below(n - 1);
    }
    ++decisions_;
    if (!option_tids_) return rng_.below(n);
    // At a change point the thread that would run now (option 0 for a preemption choice) drops to
    // a priority below every initial one.
    if (kind == ChoiceKind::thread) {
      for (uint32_t i = 0; i + 1 < depth_ && i < kMaxChanges; ++i) {
        if (change_at_[i] == decisions_) priority_[option_tids_[0]] = --next_low_;
      }
    }
    uint32_t best = 0;
    for (uint32_t i = 0; i < option_count_; ++i) {
      uint8_t t = option_tids_[i];
      // Threads get a random priority above every change-point priority when first seen.
      if (priority_[t] == 0) priority_[t] = kBase + static_cast<uint32_t>(rng_.below(1u << 20));
      if (priority_[t] > priority_[option_tids_[best]]) best = i;
    }
    return best;
  }

 private:
  static constexpr uint32_t kSlots = 256;
  static constexpr uint32_t kMaxChanges = 8;
  static constexpr uint32_t kBase = 1u << 24;
  SplitMix64 rng_;
  uint32_t depth_;
  uint32_t priority_[kSlots] = {};
  uint32_t change_at_[kMaxChanges] = {};
  uint32_t next_low_ = 0;
  uint32_t decisions_ = 0;
  uint32_t max_decisions_ = 0;
  uint32_t stale_shift_ = 1;
  struct Start {
    uint64_t rng = 0;
    uint32_t decisions = 0, max_decisions = 0;
  } start_;
};

}  // namespace sf
