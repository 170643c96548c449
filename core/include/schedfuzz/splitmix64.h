// schedfuzz/splitmix64.h: SplitMix64, the project's pseudo-random generator.
#pragma once
#include <cstdint>

namespace sf {

// Our own generator, so that a seed means the same thing with every standard library. Each word is
// computed two draws ahead: a scheduling decision branches on the word it draws, and a branch that
// waits for three multiplies (when mispredicted, as a random one often is) wastes that much more;
// a preemption draws two words in a row (its trials, then the thread), and with one word ahead
// the second waited for the multiplies the first had just started. The stream is SplitMix64's all
// the same.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) { seek(seed); }
  // Where the stream stands: seek() to it gives the same words again.
  uint64_t position() const { return state_; }
  void seek(uint64_t position) {
    state_ = position;
    ahead_ = finalize(state_ + kGamma);
    ahead2_ = finalize(state_ + 2 * kGamma);
  }
  uint64_t next() {
    uint64_t word = ahead_;
    ahead_ = ahead2_;
    state_ += kGamma;
    ahead2_ = finalize(state_ + 2 * kGamma);
    return word;
  }
  // Uniform in [0, n) by multiply-shift (no modulo bias worth speaking of for small n).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }

 private:
  static constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ull;
  static uint64_t finalize(uint64_t z) {
    // In a general register: two finalizes side by side (seek, begin_execution's two draws) were
    // otherwise vectorized into SSE, which has no 64-bit multiply (three pmuludq and their shuffles
    // for each one, a longer chain than two scalar multiplies running in parallel).
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    __asm__("" : "+r"(z));
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    __asm__("" : "+r"(z));
    return z ^ (z >> 31);
  }
  uint64_t state_;
  uint64_t ahead_;   // the next word: finalize(state_ + kGamma)
  uint64_t ahead2_;  // the one after: finalize(state_ + 2 * kGamma)
};

}  // namespace sf
