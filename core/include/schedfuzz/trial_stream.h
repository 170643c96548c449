// schedfuzz/trial_stream.h: TrialStream, a stream of choices that are each non-default with
// probability 2^-shift, drawn a word of trials at a time (RandomSource's preemptions and stale reads).
#pragma once
#include <bit>
#include <cstdint>

#include "schedfuzz/splitmix64.h"

namespace sf {

// Bit i*shift set for each whole trial of `shift` bits in a 64-bit draw (TrialStream::draw).
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

// Each choice is non-default with probability 2^-shift (shift in 1..6), independently. One random
// word decides the next 64/shift choices at once (a trial is non-default when its `shift` bits are
// all zero): `run` (the caller's: ChoiceSource::stay_run or newest_run) counts the defaults before
// the next non-default one, which the engine answers without a call (choice.h); choose() is called
// when the run is used up. A non-default choice picks one of the other options uniformly. The
// words come from a generator the caller passes (RandomTrials: one for all of a source's streams).
class TrialStream {
 public:
  // A new execution's stream: its first word now (`first_word`), or at its first choice.
  void start(SplitMix64& rng, uint32_t shift, bool first_word, uint32_t& run) {
    shift_ = shift;
    run = 0;
    hit_ = first_word ? draw(rng, run) : false;
  }
  // The choice right after a run, among n >= 2 options (0: the default).
  [[gnu::always_inline]] uint32_t choose(SplitMix64& rng, uint32_t n, uint32_t& run) {
    return next_trial(rng, run) ? 1 + rng.below(n - 1) : 0;
  }

 private:
  // Decides the next 64/shift trials: `run` gets the number of defaults before the first
  // non-default one; returns whether there is one in this word (else all of them are defaults).
  [[gnu::always_inline]] bool draw(SplitMix64& rng, uint32_t& run) {
    // The lowest all-zero trial, SWAR style (as for a zero byte in a word): subtracting 1 from
    // every trial borrows through a zero one and sets its top bit. A borrow can mark a trial above
    // a zero one falsely, never one below it, so the lowest mark is exact.
    uint64_t r = rng.next();
    uint64_t starts = kTrialStarts[shift_];
    uint64_t hits = (r - starts) & ~r & (starts << (shift_ - 1));
    // Without a branch (whether the word holds a hit is random, so a branch on it mispredicts): no
    // hit counts as 64 zero bits, a whole word of defaults (bit 63 set keeps the count defined).
    uint32_t zeros = static_cast<uint32_t>(std::countr_zero(hits | uint64_t{1} << 63)) + (hits == 0);
    run = divide_by_shift(zeros, shift_);
    return hits != 0;
  }
  // Non-default if the run ended at a hit (then the next run is drawn); else the choice is the
  // first trial of a fresh word.
  [[gnu::always_inline]] bool next_trial(SplitMix64& rng, uint32_t& run) {
    if (hit_) {
      hit_ = draw(rng, run);
      return true;
    }
    hit_ = draw(rng, run);
    if (hit_ && run == 0) {  // this very choice is the hit
      hit_ = draw(rng, run);
      return true;
    }
    --run;  // this choice was the word's first (default) trial
    return false;
  }
  uint32_t shift_ = 1;
  bool hit_ = false;
};

// A random source's generator and its two streams side by side: the engine reaches the thread
// choices' state with one load from its pointer (ChoiceSource::random_trials), not a chain of them
// (a preemption used to wait on four dependent loads before its first multiply).
struct RandomTrials {
  explicit RandomTrials(uint64_t seed) : rng{seed} {}
  SplitMix64 rng;
  TrialStream preempt;  // may the current thread be preempted (ChoiceKind::thread, over stay_run)
  TrialStream stale;    // read, flush and store choices (over newest_run)
};

}  // namespace sf
