// tests/random_source_test.cpp: RandomSource answers choices in runs (choice.h's stay_run and
// newest_run) but must keep the distribution it promises: each choice non-default with probability
// 2^-shift, independently, for a shift drawn per execution.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>

#include "schedfuzz/random_source.h"

using namespace sf;

namespace {

// Plays the engine's side for `choices` choices of one kind per execution: the run is used up
// first, then the source is asked. Returns the fraction of non-default answers, and fills the
// fraction of executions whose very first choice was non-default.
double non_default_fraction(ChoiceKind kind, uint64_t seed, int executions, int choices, double* first) {
  RandomSource src(seed);
  uint64_t non_default = 0, first_non_default = 0;
  for (int e = 0; e < executions; ++e) {
    src.begin_execution();
    for (int c = 0; c < choices; ++c) {
      uint32_t& run = kind == ChoiceKind::thread ? src.stay_run : src.newest_run;
      bool nd;
      if (run) {
        --run;
        nd = false;
      } else {
        uint32_t o = src.choose(kind, 3);
        EXPECT_LT(o, 3u);
        nd = o != 0;
      }
      non_default += nd;
      if (c == 0) first_non_default += nd;
    }
  }
  *first = static_cast<double>(first_non_default) / executions;
  return static_cast<double>(non_default) / (static_cast<double>(executions) * choices);
}

TEST(RandomSource, RunsKeepThePerChoiceRates) {
  // Preemption: shift 1..6 uniformly, so the rate is the mean of 2^-1 .. 2^-6 = 0.1640625, the
  // same for the first choice of an execution as for any other.
  double first = 0;
  double rate = non_default_fraction(ChoiceKind::thread, 11, 40000, 50, &first);
  EXPECT_NEAR(rate, 0.1640625, 0.004);
  EXPECT_NEAR(first, 0.1640625, 0.01);
  // Stale reads: shift 1 or 2, rate (1/2 + 1/4) / 2.
  rate = non_default_fraction(ChoiceKind::read, 12, 40000, 50, &first);
  EXPECT_NEAR(rate, 0.375, 0.005);
  EXPECT_NEAR(first, 0.375, 0.01);
}

TEST(RandomSource, EachRateIsExactOverLongRuns) {
  // Long executions show their own rate clearly enough to tell which shift was drawn (2^-1 ..
  // 2^-6); pooled per shift, the rate must be 2^-shift to within a few standard errors. At shift 6
  // a random word holds ten trials and most words hold none that is non-default, so a slip at word
  // boundaries would show here.
  RandomSource src(5);
  constexpr int kChoices = 8000;
  uint64_t non_default[7] = {}, total[7] = {};
  for (int e = 0; e < 3000; ++e) {
    src.begin_execution();
    uint64_t nd = 0;
    for (int c = 0; c < kChoices; ++c) {
      if (src.stay_run) {
        --src.stay_run;
      } else {
        nd += src.choose(ChoiceKind::thread, 2) != 0;
      }
    }
    double rate = static_cast<double>(nd) / kChoices;
    // The nearest shift in log scale: neighbouring rates differ by a factor of 2, some 8 standard
    // deviations of an execution's count at these lengths, so executions are not mistaken.
    int shift = static_cast<int>(std::lround(-std::log2(rate > 0 ? rate : 1e-9)));
    shift = shift < 1 ? 1 : shift > 6 ? 6 : shift;
    non_default[shift] += nd;
    total[shift] += kChoices;
  }
  for (int shift = 1; shift <= 6; ++shift) {
    ASSERT_GT(total[shift], 0u) << "shift " << shift << " never drawn";
    double p = std::ldexp(1.0, -shift);
    double se = std::sqrt(p * (1 - p) / static_cast<double>(total[shift]));
    EXPECT_NEAR(static_cast<double>(non_default[shift]) / total[shift], p, 4 * se) << "shift " << shift;
  }
}

TEST(RandomSource, SameSeedSameAnswers) {
  RandomSource a(99), b(99);
  for (int e = 0; e < 100; ++e) {
    a.begin_execution();
    b.begin_execution();
    EXPECT_EQ(a.stay_run, b.stay_run);
    EXPECT_EQ(a.newest_run, b.newest_run);
    for (int c = 0; c < 20; ++c) {
      EXPECT_EQ(a.choose(ChoiceKind::next, 5), b.choose(ChoiceKind::next, 5));
      EXPECT_EQ(a.choose(ChoiceKind::thread, 4), b.choose(ChoiceKind::thread, 4));
    }
  }
}

// A seed must mean the same executions in every version (a bug report names one): a change to the
// generator or to how choices consume it (even one that keeps every rate) changes this hash. The
// value is the stream of c39c226, before draw() lost its branch.
TEST(RandomSource, AnswersStayTheSameAcrossVersions) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over every answer and run length
  auto mix = [&](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  static const ChoiceKind kKinds[] = {ChoiceKind::thread, ChoiceKind::read, ChoiceKind::next, ChoiceKind::store,
                                      ChoiceKind::flush};
  for (uint64_t seed : {1ull, 2ull, 12345ull}) {
    RandomSource s(seed);
    for (int e = 0; e < 200; ++e) {
      s.begin_execution();
      mix(s.stay_run);
      for (uint32_t c = 0; c < 50; ++c) {
        mix(s.choose(kKinds[c % 5], 2 + c % 4));
        mix(s.stay_run);
        mix(s.newest_run);
      }
    }
  }
  EXPECT_EQ(h, 0x14b1b9bdfbb2df61ull);
}

}  // namespace
