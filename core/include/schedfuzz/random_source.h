// schedfuzz/random_source.h: RandomSource, seeded random exploration with a varying preemption rate.
#pragma once
#include <cstdint>

#include "schedfuzz/choice.h"
#include "schedfuzz/splitmix64.h"
#include "schedfuzz/trial_stream.h"

namespace sf {

// Each execution draws how often to preempt (1/2 .. 1/64 of the schedule points) and how often a
// load reads an older store (1/2 or 1/4; with 1/8 as well, the bundled weak-memory bug variants took
// 9% more executions to find, geometric mean of medians over 20 seeds): dense and sparse preemption both get explored, which
// finds both "many small steps" and "one preemption at the right place" bugs. Each choice is
// non-default with probability 2^-shift, independently. One random word decides the next 64/shift
// choices of a stream at once (TrialStream), so the engine answers the default ones in between
// without a call (choice.h), and makes the thread choice after them itself (random_trials).
class RandomSource final : public ChoiceSource {
 public:
  // `next` answers are uniform: the engine draws them from this source's generator itself.
  explicit RandomSource(uint64_t seed) : trials_{seed} {
    uniform_next = &trials_.rng;
    random_trials = &trials_;
    wants_option_tids = false;
    rewindable = true;
    loop_hooks = false;
  }
  RandomSource(const RandomSource&) = delete;  // uniform_next and random_trials point into the object
  RandomSource& operator=(const RandomSource&) = delete;
  void begin_execution() override {
    start_ = trials_.rng.position();  // all an execution's choices follow from it (rewind)
    // One draw picks both rates (6 x 2 outcomes).
    uint32_t rates = trials_.rng.below(12);
    trials_.preempt.start(trials_.rng, 1 + rates / 2, true, stay_run);
    // Stale-read choices exist only under weak memory: their first word is drawn at the first one.
    trials_.stale.start(trials_.rng, 1 + rates % 2, false, newest_run);
  }
  void rewind() override { trials_.rng.seek(start_); }
  // Called when a stream's run of defaults is used up.
  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    switch (kind) {
      case ChoiceKind::thread:
        return trials_.preempt.choose(trials_.rng, n, stay_run);
      case ChoiceKind::read:
      case ChoiceKind::flush:
      case ChoiceKind::store:
        return trials_.stale.choose(trials_.rng, n, newest_run);
      case ChoiceKind::next:
        break;
    }
    return trials_.rng.below(n);
  }

 private:
  RandomTrials trials_;
  uint64_t start_ = 0;
};

}  // namespace sf
