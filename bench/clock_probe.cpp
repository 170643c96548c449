// bench/clock_probe.cpp: see clock_probe.h.
#include "bench/clock_probe.h"

#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace sf::bench {

int run_clock(int argc, char** argv) {
  char* end = nullptr;
  uint64_t n = argc == 3 ? std::strtoull(argv[2], &end, 10) : 0;
  if (n == 0 || !end || *end != '\0') {
    std::fprintf(stderr, "usage: sf_bench clock <N> (N > 0 chains of 8 dependent additions)\n");
    return 2;
  }
  uint64_t x = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    // Each add waits for the one before it: the chain takes one cycle per add, whatever the loop's
    // own instructions cost beside it.
    __asm__ volatile(
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
        : "+r"(x));
  }
  double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"tool\":\"schedfuzz\",\"test\":\"clock\",\"chains\":%" PRIu64 ",\"ghz\":%.3f}\n", n,
              static_cast<double>(x) / ns);
  return 0;
}

}  // namespace sf::bench
