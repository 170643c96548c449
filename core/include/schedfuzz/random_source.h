// schedfuzz/random_source.h: RandomSource, seeded random exploration with a varying preemption rate.
#pragma once
#include <cstdint>

#include "schedfuzz/choice.h"

namespace sf {

// SplitMix64: our own generator, so a seed means the same thing with every standard library.
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by multiply-shift (no modulo bias worth speaking of for small n).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }
};

// Each execution draws how often to preempt (about 1/2 .. 1/64 of the schedule points) and how
// often a load reads an older store (about 1/2 .. 1/8): dense and sparse preemption both get
// explored, which finds both "many small steps" and "one preemption at the right place" bugs.
// The distance to the next preemption (and to the next stale read) is drawn once, uniform in
// [0, 2^(shift+1)), so the engine answers the choices in between without a call (choice.h).
class RandomSource final : public ChoiceSource {
 public:
  explicit RandomSource(uint64_t seed) : rng_{seed} {}
  void begin_execution() override {
    // One draw, sliced: 32 bits pick the two rates (6 x 3 outcomes), 16 bits each run length.
    uint64_t r = rng_.next();
    uint32_t rates = static_cast<uint32_t>(((r & 0xffffffffu) * 18) >> 32);
    preempt_shift_ = 1 + rates / 3;
    stale_shift_ = 1 + rates % 3;
    stay_run = static_cast<uint32_t>((r >> 32) & 0xffff) & ((2u << preempt_shift_) - 1);
    newest_run = static_cast<uint32_t>(r >> 48) & ((2u << stale_shift_) - 1);
  }
  // Called only when a run is used up: this choice is the non-default one.
  uint32_t choose(ChoiceKind kind, uint32_t n) override {
    switch (kind) {
      case ChoiceKind::thread:
        stay_run = gap(preempt_shift_);
        return 1 + rng_.below(n - 1);
      case ChoiceKind::read:
      case ChoiceKind::flush:
      case ChoiceKind::store:
        newest_run = gap(stale_shift_);
        return 1 + rng_.below(n - 1);
      case ChoiceKind::next:
        break;
    }
    return rng_.below(n);
  }

 private:
  uint32_t gap(uint32_t shift) { return static_cast<uint32_t>(rng_.next()) & ((2u << shift) - 1); }
  SplitMix64 rng_;
  uint32_t preempt_shift_ = 1;
  uint32_t stale_shift_ = 1;
};

}  // namespace sf
