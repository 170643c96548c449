// bench/core_probe.cpp: see core_probe.h.
#include "bench/core_probe.h"

#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace sf::bench {

namespace {

double ns_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int run_core_probe(int argc, char** argv) {
  char* end = nullptr;
  uint64_t n = argc == 3 ? std::strtoull(argv[2], &end, 10) : 0;
  if (n == 0 || !end || *end != '\0') {
    std::fprintf(stderr, "usage: sf_bench core <N> (N > 0 rounds of 8 additions, dependent then independent)\n");
    return 2;
  }
  uint64_t a = 0, b = 0, c = 0, d = 0;
  uint64_t one = 1;
  __asm__("" : "+r"(one));  // not a constant the compiler could make an immediate of
  auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    // Each add waits for the one before it: one cycle per add, whatever the loop costs beside it.
    // A register operand, not an immediate: a core whose renamer folds chains of immediate adds
    // (Golden Cove and later) would run those at several per cycle.
    __asm__ volatile(
        "add %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\t"
        "add %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\tadd %1, %0"
        : "+r"(a)
        : "r"(one));
  }
  double dependent_ns = ns_since(t0);
  t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    // Four chains side by side: as many adds per cycle as the core has units free for them.
    __asm__ volatile(
        "add %4, %0\n\tadd %4, %1\n\tadd %4, %2\n\tadd %4, %3\n\t"
        "add %4, %0\n\tadd %4, %1\n\tadd %4, %2\n\tadd %4, %3"
        : "+r"(a), "+r"(b), "+r"(c), "+r"(d)
        : "r"(one));
  }
  double independent_ns = ns_since(t0);
  double cycles_per_ns = 8.0 * static_cast<double>(n) / dependent_ns;
  double adds_per_ns = 8.0 * static_cast<double>(n) / independent_ns;
  std::printf("{\"tool\":\"schedfuzz\",\"test\":\"core\",\"rounds\":%" PRIu64 ",\"ghz\":%.3f,\"adds_per_cycle\":%.3f}\n",
              n, cycles_per_ns, adds_per_ns / cycles_per_ns);
  return a + b + c + d == 0 ? 1 : 0;  // uses the sums (they are never 0)
}

}  // namespace sf::bench
