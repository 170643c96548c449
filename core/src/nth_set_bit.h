// core/src/nth_set_bit.h: the position of the k-th set bit of a thread mask, by one table lookup.
// Internal.
//
// The scheduler's choices name "the k-th other runnable thread". Clearing k low bits in a loop makes
// the loop's exit a branch on a random k, which the processor mispredicts; a lookup has no branch.
#pragma once
#include <array>
#include <cstdint>

#include "schedfuzz/limits.h"

namespace sf {

static_assert(kMaxThreads == 8, "kNthSetBit covers 8-bit thread masks");
// kNthSetBit[mask][k]: the position of the k-th (from 0) set bit of mask; 8 when mask has no more.
inline constexpr auto kNthSetBit = [] {
  std::array<std::array<uint8_t, kMaxThreads>, 1u << kMaxThreads> table{};
  for (uint32_t mask = 0; mask < (1u << kMaxThreads); ++mask) {
    uint32_t k = 0;
    for (uint32_t bit = 0; bit < kMaxThreads; ++bit) {
      if (mask & (1u << bit)) table[mask][k++] = static_cast<uint8_t>(bit);
    }
    for (; k < kMaxThreads; ++k) table[mask][k] = kMaxThreads;
  }
  return table;
}();

// mask: below 1 << kMaxThreads; k: below its number of set bits.
inline uint32_t nth_set_bit(uint32_t mask, uint32_t k) { return kNthSetBit[mask][k]; }

}  // namespace sf
