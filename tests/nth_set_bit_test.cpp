// tests/nth_set_bit_test.cpp: the scheduler's table of "the k-th set bit" (core/src/nth_set_bit.h)
// against the loop it replaced, for every thread mask and every k.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

#include "core/src/nth_set_bit.h"

namespace {

TEST(NthSetBit, MatchesClearingTheLowBits) {
  for (uint32_t mask = 1; mask < (1u << sf::kMaxThreads); ++mask) {
    uint32_t rest = mask;
    for (uint32_t k = 0; k < static_cast<uint32_t>(std::popcount(mask)); ++k) {
      EXPECT_EQ(sf::nth_set_bit(mask, k), static_cast<uint32_t>(std::countr_zero(rest))) << "mask " << mask << " k " << k;
      rest &= rest - 1;
    }
  }
}

}  // namespace
