// schedfuzz/random_source.h: RandomSource, seeded random exploration with a varying preemption rate.
#pragma once
#include <bit>
#include <cstdint>

#include "schedfuzz/choice.h"
#include "schedfuzz/splitmix64.h"

namespace sf {

// Bit i*shift set for each whole trial of `shift` bits in a 64-bit draw (RandomSource::draw).
constexpr uint64_t trial_starts(uint32_t shift) {
  uint64_t starts = 0;
  for (uint32_t i = 0; i + shift <= 64; i += shift) starts |= 1ull << i;
  return starts;
}
inline constexpr uint64_t kTrialStarts[7] = {0, trial_starts(1), trial_starts(2), trial_starts(3),
                                             trial_starts(4), trial_starts(5), trial_starts(6)};
// x / shift for x <= 64 as a multiply and a shift: a division would be the slowest instruction of
// the path that refills a run of defaults.
inline constexpr uint32_t kShiftReciprocal[7] = {0, 65536, 32768, 21846, 16384, 13108, 10923};
constexpr uint32_t divide_by_shift(uint32_t x, uint32_t shift) { return (x * kShiftReciprocal[shift]) >> 16; }
constexpr bool divide_by_shift_is_exact() {
  for (uint32_t shift = 1; shift <= 6; ++shift) {
    for (uint32_t x = 0; x <= 64; ++x) {
      if (divide_by_shift(x, shift) != x / shift) return false;
    }
  }
  return true;
}
static_assert(divide_by_shift_is_exact());

// Each execution draws how often to preempt (1/2 .. 1/64 of the schedule points) and how often a
// load reads an older store (1/2 or 1/4; with 1/8 as well, the bundled weak-memory bug variants took
// 9% more executions to find, geometric mean of medians over 20 seeds): dense and sparse preemption both get explored, which
// finds both "many small steps" and "one preemption at the right place" bugs. Each choice is
// non-default with probability 2^-shift, independently. One random word decides the next 64/shift
// choices of a stream at once (a trial is non-default when its `shift` bits are all zero), so the
// engine answers the default ones in between without a call (choice.h).
class RandomSource final : public ChoiceSource {
 public:
  // `next` answers are uniform: the engine draws them from this source's generator itself.
  explicit RandomSource(uint64_t seed) : rng_{seed} {
    uniform_next = &rng_;
    wants_option_tids = false;
    rewindable = true;
    loop_hooks = false;
  }
  RandomSource(const RandomSource&) = delete;  // uniform_next points into the object
  RandomSource& operator=(const RandomSource&) = delete;
  void begin_execution() override {
    start_ = rng_.position();  // all an execution's choices follow from it (rewind)
    // One draw picks both rates (6 x 2 outcomes).
    uint32_t rates = rng_.below(12);
    preempt_shift_ = 1 + rates / 2;
    stale_shift_ = 1 + rates % 2;
    preempt_hit_ = draw(preempt_shift_, stay_run);
    // Stale-read choices exist only under weak memory: their first word is drawn at the first one.
    stale_hit_ = false;
    newest_run = 0;
  }
  void rewind() override { rng_.seek(start_); }
  // Called when a stream's run of defaults is used up.
  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    switch (kind) {
      case ChoiceKind::thread:
        return next_trial(preempt_shift_, preempt_hit_, stay_run) ? 1 + rng_.below(n - 1) : 0;
      case ChoiceKind::read:
      case ChoiceKind::flush:
      case ChoiceKind::store:
        return next_trial(stale_shift_, stale_hit_, newest_run) ? 1 + rng_.below(n - 1) : 0;
      case ChoiceKind::next:
        break;
    }
    return rng_.below(n);
  }

 private:
  // Decides the next 64/shift trials: `run` gets the number of defaults before the first
  // non-default one; returns whether there is one in this word (else all of them are defaults).
  bool draw(uint32_t shift, uint32_t& run) {
    // The lowest all-zero trial, SWAR style (as for a zero byte in a word): subtracting 1 from
    // every trial borrows through a zero one and sets its top bit. A borrow can mark a trial above
    // a zero one falsely, never one below it, so the lowest mark is exact.
    uint64_t r = rng_.next();
    uint64_t starts = kTrialStarts[shift];
    uint64_t hits = (r - starts) & ~r & (starts << (shift - 1));
    // Without a branch (whether the word holds a hit is random, so a branch on it mispredicts): no
    // hit counts as 64 zero bits, a whole word of defaults (bit 63 set keeps the count defined).
    uint32_t zeros = static_cast<uint32_t>(std::countr_zero(hits | uint64_t{1} << 63)) + (hits == 0);
    run = divide_by_shift(zeros, shift);
    return hits != 0;
  }
  // The choice right after a run: non-default if the run ended at a hit (then the next run is
  // drawn); else it is the first trial of a fresh word.
  [[gnu::always_inline]] bool next_trial(uint32_t shift, bool& hit, uint32_t& run) {  // one call per choose()
    if (hit) {
      hit = draw(shift, run);
      return true;
    }
    hit = draw(shift, run);
    if (hit && run == 0) {  // this very choice is the hit
      hit = draw(shift, run);
      return true;
    }
    --run;  // this choice was the word's first (default) trial
    return false;
  }
  SplitMix64 rng_;
  uint64_t start_ = 0;
  uint32_t preempt_shift_ = 1;
  uint32_t stale_shift_ = 1;
  bool preempt_hit_ = false;
  bool stale_hit_ = false;
};

}  // namespace sf
