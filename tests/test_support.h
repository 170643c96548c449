// tests/test_support.h: helpers shared by the tests: run a model body under a source, scale budgets.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <functional>

#include "schedfuzz/engine.h"
#include "schedfuzz/random_source.h"
#include "schedules/explore.h"

namespace sf::test {

// Budgets are full size in optimized builds and divided by SF_TEST_SCALE_DOWN (set by the
// sanitizer run of the test command) elsewhere.
inline uint64_t budget(uint64_t full) {
  const char* s = std::getenv("SF_TEST_SCALE_DOWN");
  uint64_t d = s ? std::strtoull(s, nullptr, 10) : 1;
  return d > 1 ? (full / d > 0 ? full / d : 1) : full;
}

// Whether budgets are scaled down (a sanitizer run).
inline bool scaled_down() { return budget(100) < 100; }

// A std::function body, for small models written inline in tests.
struct FnBody {
  std::function<void()> fn;
  static void call(void* self) { static_cast<FnBody*>(self)->fn(); }
};

inline ExploreResult explore_fn(std::function<void()> fn, uint64_t executions, uint64_t seed = 1,
                                MemoryMode mode = MemoryMode::sc) {
  static Engine engine;
  FnBody b{std::move(fn)};
  RandomSource src(seed);
  RunOptions o;
  o.memory = mode;
  return explore(engine, &FnBody::call, &b, src, o, ExploreBudget{executions, 0});
}

}  // namespace sf::test
